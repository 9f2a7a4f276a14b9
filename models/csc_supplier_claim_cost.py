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
    cost_type = fields.Selection("_selection_cost_type", required=True)
    name = fields.Char("Description")
    amount = fields.Monetary(required=True)

    _sql_constraints = [
        ("amount_positive", "CHECK(amount >= 0)", "A claimed cost is not negative."),
    ]

    # -- computes ------------------------------------------------------------------------------

    def _selection_cost_type(self):
        """The costs of the failure cost report (in the user's language), not its recoveries:
        what the supplier paid back is no cost to charge it."""
        FailureCost = self.env["csc.failure.cost"]
        recoveries = FailureCost._recovery_types()
        return [
            (key, label)
            for key, label in FailureCost._fields["cost_type"]._description_selection(self.env)
            if key not in recoveries
        ]
