from odoo import fields
from odoo import models


class CscLotComponent(models.Model):
    """A key component of a delivered unit, as shipped (R-A4)."""

    _name = "csc.lot.component"
    _description = "Key Component as Shipped"
    _inherit = ["csc.record.mixin"]
    _order = "lot_id, sequence, id"

    lot_id = fields.Many2one("stock.lot", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="lot_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char("Component", required=True)
    model = fields.Char()
    batch = fields.Char("Batch / Serial")
    origin = fields.Selection([("domestic", "Domestic"), ("imported", "Imported")])
    supplier_id = fields.Many2one("res.partner")
