from odoo import fields
from odoo import models

from ..models.account_payment import COLLECTION_METHODS


class AccountPaymentRegister(models.TransientModel):
    """Odoo's payment registration, with who collected the money on site and how."""

    _inherit = "account.payment.register"

    # -- fields --------------------------------------------------------------------------------

    csc_collected_by_id = fields.Many2one(
        "res.users", "Collected On Site By", domain=[("share", "=", False)]
    )
    csc_collection_method = fields.Selection(COLLECTION_METHODS, "Collected As")

    # -- business helpers ----------------------------------------------------------------------

    def _csc_collection_vals(self):
        return {
            "csc_collected_by_id": self.csc_collected_by_id.id,
            "csc_collection_method": self.csc_collection_method,
        }

    def _create_payment_vals_from_wizard(self, batch_result):
        vals = super()._create_payment_vals_from_wizard(batch_result)
        vals.update(self._csc_collection_vals())
        return vals

    def _create_payment_vals_from_batch(self, batch_result):
        vals = super()._create_payment_vals_from_batch(batch_result)
        vals.update(self._csc_collection_vals())
        return vals
