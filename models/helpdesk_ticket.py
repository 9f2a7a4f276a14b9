from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

COMPLAINT_KINDS = ("complaint", "quality_feedback")


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

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
    csc_relay_late = fields.Boolean(
        "Relayed Late",
        compute="_compute_csc_commitments",
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
        compute="_compute_csc_commitments",
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
    csc_reply_late = fields.Boolean("Replied Late", compute="_compute_csc_commitments", store=True)
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

    @api.depends("csc_date_received", "create_date", "csc_kind", "csc_date_replied", "company_id")
    def _compute_csc_commitments(self):
        for company in self.company_id | self.env.company:
            tickets = self.filtered(
                lambda t, company=company: (t.company_id or self.env.company) == company
            )
            received = [
                t.csc_date_received or t.create_date or fields.Datetime.now() for t in tickets
            ]
            calendar = company._csc_calendar()
            relay_limits = calendar._csc_plan_hours_batch(
                [(start, company.csc_relay_hours) for start in received]
            )
            reply_deadlines = calendar._csc_plan_hours_batch(
                [(start, company.csc_reply_hours) for start in received]
            )
            for ticket, start, relay_limit, reply_deadline in zip(
                tickets, received, relay_limits, reply_deadlines, strict=True
            ):
                ticket.csc_relay_late = bool(
                    ticket.create_date and relay_limit and ticket.create_date > relay_limit
                )
                ticket.csc_date_relay_deadline = relay_limit
                ticket.csc_date_reply_deadline = reply_deadline
                ticket.csc_date_investigation_deadline = (
                    start + timedelta(hours=company.csc_investigation_hours)
                    if ticket.csc_kind in COMPLAINT_KINDS
                    else False
                )
                ticket.csc_reply_late = bool(
                    ticket.csc_date_replied
                    and reply_deadline
                    and ticket.csc_date_replied > reply_deadline
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

    # -- business helpers ----------------------------------------------------------------------

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
