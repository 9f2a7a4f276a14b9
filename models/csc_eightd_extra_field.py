from odoo import fields
from odoo import models


class CscEightdExtraField(models.Model):
    """A field some customers ask for on their 8D reports besides the standard disciplines
    (effect at 0 km, effect in the field, other plants affected...): a customer-specific
    requirement names the ones its customer wants, each 8D of that customer fills and prints
    them."""

    _name = "csc.eightd.extra.field"
    _description = "8D Customer-Specific Field"
    _order = "sequence, id"

    name = fields.Char("Field Label", required=True, translate=True)
    help_text = fields.Text("Guidance", translate=True, help="What the customer expects in it.")
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", index=True)
    active = fields.Boolean(default=True)
