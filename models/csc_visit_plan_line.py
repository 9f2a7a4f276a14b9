from datetime import datetime
from datetime import time

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class CscVisitPlanLine(models.Model):
    _name = "csc.visit.plan.line"
    _description = "Planned Customer Visit"
    _check_company_auto = True
    _inherit = ["csc.record.mixin"]
    _csc_parent_fields = ("plan_id",)
    _csc_guarded_fields = frozenset({"calendar_event_id", "visit_id"})
    _order = "date, id"

    plan_id = fields.Many2one("csc.visit.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        domain=[("csc_customer_type", "!=", False)],
        check_company=True,
    )
    date = fields.Date(required=True)
    purpose = fields.Char(help="What the visit is for: review of complaints, new project, audit...")
    next_visit_date = fields.Date(related="partner_id.csc_next_visit_date", string="Visit Due")
    calendar_event_id = fields.Many2one("calendar.event", readonly=True, copy=False)
    visit_id = fields.Many2one("csc.service.visit", readonly=True, copy=False, check_company=True)

    @api.constrains("date", "plan_id")
    def _check_date_in_week(self):
        for line in self:
            if not line.plan_id.date_start <= line.date <= line.plan_id.date_end:
                raise ValidationError(
                    self.env._(
                        "The visit to %(customer)s on %(date)s is outside the plan's week.",
                        customer=line.partner_id.display_name,
                        date=line.date,
                    )
                )

    def _create_visits(self):
        """The approved plan's visits, as customer visits of the salesperson (R-G1)."""
        visits = self.env["csc.service.visit"].create(
            [
                {
                    "visit_type": "customer_visit",
                    "partner_id": line.partner_id.id,
                    "company_id": line.plan_id.company_id.id,
                    "user_id": line.plan_id.user_id.id,
                    "technician_ids": [(6, 0, line.plan_id.user_id.ids)],
                    "date_planned": datetime.combine(line.date, time(9)),
                    "diagnosis": line.purpose,
                }
                for line in self
            ]
        )
        with self.plan_id._csc_transition():
            for line, visit in zip(self, visits, strict=True):
                line.visit_id = visit

    def _create_calendar_events(self):
        events = self.env["calendar.event"].create(
            [
                {
                    "name": self.env._("Customer visit: %s", line.partner_id.display_name),
                    "description": line.purpose,
                    "allday": True,
                    "start": datetime.combine(line.date, time(8)),
                    "stop": datetime.combine(line.date, time(18)),
                    "user_id": line.plan_id.user_id.id,
                    "partner_ids": [(6, 0, line.plan_id.user_id.partner_id.ids)],
                    "res_model_id": self.env["ir.model"]._get_id("csc.visit.plan"),
                    "res_id": line.plan_id.id,
                }
                for line in self
            ]
        )
        with self.plan_id._csc_transition():
            for line, event in zip(self, events, strict=True):
                line.calendar_event_id = event
