from datetime import timedelta

from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError


class CscVisitPlan(models.Model):
    """The weekly customer visit itinerary (R-G2, 客户访问行程表): proposed from the customers whose
    visit is due, submitted on Friday, approved or sent back by the manager."""

    _name = "csc.visit.plan"
    _description = "Weekly Visit Plan"
    _inherit = ["csc.sequence.mixin", "csc.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _csc_guarded_fields = frozenset({"state", "approver_id", "date_approved"})
    _csc_locked_states = ("approved", "cancelled")

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

    _sql_constraints = [
        (
            "user_week_uniq",
            "unique(user_id, date_start, company_id)",
            "A salesperson has one visit plan per week.",
        ),
    ]

    @api.model
    def _default_date_start(self):
        today = fields.Date.context_today(self)
        return today + timedelta(days=7 - today.weekday())  # next Monday

    @api.depends("date_start")
    def _compute_date_end(self):
        for plan in self:
            plan.date_end = plan.date_start and plan.date_start + timedelta(days=6)

    @api.depends("line_ids")
    def _compute_line_count(self):
        for plan in self:
            plan.line_count = len(plan.line_ids)

    @api.constrains("date_start")
    def _check_date_start(self):
        for plan in self:
            if plan.date_start.weekday() != 0:
                raise ValidationError(self.env._("A visit plan starts on a Monday."))

    def action_propose(self):
        """Add a line for every customer of the salesperson whose visit falls due by the end of
        the week and is not planned yet."""
        self._csc_check_state(("draft",), self.env._("get proposed visits"))
        for plan in self:
            planned = plan.line_ids.partner_id
            customers = self.env["res.partner"].search(
                [
                    ("csc_customer_type", "!=", False),
                    ("csc_next_visit_date", "<=", plan.date_end),
                    ("csc_sales_user_id", "=", plan.user_id.id),
                    ("id", "not in", planned.ids),
                ],
                order="csc_next_visit_date, id",
            )
            plan.line_ids = [
                Command.create(
                    {
                        "partner_id": customer.id,
                        "date": max(plan.date_start, customer.csc_next_visit_date),
                    }
                )
                for customer in customers
            ]
        return True

    def action_submit(self):
        self._csc_check_state(("draft",), self.env._("be submitted"))
        for plan in self:
            if not plan.line_ids:
                raise UserError(
                    self.env._("Plan at least one visit in %s before submitting it.", plan.name)
                )
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
        self._check_manager()
        self._csc_check_state(("submitted",), self.env._("be approved"))
        for plan in self:
            plan._csc_check_not_self(
                plan.user_id, self.env._("approve the visit plan %s", plan.name)
            )
        self._csc_write(
            {
                "state": "approved",
                "approver_id": self.env.user.id,
                "date_approved": fields.Datetime.now(),
            }
        )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        self.line_ids.filtered(lambda line: not line.calendar_event_id)._create_calendar_events()
        self.line_ids.filtered(lambda line: not line.visit_id)._create_visits()
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

    def _csc_reopen_states(self):
        return ("approved",)

    def _csc_reopen_values(self):
        """A reopened itinerary is edited and submitted again; the calendar entries and visits
        of its lines stay, new lines get theirs at the next approval."""
        return {"state": "draft", "approver_id": False, "date_approved": False}

    def _approver(self):
        """Who is asked to approve: the manager of the Sales department, else a Service Manager
        of the plan's company other than the salesperson."""
        self.ensure_one()
        sales = self.env.ref("customer_service_control.csc_department_sales", False)
        if sales and sales.manager_id and sales.manager_id != self.user_id:
            return sales.manager_id
        managers = self.env.ref("customer_service_control.group_csc_manager").users
        return managers.filtered(
            lambda user: self.company_id in user.company_ids and user != self.user_id
        )[:1]

    def _check_manager(self):
        if not self.env.user.has_group("customer_service_control.group_csc_manager"):
            raise AccessError(self.env._("Only a manager approves or sends back visit plans."))

    @api.model
    def _cron_remind_submission(self):
        """Friday reminder: salespeople with customers due next week and no plan submitted."""
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
        plans = self.search([("date_start", "=", monday), ("user_id", "in", users.ids)])
        submitted = plans.filtered(lambda p: p.state in ("submitted", "approved")).user_id
        for user in users - submitted:
            plan = plans.filtered(lambda p, user=user: p.user_id == user)[:1] or self.create(
                {"user_id": user.id, "date_start": monday}
            )
            plan.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(self),
                user_id=user.id,
                summary=self.env._("Submit your visit plan for next week"),
            )
