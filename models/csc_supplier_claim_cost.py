from odoo import fields
from odoo import models


class CscSupplierClaimCost(models.Model):
    """An external failure cost the supplier's parts caused, carried over from the complaint's
    failure costs (R-I3) and charged to the supplier."""

    _name = "csc.supplier.claim.cost"
    _description = "Supplier Claim Cost"
    _inherit = ["csc.record.mixin"]
    _csc_parent_fields = ("claim_id",)

    claim_id = fields.Many2one("csc.supplier.claim", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="claim_id.company_id", store=True)
    currency_id = fields.Many2one(related="claim_id.currency_id")
    # the kinds of external failure cost the failure cost report counts
    cost_type = fields.Selection(
        lambda self: self.env["csc.failure.cost"]._fields["cost_type"].selection, required=True
    )
    name = fields.Char("Description")
    amount = fields.Monetary(required=True)

    _sql_constraints = [
        ("amount_positive", "CHECK(amount >= 0)", "A claimed cost is not negative."),
    ]
