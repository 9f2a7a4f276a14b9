from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class CscEscalationInspection(models.Model):
    """One day of the firewall inspection a controlled shipping status requires: the quantity
    checked before shipping, the quantity rejected, who inspected."""

    _name = "csc.escalation.inspection"
    _description = "Firewall Inspection Day"
    _inherit = ["csc.record.mixin"]
    _order = "escalation_id, date desc, id desc"
    _check_company_auto = True
    _csc_parent_fields = ("escalation_id",)

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
    partner_id = fields.Many2one(related="escalation_id.partner_id", string="Customer")
    date = fields.Date(required=True, default=fields.Date.context_today)
    qty_checked = fields.Float("Checked", required=True, digits="Product Unit of Measure")
    qty_rejected = fields.Float("Rejected", digits="Product Unit of Measure")
    reject_rate = fields.Float("Reject Rate (%)", compute="_compute_reject_rate", digits=(16, 2))
    inspector_id = fields.Many2one(
        "res.users",
        required=True,
        domain=[("share", "=", False)],
        default=lambda self: self.env.user,
    )
    note = fields.Text(help="Defects found, containment, remarks.")

    # -- SQL constraints -----------------------------------------------------------------------

    _sql_constraints = [
        (
            "date_uniq",
            "unique(escalation_id, date)",
            "One firewall inspection record per day: complete the day's record instead.",
        ),
        (
            "quantities",
            "CHECK(qty_checked >= 0 AND qty_rejected >= 0 AND qty_rejected <= qty_checked)",
            "The quantities are not negative and no more are rejected than checked.",
        ),
    ]

    # -- computes and inverses -----------------------------------------------------------------

    @api.depends("qty_checked", "qty_rejected")
    def _compute_reject_rate(self):
        for line in self:
            line.reject_rate = (
                100.0 * line.qty_rejected / line.qty_checked if line.qty_checked else 0.0
            )

    # -- constraints ---------------------------------------------------------------------------

    @api.constrains("date", "escalation_id")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for line in self:
            escalation = line.escalation_id
            if line.date > today or line.date < escalation.date_entry:
                raise ValidationError(
                    self.env._(
                        "%(escalation)s: the inspection of %(date)s lies outside the status "
                        "(entered %(entry)s) or in the future.",
                        escalation=escalation.display_name,
                        date=line.date,
                        entry=escalation.date_entry,
                    )
                )
