import json

from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class CscReopenWizard(models.TransientModel):
    """Asks why finished records are reopened; the reason goes to their chatter."""

    _name = "csc.reopen.wizard"
    _description = "Reason for Reopening"

    res_model = fields.Char(required=True)
    res_ids = fields.Char(required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        Model = self.env.get(self.res_model)
        if Model is None or not hasattr(Model, "_csc_reopen"):
            raise UserError(self.env._("Nothing to reopen."))
        try:
            ids = [int(record_id) for record_id in json.loads(self.res_ids)]
        except (TypeError, ValueError) as error:
            raise UserError(self.env._("Nothing to reopen.")) from error
        Model.browse(ids)._csc_reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
