from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError

COMPLAINT_KINDS = ("complaint", "quality_feedback")
# The desk contacts the customer of these within the contact hours (seed 002 7.1.3).
CONTACT_KINDS = ("service_request", "consultation")
DESK = "customer_service_control.group_csc_user"
MANAGER = "customer_service_control.group_csc_manager"
# The hourly scan reminds this many hours before the contact deadline.
CONTACT_REMIND_HOURS = 2


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "csc.replan.mixin"]
    # Methods the reason wizard (csc.reopen.wizard) may call, each taking the reason.
    _csc_reason_methods = frozenset({"_csc_replan"})
    _csc_deadline_fields = (
        "csc_date_relay_deadline",
        "csc_date_reply_deadline",
        "csc_date_investigation_deadline",
        "csc_date_contact_deadline",
    )

    # -- fields --------------------------------------------------------------------------------

    # What the customer's message is (R-B2).
    csc_kind = fields.Selection(
        [
            ("consultation", "Consultation"),
            ("suggestion", "Suggestion"),
            ("quality_feedback", "Quality Feedback"),
            ("complaint", "Complaint"),
            ("service_request", "Service Request"),
            ("return_request", "Return Request"),
        ],
        "Kind",
        tracking=True,
        index=True,
    )
    # Searched by customer and date on a million tickets (scripts/benchmark.py shows the plans).
    partner_id = fields.Many2one(index=True)
    # Response commitments (R-B1, R-B3).
    csc_date_received = fields.Datetime(
        "Received",
        default=fields.Datetime.now,
        index=True,
        help="When the company received the customer's information (by any channel).",
    )
    # The deadlines are planned from the ticket's own data (received, kind, company) with the
    # settings in force then; a later change of the settings leaves them (a service manager
    # re-plans an open ticket with a reason).
    csc_relay_late = fields.Boolean(
        "Relayed Late",
        compute="_compute_csc_late",
        store=True,
        help="Registered at the desk later than the relay time after it was received.",
    )
    csc_date_relay_deadline = fields.Datetime(
        "Relay Due",
        compute="_compute_csc_commitments",
        store=True,
        index=True,
        help="When the message had to be registered at the desk (received + relay time).",
    )
    csc_date_reply_deadline = fields.Datetime(
        "Reply Due", compute="_compute_csc_commitments", store=True, index=True
    )
    csc_date_investigation_deadline = fields.Datetime(
        "Investigation Due",
        compute="_compute_csc_kind_deadlines",
        store=True,
        help="Complaints: someone is sent, or written, to the customer by then.",
    )
    csc_date_replied = fields.Datetime(
        "Replied On",
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="Set by the first message sent to the customer.",
    )
    csc_reply_late = fields.Boolean("Replied Late", compute="_compute_csc_late", store=True)
    csc_date_contact_deadline = fields.Datetime(
        "Customer Contact Due",
        compute="_compute_csc_kind_deadlines",
        store=True,
        index=True,
        help="Service requests and consultations: the desk contacts the customer within the "
        "contact working hours of receiving them (met by the first message to the customer, "
        "or the action Customer Contacted for a call).",
    )
    csc_complaint_ids = fields.One2many("csc.complaint", "ticket_id", "Complaints")
    csc_complaint_count = fields.Integer("Complaint Count", compute="_compute_csc_complaint_count")

    # Satisfaction below target (R-H4): the campaign and the response that raised it.
    csc_satisfaction_campaign_id = fields.Many2one(
        "csc.satisfaction.campaign", "Satisfaction Campaign", index=True, ondelete="set null"
    )
    csc_satisfaction_result_id = fields.Many2one(
        "csc.satisfaction.result", "Satisfaction Result", index=True, ondelete="set null"
    )

    # -- computes and inverses -----------------------------------------------------------------

    @api.depends("csc_date_received", "create_date", "company_id")
    def _compute_csc_commitments(self):
        """Relay and reply deadlines, on the company's working calendar."""
        for company, tickets, received in self._csc_by_company():
            calendar = company._csc_calendar()
            relay_limits = calendar._csc_plan_hours_batch(
                [(start, company.csc_relay_hours) for start in received]
            )
            reply_deadlines = calendar._csc_plan_hours_batch(
                [(start, company.csc_reply_hours) for start in received]
            )
            for ticket, relay_limit, reply_deadline in zip(
                tickets, relay_limits, reply_deadlines, strict=True
            ):
                ticket.csc_date_relay_deadline = relay_limit
                ticket.csc_date_reply_deadline = reply_deadline

    @api.depends("csc_date_received", "create_date", "csc_kind", "company_id")
    def _compute_csc_kind_deadlines(self):
        """The deadlines of a kind of message: complaints are investigated within the
        investigation hours (around the clock); the customer of a service request or a
        consultation is contacted within the contact working hours."""
        for company, tickets, received in self._csc_by_company():
            starts = dict(zip(tickets, received, strict=True))
            contact = tickets.filtered(lambda t: t.csc_kind in CONTACT_KINDS)
            moments = company._csc_calendar()._csc_plan_hours_batch(
                [(starts[t], company.csc_contact_hours) for t in contact]
            )
            contact_deadlines = dict(zip(contact, moments, strict=True))
            for ticket, start in zip(tickets, received, strict=True):
                ticket.csc_date_investigation_deadline = (
                    start + timedelta(hours=company.csc_investigation_hours)
                    if ticket.csc_kind in COMPLAINT_KINDS
                    else False
                )
                ticket.csc_date_contact_deadline = contact_deadlines.get(ticket, False)

    @api.depends(
        "create_date", "csc_date_relay_deadline", "csc_date_replied", "csc_date_reply_deadline"
    )
    def _compute_csc_late(self):
        for ticket in self:
            relay_limit = ticket.csc_date_relay_deadline
            ticket.csc_relay_late = bool(
                ticket.create_date and relay_limit and ticket.create_date > relay_limit
            )
            ticket.csc_reply_late = bool(
                ticket.csc_date_replied
                and ticket.csc_date_reply_deadline
                and ticket.csc_date_replied > ticket.csc_date_reply_deadline
            )

    def _compute_csc_complaint_count(self):
        counts = dict(
            self.env["csc.complaint"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.csc_complaint_count = counts.get(ticket, 0)

    # -- CRUD ----------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("csc_kind") and vals.get("team_id"):
                team = self.env["helpdesk.ticket.team"].browse(vals["team_id"])
                vals["csc_kind"] = team.csc_default_kind
        return super().create(vals_list)

    # -- actions -------------------------------------------------------------------------------

    def action_csc_create_complaint(self):
        self.ensure_one()
        complaint = self.csc_complaint_ids[:1] or self._csc_create_complaints()
        return complaint._get_form_action()

    def action_csc_open_complaints(self):
        self.ensure_one()
        return self.csc_complaint_ids._get_form_action()

    def action_csc_customer_contacted(self):
        """The desk called the customer back (seed 002 7.1.3): the contact is recorded now,
        like the first message sent to the customer."""
        if not self.env.user.has_group(DESK):
            raise AccessError(self.env._("Only the service desk records a customer contact."))
        for ticket in self:
            if ticket.csc_date_replied:
                raise UserError(
                    self.env._(
                        "The customer of %(ticket)s was contacted on %(date)s.",
                        ticket=ticket.display_name,
                        date=fields.Datetime.to_string(ticket.csc_date_replied),
                    )
                )
        now = fields.Datetime.now()
        self.write({"csc_date_replied": now})
        for ticket in self:
            ticket.message_post(
                body=self.env._("Customer contacted by phone by %s.", self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        self._csc_finish_contact_reminder()
        return True

    def action_csc_replan(self):
        """A service manager re-plans the deadlines of open tickets with the settings in force
        today, giving the reason (the wizard calls `_csc_replan`)."""
        self._csc_check_replan()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reason for Re-planning"),
            "res_model": "csc.reopen.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_ids": str(self.ids),
                "default_method": "_csc_replan",
            },
        }

    # -- business helpers ----------------------------------------------------------------------

    def _csc_by_company(self):
        """(company, tickets, their received moments) for each company of these tickets."""
        for company in self.company_id | self.env.company:
            tickets = self.filtered(
                lambda t, company=company: (t.company_id or self.env.company) == company
            )
            if tickets:
                received = [
                    t.csc_date_received or t.create_date or fields.Datetime.now() for t in tickets
                ]
                yield company, tickets, received

    def _csc_check_replan(self):
        if not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._("Only a service manager re-plans the deadlines of a customer message.")
            )
        closed = self.filtered("stage_id.closed")
        if closed:
            raise UserError(
                self.env._(
                    "%s is closed: its deadlines cannot be re-planned.",
                    ", ".join(closed.mapped("display_name")),
                )
            )

    def _csc_replan(self, reason):
        """Re-plan the deadlines of open tickets with today's settings; the reason and the
        changes go to the chatter."""
        self._csc_check_replan()
        names = self._csc_deadline_fields

        def replan():
            for name in names:
                self.env.add_to_compute(self._fields[name], self)
            self._recompute_recordset(names)

        return self._csc_replan_with_reason(reason, names, replan)

    def _csc_contact_summary(self):
        return self.env._("Contact the customer")

    def _csc_finish_contact_reminder(self):
        summary = self._csc_contact_summary()
        self.sudo().activity_ids.filtered(lambda a: a.summary == summary).action_feedback(
            feedback=self.env._("Customer contacted.")
        )

    def _csc_remind_contact(self, now):
        """A to-do for whoever must contact the customer of each of these tickets (its
        assignee, else the team leader, else a service manager), once while it is open; the
        tickets reminded."""
        summary = self._csc_contact_summary()
        reminded = self.browse()
        for ticket in self:
            if ticket.activity_ids.filtered(lambda a: a.summary == summary):
                continue
            company = ticket.company_id or self.env.company
            user = ticket.user_id or ticket.team_id.user_id or company._csc_service_managers()[:1]
            if not user:
                continue
            ticket.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.to_date(ticket.csc_date_contact_deadline),
                user_id=user.id,
                summary=summary,
                note=self.env._(
                    "Due by %s.", fields.Datetime.to_string(ticket.csc_date_contact_deadline)
                ),
            )
            reminded |= ticket
        return reminded

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A complaint e-mailed to a team's alias opens its complaint at once."""
        ticket = super().message_new(msg_dict, custom_values=custom_values)
        if ticket.csc_kind in COMPLAINT_KINDS and ticket.partner_id:
            ticket._csc_create_complaints()
        return ticket

    def _message_post_after_hook(self, message, msg_vals):
        """The first message sent to the customer is the reply (R-B3)."""
        if (
            not self.csc_date_replied
            and message.message_type == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id.user_ids.filtered(lambda user: not user.share)
        ):
            self.csc_date_replied = message.date
            self._csc_finish_contact_reminder()
        return super()._message_post_after_hook(message, msg_vals)

    def _csc_create_complaints(self):
        for ticket in self:
            if ticket.csc_kind not in COMPLAINT_KINDS:
                raise UserError(
                    self.env._(
                        "Only a complaint or a quality feedback opens a complaint; %s is not one.",
                        ticket.display_name,
                    )
                )
            if not ticket.partner_id:
                raise UserError(self.env._("Set the customer of %s first.", ticket.display_name))
        return self.env["csc.complaint"].create(
            [
                {
                    "title": ticket.name,
                    "kind": ticket.csc_kind,
                    "ticket_id": ticket.id,
                    "partner_id": ticket.partner_id.commercial_partner_id.id,
                    "contact_id": ticket.partner_id.id if ticket.partner_id.parent_id else False,
                    "channel_id": ticket.channel_id.id,
                    "description": ticket.description,
                    "date_received": ticket.csc_date_received or ticket.create_date,
                    "company_id": ticket.company_id.id,
                }
                for ticket in self
            ]
        )

    # -- crons ---------------------------------------------------------------------------------

    @api.model
    def _cron_csc_contact_reminders(self):
        """Service requests and consultations whose customer is not contacted within the last
        hours before the contact deadline, or past it: a to-do for whoever must call, once."""
        now = fields.Datetime.now()
        tickets = self.search(
            [
                ("csc_kind", "in", CONTACT_KINDS),
                ("csc_date_replied", "=", False),
                ("csc_date_contact_deadline", "<=", now + timedelta(hours=CONTACT_REMIND_HOURS)),
                ("stage_id.closed", "=", False),
            ]
        )
        return len(tickets._csc_remind_contact(now))
