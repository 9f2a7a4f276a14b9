from datetime import timedelta

from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

MANAGER = "customer_service_control.group_csc_manager"
# Sales visits of a key account when the company sets no interval: monthly (R-G1).
KEY_ACCOUNT_DAYS = 30
# At least one customer tour a year (R-E8).
TOUR_DAYS = 365


class CscVisitPlan(models.Model):
    """The weekly customer visit itinerary (R-G2, 客户访问行程表): proposed from the customers whose
    visit is due and the key accounts due for their monthly sales visit (R-A2, R-G1), submitted
    on Friday, approved or sent back by the manager. An approved itinerary changes through a
    revision, which replaces it (calendar entries and visits following) once approved."""

    _name = "csc.visit.plan"
    _description = "Weekly Visit Plan"
    _inherit = ["csc.sequence.mixin", "csc.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    # The revision links are set only by "Revise": a plan does not make itself another's.
    _csc_guarded_fields = frozenset(
        {"state", "approver_id", "date_approved", "previous_id", "revision"}
    )
    _csc_locked_states = ("approved", "cancelled")

    # -- fields --------------------------------------------------------------------------------

    name = fields.Char("Reference", readonly=True, copy=False, default="/")
    user_id = fields.Many2one(
        "res.users",
        "Salesperson",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date_start = fields.Date(
        "Week Of",
        required=True,
        tracking=True,
        default=lambda self: self._default_date_start(),
        help="Monday of the week the visits are planned for.",
    )
    date_end = fields.Date("Week End", compute="_compute_date_end", store=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many("csc.visit.plan.line", "plan_id", "Visits", copy=True)
    line_count = fields.Integer("Planned Visits", compute="_compute_line_count")
    approver_id = fields.Many2one(
        "res.users", "Approved By", readonly=True, copy=False, tracking=True
    )
    date_approved = fields.Datetime("Approved On", readonly=True, copy=False, tracking=True)
    review_note = fields.Text(
        "Manager's Remarks",
        help="Why the plan was sent back, or remarks on approval.",
        tracking=True,
    )
    previous_id = fields.Many2one(
        "csc.visit.plan",
        "Revision Of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The approved itinerary this one revises: it is cancelled when this one is approved, "
        "and its calendar entries and visits follow this one.",
    )
    revision = fields.Integer(readonly=True, copy=False, default=0)
    revision_ids = fields.One2many("csc.visit.plan", "previous_id", "Revised By", readonly=True)

    # -- SQL constraints -----------------------------------------------------------------------

    # One itinerary in force per salesperson and week: cancelled plans and revisions still in
    # progress do not count (a revision counts once approved, when the plan it revises is
    # cancelled).
    _sql_constraints = [
        (
            "user_week_uniq",
            "EXCLUDE (user_id WITH =, date_start WITH =, company_id WITH =) "
            "WHERE (state <> 'cancelled' AND (previous_id IS NULL OR state = 'approved'))",
            "A salesperson has one visit plan per week.",
        ),
    ]

    # -- defaults ------------------------------------------------------------------------------

    @api.model
    def _default_date_start(self):
        today = fields.Date.context_today(self)
        return today + timedelta(days=7 - today.weekday())  # next Monday

    # -- computes and inverses -----------------------------------------------------------------

    @api.depends("date_start")
    def _compute_date_end(self):
        for plan in self:
            plan.date_end = plan.date_start and plan.date_start + timedelta(days=6)

    @api.depends("line_ids")
    def _compute_line_count(self):
        for plan in self:
            plan.line_count = len(plan.line_ids)

    # -- constraints and onchanges -------------------------------------------------------------

    @api.constrains("date_start")
    def _check_date_start(self):
        for plan in self:
            if plan.date_start.weekday() != 0:
                raise ValidationError(self.env._("A visit plan starts on a Monday."))

    @api.constrains("user_id", "date_start", "company_id", "previous_id")
    def _check_revision_week(self):
        for plan in self.filtered("previous_id"):
            previous = plan.previous_id
            if (plan.user_id, plan.date_start, plan.company_id) != (
                previous.user_id,
                previous.date_start,
                previous.company_id,
            ):
                raise ValidationError(
                    self.env._(
                        "%(revision)s revises %(plan)s: it keeps its salesperson, week and "
                        "company.",
                        revision=plan.name,
                        plan=previous.name,
                    )
                )

    # -- actions -------------------------------------------------------------------------------

    def action_propose(self):
        """Add a line for every customer of the salesperson whose visit falls due by the end of
        the week (R-A2), and for every key account whose monthly sales visit falls due by then
        (R-G1), unless already planned."""
        self._csc_check_state(("draft",), self.env._("get proposed visits"))
        for plan in self:
            proposals = plan._due_visits()
            plan.line_ids = [
                Command.create(
                    {
                        "partner_id": customer.id,
                        "date": day,
                        "purpose": purpose,
                        "visit_type": visit_type,
                    }
                )
                for customer, (day, purpose, visit_type) in sorted(
                    proposals.items(), key=lambda item: (item[1][0], item[0].id)
                )
            ]
        return True

    def action_submit(self):
        self._csc_check_state(("draft",), self.env._("be submitted"))
        for plan in self:
            if not plan.line_ids:
                raise UserError(
                    self.env._("Plan at least one visit in %s before submitting it.", plan.name)
                )
        self.env["csc.visit.plan.line"]._check_visits_not_started(self._dropped_entries()[1])
        self._csc_write({"state": "submitted"})
        for plan in self:
            approver = plan._approver()
            if approver:
                plan.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=approver.id,
                    summary=self.env._("Approve the visit plan of %s", plan.user_id.name),
                )
        return True

    def action_approve(self):
        """Approve the itineraries and put their visits in the calendar. A revision replaces the
        plan it revises: that one is cancelled, the calendar entries and visits of its lines
        the revision removed are deleted and cancelled, moved ones follow the new dates."""
        self._check_manager()
        self._csc_check_state(("submitted",), self.env._("be approved"))
        for plan in self:
            plan._csc_check_not_self(
                plan.user_id, self.env._("approve the visit plan %s", plan.name)
            )
        previous = self._replaced_plans()
        previous._csc_check_state(("approved",), self.env._("be replaced by a revision"))
        dropped_events, dropped_visits = self._dropped_entries()
        self.env["csc.visit.plan.line"]._check_visits_not_started(dropped_visits)
        # The plan in force steps down first: the week's constraint then sees one plan.
        previous._csc_write({"state": "cancelled"})
        previous.flush_recordset(["state"])
        self._csc_write(
            {
                "state": "approved",
                "approver_id": self.env.user.id,
                "date_approved": fields.Datetime.now(),
            }
        )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        dropped_events.unlink()
        dropped_visits.filtered(lambda visit: visit.state != "cancelled").action_cancel()
        self.line_ids._update_calendar_entries()
        self.line_ids.filtered(lambda line: not line.calendar_event_id)._create_calendar_events()
        self.line_ids.filtered(lambda line: not line.visit_id)._create_visits()
        for plan in self.filtered(lambda plan: plan.previous_id & previous):
            plan.previous_id.message_post(
                body=self.env._("Replaced by its revision %s.", plan.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_send_back(self):
        self._check_manager()
        self._csc_check_state(("submitted",), self.env._("be sent back"))
        for plan in self:
            if not plan.review_note:
                raise UserError(self.env._("Write in the remarks why %s is sent back.", plan.name))
        self._csc_write({"state": "draft"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        for plan in self:
            plan.message_post(
                body=self.env._("Sent back: %s", plan.review_note),
                partner_ids=plan.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )

        return True

    def action_cancel(self):
        self._csc_check_state(("draft", "submitted"), self.env._("be cancelled"))
        self._csc_write({"state": "cancelled"})
        return True

    def action_revise(self):
        """An approved itinerary changes through a new revision (a draft copy of it, with the
        calendar entries and visits of its lines); the approved one stays in force until the
        revision is approved."""
        self.ensure_one()
        self._check_revise_ready()
        with self._csc_transition():
            revision = self.copy(self._prepare_revision_vals())
        self.message_post(
            body=self.env._("Revision %s started.", revision.name), subtype_xmlid="mail.mt_note"
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": revision.id,
            "view_mode": "form",
        }

    # -- business helpers ----------------------------------------------------------------------

    def _csc_reopen_states(self):
        return ("approved",)

    def _csc_reopen_values(self):
        """A reopened itinerary is edited and submitted again; the calendar entries and visits
        of its lines stay, follow moved dates and new lines get theirs at the next approval."""
        self._check_no_pending_revision(
            self.env._(
                "%(plan)s is being revised in %(revision)s: approve or cancel that one "
                "instead of reopening."
            )
        )
        return {"state": "draft", "approver_id": False, "date_approved": False}

    def _csc_check_child_change(self, children, operation, names):
        """Planned visits already in the calendar keep their customer; once under way or done,
        they stay as they are."""
        res = super()._csc_check_child_change(children, operation, names)
        if children._name == "csc.visit.plan.line":
            children._check_calendar_entries_change(operation, names)
        return res

    def _pending_revisions(self):
        return self.revision_ids.filtered(lambda plan: plan.state in ("draft", "submitted"))

    def _due_visits(self):
        """{customer: (day, purpose, visit type)} of the visits to propose in the week: customers
        whose visit cycle falls due (R-A2) — as their customer tour when they had none in the
        last year (R-E8) — and key accounts whose last sales visit by the salesperson is a month
        old by the end of the week, or who never had one (R-G1)."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        customers = [
            ("csc_customer_type", "!=", False),
            ("csc_sales_user_id", "=", self.user_id.id),
            ("company_id", "in", [self.company_id.id, False]),
            ("id", "not in", self.line_ids.partner_id.ids),
        ]
        proposals = self._prepare_cycle_proposals(
            Partner.search(customers + [("csc_next_visit_date", "<=", self.date_end)])
        )
        key_accounts = Partner.search(customers + [("csc_relation_class", "=", "key")])
        self._add_key_account_proposals(proposals, key_accounts)
        return proposals

    def _prepare_cycle_proposals(self, due):
        """{customer: (day, purpose, visit type)} of the customers whose visit cycle falls due:
        a customer tour when they had none in the last year."""
        last_tours = self._last_visits(due, ("tour",), all_users=True)
        tour_due = self.date_end - timedelta(days=TOUR_DAYS)
        tour_purpose = self.env._("Yearly customer tour")
        proposals = {}
        for customer in due:
            day = max(self.date_start, customer.csc_next_visit_date)
            if customer in last_tours and last_tours[customer] > tour_due:
                proposals[customer] = (day, False, "customer_visit")
            else:
                proposals[customer] = (day, tour_purpose, "tour")
        return proposals

    def _add_key_account_proposals(self, proposals, key_accounts):
        """Add to `proposals` the key accounts whose last sales visit by the salesperson is due
        by the end of the week (a tour due the same week stays a tour, on the earlier day)."""
        interval = timedelta(days=self.company_id.csc_sales_visit_days_key or KEY_ACCOUNT_DAYS)
        last_visits = self._last_visits(
            key_accounts, self.env["csc.service.visit"]._csc_sales_visit_types()
        )
        purpose = self.env._("Monthly key-account visit")
        for account in key_accounts:
            last = last_visits.get(account)
            due = last + interval if last else self.date_start
            if due > self.date_end:
                continue
            day = max(self.date_start, due)
            if account in proposals and proposals[account][2] == "tour":
                proposals[account] = (min(day, proposals[account][0]), *proposals[account][1:])
                continue
            if account in proposals:
                day = min(day, proposals[account][0])
            proposals[account] = (day, purpose, "key_account")

    def _last_visits(self, customers, visit_types, all_users=False):
        """{customer: day of the last visit of these types finished there}, by the salesperson
        unless `all_users`."""
        self.ensure_one()
        if not customers:
            return {}
        domain = [
            ("visit_type", "in", visit_types),
            ("partner_id", "child_of", customers.ids),
            ("state", "!=", "cancelled"),
            ("date_end", "!=", False),
        ]
        if not all_users:
            domain += [
                "|",
                ("technician_ids", "in", self.user_id.ids),
                ("user_id", "=", self.user_id.id),
            ]
        groups = self.env["csc.service.visit"]._read_group(domain, ["partner_id"], ["date_end:max"])
        last = {}
        for partner, date_end in groups:
            day = fields.Date.to_date(date_end)
            for customer in partner | partner.commercial_partner_id:
                if customer in customers and (customer not in last or last[customer] < day):
                    last[customer] = day
        return last

    def _replaced_plans(self):
        """The plans these revisions replace at their approval (a revision approved before, and
        reopened since, replaced its plan then: that one is cancelled)."""
        return self.previous_id.filtered(lambda plan: plan.state != "cancelled")

    def _dropped_entries(self):
        """The calendar entries and visits of the plans these revisions replace that the
        revisions no longer hold: the visits they removed."""
        kept = self.line_ids
        previous_lines = self._replaced_plans().line_ids
        return (
            previous_lines.calendar_event_id - kept.calendar_event_id,
            previous_lines.visit_id - kept.visit_id,
        )

    def _approver(self):
        """Who is asked to approve: the manager of the Sales department, else a Service Manager
        of the plan's company other than the salesperson."""
        self.ensure_one()
        sales = self.env.ref("customer_service_control.csc_department_sales", False)
        if sales and sales.manager_id and sales.manager_id != self.user_id:
            return sales.manager_id
        return (self.company_id._csc_service_managers() - self.user_id)[:1]

    def _check_manager(self):
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a manager approves or sends back visit plans."))

    def _check_revise_ready(self):
        """Only the salesperson or a manager revises an approved itinerary, one revision at a
        time."""
        if self.env.user != self.user_id and not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._("Only the salesperson of %s or a manager revises it.", self.name)
            )
        self._csc_check_state(("approved",), self.env._("be revised"))
        self._check_no_pending_revision(
            self.env._(
                "%(plan)s is already being revised in %(revision)s: change that one, or "
                "cancel it first."
            )
        )

    def _check_no_pending_revision(self, message):
        """Refuse with `message` (placeholders `plan` and `revision`) while a revision of this
        itinerary is in progress."""
        pending = self._pending_revisions()
        if pending:
            raise UserError(message % {"plan": self.name, "revision": pending[0].name})

    def _prepare_revision_vals(self):
        """The values of the next revision: named after the first itinerary, with the lines."""
        root = self
        while root.previous_id:
            root = root.previous_id
        number = self.revision + 1
        return {
            "name": f"{root.name}-R{number}",
            "previous_id": self.id,
            "revision": number,
            "review_note": False,
            "line_ids": [
                Command.create(
                    {
                        "partner_id": line.partner_id.id,
                        "date": line.date,
                        "purpose": line.purpose,
                        "visit_type": line.visit_type,
                        "calendar_event_id": line.calendar_event_id.id,
                        "visit_id": line.visit_id.id,
                    }
                )
                for line in self.line_ids
            ],
        }

    # -- crons ---------------------------------------------------------------------------------

    @api.model
    def _cron_remind_submission(self):
        """Friday reminder: salespeople with customers due next week and no plan submitted.
        Idempotent: a second run asks nobody twice (a handful of users: no background job)."""
        monday = self._default_date_start()
        due = self.env["res.partner"]._read_group(
            [
                ("csc_customer_type", "!=", False),
                ("csc_next_visit_date", "<=", monday + timedelta(days=6)),
                ("csc_sales_user_id", "!=", False),
            ],
            ["csc_sales_user_id"],
        )
        users = self.env["res.users"].union(*(user for (user,) in due))
        plans = self.search(
            [
                ("date_start", "=", monday),
                ("user_id", "in", users.ids),
                ("state", "!=", "cancelled"),
            ]
        )
        submitted = plans.filtered(lambda p: p.state in ("submitted", "approved")).user_id
        summary = self.env._("Submit your visit plan for next week")
        for user in users - submitted:
            plan = plans.filtered(lambda p, user=user: p.user_id == user)[:1] or self.create(
                {"user_id": user.id, "date_start": monday}
            )
            # Once per plan: a second run does not ask again while the first request is open.
            plan._csc_activity_once(
                "mail.mail_activity_data_todo",
                summary,
                date_deadline=fields.Date.context_today(self),
                user_id=user.id,
            )
