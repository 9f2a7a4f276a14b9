from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

from .csc_eightd import DISCIPLINES


class CscEightdSignoff(models.Model):
    """Who signed off one discipline of an 8D report, and when (D0..D8).

    Written only by the 8D's own transitions (the sign-off writes it, a reopened analysis
    removes the sign-offs it takes back): no role creates, changes or deletes it otherwise. One
    line per discipline and report, which also makes two simultaneous sign-offs sign once."""

    _name = "csc.eightd.signoff"
    _description = "8D Sign-off"
    _inherit = ["csc.record.mixin"]
    _order = "eightd_id, discipline"
    _csc_guarded_fields = frozenset({"eightd_id", "discipline", "user_id", "date"})

    eightd_id = fields.Many2one(
        "csc.eightd", "8D Report", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="eightd_id.company_id", store=True, index=True)
    discipline = fields.Selection(DISCIPLINES, required=True)
    user_id = fields.Many2one("res.users", "Signed Off By", required=True, ondelete="restrict")
    date = fields.Datetime("Signed Off On", required=True)

    _sql_constraints = [
        (
            "discipline_once",
            "unique(eightd_id, discipline)",
            "A discipline of an 8D report is signed off once.",
        ),
    ]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_transition(self):
        if not self._csc_unguarded():
            raise UserError(
                self.env._(
                    "A sign-off of an 8D report is part of the record: it is removed only by "
                    "reopening the analysis."
                )
            )
