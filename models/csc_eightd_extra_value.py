from odoo import fields
from odoo import models


class CscEightdExtraValue(models.Model):
    """What an 8D records in a field its customer's requirements ask for (printed on the
    report). The lines change until the 8D is closed (they ask their 8D)."""

    _name = "csc.eightd.extra.value"
    _description = "8D Customer-Specific Field Value"
    _inherit = ["csc.record.mixin"]
    _csc_parent_fields = ("eightd_id",)
    _order = "eightd_id, sequence, id"

    eightd_id = fields.Many2one(
        "csc.eightd", "8D Report", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="eightd_id.company_id", store=True, index=True)
    field_id = fields.Many2one("csc.eightd.extra.field", required=True, ondelete="restrict")
    sequence = fields.Integer(related="field_id.sequence", store=True)
    help_text = fields.Text(related="field_id.help_text", string="Guidance")
    value = fields.Text()

    _sql_constraints = [
        ("field_once", "unique(eightd_id, field_id)", "An 8D records each customer field once."),
    ]
