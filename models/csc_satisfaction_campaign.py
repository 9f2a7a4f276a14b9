from datetime import datetime
from datetime import time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools import float_compare


class CscSatisfactionCampaign(models.Model):
    _name = "csc.satisfaction.campaign"
    _description = "Satisfaction Campaign"
    _inherit = ["csc.sequence.mixin", "csc.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _csc_sequence_field = "code"
    _csc_locked_states = ("closed", "cancel")
    _order = "date_start desc, id desc"

    # -- fields --------------------------------------------------------------------------------

    name = fields.Char(required=True, tracking=True)
    code = fields.Char("Number", readonly=True, copy=False, default="/", index=True, tracking=True)
    active = fields.Boolean(default=True)
    period_type = fields.Selection(
        [("quarterly", "Quarterly"), ("half_yearly", "Half-Yearly"), ("yearly", "Yearly")],
        "Period",
        required=True,
        default="quarterly",
        tracking=True,
    )
    date_start = fields.Date("Period Start", required=True, tracking=True)
    date_end = fields.Date(
        "Period End",
        required=True,
        tracking=True,
        help="Customers answer until the end of this day in the company's time zone. Answers "
        "arriving once the campaign is closed are not counted.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_id = fields.Many2one(
        "res.users", "Responsible", default=lambda self: self.env.user, tracking=True
    )
    survey_id = fields.Many2one(
        "survey.survey",
        "Questionnaire",
        required=True,
        default=lambda self: self.env.ref(
            "customer_service_control.csc_satisfaction_survey", raise_if_not_found=False
        ),
        tracking=True,
    )
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("closed", "Closed"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    select_relation_class = fields.Selection(
        [("key", "Key"), ("general", "General"), ("potential", "Potential")],
        "Relationship Class",
        help="Load the customers of this relationship class (leave empty for any).",
    )
    select_grade = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C")],
        "Grade",
        help="Load the customers of this grade (leave empty for any).",
    )
    select_customer_type = fields.Selection(
        [("oem", "OEM"), ("dealer", "Dealer"), ("end_user", "End User")],
        "Customer Type",
        help="Load the customers of this type (leave empty for any).",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "csc_satisfaction_campaign_partner_rel",
        "campaign_id",
        "partner_id",
        "Customers",
        domain="[('is_company', '=', True)]",
    )
    user_input_ids = fields.One2many("survey.user_input", "csc_campaign_id", "Responses")
    result_ids = fields.One2many("csc.satisfaction.result", "campaign_id", "Results")
    customer_count = fields.Integer("Customers Surveyed", compute="_compute_counts")
    invited_count = fields.Integer("Invited", compute="_compute_counts")
    answered_count = fields.Integer("Answered", compute="_compute_counts")
    satisfied_count = fields.Integer("Satisfied Customers", compute="_compute_counts")
    satisfaction_rate = fields.Float(
        "Satisfaction Rate (%)",
        compute="_compute_counts",
        help="Share of the customers who answered whose result is 'satisfied'.",
    )
    programme_year = fields.Integer(
        compute="_compute_target",
        help="Year of the satisfaction programme the period starts in: 1 in the company's "
        "programme start year, 2 the next year, 3 from the year after on.",
    )
    target_rate = fields.Float("Target (%)", compute="_compute_target")
    ticket_ids = fields.One2many("helpdesk.ticket", "csc_satisfaction_campaign_id", "Feedbacks")
    ticket_count = fields.Integer(compute="_compute_ticket_count")
    invitation_todo_count = fields.Integer(
        "Invitations to Send",
        compute="_compute_job_progress",
        help="Customers of a running campaign not invited yet: their invitations are being sent "
        "in the background, or could not be sent (no contact with an e-mail address, see the "
        "chatter).",
    )
    job_pending_count = fields.Integer(
        "Jobs Waiting",
        compute="_compute_job_progress",
        help="Background jobs of this campaign (invitations, reminders) not run yet.",
    )
    job_failed_count = fields.Integer(
        "Jobs Failed",
        compute="_compute_job_progress",
        help="Background jobs of this campaign that failed: an administrator requeues them from "
        "the job queue; a requeued job skips the customers already invited or reminded.",
    )
    job_done_count = fields.Integer("Jobs Done", compute="_compute_job_progress")

    # -- computes and inverses -----------------------------------------------------------------

    @api.depends("partner_ids", "user_input_ids.state", "result_ids.is_satisfied")
    def _compute_counts(self):
        for campaign in self:
            results = campaign.result_ids
            campaign.customer_count = len(campaign.partner_ids)
            campaign.invited_count = len(campaign.sudo().user_input_ids)
            campaign.answered_count = len(results)
            campaign.satisfied_count = len(results.filtered("is_satisfied"))
            campaign.satisfaction_rate = (
                100.0 * campaign.satisfied_count / len(results) if results else 0.0
            )

    @api.depends("partner_ids", "user_input_ids", "state")
    def _compute_job_progress(self):
        for campaign in self:
            invited = campaign.sudo().user_input_ids.partner_id.commercial_partner_id
            campaign.invitation_todo_count = (
                len(campaign.partner_ids - invited) if campaign.state == "running" else 0
            )
            states = campaign._csc_job_states() if campaign.id else {}
            campaign.job_pending_count = sum(
                count
                for state, count in states.items()
                if state in ("wait_dependencies", "pending", "enqueued", "started")
            )
            campaign.job_failed_count = states.get("failed", 0)
            campaign.job_done_count = states.get("done", 0)

    @api.depends("date_start", "company_id.csc_satisfaction_start_year")
    def _compute_target(self):
        for campaign in self:
            company = campaign.company_id
            year = 1
            if campaign.date_start and company.csc_satisfaction_start_year:
                year = campaign.date_start.year - company.csc_satisfaction_start_year + 1
            campaign.programme_year = max(1, min(year, 3))
            campaign.target_rate = company._csc_satisfaction_target(campaign.programme_year)

    @api.depends("ticket_ids")
    def _compute_ticket_count(self):
        for campaign in self:
            campaign.ticket_count = len(campaign.ticket_ids)

    # -- constraints and onchanges -------------------------------------------------------------

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for campaign in self:
            if campaign.date_end < campaign.date_start:
                raise ValidationError(
                    self.env._("The period of campaign %s ends before it starts.", campaign.name)
                )

    # -- CRUD ----------------------------------------------------------------------------------

    def write(self, vals):
        res = super().write(vals)
        if {"date_end", "user_id"}.intersection(vals):
            self.filtered(lambda c: c.state == "running")._csc_set_answer_deadlines()
        return res

    # -- actions -------------------------------------------------------------------------------

    def action_load_customers(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("Customers can only be loaded on a draft campaign."))
        domain = [
            ("is_company", "=", True),
            ("csc_customer_type", "!=", False),
            ("company_id", "in", [self.company_id.id, False]),
        ]
        for field in ("relation_class", "grade", "customer_type"):
            value = self[f"select_{field}"]
            if value:
                domain.append((f"csc_{field}", "=", value))
        self.partner_ids |= self.env["res.partner"].search(domain)
        return True

    def action_start(self):
        self._csc_check_state(("draft",), self.env._("be started"))
        for campaign in self:
            campaign._csc_require(
                [(campaign.partner_ids, self.env._("the customers to survey"))],
                self.env._("%(campaign)s: choose %(missing)s before starting the campaign."),
                campaign=campaign.name,
            )
        self._csc_write({"state": "running"})
        self._send_invitations()
        return True

    def action_send_reminders(self):
        for campaign in self:
            if campaign.state != "running":
                raise UserError(
                    self.env._("Reminders are only sent while the campaign is running.")
                )
        self._send_reminders()
        return True

    def action_close(self):
        self._csc_check_state(("running",), self.env._("be closed"))
        with self._csc_transition():
            self.write({"state": "closed"})
            self._create_below_target_tickets()
        self._csc_set_answer_deadlines()
        return True

    def action_cancel(self):
        self._csc_check_state(("draft", "running"), self.env._("be cancelled"))
        self._csc_write({"state": "cancel"})
        self._csc_set_answer_deadlines()
        return True

    def action_draft(self):
        self._csc_check_state(("cancel",), self.env._("be reset to draft"))
        for campaign in self:
            if campaign.sudo().user_input_ids:
                raise UserError(
                    self.env._(
                        "Campaign %s already sent invitations: create a new campaign instead.",
                        campaign.name,
                    )
                )
        self._csc_write({"state": "draft"})
        return True

    def action_view_results(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_service_control.csc_satisfaction_result_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"default_campaign_id": self.id}
        return action

    def action_view_jobs(self):
        """The campaign's background jobs, in queue_job's own list (job queue managers)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("queue_job.action_queue_job")
        action["domain"] = [("identity_key", "=like", self._csc_job_key_prefix() + "%")]
        action["context"] = {}
        return action

    def action_view_tickets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Quality Feedbacks"),
            "res_model": "helpdesk.ticket",
            "view_mode": "list,form",
            "domain": [("id", "in", self.ticket_ids.ids)],
        }

    # -- business helpers ----------------------------------------------------------------------

    def _csc_reopen_states(self):
        return ("closed",)

    def _csc_reopen_values(self):
        """A reopened campaign runs again: late answers count once more."""
        return {"state": "running"}

    def _csc_reopen(self, reason):
        """Reopened, the campaign takes answers again until the end of its period, and the
        answers that arrived while it was closed now count (a decision logged with its reason,
        not a silent change)."""
        res = super()._csc_reopen(reason)
        self._csc_set_answer_deadlines()
        self.sudo().user_input_ids.filtered(
            lambda ui: ui.state == "done" and not ui.csc_result_ids
        )._csc_score()
        return res

    def _scored_questions(self):
        """The questionnaire's scored items (each with a phase and a dimension)."""
        self.ensure_one()
        return self.survey_id.sudo().question_ids.filtered(
            lambda q: q.csc_phase and q.csc_dimension
        )

    def _send_invitations(self):
        """Invite the campaign's customers in the background: one job per batch of customers
        (see `_csc_job_invite`)."""
        for campaign in self:
            invited = campaign.sudo().user_input_ids.partner_id.commercial_partner_id
            campaign._csc_delay_batches(
                "_csc_job_invite",
                campaign.partner_ids - invited,
                description=self.env._("Survey invitations of campaign %s", campaign.display_name),
                key="invite",
            )

    def _csc_job_invite(self, partners):
        """Job: create one survey answer (with its token) per customer of the batch and queue
        survey's own invitation mail to the customer's contact. Customers already invited (by an
        earlier run of this batch) are skipped; nothing is sent once the campaign stopped."""
        self.ensure_one()
        # Shared with the other batches of the campaign; closing or cancelling it waits.
        self._csc_lock_for_answers()
        if self.state != "running":
            return 0
        invited = self.sudo().user_input_ids.partner_id.commercial_partner_id
        UserInput = self.env["survey.user_input"]
        missing = self.env["res.partner"]
        sent = 0
        for partner in partners.exists() - invited:
            contact = partner._csc_survey_contact()
            if not contact:
                missing |= partner
                continue
            UserInput._csc_invite(
                self.survey_id, contact, csc_campaign_id=self.id, deadline=self._csc_deadline()
            )
            sent += 1
        if missing:
            self.message_post(
                body=self.env._(
                    "No invitation sent to %s: no contact with an e-mail address.",
                    ", ".join(missing.mapped("display_name")),
                )
            )
        return sent

    def _csc_deadline(self):
        """When the customers' answers are due: the end (23:59:59) of the period's last day in
        the company's time zone (its working calendar's, else the responsible's, else UTC),
        as the naive UTC datetime survey compares with the current time."""
        self.ensure_one()
        tz = self.company_id.resource_calendar_id.tz or self.user_id.tz or "UTC"
        end = pytz.timezone(tz).localize(datetime.combine(self.date_end, time(23, 59, 59)))
        return end.astimezone(pytz.utc).replace(tzinfo=None)

    def _csc_set_answer_deadlines(self):
        """The invitations not answered yet follow the campaign: open until the end of the
        period while it runs; expired once it is closed or cancelled, so that survey tells the
        customer the survey is over instead of taking an answer that no longer counts."""
        now = fields.Datetime.now()
        for campaign in self:
            pending = campaign.sudo().user_input_ids.filtered(lambda ui: ui.state != "done")
            if not pending:
                continue
            deadline = campaign._csc_deadline()
            if campaign.state != "running":
                deadline = min(deadline, now)
            pending.write({"deadline": deadline})

    def _csc_lock_for_answers(self):
        """Share-lock the campaigns' rows and read their state anew before answers are scored:
        an answer scored while a campaign closes waits for the closing (then, under REPEATABLE
        READ, Odoo retries it and it sees the campaign closed), and closing waits for the answer
        being scored. No answer slips into a closed campaign's result."""
        if not self.ids:
            return
        self.flush_recordset(["state"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s FOR SHARE",
                SQL.identifier(self._table),
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["state"])

    def _send_reminders(self, since=None, key=None):
        """Remind the customers who have not answered, in the background (one job per batch of
        answers); those reminded since `since` (default: now) are not reminded again. `key`
        names the round of reminders in the jobs' identity keys."""
        since = since or fields.Datetime.now()
        for campaign in self:
            answers = campaign.sudo().user_input_ids.filtered(
                lambda ui: ui.state != "done"
                and not (ui.csc_date_reminded and ui.csc_date_reminded >= since)
            )
            campaign._csc_delay_batches(
                "_csc_job_remind",
                answers,
                since,
                description=self.env._("Survey reminders of campaign %s", campaign.display_name),
                key=f"remind:{key or since}",
            )

    def _csc_job_remind(self, answers, since):
        """Job: survey's invitation mail again to each answer of the batch not answered and not
        reminded since `since` (so a batch run twice reminds nobody twice)."""
        self.ensure_one()
        if self.state != "running":
            return 0
        answers = (
            answers.sudo()
            .exists()
            .filtered(
                lambda ui: ui.state != "done"
                and not (ui.csc_date_reminded and ui.csc_date_reminded >= since)
            )
        )
        answers._csc_send_invitation()
        answers.write({"csc_date_reminded": fields.Datetime.now()})
        return len(answers)

    def _create_below_target_tickets(self):
        """R-H4: a quality feedback for every customer whose result is not "satisfied" (a
        customer below target) and for every dimension that misses the campaign's target."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        for campaign in self:
            results = campaign.result_ids
            if not results:
                continue
            target = campaign.target_rate
            vals_list = []
            for result in results.filtered(lambda r: not r.is_satisfied and not r.ticket_id):
                vals_list.append(
                    {
                        "name": self.env._(
                            "Satisfaction below target: %(customer)s (%(score)s points)",
                            customer=result.partner_id.display_name,
                            score=result.total_score,
                        ),
                        "description": self.env._(
                            "Campaign %(campaign)s: the customer is not satisfied "
                            "(total %(score)s, lowest item %(item)s); target %(target)s %%.",
                            campaign=campaign.display_name,
                            score=result.total_score,
                            item=result.min_item_score,
                            target=target,
                        ),
                        "partner_id": result.partner_id.id,
                        "company_id": campaign.company_id.id,
                        "csc_kind": "quality_feedback",
                        "csc_satisfaction_campaign_id": campaign.id,
                        "csc_satisfaction_result_id": result.id,
                    }
                )
            vals_list += campaign._csc_dimension_feedback_values()
            tickets = Ticket.create(vals_list)
            for ticket in tickets.filtered("csc_satisfaction_result_id"):
                ticket.csc_satisfaction_result_id.ticket_id = ticket

    def _csc_dimension_figures(self):
        """{dimension: average score out of 100 over the campaign's results}, for the dimensions
        its questionnaire rates (a dimension without items is not measured, not 0)."""
        self.ensure_one()
        results = self.result_ids
        if not results:
            return {}
        rated = set(self._scored_questions().mapped("csc_dimension"))
        selection = self.env["survey.question"]._fields["csc_dimension"].selection
        return {
            dimension: round(sum(results.mapped(f"{dimension}_score")) / len(results), 2)
            for dimension, _label in selection
            if dimension in rated
        }

    def _csc_dimension_feedback_values(self):
        """Quality feedback values for each dimension (quality, service, price, delivery) whose
        figure is below the campaign's target; a dimension exactly at its target meets it."""
        self.ensure_one()
        labels = dict(
            self.env["survey.question"]._fields["csc_dimension"]._description_selection(self.env)
        )
        target = self.target_rate
        vals_list = []
        for dimension, figure in self._csc_dimension_figures().items():
            if float_compare(figure, target, precision_digits=2) >= 0:
                continue
            values = {
                "campaign": self.display_name,
                "dimension": labels[dimension],
                "score": figure,
                "target": target,
            }
            vals_list.append(
                {
                    "name": self.env._(
                        "Satisfaction below target on %(dimension)s: %(score)s points "
                        "(target %(target)s)",
                        **values,
                    ),
                    "description": self.env._(
                        "Campaign %(campaign)s: the average %(dimension)s score %(score)s out of "
                        "100 is below the target %(target)s. Investigate the cause and act on "
                        "it like any quality feedback.",
                        **values,
                    ),
                    "company_id": self.company_id.id,
                    "csc_kind": "quality_feedback",
                    "csc_satisfaction_campaign_id": self.id,
                }
            )
        return vals_list

    # -- crons ---------------------------------------------------------------------------------

    @api.model
    def _cron_send_reminders(self):
        """Weekly reminder to the customers who have not answered a running campaign. Run twice
        in the same week, the second run reminds nobody: it skips the answers reminded in the
        last six days."""
        now = fields.Datetime.now()
        self.search([("state", "=", "running")])._send_reminders(
            now - relativedelta(days=6), key=now.date()
        )
