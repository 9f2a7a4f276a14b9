from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    csc_warranty_months = fields.Integer(
        "Warranty (months)",
        help="Warranty period counted from the delivery to the customer; 0 means no warranty.",
    )
    csc_low_value = fields.Boolean(
        "Low-Value Spare Part",
        help="A technician may take it on a loan slip signed by themselves alone (R-F2).",
    )
    csc_origin = fields.Selection(
        [("own", "Own Product"), ("partner", "Partner Brand"), ("competitor", "Competitor")],
        "Product Origin",
        default="own",
        required=True,
        help="Service priority: own products first, then partner brands, then competitors.",
    )
    csc_brand_partner_id = fields.Many2one(
        "res.partner",
        "Partner Brand",
        help="The brand of a partner-brand product: told before each warranty service on its "
        "products and invoiced after it (seed 002 5.1.2); a part of the brand is supplied by it.",
    )

    # -- constraints ---------------------------------------------------------------------------

    @api.constrains("csc_origin", "csc_brand_partner_id")
    def _check_csc_brand_partner(self):
        for template in self:
            if template.csc_brand_partner_id and template.csc_origin != "partner":
                raise ValidationError(
                    self.env._(
                        "%s names a partner brand: only a partner-brand product has one.",
                        template.display_name,
                    )
                )
