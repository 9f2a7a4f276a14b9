from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

COLLECTION_METHODS = [("cash", "Cash"), ("transfer", "Bank Transfer")]


class AccountPayment(models.Model):
    """Money a technician collected at the customer's for a paid service (seed 002): who took
    it and how, so that finance matches it with the trip report's receipts."""

    _inherit = "account.payment"

    # -- fields --------------------------------------------------------------------------------

    csc_collected_by_id = fields.Many2one(
        "res.users",
        "Collected On Site By",
        domain=[("share", "=", False)],
        tracking=True,
        help="The technician who collected the payment at the customer's.",
    )
    csc_collection_method = fields.Selection(COLLECTION_METHODS, "Collected As", tracking=True)

    # -- constraints ---------------------------------------------------------------------------

    @api.constrains("csc_collected_by_id", "csc_collection_method")
    def _check_csc_collection(self):
        for payment in self:
            if bool(payment.csc_collected_by_id) != bool(payment.csc_collection_method):
                raise ValidationError(
                    self.env._(
                        "A payment collected on site names who collected it and how (cash or "
                        "bank transfer)."
                    )
                )
