from odoo import api
from odoo import fields
from odoo import models


class CscServiceVisitLine(models.Model):
    """A cost line of a service visit (labour, travel, parts): priced for the customer by the
    warranty rule (R-D3) and the agreed pricelist (R-D4)."""

    _name = "csc.service.visit.line"
    _description = "Service Visit Cost Line"
    _check_company_auto = True
    _inherit = ["csc.record.mixin"]
    _csc_parent_fields = ("visit_id",)

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    visit_id = fields.Many2one("csc.service.visit", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="visit_id.company_id", store=True, index=True)
    line_type = fields.Selection(
        [
            ("labour", "Labour"),
            ("travel", "Travel"),
            ("part", "Part"),
            ("survey", "Surveying and Drawing"),
            ("design", "Design"),
            ("tooling", "Tooling"),
            ("overhead", "Management"),
        ],
        "Type",
        required=True,
        default="part",
    )
    product_id = fields.Many2one("product.product", check_company=True)
    name = fields.Char("Description", required=True)
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    price_unit = fields.Float(
        "Unit Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        digits="Product Price",
    )
    cost_unit = fields.Float(
        "Unit Cost",
        compute="_compute_cost_unit",
        store=True,
        readonly=False,
        digits="Product Price",
        help="What the line costs the company (the product's cost by default): a quote for a "
        "competitor's product keeps the company's margin over it.",
    )
    currency_id = fields.Many2one(related="visit_id.currency_id")
    amount = fields.Monetary("Charged", compute="_compute_amount", store=True)

    _sql_constraints = [
        (
            "figures_positive",
            "CHECK(quantity >= 0 AND price_unit >= 0 AND cost_unit >= 0)",
            "Quantities and prices cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("product_id", "quantity", "visit_id.partner_id")
    def _compute_price_unit(self):
        for line in self:
            if not line.product_id:
                continue
            visit = line.visit_id
            customer = visit.partner_id.commercial_partner_id.sudo()
            pricelist = customer.csc_pricelist_id or customer.property_product_pricelist
            price = (
                pricelist._get_product_price(line.product_id, line.quantity or 1.0)
                if pricelist
                else line.product_id.lst_price
            )
            if line.product_id.csc_origin == "partner":
                price *= 1 + visit.company_id.csc_partner_brand_uplift / 100
            line.price_unit = price

    @api.depends("product_id")
    def _compute_cost_unit(self):
        for line in self.filtered("product_id"):
            line.cost_unit = line.product_id.sudo().standard_price

    @api.depends("price_unit", "quantity", "line_type", "visit_id.warranty_status")
    def _compute_amount(self):
        for line in self:
            gross = line.price_unit * line.quantity
            if line.visit_id.warranty_status == "free":
                line.amount = 0.0
            else:
                line.amount = gross * (1 - line._csc_discount() / 100)

    # ------------------------------------------------------------
    # Business
    # ------------------------------------------------------------

    def _csc_discount(self):
        """The discount of the warranty class (R-D3), in %: parts for a misuse within the
        warranty."""
        self.ensure_one()
        visit = self.visit_id
        if visit.warranty_status == "discounted" and self.line_type == "part":
            return visit.company_id.csc_misuse_part_discount
        return 0.0

    def _csc_sale_product(self):
        """The product the line is quoted and invoiced as: its own, else the company's service
        product of its type."""
        self.ensure_one()
        return self.product_id or self.env.ref(
            f"customer_service_control.product_csc_service_{self.line_type}"
        )

    def _csc_prepare_sale_line(self):
        self.ensure_one()
        return {
            "csc_visit_line_id": self.id,
            "product_id": self._csc_sale_product().id,
            "name": self.name,
            "product_uom_qty": self.quantity,
            "price_unit": self.price_unit,
            "discount": self._csc_discount(),
        }
