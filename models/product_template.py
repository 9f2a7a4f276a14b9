from odoo import fields
from odoo import models


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
