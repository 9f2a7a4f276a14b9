from datetime import datetime
from datetime import time

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import html2plaintext

from .csc_service_visit import PLAN_VISIT_TYPES

# Visits still to be carried out: they follow the itinerary (moved, or cancelled when removed).
VISIT_TO_DO_STATES = ("draft", "triaged", "dispatched")


class CscVisitPlanLine(models.Model):
    _name = "csc.visit.plan.line"
    _description = "Planned Customer Visit"
    _check_company_auto = True
    _inherit = ["csc.record.mixin"]
    _csc_parent_fields = ("plan_id",)
    _csc_guarded_fields = frozenset({"calendar_event_id", "visit_id"})
    _order = "date, id"

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

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
    visit_type = fields.Selection(
        PLAN_VISIT_TYPES,  # the visits' own kinds, those a plan schedules
        "Kind",
        required=True,
        default="customer_visit",
    )
    next_visit_date = fields.Date(related="partner_id.csc_next_visit_date", string="Visit Due")
    calendar_event_id = fields.Many2one("calendar.event", readonly=True, copy=False)
    visit_id = fields.Many2one("csc.service.visit", readonly=True, copy=False, check_company=True)

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

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

    # ------------------------------------------------------------
    # Business
    # ------------------------------------------------------------

    def _check_calendar_entries_change(self, operation, names):
        """A planned visit already in the calendar keeps its customer (another customer is
        another visit: a new line); once under way or done, it stays as it is."""
        if operation == "write" and names & {"partner_id", "plan_id"}:
            for line in self.filtered(lambda line: line.calendar_event_id or line.visit_id):
                raise UserError(
                    self.env._(
                        "The visit to %(customer)s on %(date)s is in the calendar: remove it "
                        "and add a new line for another customer.",
                        customer=line.partner_id.display_name,
                        date=line.date,
                    )
                )
        if operation == "unlink" or (operation == "write" and "date" in names):
            self._check_visits_not_started(self.visit_id)

    @api.model
    def _check_visits_not_started(self, visits):
        started = visits.filtered(
            lambda visit: visit.state not in VISIT_TO_DO_STATES + ("cancelled",)
        )
        if started:
            raise UserError(
                self.env._(
                    "The visit %(visit)s to %(customer)s is under way or done: it stays in the "
                    "itinerary as it is.",
                    visit=started[0].name,
                    customer=started[0].partner_id.display_name,
                )
            )

    def _create_visits(self):
        """The approved plan's visits, of the planned kind, by the salesperson (R-G1, R-E8)."""
        visits = self.env["csc.service.visit"].create(
            [
                {
                    "visit_type": line.visit_type,
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
                    "name": self.env._(
                        "%(kind)s: %(customer)s",
                        kind=dict(self._fields["visit_type"]._description_selection(self.env))[
                            line.visit_type
                        ],
                        customer=line.partner_id.display_name,
                    ),
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

    def _update_calendar_entries(self):
        """The calendar entries and visits the lines hold (from the plan a revision replaces,
        or from before a reopening) follow the approved plan: its dates, purposes, and the plan
        itself as the entries' document."""
        self._check_visits_not_started(
            self.filtered(
                lambda line: line.visit_id.date_planned
                and line.visit_id.date_planned.date() != line.date
            ).visit_id
        )
        plan_model = self.env["ir.model"]._get_id("csc.visit.plan")
        for line in self:
            event = line.calendar_event_id
            if event:
                vals = {}
                if event.start_date != line.date:
                    vals["start"] = datetime.combine(line.date, time(8))
                    vals["stop"] = datetime.combine(line.date, time(18))
                if html2plaintext(event.description or "").strip() != (line.purpose or ""):
                    vals["description"] = line.purpose
                if event.res_id != line.plan_id.id:
                    vals.update(res_model_id=plan_model, res_id=line.plan_id.id)
                    event.activity_ids.write({"res_id": line.plan_id.id})
                if vals:
                    event.write(vals)
            visit = line.visit_id
            if visit.state in VISIT_TO_DO_STATES and (
                not visit.date_planned or visit.date_planned.date() != line.date
            ):
                visit.date_planned = datetime.combine(line.date, time(9))
            if visit.state == "draft" and visit.visit_type != line.visit_type:
                visit.visit_type = line.visit_type
