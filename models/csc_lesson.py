from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class CscLesson(models.Model):
    """A lesson learned (经验教训) from an 8D: the problem, its root cause and what to do
    differently, on a product and its family (the product category). A complaint registered on
    the product or its family shows it, so that the same problem is not analysed twice."""

    _name = "csc.lesson"
    _description = "Lesson Learned"
    _check_company_auto = True
    _inherit = ["csc.sequence.mixin", "mail.thread", "mail.activity.mixin"]
    _csc_sequence_field = "reference"
    _order = "id desc"
    _rec_names_search = ["reference", "name"]

    reference = fields.Char(readonly=True, copy=False, default="/", index="trigram")
    name = fields.Char("Title", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    eightd_id = fields.Many2one(
        "csc.eightd",
        "Source 8D",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        check_company=True,
    )
    complaint_id = fields.Many2one(related="eightd_id.complaint_id", string="Source Complaint")
    product_id = fields.Many2one("product.product", index=True, tracking=True)
    categ_id = fields.Many2one(
        "product.category",
        "Product Family",
        index=True,
        tracking=True,
        help="The lesson applies to every product of this category.",
    )
    problem = fields.Text(required=True, tracking=True)
    root_cause = fields.Text(required=True, tracking=True)
    lesson = fields.Text("Lesson Learned", required=True, tracking=True)
    user_id = fields.Many2one(
        "res.users",
        "Recorded By",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
    )
    active = fields.Boolean(default=True, tracking=True)

    _sql_constraints = [
        ("reference_company_uniq", "unique(reference, company_id)", "Lesson numbers are unique."),
    ]

    @api.depends("reference", "name")
    def _compute_display_name(self):
        for lesson in self:
            lesson.display_name = f"{lesson.reference} {lesson.name or ''}".strip()

    @api.constrains("product_id", "categ_id")
    def _check_product_or_family(self):
        for lesson in self:
            if not (lesson.product_id or lesson.categ_id):
                raise ValidationError(
                    self.env._(
                        "%s: a lesson learned names its product or its product family.",
                        lesson.name,
                    )
                )

    # -- business helpers ----------------------------------------------------------------------

    @api.model
    def _csc_family(self, product):
        """The product family of `product`: its category, unless that is the catch-all top
        category every product starts in (which groups everything, so no family)."""
        category = product.categ_id
        catch_all = self.env.ref("product.product_category_all", raise_if_not_found=False)
        return category if category and category != catch_all else category.browse()

    @api.model
    def _csc_domain_for(self, product, company):
        """The lessons that concern `product`: on the product itself or on its family."""
        family = self._csc_family(product)
        domain = [("product_id", "=", product.id)]
        if family:
            domain = ["|", *domain, ("categ_id", "parent_of", family.id)]
        return [("company_id", "in", company.ids), *domain]
