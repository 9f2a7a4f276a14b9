from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

QUALITY = "customer_service_control.group_csc_quality"
MANAGER = "customer_service_control.group_csc_manager"
CB_ACTIVITY = "customer_service_control.mail_activity_type_csc_certification_body"
ENTERED_TEMPLATE = "customer_service_control.mail_template_csc_escalation_entered"
# IATF Rules 5th ed., 8.1 b: the certification body is told within 10 calendar days.
CB_NOTICE_DAYS = 10
# What the customer placed the company in, and since when: fixed once the status is entered.
ENTRY_FIELDS = frozenset({"partner_id", "level_id", "date_entry", "company_id"})
# States in which the certification body still has to be told (the obligation outlives the exit).
CB_STATES = ("active", "exited")


class CscEscalation(models.Model):
    """A customer escalation status (controlled shipping, new business hold): the register of
    when the customer placed the company in it and why, the daily firewall inspections, the exit
    criteria and the notice to the certification body (IATF Rules 5th ed., 8.1 b)."""

    _name = "csc.escalation"
    _description = "Customer Escalation Status"
    _inherit = ["csc.sequence.mixin", "csc.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_entry desc, id desc"
    _check_company_auto = True
    _csc_guarded_fields = frozenset(
        {
            "state",
            "entry_user_id",
            "date_exit",
            "exit_user_id",
            "cb_required",
            "cb_deadline",
            "cb_date_informed",
            "cb_informed_by_id",
            "cancel_reason",
        }
    )
    _csc_locked_states = ("exited", "cancelled")
    _csc_reason_methods = frozenset({"_csc_reopen", "_csc_cancel"})
    # The certification body may still be told after the exit.
    _csc_unlocked_fields = frozenset({"cb_note"})

    # -- fields --------------------------------------------------------------------------------

    name = fields.Char("Number", readonly=True, copy=False, default="/")
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain=[("is_company", "=", True)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    level_id = fields.Many2one(
        "csc.escalation.level",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        check_company=True,
        domain="[('partner_id', 'in', (False, partner_id))]",
    )
    level_kind = fields.Selection(related="level_id.kind", string="Kind")
    level_color = fields.Integer(related="level_id.color")
    user_id = fields.Many2one(
        "res.users",
        "Quality Manager",
        tracking=True,
        domain=[("share", "=", False)],
        default=lambda self: self.env.company._csc_service_managers()[:1],
        help="Told when the status is entered; informs the certification body.",
    )
    date_entry = fields.Date(
        "Entry Date",
        required=True,
        tracking=True,
        default=fields.Date.context_today,
        help="The day the customer placed the company in this status.",
    )
    date_exit = fields.Date("Exit Date", readonly=True, copy=False, tracking=True)
    entry_user_id = fields.Many2one("res.users", "Entered By", readonly=True, copy=False)
    exit_user_id = fields.Many2one(
        "res.users", "Exit Recorded By", readonly=True, copy=False, tracking=True
    )
    reason = fields.Text(tracking=True, help="Why the customer placed the company in it.")
    customer_reference = fields.Char(
        tracking=True, help="The customer's letter or case number of the status."
    )
    complaint_ids = fields.Many2many(
        "csc.complaint",
        "csc_escalation_complaint_rel",
        "escalation_id",
        "complaint_id",
        "Complaints",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    eightd_ids = fields.Many2many(
        "csc.eightd",
        "csc_escalation_eightd_rel",
        "escalation_id",
        "eightd_id",
        "8D Reports",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    criterion_ids = fields.One2many("csc.escalation.criterion", "escalation_id", "Exit Criteria")
    inspection_ids = fields.One2many(
        "csc.escalation.inspection", "escalation_id", "Firewall Inspections"
    )
    criteria_open = fields.Integer("Open Criteria", compute="_compute_criteria_open")
    inspection_days = fields.Integer(compute="_compute_inspection_totals")
    qty_checked = fields.Float(
        "Checked", compute="_compute_inspection_totals", digits="Product Unit of Measure"
    )
    qty_rejected = fields.Float(
        "Rejected", compute="_compute_inspection_totals", digits="Product Unit of Measure"
    )
    reject_rate = fields.Float(
        "Reject Rate (%)",
        compute="_compute_inspection_totals",
        digits=(16, 2),
        help="Rejected ÷ checked over every firewall inspection day.",
    )
    exit_note = fields.Text(tracking=True, help="How the customer confirmed the exit.")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("exited", "Exited"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    cancel_reason = fields.Text(readonly=True, copy=False)
    # The notice to the certification body (IATF Rules 5th ed., 8.1 b).
    cb_required = fields.Boolean(
        "Certification Body to Be Informed",
        readonly=True,
        copy=False,
        help="Fixed when the status is entered, from its level.",
    )
    cb_deadline = fields.Date(
        "Inform Certification Body By",
        readonly=True,
        copy=False,
        tracking=True,
        help="Entry date + 10 calendar days (IATF Rules 5th ed., 8.1 b).",
    )
    cb_date_informed = fields.Date(
        "Certification Body Informed On", readonly=True, copy=False, tracking=True
    )
    cb_informed_by_id = fields.Many2one(
        "res.users", "Certification Body Informed By", readonly=True, copy=False, tracking=True
    )
    cb_note = fields.Text(
        "Notice to the Certification Body",
        tracking=True,
        help="Which body, how and with what reference it was told.",
    )
    cb_overdue = fields.Boolean(
        "Certification Body Notice Overdue",
        compute="_compute_cb_overdue",
        search="_search_cb_overdue",
    )

    # -- computes and inverses -----------------------------------------------------------------

    @api.depends("name", "level_id")
    def _compute_display_name(self):
        for escalation in self:
            level = escalation.level_id.display_name
            escalation.display_name = f"{escalation.name} – {level}" if level else escalation.name

    @api.depends("criterion_ids.is_met")
    def _compute_criteria_open(self):
        for escalation in self:
            escalation.criteria_open = len(
                escalation.criterion_ids.filtered(lambda c: not c.is_met)
            )

    @api.depends("inspection_ids.qty_checked", "inspection_ids.qty_rejected")
    def _compute_inspection_totals(self):
        for escalation in self:
            lines = escalation.inspection_ids
            checked = sum(lines.mapped("qty_checked"))
            rejected = sum(lines.mapped("qty_rejected"))
            escalation.inspection_days = len(lines)
            escalation.qty_checked = checked
            escalation.qty_rejected = rejected
            escalation.reject_rate = 100.0 * rejected / checked if checked else 0.0

    @api.depends("state", "cb_required", "cb_deadline", "cb_date_informed")
    def _compute_cb_overdue(self):
        today = fields.Date.context_today(self)
        for escalation in self:
            escalation.cb_overdue = bool(
                escalation.state in CB_STATES
                and escalation.cb_required
                and not escalation.cb_date_informed
                and escalation.cb_deadline
                and escalation.cb_deadline < today
            )

    def _search_cb_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the certification body notice."))
        overdue = [
            ("state", "in", CB_STATES),
            ("cb_required", "=", True),
            ("cb_date_informed", "=", False),
            ("cb_deadline", "<", fields.Date.context_today(self)),
        ]
        if (operator == "=") == value:
            return overdue
        return [("id", "not in", self._search(overdue))]

    # -- constraints ---------------------------------------------------------------------------

    @api.constrains("partner_id", "level_id")
    def _check_customer(self):
        for escalation in self:
            customer = escalation.partner_id
            if customer != customer.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is a contact: the escalation status is the customer's "
                        "(%(customer)s).",
                        contact=customer.display_name,
                        customer=customer.commercial_partner_id.display_name,
                    )
                )
            owner = escalation.level_id.partner_id
            if owner and owner != customer:
                raise ValidationError(
                    self.env._(
                        "%(level)s is the level name of %(owner)s, not of %(customer)s.",
                        level=escalation.level_id.display_name,
                        owner=owner.display_name,
                        customer=customer.display_name,
                    )
                )

    @api.constrains("partner_id", "complaint_ids", "eightd_ids")
    def _check_links(self):
        for escalation in self:
            customer = escalation.partner_id
            others = escalation.complaint_ids.filtered(
                lambda c, customer=customer: c.partner_id.commercial_partner_id != customer
            ) | escalation.eightd_ids.complaint_id.filtered(
                lambda c, customer=customer: c.partner_id.commercial_partner_id != customer
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "%(escalation)s: %(complaints)s are complaints of another customer, "
                        "not of %(customer)s.",
                        escalation=escalation.display_name,
                        complaints=", ".join(others.mapped("name")),
                        customer=customer.display_name,
                    )
                )

    @api.constrains("state", "partner_id", "level_id", "company_id")
    def _check_one_active_per_level(self):
        active = self.filtered(lambda e: e.state == "active")
        if not active:
            return
        groups = self._read_group(
            [
                ("state", "=", "active"),
                ("partner_id", "in", active.partner_id.ids),
                ("level_id", "in", active.level_id.ids),
            ],
            ["partner_id", "level_id", "company_id"],
            ["__count"],
        )
        for partner, level, _company, count in groups:
            if count > 1:
                raise ValidationError(
                    self.env._(
                        "%(customer)s is already in %(level)s: one active status per level.",
                        customer=partner.display_name,
                        level=level.display_name,
                    )
                )

    # -- CRUD ----------------------------------------------------------------------------------

    def write(self, vals):
        if ENTRY_FIELDS.intersection(vals) and not self._csc_unguarded():
            entered = self.filtered(lambda e: e.state != "draft")
            if entered:
                raise UserError(
                    self.env._(
                        "%(records)s is entered: %(fields)s stay as the customer decided. "
                        "Cancel it with a reason and register the right status.",
                        records=", ".join(entered.mapped("display_name")),
                        fields=self._csc_field_labels(ENTRY_FIELDS.intersection(vals)),
                    )
                )
        return super().write(vals)

    # -- actions -------------------------------------------------------------------------------

    def action_enter(self):
        """The customer placed the company in the status: the quality manager is told (mail
        and activity) and, where the level asks it, the certification body is to be informed
        within 10 calendar days of the entry date."""
        self._check_quality_rights()
        self._csc_check_state(("draft",), self.env._("be entered"))
        today = fields.Date.context_today(self)
        for escalation in self:
            escalation._csc_require(
                [
                    (escalation.reason, self.env._("the reason")),
                    (escalation.user_id, self.env._("the quality manager")),
                ],
                self.env._("%(escalation)s cannot be entered yet: record %(missing)s."),
                escalation=escalation.display_name,
            )
            if escalation.date_entry > today:
                raise UserError(
                    self.env._(
                        "%(escalation)s: the entry date %(date)s is in the future.",
                        escalation=escalation.display_name,
                        date=escalation.date_entry,
                    )
                )
        for escalation in self:
            required = escalation.level_id.notify_certification_body
            escalation._csc_write(
                {
                    "state": "active",
                    "entry_user_id": self.env.user.id,
                    "cb_required": required,
                    "cb_deadline": required
                    and escalation.date_entry + timedelta(days=CB_NOTICE_DAYS),
                }
            )
        self._notify_entry()
        self._schedule_cb_notice()
        return True

    def action_certification_body_informed(self):
        """The certification body was told today: the notice is done."""
        self._check_quality_rights()
        self._csc_check_state(CB_STATES, self.env._("record the certification body's notice"))
        for escalation in self:
            if not escalation.cb_required:
                raise UserError(
                    self.env._(
                        "%s: this level is not reported to the certification body.",
                        escalation.display_name,
                    )
                )
            if escalation.cb_date_informed:
                raise UserError(
                    self.env._(
                        "%(escalation)s: the certification body was informed on %(date)s.",
                        escalation=escalation.display_name,
                        date=escalation.cb_date_informed,
                    )
                )
            escalation._csc_require(
                [(escalation.cb_note, self.env._("which body was told, how and its reference"))],
                self.env._("%(escalation)s: record %(missing)s first."),
                escalation=escalation.display_name,
            )
        self._csc_write(
            {
                "cb_date_informed": fields.Date.context_today(self),
                "cb_informed_by_id": self.env.user.id,
            }
        )
        self.activity_feedback([CB_ACTIVITY])
        return True

    def action_exit(self):
        """The customer lifted the status: every exit criterion is met."""
        self._check_quality_rights()
        self._csc_check_state(("active",), self.env._("be exited"))
        for escalation in self:
            escalation._csc_require(
                [(escalation.criterion_ids, self.env._("the customer's exit criteria"))],
                self.env._("%(escalation)s cannot be exited: record %(missing)s first."),
                escalation=escalation.display_name,
            )
            open_criteria = escalation.criterion_ids.filtered(lambda c: not c.is_met)
            if open_criteria:
                raise UserError(
                    self.env._(
                        "%(escalation)s cannot be exited: the exit criteria %(criteria)s are "
                        "not met.",
                        escalation=escalation.display_name,
                        criteria=", ".join(open_criteria.mapped("name")),
                    )
                )
        self._csc_write(
            {
                "state": "exited",
                "date_exit": fields.Date.context_today(self),
                "exit_user_id": self.env.user.id,
            }
        )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_cancel(self):
        """A status registered by mistake is cancelled with a reason."""
        self._check_quality_rights()
        self._csc_check_state(("draft", "active"), self.env._("be cancelled"))
        return self._csc_reason_action("_csc_cancel", self.env._("Reason for Cancelling"))

    def action_open_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_service_control.csc_complaint_action"
        )
        action["domain"] = [("id", "in", self.complaint_ids.ids)]
        action["context"] = {}
        return action

    # -- business helpers ----------------------------------------------------------------------

    def _check_quality_rights(self):
        if not self.env.user.has_group(QUALITY):
            raise AccessError(
                self.env._(
                    "Only quality (Quality Engineers and Service Managers) enters, exits and "
                    "cancels a customer escalation status."
                )
            )

    def _csc_cancel(self, reason):
        self._check_quality_rights()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for cancelling."))
        self._csc_check_state(("draft", "active"), self.env._("be cancelled"))
        self._csc_write({"state": "cancelled", "cancel_reason": reason})
        self.activity_unlink([CB_ACTIVITY, "mail.mail_activity_data_todo"])
        for escalation in self:
            escalation.message_post(
                body=self.env._(
                    "Cancelled by %(user)s: %(reason)s", user=self.env.user.name, reason=reason
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _csc_reopen_states(self):
        return ("exited",)

    def _csc_reopen_values(self):
        """A status exited by mistake is active again."""
        return {"state": "active", "date_exit": False, "exit_user_id": False}

    def _csc_check_child_change(self, children, operation, names):
        """Firewall inspections are recorded while the status is active."""
        super()._csc_check_child_change(children, operation, names)
        if children._name == "csc.escalation.inspection":
            waiting = self.filtered(lambda e: e.state != "active")
            if waiting:
                raise UserError(
                    self.env._(
                        "%s is not active: firewall inspections are recorded while the status "
                        "lasts.",
                        ", ".join(waiting.mapped("display_name")),
                    )
                )
        return True

    def _notify_entry(self):
        """The quality manager gets the mail (queued) and follows the status."""
        for escalation in self:
            partner = escalation.user_id.partner_id
            escalation.message_subscribe(partner_ids=partner.ids)
            escalation._csc_notify_batch(
                partner,
                ENTERED_TEMPLATE,
                self.env._("Customer escalation status entered"),
                self.env._("Quality manager informed."),
            )
            if not escalation.cb_required:
                escalation._csc_activity_once(
                    "mail.mail_activity_data_todo",
                    self.env._("Plan the exit of %s", escalation.display_name),
                    user_id=escalation.user_id.id,
                )

    def _schedule_cb_notice(self):
        """An activity of the quality manager due on the deadline, for each status whose
        certification body is still to be told and that has none open."""
        activity_type = self.env.ref(CB_ACTIVITY)
        todo = self.filtered(
            lambda e: e.cb_required
            and not e.cb_date_informed
            and e.user_id
            and not e.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        )
        for escalation in todo:
            escalation._csc_activity_once(
                CB_ACTIVITY,
                self.env._("Inform the certification body of %s", escalation.display_name),
                user_id=escalation.user_id.id,
                date_deadline=escalation.cb_deadline,
            )
        return todo

    @api.model
    def _csc_active_for(self, customers):
        """{(customer, company): the customer's most severe active status in that company}
        for these customers (commercial partners), in the companies the user works in."""
        escalations = self.search([("state", "=", "active"), ("partner_id", "in", customers.ids)])
        result = {}
        for escalation in escalations.sorted(lambda e: (e.level_id.sequence, e.id)):
            result[escalation.partner_id, escalation.company_id] = escalation
        return result

    # -- crons ---------------------------------------------------------------------------------

    @api.model
    def _cron_certification_body_notice(self):
        """Every day: each notice to the certification body still to be given has its activity
        (re-created if someone removed it), and each one overdue asks the quality manager once
        more, as overdue."""
        pending = self.search(
            [
                ("state", "in", CB_STATES),
                ("cb_required", "=", True),
                ("cb_date_informed", "=", False),
            ]
        )
        pending._schedule_cb_notice()
        for escalation in pending.filtered("cb_overdue"):
            escalation._csc_activity_once(
                CB_ACTIVITY,
                self.env._(
                    "Overdue: the certification body was to be told of %s",
                    escalation.display_name,
                ),
                user_id=escalation.user_id.id,
                date_deadline=escalation.cb_deadline,
            )
