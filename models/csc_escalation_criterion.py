from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class CscEscalationCriterion(models.Model):
    """A criterion the customer set for lifting an escalation status (e.g. 20 days of firewall
    inspection without a reject, the 8D accepted): met or not, by whom and when."""

    _name = "csc.escalation.criterion"
    _description = "Escalation Exit Criterion"
    _inherit = ["csc.record.mixin"]
    _order = "escalation_id, sequence, id"
    _check_company_auto = True
    _csc_parent_fields = ("escalation_id",)
    _csc_guarded_fields = frozenset({"date_met", "met_by_id"})

    # -- fields --------------------------------------------------------------------------------

    escalation_id = fields.Many2one(
        "csc.escalation",
        "Escalation Status",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="escalation_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char("Criterion", required=True)
    is_met = fields.Boolean("Met")
    evidence = fields.Text(help="What shows the criterion is met.")
    date_met = fields.Date("Met On", readonly=True, copy=False)
    met_by_id = fields.Many2one("res.users", "Confirmed By", readonly=True, copy=False)

    # -- CRUD ----------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        criteria = super().create(vals_list)
        criteria._record_met()
        return criteria

    def write(self, vals):
        res = super().write(vals)
        if "is_met" in vals:
            self._record_met()
        return res

    # -- business helpers ----------------------------------------------------------------------

    def _record_met(self):
        """Who confirmed a criterion met, and when; cleared when it is open again."""
        today = fields.Date.context_today(self)
        newly_met = self.filtered(lambda c: c.is_met and not c.date_met)
        waiting = newly_met.escalation_id.filtered(lambda e: e.state != "active")
        if waiting and not self._csc_unguarded():
            raise UserError(
                self.env._(
                    "%s is not active: its exit criteria are met once the status is entered.",
                    ", ".join(waiting.mapped("display_name")),
                )
            )
        with self.escalation_id._csc_transition():
            for criterion in self:
                if criterion.is_met and not criterion.date_met:
                    criterion.write({"date_met": today, "met_by_id": self.env.user.id})
                elif not criterion.is_met and criterion.date_met:
                    criterion.write({"date_met": False, "met_by_id": False})
