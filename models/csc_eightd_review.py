from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

# The steps the customer reviews: (key, the discipline whose sign-off submits it, the
# discipline a rejection reopens).
REVIEW_STEPS = {"3": (3, 3), "4": (4, 4), "7": (7, 5)}


class CscEightdReview(models.Model):
    """The customer's review of a submitted step of an 8D (D3, D4, D5-D7): accepted or rejected,
    with the comment of the customer's contact who gave it, and when.

    Written only by the 8D's review transition (the customer's contact on the portal): no role
    creates, changes or deletes it otherwise. A step reopened (a rejection, an ineffective
    action) keeps its past reviews, no longer current: the step is reviewed again once it is
    signed off again."""

    _name = "csc.eightd.review"
    _description = "8D Customer Review"
    _inherit = ["csc.record.mixin"]
    _order = "eightd_id, date desc, id desc"
    _csc_guarded_fields = frozenset(
        {"eightd_id", "step", "decision", "comment", "partner_id", "user_id", "date", "current"}
    )

    eightd_id = fields.Many2one(
        "csc.eightd", "8D Report", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="eightd_id.company_id", store=True, index=True)
    step = fields.Selection(
        [
            ("3", "D3 Containment"),
            ("4", "D4 Root Cause"),
            ("7", "D5-D7 Corrective Actions and Prevention"),
        ],
        required=True,
    )
    decision = fields.Selection([("accepted", "Accepted"), ("rejected", "Rejected")], required=True)
    comment = fields.Text()
    partner_id = fields.Many2one("res.partner", "Reviewed By", required=True, ondelete="restrict")
    user_id = fields.Many2one("res.users", "Portal User", ondelete="set null")
    date = fields.Datetime("Reviewed On", required=True)
    current = fields.Boolean(
        default=True,
        help="The review of the step as it is signed off now; a reopened step's reviews are "
        "history.",
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_transition(self):
        if not self._csc_unguarded():
            raise UserError(
                self.env._("The customer's review of an 8D step is part of the record.")
            )
