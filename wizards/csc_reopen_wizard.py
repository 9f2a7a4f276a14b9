import json

from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class CscReopenWizard(models.TransientModel):
    """Asks the reason of a decision on records (reopening them, closing against the customer's
    rejection, cancelling an 8D); the reason goes to their chatter."""

    _name = "csc.reopen.wizard"
    _description = "Reason for a Decision"

    # -- fields --------------------------------------------------------------------------------

    res_model = fields.Char(required=True)
    res_ids = fields.Char(required=True)
    method = fields.Char(required=True, default="_csc_reopen")
    reason = fields.Text(required=True)

    # -- actions -------------------------------------------------------------------------------

    def action_confirm(self):
        self.ensure_one()
        Model = self.env.get(self.res_model)
        if Model is None or self.method not in getattr(Model, "_csc_reason_methods", ()):
            raise UserError(self.env._("Nothing to reopen."))
        try:
            ids = [int(record_id) for record_id in json.loads(self.res_ids)]
        except (TypeError, ValueError) as error:
            raise UserError(self.env._("Nothing to reopen.")) from error
        getattr(Model.browse(ids), self.method)(self.reason)
        return {"type": "ir.actions.act_window_close"}
