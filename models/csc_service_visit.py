import base64
from collections import defaultdict
from datetime import timedelta

from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from .csc_complaint import CAUSE_CATEGORIES
from .csc_complaint import MIN_DATE

MANAGER = "customer_service_control.group_csc_manager"
GENERAL_MANAGER = "customer_service_control.group_csc_general_manager"
FINANCE = "account.group_account_invoice"
SALES_OR_FINANCE = "sales_team.group_sale_salesman,account.group_account_invoice"
# The cost items of a paid service on a competitor's product (seed 002 5.2.3.2: surveying,
# design, travel, material, machining, tooling, management; the taxes are the quotation's).
COMPETITOR_COST_ITEMS = ("survey", "design", "travel", "part", "labour", "tooling", "overhead")
# The open steps of a field service whose deadlines a service manager may re-plan.
REPLAN_STATES = ("draft", "triaged", "dispatched", "on_site", "done")
# Each deadline and what meets it: a deadline already met is never fixed again.
DEADLINE_DONE = {
    "date_triage_deadline": "date_triaged",
    "date_dispatch_deadline": "date_arrival",
    "date_departure_deadline": "date_departure",
    "date_report_due": "date_report",
}
DESK = "customer_service_control.group_csc_user"
# Who serves a visit, for whom and what for: set by the desk, not by the technicians.
DISPATCH_FIELDS = {"technician_ids", "user_id", "partner_id", "visit_type", "company_id"}
# What the visit's promised deadlines are fixed from at its registration (R-E1, R-E2): corrected
# before the dispatch, they fix the deadlines again; afterwards only a re-planning moves them.
REGISTRATION_FIELDS = {
    "date_request",
    "distance",
    "partner_id",
    "visit_type",
    "company_id",
    "lot_id",
    "misuse",
    "complaint_id",
}
# The kinds of visit, shared by the visits and the lines of the visit plans.
VISIT_TYPES = [
    ("repair", "Field Repair"),
    ("installation", "Installation and Commissioning"),
    ("maintenance", "Maintenance"),
    ("line_side", "Line-Side Service"),
    ("customer_visit", "Sales Visit"),
    ("key_account", "Key-Account Visit"),
    ("tour", "Customer Tour"),
    ("plant_visit", "Customer Visit at Our Plant"),
]
# Visits done by technicians at the customer's: triage, warranty, quote, dispatch, sign-off and
# verification; surveyed afterwards and measured (R-E, R-H1, R-I4). Other modules ask the model
# (`_csc_field_service_types()`, the stored `is_field_service`).
_FIELD_SERVICE_TYPES = ("repair", "installation", "maintenance", "line_side")
# Visits of the sales side (R-G1, R-E8) and customers' visits to our plant (R-G3): planned, done,
# reported with the customer's requests routed to the departments; no quote, no dispatch clock.
SALES_TYPES = ("customer_visit", "key_account", "tour")
# The visits a visit plan schedules.
PLAN_VISIT_TYPES = [item for item in VISIT_TYPES if item[0] in SALES_TYPES]


class CscServiceVisit(models.Model):
    """A field service or customer visit (R-E1..E7, R-G1, R-G3): triage, warranty decision,
    dispatch within the promised hours, on-site work signed off by the customer, trip report
    and the service manager's verification."""

    _name = "csc.service.visit"
    _description = "Service Visit"
    _check_company_auto = True
    _inherit = [
        "csc.sequence.mixin",
        "csc.workflow.mixin",
        "csc.portal.mixin",
        "csc.replan.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_request desc, id desc"
    _csc_guarded_fields = frozenset(
        {
            "state",
            "date_triaged",
            "date_triage_deadline",
            "date_dispatch_deadline",
            "date_departure_deadline",
            "arrival_hours",
            "arrival_rule",
            "departure_hours",
            "date_departure",
            "date_return",
            "date_scheduled",
            "quote_state",
            "date_cost_confirmed",
            "gm_approver_id",
            "date_gm_approved",
            "sale_order_id",
            "date_brand_notified",
            "competitor_approver_id",
            "date_competitor_approved",
            "date_arrival",
            "date_end",
            "leave_approved_by",
            "date_report_due",
            "date_report",
            "date_verification_due",
            "verifier_id",
            "date_verified",
        }
    )
    _csc_locked_states = ("verified", "cancelled", "phone")
    _csc_reason_methods = frozenset({"_csc_reopen", "_csc_replan"})
    # What the customer signs on site or on the portal (R-E4; the installation acceptance for an
    # installation): frozen once signed, until a service manager reopens the visit with a reason.
    _csc_signed_fields = frozenset(
        {
            "findings",
            "work_done",
            "customer_opinion",
            "line_ids",
            "customer_signature",
            "customer_signed_by",
        }
    )
    _csc_signature_fields = frozenset({"customer_signature", "customer_signed_by"})
    # What the customer's contacts read on the portal: the request, the quote's total, the
    # service report they sign; never the technicians' expenses, the cause or the desk's notes.
    _csc_portal_fields = frozenset(
        {
            "visit_type",
            "contact_id",
            "complaint_id",
            "lot_id",
            "product_id",
            "date_request",
            "date_planned",
            "date_arrival",
            "date_end",
            "diagnosis",
            "solution",
            "warranty_status",
            "currency_id",
            "amount_total",
            "quote_state",
            "date_cost_confirmed",
            "findings",
            "work_done",
            "customer_opinion",
            "customer_signed_by",
        }
    )

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    name = fields.Char("Number", readonly=True, copy=False, default="/", index="trigram")
    visit_type = fields.Selection(
        VISIT_TYPES,
        "Type",
        required=True,
        default="repair",
        tracking=True,
    )
    is_field_service = fields.Boolean(
        compute="_compute_is_field_service",
        store=True,
        index=True,
        help="A field service (triage, quote, dispatch, verification); otherwise a visit with "
        "the light flow: done, then reported.",
    )
    state = fields.Selection(
        [
            ("draft", "Requested"),
            ("triaged", "Triaged"),
            ("dispatched", "Dispatched"),
            ("on_site", "On Site"),
            ("done", "Signed Off"),
            ("reported", "Trip Report Submitted"),
            ("verified", "Verified"),
            ("phone", "Solved by Phone"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    contact_id = fields.Many2one(
        "res.partner", "Customer Contact", tracking=True, check_company=True
    )
    ticket_id = fields.Many2one("helpdesk.ticket", index=True, check_company=True)
    complaint_id = fields.Many2one("csc.complaint", index=True, tracking=True, check_company=True)
    lot_id = fields.Many2one(
        "stock.lot", "Lot/Serial", index=True, tracking=True, check_company=True
    )
    product_id = fields.Many2one("product.product", related="lot_id.product_id", store=True)
    user_id = fields.Many2one(
        "res.users", "Desk Owner", default=lambda self: self.env.user, tracking=True
    )
    technician_ids = fields.Many2many(
        "res.users", string="Technicians", domain=[("share", "=", False)], tracking=True
    )
    date_request = fields.Datetime(
        "Requested",
        required=True,
        default=fields.Datetime.now,
        index=True,
        tracking=True,
    )
    # Triage (R-E1)
    date_triage_deadline = fields.Datetime(
        "Triage Due",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
        help="Fixed when the visit is registered, on the company's working calendar.",
    )
    diagnosis = fields.Text(tracking=True)
    solution = fields.Text(tracking=True)
    phone_guidance = fields.Boolean(
        help="Solved by telephone guidance: free, no trip.", tracking=True
    )
    date_triaged = fields.Datetime("Triaged On", readonly=True, copy=False, tracking=True)
    # What caused the work (R-I2): from the complaint when there is one.
    cause_category = fields.Selection(
        CAUSE_CATEGORIES,
        compute="_compute_cause",
        store=True,
        readonly=False,
        tracking=True,
        groups=DESK,  # the complaint's cause stays with the desk and quality
    )
    department_id = fields.Many2one(
        "csc.department",
        "Responsible Department",
        compute="_compute_cause",
        store=True,
        readonly=False,
        tracking=True,
        check_company=True,
        groups=DESK,  # the complaint's cause stays with the desk and quality
    )
    # Warranty and cost (R-D3, R-D4)
    misuse = fields.Boolean(tracking=True)
    warranty_status = fields.Selection(
        [
            ("free", "Free (in warranty)"),
            ("discounted", "Paid, Discounted Parts (misuse in warranty)"),
            ("paid", "Paid (out of warranty)"),
        ],
        compute="_compute_warranty_status",
        store=True,
        tracking=True,
    )
    priority = fields.Selection(
        [("0", "Competitor Product"), ("1", "Partner Brand"), ("2", "Own Product")],
        compute="_compute_priority",
        store=True,
        help="Own products are served first, then partner brands, then competitors.",
    )
    line_ids = fields.One2many("csc.service.visit.line", "visit_id", "Quote and Costs")
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_total = fields.Monetary("Charged to Customer", compute="_compute_amount_total")
    quote_state = fields.Selection(
        [
            ("none", "Not Needed"),
            ("draft", "To Send"),
            ("sent", "Sent"),
            ("confirmed", "Confirmed"),
            ("refused", "Refused"),
        ],
        "Quote",
        default="none",
        readonly=True,
        copy=False,
        tracking=True,
    )
    date_cost_confirmed = fields.Datetime(
        "Cost Confirmed On", readonly=True, copy=False, tracking=True
    )
    gm_approver_id = fields.Many2one(
        "res.users", "Approved by General Manager", readonly=True, copy=False, tracking=True
    )
    date_gm_approved = fields.Datetime(
        "Approved by General Manager On", readonly=True, copy=False, tracking=True
    )
    hours_waiting_customer = fields.Float(
        "Hours Waiting for the Customer",
        compute="_compute_hours_waiting_customer",
        help="A paid service's dispatch clock starts when the customer confirms the cost (or the "
        "general manager approves it): the time blocked before that.",
    )
    # The money side (seed 002): the quotation the customer signs, the invoices of what was
    # done, the partner brand told and invoiced, the general manager's approval of a service on
    # a competitor's product.
    sale_order_id = fields.Many2one(
        "sale.order",
        "Quotation",
        readonly=True,
        copy=False,
        tracking=True,
        check_company=True,
        groups=SALES_OR_FINANCE,
        help="The quotation in force: its confirmation is the customer's confirmation of the "
        "cost, its cancellation the refusal. A revision cancels it and sends a new one.",
    )
    quotation_name = fields.Char(
        "Quotation Number",
        related="sale_order_id.name",
        groups="base.group_user",
        help="The number of the quotation in force, as the customer received it.",
    )
    sale_order_ids = fields.One2many(
        "sale.order", "csc_service_visit_id", "Quotations", groups=SALES_OR_FINANCE
    )
    quotation_count = fields.Integer(compute="_compute_money_counts", compute_sudo=True)
    invoice_ids = fields.One2many(
        "account.move", "csc_service_visit_id", "Invoices", groups=SALES_OR_FINANCE
    )
    invoice_count = fields.Integer(compute="_compute_money_counts", compute_sudo=True)
    brand_partner_id = fields.Many2one(
        "res.partner", "Partner Brand", related="product_id.csc_brand_partner_id"
    )
    date_brand_notified = fields.Datetime(
        "Brand Told On",
        readonly=True,
        copy=False,
        tracking=True,
        help="A warranty service on a partner-brand product: the brand is told before the "
        "service (seed 002 5.1.2), when the visit is dispatched.",
    )
    competitor_approver_id = fields.Many2one(
        "res.users",
        "Competitor Service Approved By",
        readonly=True,
        copy=False,
        tracking=True,
        help="A paid service on a competitor's product needs the general manager's approval "
        "(seed 002 5.2.3.1).",
    )
    date_competitor_approved = fields.Datetime(
        "Competitor Service Approved On", readonly=True, copy=False, tracking=True
    )
    # Dispatch (R-E2)
    distance = fields.Float("Distance (km)", tracking=True)
    arrival_rule = fields.Selection(
        [
            ("distance", "Distance Table"),
            ("customer", "Customer-Specific Requirement"),
            ("quality", "Flat Time for Quality Problems"),
        ],
        "On-Site Time From",
        readonly=True,
        copy=False,
        help="Where the promised on-site time came from when the visit was registered.",
    )
    arrival_hours = fields.Float(
        "Promised On-Site Time (hours)",
        readonly=True,
        copy=False,
        tracking=True,
        help="Fixed when the visit is registered: a later change of the distance table, of the "
        "company settings or of the customer's requirements does not move it.",
    )
    departure_hours = fields.Float(
        "Promised Departure Time (hours)",
        readonly=True,
        copy=False,
        help="Out of warranty, the technician sets off within this time of the customer's "
        "confirmation of the cost (fixed when the visit is registered).",
    )
    date_dispatch_deadline = fields.Datetime(
        "On Site By",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
        help="In warranty: the promised on-site time from the request (from the confirmation "
        "of the cost for a misuse). Out of warranty the promise is on the departure.",
    )
    date_departure_deadline = fields.Datetime(
        "Departure Due",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
        help="Out of warranty: the promised departure time after the customer confirmed the "
        "cost (or the general manager approved the service).",
    )
    date_departure = fields.Datetime(
        "Departed On", readonly=True, copy=False, index="btree_not_null", tracking=True
    )
    date_planned = fields.Datetime("Planned Start", tracking=True)
    date_scheduled = fields.Datetime(
        "Planned On", readonly=True, copy=False, help="When the planned start was last set."
    )
    short_notice = fields.Boolean(
        "Planned at Short Notice",
        compute="_compute_short_notice",
        store=True,
        help="An installation planned fewer days ahead than the company's notice (R-E7).",
    )
    date_arrival = fields.Datetime(
        "Arrived On", readonly=True, copy=False, index="btree_not_null", tracking=True
    )
    date_end = fields.Datetime(
        "Finished On", readonly=True, copy=False, index="btree_not_null", tracking=True
    )
    on_time = fields.Boolean(
        compute="_compute_on_time",
        store=True,
        help="The promise kept: departed by the departure deadline out of warranty, on site by "
        "the on-site deadline otherwise.",
    )
    # Before departure and on site (R-E3, R-E4, R-E7)
    plan_confirmed = fields.Boolean("Plan Confirmed to Customer")
    tools_ready = fields.Boolean("Parts and Tools Checked")
    running_hours = fields.Float(tracking=True)
    mileage = fields.Float(tracking=True)
    disassembled = fields.Boolean("Disassembled Before Our Visit")
    findings = fields.Text(tracking=True)
    work_done = fields.Text(tracking=True)
    full_check = fields.Boolean("Full Check of the Unit Done", tracking=True)
    operators_trained = fields.Boolean()
    customer_opinion = fields.Text("Customer's Opinion", tracking=True)
    customer_signature = fields.Binary(copy=False, attachment=True)
    customer_signed_by = fields.Char("Signed By", copy=False, tracking=True)
    is_signed = fields.Boolean(
        "Signed by the Customer",
        compute="_compute_is_signed",
        help="What the customer signed (findings, work done, costs, opinion, signature) stays as "
        "signed; a service manager reopens the visit with a reason to correct it.",
    )
    leave_approved_by = fields.Many2one(
        "res.users", "Approval to Leave", readonly=True, copy=False, tracking=True
    )
    day_ids = fields.One2many("csc.service.visit.day", "visit_id", "Daily Records")
    # Customer visits and audits at our plant (R-G3)
    points_of_interest = fields.Text("Customer's Points of Interest")
    department_ids = fields.Many2many("csc.department", string="Departments Concerned")
    attendee_ids = fields.Many2many(
        "res.users",
        "csc_service_visit_attendee_rel",
        "visit_id",
        "user_id",
        string="Must Attend",
        domain=[("share", "=", False)],
    )
    customer_remarks = fields.Text("Customer's Remarks")
    action_ids = fields.One2many("csc.action", "visit_id", "Improvement Actions")
    # After the trip (R-E5)
    date_return = fields.Datetime(
        "Back at Company On", readonly=True, copy=False, index="btree_not_null", tracking=True
    )
    date_report_due = fields.Datetime(
        "Trip Report Due",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
        help="A field service's trip report is due working days after the technician is back "
        "at the company.",
    )
    trip_report = fields.Text(tracking=True)
    expense_line_ids = fields.One2many("csc.service.expense", "visit_id", "Expenses")
    date_report = fields.Datetime(
        "Report Submitted On",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    date_verification_due = fields.Datetime(
        "Verification Due", readonly=True, copy=False, tracking=True, index="btree_not_null"
    )
    verifier_id = fields.Many2one(
        "res.users", "Verified By", readonly=True, copy=False, tracking=True
    )
    date_verified = fields.Datetime("Verified On", readonly=True, copy=False, tracking=True)
    verification_note = fields.Text("Satisfaction and Expense Check", tracking=True)
    # Satisfaction survey after the service (R-H1)
    survey_input_ids = fields.One2many("survey.user_input", "csc_visit_id", "Survey Answers")
    satisfaction_result_ids = fields.One2many(
        "csc.satisfaction.result", "visit_id", "Satisfaction Results"
    )

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "Visit numbers are unique."),
        (
            "figures_positive",
            "CHECK(distance >= 0 AND distance <= 40000 AND running_hours >= 0 AND mileage >= 0)",
            "Distance (at most 40,000 km), running hours and mileage cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    def _compute_access_url(self):
        for visit in self:
            visit.access_url = f"/my/service_visits/{visit.id}"

    @api.depends("customer_signature")
    def _compute_is_signed(self):
        """As saved: a signature drawn in the form is still saved with what it signs."""
        for visit in self:
            visit.is_signed = bool(visit._origin) and visit._origin._csc_is_signed()

    @api.model
    def _csc_field_service_types(self):
        """The visit types that are field services (triage, quote, dispatch, sign-off,
        verification); the others follow the light flow: done, then reported."""
        return _FIELD_SERVICE_TYPES

    @api.model
    def _csc_sales_visit_types(self):
        """The visit types of the sales side, scheduled by the visit plans (R-G1, R-E8)."""
        return SALES_TYPES

    @api.depends("visit_type")
    def _compute_is_field_service(self):
        types = self._csc_field_service_types()
        for visit in self:
            visit.is_field_service = visit.visit_type in types

    @api.depends("visit_type", "date_planned", "date_scheduled", "company_id")
    def _compute_short_notice(self):
        for visit in self:
            notice = timedelta(days=visit.company_id.csc_installation_notice_days)
            visit.short_notice = bool(
                visit.visit_type == "installation"
                and visit.date_planned
                and visit.date_scheduled
                and visit.date_planned - visit.date_scheduled < notice
            )

    @api.depends("complaint_id.cause_category", "complaint_id.department_id")
    def _compute_cause(self):
        for visit in self.filtered("complaint_id"):
            visit.cause_category = visit.complaint_id.cause_category
            visit.department_id = visit.complaint_id.department_id

    @api.depends(
        "lot_id.csc_warranty_end", "misuse", "date_request", "company_id", "product_id.csc_origin"
    )
    def _compute_warranty_status(self):
        """In warranty when the request's date, in the company's time zone, is not after the
        unit's warranty end. A competitor's product has no warranty of ours (seed 002 5.1)."""
        for visit in self:
            if visit.product_id.csc_origin == "competitor":
                visit.warranty_status = "paid"
                continue
            end = visit.lot_id.csc_warranty_end
            day = visit.date_request and visit._csc_local_date(visit.date_request)
            in_warranty = bool(end and day and day <= end)
            if in_warranty:
                visit.warranty_status = "discounted" if visit.misuse else "free"
            else:
                visit.warranty_status = "paid"

    @api.depends("product_id.csc_origin")
    def _compute_priority(self):
        ranks = {"own": "2", "partner": "1", "competitor": "0"}
        for visit in self:
            visit.priority = ranks.get(visit.product_id.csc_origin or "own")

    @api.depends("sale_order_ids", "invoice_ids")
    def _compute_money_counts(self):
        for visit in self:
            visit.quotation_count = len(visit.sale_order_ids)
            visit.invoice_count = len(visit.invoice_ids)

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for visit in self:
            visit.amount_total = sum(visit.line_ids.mapped("amount"))

    @api.depends("date_request", "warranty_status", "date_cost_confirmed", "date_gm_approved")
    def _compute_hours_waiting_customer(self):
        for visit in self:
            start = visit._csc_clock_start()
            visit.hours_waiting_customer = (
                (start - visit.date_request).total_seconds() / 3600
                if start and visit.date_request and visit.warranty_status != "free"
                else 0.0
            )

    def _csc_clock_start(self):
        """When the dispatch commitment starts to run (False while the customer decides)."""
        self.ensure_one()
        if self.warranty_status == "free":
            return self.date_request
        return self.date_cost_confirmed or self.date_gm_approved

    @api.depends(
        "date_arrival", "date_dispatch_deadline", "date_departure", "date_departure_deadline"
    )
    def _compute_on_time(self):
        """The promise kept: the departure out of warranty, the arrival otherwise."""
        for visit in self:
            if visit.date_departure_deadline:
                done, deadline = visit.date_departure, visit.date_departure_deadline
            else:
                done, deadline = visit.date_arrival, visit.date_dispatch_deadline
            visit.on_time = bool(done and deadline and done <= deadline)

    @api.depends("state", "visit_type", "customer_signature")
    def _compute_is_locked(self):  # a visit's finished state depends on its kind
        return super()._compute_is_locked()

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("date_request")
    def _check_dates(self):
        latest = fields.Datetime.now() + timedelta(days=1)
        for visit in self:
            if not MIN_DATE <= visit.date_request <= latest:
                raise ValidationError(
                    self.env._(
                        "%(visit)s: the request date (%(date)s) is out of range.",
                        visit=visit.name,
                        date=visit.date_request,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if DISPATCH_FIELDS.intersection(vals) and not self._csc_unguarded():
            self._check_desk(self.env._("change who serves a visit, for whom or what for"))
            if "visit_type" in vals:
                field_service = vals["visit_type"] in self._csc_field_service_types()
                for visit in self.filtered(lambda v: v.state != "draft"):
                    if visit.is_field_service != field_service:
                        raise UserError(
                            self.env._(
                                "%s is under way: a field service and a visit follow different "
                                "steps, its type can only change within its kind.",
                                visit.name,
                            )
                        )
        if not self._csc_unguarded() and any(vals.get(n) for n in self._csc_signature_fields):
            self._check_sign_moment()
        res = super().write(vals)
        if "date_planned" in vals:
            self._csc_planned()
        if {"date_cost_confirmed", "date_gm_approved"}.intersection(vals):
            # The clock started (or stopped): the promised hours fixed at the registration run.
            self._csc_fix_clock_deadlines()
        if REGISTRATION_FIELDS.intersection(vals):
            # The registration corrected before the dispatch: its deadlines are fixed again.
            self.filtered(lambda v: v.state in ("draft", "triaged"))._csc_fix_deadlines()
        return res

    @api.model_create_multi
    def create(self, vals_list):
        if not self._csc_unguarded():
            for vals in vals_list:
                if any(vals.get(name) for name in self._csc_signature_fields):
                    self.browse()._check_sign_moment()
        visits = super().create(vals_list)
        # Deadlines given by the module's own data (install mode) are kept as given.
        for visit, vals in zip(visits, vals_list, strict=True):
            visit._csc_fix_deadlines(keep=set(vals) if self._csc_unguarded() else ())
        visits.filtered("date_planned")._csc_planned()
        return visits

    def init(self):
        # The repeat-repair look-up (csc.technician.performance): later repairs of a unit.
        tools.create_index(
            self.env.cr,
            "csc_service_visit_lot_id_date_request_index",
            self._table,
            ["lot_id", "date_request"],
        )
        # The reports filter on the day (csc.cause.analysis, csc.technician.performance).
        tools.create_index(
            self.env.cr,
            "csc_service_visit_date_request_day_index",
            self._table,
            ["(date_request::date)"],
        )
        tools.create_index(
            self.env.cr,
            "csc_service_visit_date_end_day_index",
            self._table,
            ["(date_end::date)"],
            where="date_end IS NOT NULL",
        )

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_triage(self):
        self._check_field_service(self.env._("triage"))
        self._csc_check_state(("draft",), self.env._("be triaged"))
        for visit in self:
            if not (visit.diagnosis and visit.solution):
                raise UserError(
                    self.env._("Record the diagnosis and the solution of %s first.", visit.name)
                )
        for visit in self:
            visit._csc_write(
                {
                    "state": "triaged",
                    "date_triaged": fields.Datetime.now(),
                    "quote_state": "none" if visit.warranty_status == "free" else "draft",
                }
            )
        return True

    def action_send_quote(self):
        """The quote goes to the customer (R-D3, seed 002 5.2.1.5) as Odoo's quotation, built
        from the cost lines and sent with the quotation mail; the customer signs it on the
        portal. Sent, the quote and its lines are frozen."""
        self._check_field_service(self.env._("quote"))
        self._csc_lock_rows()
        for visit in self:
            if visit.quote_state != "draft" or not visit.line_ids:
                raise UserError(
                    self.env._("%s has no quote to send: add its cost lines.", visit.name)
                )
            visit._csc_check_quote_rules()
        for visit in self:
            order = visit._csc_create_quotation()
            visit.sudo()._csc_write({"sale_order_id": order.id})
            visit._csc_send_quotation(order)
            if visit.quote_state != "sent":  # the quotation mail marks the order sent
                raise UserError(self.env._("The quotation of %s was not sent.", visit.name))
        return True

    def action_customer_confirms(self):
        """The customer confirmed the cost (by phone or in writing): the quotation is confirmed,
        which confirms the visit's cost."""
        self._check_quote_sent()
        for visit in self:
            order = visit.sudo().sale_order_id
            if order:
                order.action_confirm()
            else:  # a quote sent before the quotations were sale orders
                visit._csc_write(
                    {"quote_state": "confirmed", "date_cost_confirmed": fields.Datetime.now()}
                )
        return True

    def action_customer_refuses(self):
        """The customer refused the cost: the quotation is cancelled."""
        self._check_quote_sent()
        for visit in self:
            order = visit.sudo().sale_order_id
            if order:
                order._action_cancel()
            else:
                visit._csc_write({"quote_state": "refused"})
        return True

    def action_revise_quote(self):
        """A sent, confirmed or refused quote goes back to draft (before dispatch): its
        quotation is cancelled, the cost lines may change, and the next sending makes a new
        quotation. Service managers only."""
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a service manager revises a quote."))
        self._csc_check_state(("triaged",), self.env._("get a revised quote"))
        for visit in self:
            if visit.quote_state not in ("sent", "confirmed", "refused"):
                raise UserError(self.env._("%s has no quote to revise.", visit.name))
        for visit in self:
            order = visit.sudo().sale_order_id
            visit.sudo()._csc_write(
                {
                    "quote_state": "draft",
                    "date_cost_confirmed": False,
                    "gm_approver_id": False,
                    "date_gm_approved": False,
                    "sale_order_id": False,
                }
            )
            if order and order.state != "cancel":
                with self._csc_transition():
                    order._action_cancel()
            body = self.env._("Quote revised by %s.", self.env.user.name)
            if order:
                body = self.env._(
                    "Quote revised by %(user)s: quotation %(order)s cancelled, a new one is sent "
                    "with the revised cost lines.",
                    user=self.env.user.name,
                    order=order.name,
                )
            visit.message_post(body=body)
        return True

    def action_gm_approve_competitor(self):
        """A service on a competitor's product goes ahead only with the general manager's
        approval (seed 002 5.2.3.1), before its quote is sent."""
        if not self.env.user.has_group(GENERAL_MANAGER):
            raise AccessError(
                self.env._("Only the general manager approves a service on a competitor's product.")
            )
        self._check_field_service(self.env._("competitor approval"))
        self._csc_check_state(("draft", "triaged"), self.env._("be approved"))
        for visit in self:
            if visit.product_id.csc_origin != "competitor":
                raise UserError(self.env._("%s does not serve a competitor's product.", visit.name))
            if visit.competitor_approver_id:
                raise UserError(self.env._("%s is approved already.", visit.name))
        self._csc_write(
            {
                "competitor_approver_id": self.env.user.id,
                "date_competitor_approved": fields.Datetime.now(),
            }
        )
        return True

    def action_create_invoice(self):
        """After the sign-off, the customer's invoice of a paid service from what was done: the
        parts installed (the loans' consumption moves), labour, travel and the other cost items
        the customer signed for, at the quoted prices. A draft: finance posts it."""
        self._check_invoicer()
        self._check_field_service(self.env._("invoice"))
        self._csc_check_state(("done", "reported", "verified"), self.env._("be invoiced yet"))
        for visit in self:
            visit._check_can_invoice()
            visit._csc_create_customer_invoice()
        return True

    def action_invoice_brand(self):
        """After a warranty service on a partner-brand product, the brand is invoiced for the
        service's costs (seed 002 5.1.2); the parts it supplied carry the handling fee
        (5.2.2.3). A draft: finance posts it."""
        self._check_invoicer()
        self._check_field_service(self.env._("brand invoice"))
        self._csc_check_state(("done", "reported", "verified"), self.env._("be invoiced yet"))
        for visit in self:
            visit._check_can_invoice_brand()
            visit._csc_create_brand_invoice()
        return True

    def action_register_collection(self):
        """The money the technician collected on site (cash or a transfer, seed 002): Odoo's
        payment registration on the posted invoice of the service, naming who collected it."""
        self.ensure_one()
        invoice = self._csc_collectable_invoice()
        action = invoice.action_register_payment()
        action["context"] = {
            **action.get("context", {}),
            "default_csc_collected_by_id": self.technician_ids[:1].id,
            "default_csc_collection_method": "cash",
        }
        return action

    def action_view_quotations(self):
        self.ensure_one()
        orders = self.sudo().sale_order_ids
        action = self.env["ir.actions.actions"]._for_xml_id(
            "sale.action_quotations_with_onboarding"
        )
        action.update({"domain": [("id", "in", orders.ids)], "context": {"create": False}})
        if len(orders) == 1:
            action.update({"view_mode": "form", "views": [(False, "form")], "res_id": orders.id})
        return action

    def action_view_invoices(self):
        self.ensure_one()
        invoices = self.sudo().invoice_ids
        action = self.env["ir.actions.actions"]._for_xml_id("account.action_move_out_invoice_type")
        action.update({"domain": [("id", "in", invoices.ids)], "context": {"create": False}})
        if len(invoices) == 1:
            action.update({"view_mode": "form", "views": [(False, "form")], "res_id": invoices.id})
        return action

    def action_gm_approve(self):
        """The customer refused the cost: only the general manager lets the service go ahead."""
        if not self.env.user.has_group("customer_service_control.group_csc_general_manager"):
            raise AccessError(
                self.env._(
                    "Only the general manager approves a service the customer refused to pay."
                )
            )
        self._csc_lock_rows()
        for visit in self:
            if visit.quote_state != "refused" or visit.gm_approver_id:
                raise UserError(
                    self.env._("The customer has not refused the cost of %s.", visit.name)
                )
        self._csc_write(
            {"gm_approver_id": self.env.user.id, "date_gm_approved": fields.Datetime.now()}
        )
        return True

    def action_dispatch(self):
        self._check_field_service(self.env._("dispatch"))
        self._csc_check_state(("triaged",), self.env._("be dispatched"))
        for visit in self:
            if not visit.technician_ids:
                raise UserError(self.env._("Assign the technicians of %s first.", visit.name))
            if visit.quote_state in ("draft", "sent"):
                raise UserError(
                    self.env._("The customer must confirm the cost of %s first.", visit.name)
                )
            if visit.quote_state == "refused" and not visit.gm_approver_id:
                raise UserError(
                    self.env._(
                        "The customer refused the cost of %s: the general manager's approval "
                        "is needed.",
                        visit.name,
                    )
                )
        self._csc_notify_brand()
        self._csc_write({"state": "dispatched"})
        return True

    def action_depart(self):
        """The technician sets off for the customer (R-E2, R-E3): out of warranty, the promise
        is on this moment (seed 002 5.2.1.5)."""
        self._check_field_service(self.env._("departure"))
        self._check_technician(self.env._("record the departure"))
        self._csc_check_state(("dispatched",), self.env._("record the departure"))
        for visit in self:
            if visit.date_departure:
                raise UserError(self.env._("The departure for %s is recorded already.", visit.name))
            if not (visit.plan_confirmed and visit.tools_ready):
                raise UserError(
                    self.env._(
                        "Before leaving for %s: confirm the plan to the customer and check the "
                        "parts and tools.",
                        visit.name,
                    )
                )
        self._csc_write({"date_departure": fields.Datetime.now()})
        self._csc_close_reminders(self.env._("Set off for the customer (out of warranty)"))
        return True

    def action_arrive(self):
        self._csc_check_state(("dispatched",), self.env._("record the arrival"))
        for visit in self:
            if not visit.date_departure:
                raise UserError(
                    self.env._("Record the departure for %s before the arrival.", visit.name)
                )
        self._csc_write({"state": "on_site", "date_arrival": fields.Datetime.now()})
        return True

    def action_approve_leave(self):
        """The technician phoned the desk: the desk approves leaving the site (R-E4)."""
        if not self.env.user.has_group("customer_service_control.group_csc_user"):
            raise AccessError(self.env._("The service desk approves leaving the site."))
        self._csc_check_state(("on_site",), self.env._("be approved to leave"))
        for visit in self:
            visit._csc_check_not_self(
                visit.technician_ids, self.env._("approve leaving the site of %s", visit.name)
            )
        self._csc_write({"leave_approved_by": self.env.user.id})
        return True

    def action_finish(self):
        self._check_field_service(self.env._("on-site sign-off"))
        self._csc_check_state(("on_site",), self.env._("be signed off"))
        for visit in self:
            visit._csc_require(
                [
                    (visit.work_done, self.env._("the work done")),
                    (visit.full_check, self.env._("the full check of the unit")),
                    (visit.customer_signature, self.env._("the customer's signature")),
                    (visit.leave_approved_by, self.env._("the desk's approval to leave")),
                ],
                self.env._("%(visit)s cannot be signed off yet: %(missing)s."),
                visit=visit.name,
            )
        self._csc_mark_done()
        self._send_satisfaction_survey()
        return True

    def action_back_at_company(self):
        """The technician is back at the company after the sign-off: the trip report falls due
        within the company's working days from now (R-E5)."""
        self._check_field_service(self.env._("return to the company"))
        self._check_technician(self.env._("record the return to the company"))
        self._csc_check_state(("done",), self.env._("record the return to the company"))
        for visit in self.filtered("date_return"):
            raise UserError(self.env._("The return from %s is recorded already.", visit.name))
        now = fields.Datetime.now()
        self._csc_write({"date_return": now})
        self._csc_fix_report_due()
        self._csc_close_reminders(self.env._("Record your return to the company"))
        return True

    def action_replan(self):
        """A service manager re-plans the open deadlines of a field service from the terms in
        force now (the wizard asks the reason, then calls `_csc_replan`)."""
        self._csc_check_replan()
        return self._csc_reason_action("_csc_replan", self.env._("Reason for Re-planning"))

    def action_visit_done(self):
        """A sales visit, key-account visit, customer tour or customer visit to our plant took
        place (R-G1, R-G3, R-E8): its report is due, the customer's visit cycle moves on."""
        self._csc_check_state(("draft",), self.env._("be recorded as done"))
        field_services = self.filtered("is_field_service")
        if field_services:
            raise UserError(
                self.env._(
                    "%s is a field service: it is triaged, dispatched and signed off on site.",
                    field_services[0].name,
                )
            )
        self._csc_mark_done()
        return True

    def action_submit_report(self):
        """The trip report of a field service goes to the service manager's verification; the
        report of another visit closes it, its customer's requests routed to the departments."""
        self._csc_check_state(("done",), self.env._("get its trip report"))
        for visit in self:
            if not visit.trip_report:
                raise UserError(self.env._("Write the trip report of %s first.", visit.name))
            # (a visit signed off before 18.0.1.3.0 has its due date from the sign-off)
            if visit.is_field_service and not (visit.date_return or visit.date_report_due):
                raise UserError(
                    self.env._(
                        "Record the return of %s to the company first: its trip report is due "
                        "from then.",
                        visit.name,
                    )
                )
        self._csc_close_reminders(self.env._("Submit the trip report"))
        visits = self.filtered(lambda v: not v.is_field_service)
        visits._csc_route_requests()
        now = fields.Datetime.now()
        visits._csc_write({"state": "reported", "date_report": now})
        for visit in self - visits:
            calendar = visit.company_id._csc_calendar()
            due = calendar._csc_plan_hours_batch(
                [(now, visit.company_id.csc_verification_days * calendar.hours_per_day)]
            )[0]
            visit._csc_write(
                {"state": "reported", "date_report": now, "date_verification_due": due}
            )
            manager = visit.company_id._csc_service_managers()[:1]
            if manager:
                visit.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=fields.Date.to_date(due),
                    user_id=manager.id,
                    summary=self.env._("Verify satisfaction and expenses of %s", visit.name),
                )
        return True

    def action_verify(self):
        if not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._("Only a service manager verifies the satisfaction and the expenses.")
            )
        self._check_field_service(self.env._("verification"))
        self._csc_check_state(("reported",), self.env._("be verified"))
        for visit in self:
            visit._csc_check_not_self(
                visit.technician_ids,
                self.env._("verify the service and expenses of %s", visit.name),
            )
            if not visit.verification_note:
                raise UserError(
                    self.env._("Record the satisfaction and expense check of %s.", visit.name)
                )
        self._csc_write(
            {
                "state": "verified",
                "verifier_id": self.env.user.id,
                "date_verified": fields.Datetime.now(),
            }
        )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_solved_by_phone(self):
        """Solved by telephone guidance (R-E1): closed as such, free, without dispatch or quote;
        counted with the month's services."""
        self._check_desk(self.env._("close a case solved by phone"))
        self._check_field_service(self.env._("telephone guidance"))
        self._csc_check_state(("draft", "triaged"), self.env._("be closed as solved by phone"))
        for visit in self:
            if not (visit.diagnosis and visit.solution):
                raise UserError(
                    self.env._(
                        "Record the diagnosis and the guidance given by phone for %s first.",
                        visit.name,
                    )
                )
        now = fields.Datetime.now()
        for visit in self:
            visit._csc_write(
                {
                    "state": "phone",
                    "quote_state": "none",
                    "date_triaged": visit.date_triaged or now,
                    "date_end": now,
                    "phone_guidance": True,
                }
            )
        return True

    def action_cancel(self):
        self._check_desk(self.env._("cancel a visit"))
        self._csc_check_state(("draft", "triaged", "dispatched"), self.env._("be cancelled"))
        self._csc_write({"state": "cancelled"})
        return True

    def action_notify_departments(self):
        """The notice of a customer visit to our plant (R-G3): who comes, what interests them,
        who must attend, and the customer's past suggestions and complaints."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        suggestions = self.env["helpdesk.ticket"].search(
            [("commercial_partner_id", "=", customer.id), ("csc_kind", "=", "suggestion")],
            order="create_date desc",
            limit=10,
        )
        complaints = self.env["csc.complaint"].search(
            [("partner_id", "=", customer.id)], order="date_received desc", limit=10
        )
        recipients = self.attendee_ids | self.department_ids.manager_id
        if not recipients:
            raise UserError(self.env._("Choose the departments or the people who must attend."))
        body = self.env["ir.qweb"]._render(
            "customer_service_control.csc_plant_visit_notice",
            {"visit": self, "suggestions": suggestions, "complaints": complaints},
        )
        self.message_subscribe(partner_ids=recipients.partner_id.ids)
        self.message_post(
            body=body,
            subject=self.env._("Customer visit: %s", customer.display_name),
            partner_ids=recipients.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )

    # ------------------------------------------------------------
    # Business
    # ------------------------------------------------------------

    def _check_technician(self, what):
        """The technician's own steps (departure, return): the assigned technicians record them,
        or a service manager on their behalf."""
        if self.env.su or self.env.user.has_group(MANAGER):
            return
        for visit in self:
            if self.env.user not in visit.technician_ids:
                raise AccessError(
                    self.env._(
                        "Only the technicians assigned to %(visit)s or a service manager may "
                        "%(what)s.",
                        visit=visit.name,
                        what=what,
                    )
                )

    # -- the money side (seed 002, R-D3) --------------------------------------------------------

    def _check_invoicer(self):
        """The desk makes the invoices of a service; finance (who posts them) may too."""
        if not (self.env.su or self.env.user.has_group(DESK) or self.env.user.has_group(FINANCE)):
            raise AccessError(
                self.env._("The service desk or finance makes the invoices of a service.")
            )

    def _csc_check_quote_rules(self):
        """A paid service on a competitor's product (seed 002 5.2.3): only with the general
        manager's approval; its quote carries every cost item of the procedure, taxes included,
        and at least the company's margin over its cost."""
        for visit in self.filtered(lambda v: v.product_id.csc_origin == "competitor"):
            if not visit.competitor_approver_id:
                raise UserError(
                    self.env._(
                        "%s serves a competitor's product: the general manager approves the "
                        "service before its quote goes to the customer.",
                        visit.name,
                    )
                )
            labels = dict(
                self.env["csc.service.visit.line"]
                ._fields["line_type"]
                ._description_selection(self.env)
            )
            quoted = set(visit.line_ids.filtered(lambda line: line.amount > 0).mapped("line_type"))
            missing = [labels[item] for item in COMPETITOR_COST_ITEMS if item not in quoted]
            if missing:
                raise UserError(
                    self.env._(
                        "The quote of %(visit)s for a competitor's product carries every cost "
                        "item of the procedure; missing: %(items)s.",
                        visit=visit.name,
                        items=", ".join(missing),
                    )
                )
            untaxed = visit.sudo().sale_order_id.order_line.filtered(
                lambda line: not line.display_type and not line.tax_id
            )
            if untaxed:
                raise UserError(
                    self.env._(
                        "The quote of %(visit)s for a competitor's product carries the taxes: "
                        "%(lines)s have none.",
                        visit=visit.name,
                        lines=", ".join(untaxed.mapped("name")),
                    )
                )
            visit._csc_check_competitor_margin()

    def _csc_check_competitor_margin(self):
        self.ensure_one()
        cost = sum(line.cost_unit * line.quantity for line in self.line_ids)
        margin = self.company_id.csc_competitor_margin
        if cost <= 0:
            raise UserError(
                self.env._(
                    "Enter the costs of the quote of %s: its margin over cost is checked.",
                    self.name,
                )
            )
        minimum = self.currency_id.round(cost * (1 + margin / 100))
        if self.currency_id.compare_amounts(self.amount_total, minimum) < 0:
            raise UserError(
                self.env._(
                    "The quote of %(visit)s is %(price)s for a cost of %(cost)s: a service on a "
                    "competitor's product is quoted at least %(margin)s %% over its cost, "
                    "%(minimum)s.",
                    visit=self.name,
                    price=self.amount_total,
                    cost=cost,
                    margin=margin,
                    minimum=minimum,
                )
            )

    def _csc_create_quotation(self):
        """The quotation of the visit's cost lines: the customer's pricelist, the quoted prices
        and the discount of the warranty class, signed on the portal."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id.sudo()
        return (
            self.env["sale.order"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "csc_service_visit_id": self.id,
                    "origin": self.name,
                    "pricelist_id": customer.property_product_pricelist.id,
                    "user_id": customer.user_id.id,
                    "require_signature": True,
                    "order_line": [
                        Command.create(line._csc_prepare_sale_line()) for line in self.line_ids
                    ],
                }
            )
        )

    def _csc_send_quotation(self, order):
        """Odoo's quotation mail (the template of Sales), which marks the quotation sent."""
        self.ensure_one()
        context = order.action_quotation_send()["context"]
        composer = self.env["mail.compose.message"].sudo().with_context(**context).create({})
        composer.action_send_mail()
        self.message_post(
            body=self.env._(
                "Quotation %s sent to the customer, who accepts and signs it on the portal.",
                order.name,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _csc_quotation_state_changed(self, order):
        """The quotation in force moved: sent, the quote is frozen; confirmed (signed on the
        portal or confirmed in Sales), the customer confirmed the cost; cancelled, refused."""
        self.ensure_one()
        if order != self.sale_order_id:
            return  # a quotation replaced by a revision
        now = fields.Datetime.now()
        if order.state == "sent" and self.quote_state == "draft":
            self._csc_write({"quote_state": "sent"})
        elif order.state == "sale":
            if self.state != "triaged" or self.quote_state != "sent":
                raise UserError(
                    self.env._(
                        "%(order)s prices %(visit)s, whose quote is not waiting for the "
                        "customer's answer.",
                        order=order.name,
                        visit=self.name,
                    )
                )
            self._csc_write({"quote_state": "confirmed", "date_cost_confirmed": now})
            self.message_post(
                body=self.env._("The customer confirmed the quotation %s.", order.name),
                subtype_xmlid="mail.mt_note",
            )
        elif order.state == "cancel" and self.quote_state in ("sent", "confirmed"):
            if self.state != "triaged":
                raise UserError(
                    self.env._(
                        "%(visit)s is under way: its quotation %(order)s can no longer be "
                        "cancelled.",
                        visit=self.name,
                        order=order.name,
                    )
                )
            self._csc_write({"quote_state": "refused", "date_cost_confirmed": False})
            self.message_post(
                body=self.env._("The customer refused the quotation %s.", order.name),
                subtype_xmlid="mail.mt_note",
            )

    def _csc_notify_brand(self):
        """A warranty service on a partner-brand product: the brand is told before it (seed 002
        5.1.2), once."""
        template = self.env.ref("customer_service_control.mail_template_csc_brand_notice")
        visits = self.filtered(
            lambda v: v.product_id.csc_origin == "partner"
            and v.warranty_status == "free"
            and not v.date_brand_notified
        )
        for visit in visits:
            brand = visit.product_id.csc_brand_partner_id
            if not brand:
                raise UserError(
                    self.env._(
                        "%(visit)s is a warranty service on a partner-brand product: name the "
                        "brand of %(product)s, which is told before the service.",
                        visit=visit.name,
                        product=visit.product_id.display_name,
                    )
                )
            visit.message_post_with_source(
                template, subtype_xmlid="mail.mt_comment", partner_ids=brand.ids
            )
            visit._csc_write({"date_brand_notified": fields.Datetime.now()})

    def _csc_consumed_parts(self):
        """The parts installed at the customer's: the done consumption moves of the visit's
        spare-part loans, per product in its unit."""
        self.ensure_one()
        moves = (
            self.env["stock.move"]
            .sudo()
            .search(
                [
                    ("csc_loan_line_id.loan_id.visit_id", "=", self.id),
                    ("csc_loan_role", "=", "consumed"),
                    ("state", "=", "done"),
                ]
            )
        )
        done = defaultdict(float)
        for move in moves:
            done[move.product_id] += move.product_uom._compute_quantity(
                move.quantity, move.product_id.uom_id
            )
        return done

    def _csc_done_lines(self):
        """What was done, as (cost line or None, product, quantity): each cost line the customer
        signed for, its parts replaced by the parts installed (an installed part not on the
        quote gets its own line, priced by the same rules)."""
        self.ensure_one()
        consumed = self._csc_consumed_parts()
        done = []
        for line in self.line_ids:
            quantity = line.quantity
            if line.line_type == "part" and line.product_id:
                quantity = consumed.pop(line.product_id, 0.0)
            done.append((line, line._csc_sale_product(), quantity))
        for product, quantity in consumed.items():
            done.append((None, product, quantity))
        return [item for item in done if item[2] > 0]

    def _check_can_invoice(self):
        self.ensure_one()
        if self.warranty_status == "free":
            raise UserError(
                self.env._("%s is a free warranty service: nothing to invoice.", self.name)
            )
        order = self.sudo().sale_order_id
        if self.quote_state != "confirmed" or not order or order.state != "sale":
            raise UserError(
                self.env._(
                    "%s has no quotation confirmed by the customer: a service the customer "
                    "refused (approved by the general manager) is at the company's cost.",
                    self.name,
                )
            )
        self._check_no_invoice("paid_service")

    def _check_no_invoice(self, origin):
        self.ensure_one()
        invoices = self.sudo().invoice_ids.filtered(
            lambda move: move.csc_origin == origin and move.state != "cancel"
        )
        if invoices:
            raise UserError(
                self.env._(
                    "%(visit)s is invoiced already (%(invoices)s): cancel that invoice first.",
                    visit=self.name,
                    invoices=", ".join(invoices.mapped("display_name")),
                )
            )

    def _csc_invoice_vals(self, partner, origin, lines):
        self.ensure_one()
        if not lines:
            raise UserError(self.env._("Nothing was done on %s that can be invoiced.", self.name))
        return {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "invoice_origin": self.name,
            "csc_origin": origin,
            "csc_service_visit_id": self.id,
            "invoice_line_ids": [Command.create(vals) for vals in lines],
        }

    def _csc_create_customer_invoice(self):
        """The invoice of what was done at the quoted prices: the quotation's lines delivered
        as done and invoiced from it, with its taxes."""
        self.ensure_one()
        order = self.sudo().sale_order_id
        lines = []
        for line, product, quantity in self._csc_done_lines():
            sale_line = order.order_line.filtered(
                lambda sol, line=line: line and sol.csc_visit_line_id == line
            )[:1]
            if sale_line:
                sale_line.qty_delivered = quantity
                lines.append(sale_line._prepare_invoice_line(quantity=quantity))
                continue
            priced = self.env["csc.service.visit.line"].new(
                {
                    "visit_id": self.id,
                    "line_type": "part",
                    "product_id": product.id,
                    "name": product.display_name,
                    "quantity": quantity,
                }
            )
            lines.append(
                {
                    "product_id": product.id,
                    "name": product.display_name,
                    "quantity": quantity,
                    "price_unit": priced.price_unit,
                    "discount": priced._csc_discount(),
                }
            )
        vals = {
            **order._prepare_invoice(),
            **self._csc_invoice_vals(order.partner_invoice_id, "paid_service", lines),
        }
        invoice = self.env["account.move"].sudo().with_company(self.company_id).create(vals)
        self.message_post(
            body=self.env._(
                "Invoice of the service drafted from what was done (%(amount)s): finance posts it.",
                amount=invoice.amount_total,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return invoice

    def _csc_collectable_invoice(self):
        """The customer's posted invoice of the service still to be paid (finance's)."""
        self.ensure_one()
        if not self.env.user.has_group(FINANCE):
            raise AccessError(self.env._("Finance records the payments collected on site."))
        invoice = self.invoice_ids.filtered(
            lambda move: move.csc_origin == "paid_service"
            and move.state == "posted"
            and move.payment_state not in ("paid", "in_payment")
        )[:1]
        if not invoice:
            raise UserError(
                self.env._("%s has no posted invoice waiting for its payment.", self.name)
            )
        return invoice

    def _csc_register_collection(self, method, collected_by):
        """Record the payment of the service's invoice collected on site by `collected_by` in
        cash or by transfer, through Odoo's payment registration."""
        self.ensure_one()
        invoice = self._csc_collectable_invoice()
        journal = self.env["account.journal"].search(
            [
                ("type", "=", "cash" if method == "cash" else "bank"),
                ("company_id", "=", self.company_id.id),
            ],
            limit=1,
        )
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "journal_id": journal.id,
                    "csc_collected_by_id": collected_by,
                    "csc_collection_method": method,
                }
            )
        )
        return wizard._create_payments()

    def _check_can_invoice_brand(self):
        self.ensure_one()
        if self.product_id.csc_origin != "partner" or self.warranty_status != "free":
            raise UserError(
                self.env._(
                    "%s is not a warranty service on a partner-brand product: the brand pays "
                    "nothing.",
                    self.name,
                )
            )
        if not self.brand_partner_id:
            raise UserError(
                self.env._("Name the partner brand of %s first.", self.product_id.display_name)
            )
        self._check_no_invoice("brand_service")

    def _csc_create_brand_invoice(self):
        """The brand pays the service's costs: the labour, travel and other cost lines at their
        prices, the parts installed at theirs; a part the brand supplied is charged only the
        company's handling fee on its list price."""
        self.ensure_one()
        brand = self.brand_partner_id
        fee = self.company_id.csc_brand_handling_fee
        lines = []
        for line, product, quantity in self._csc_done_lines():
            if product.csc_origin == "partner" and product.csc_brand_partner_id == brand:
                lines.append(
                    {
                        "product_id": product.id,
                        "name": self.env._(
                            "Handling fee (%(fee)s %%) on %(part)s supplied by the brand",
                            fee=fee,
                            part=product.display_name,
                        ),
                        "quantity": quantity,
                        "price_unit": self.currency_id.round(product.lst_price * fee / 100),
                    }
                )
            elif line:
                lines.append(
                    {
                        "product_id": product.id,
                        "name": line.name,
                        "quantity": quantity,
                        "price_unit": line.price_unit,
                    }
                )
            else:
                priced = self.env["csc.service.visit.line"].new(
                    {"visit_id": self.id, "product_id": product.id, "name": product.name}
                )
                lines.append(
                    {
                        "product_id": product.id,
                        "name": product.display_name,
                        "quantity": quantity,
                        "price_unit": priced.price_unit,
                    }
                )
        vals = self._csc_invoice_vals(brand, "brand_service", lines)
        invoice = self.env["account.move"].sudo().with_company(self.company_id).create(vals)
        self.message_post(
            body=self.env._(
                "Invoice of the warranty service to the brand %(brand)s drafted (%(amount)s): "
                "finance posts it.",
                brand=brand.display_name,
                amount=invoice.amount_total,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return invoice

    # -- promised deadlines (R-E1, R-E2, R-E5) --------------------------------------------------

    def _csc_is_quality_problem(self):
        """A repair or line-side service, or a visit for a complaint: the on-site handling of a
        quality problem (seed 000 4.2.2)."""
        self.ensure_one()
        return bool(self.complaint_id) or self.visit_type in ("repair", "line_side")

    def _csc_customer_arrival_hours(self):
        """The strictest on-site time of the customer's released requirements (R-A3), 0 without."""
        self.ensure_one()
        requirements = self.partner_id.commercial_partner_id.sudo().csc_requirement_ids
        hours = requirements.filtered(
            lambda r: r.state == "released"
            and r.arrival_hours > 0
            and r.company_id in (self.company_id, self.env["res.company"])
        ).mapped("arrival_hours")
        return min(hours) if hours else 0.0

    def _csc_promise_terms(self):
        """The promise of a field service from the terms in force now: the on-site time (the
        strictest of the customer's requirement and the company's flat time for quality
        problems when it chose one, else the distance table) and the departure time out of
        warranty."""
        self.ensure_one()
        if not self.is_field_service:
            return {"arrival_rule": False, "arrival_hours": 0.0, "departure_hours": 0.0}
        company = self.company_id
        options = []
        customer_hours = self._csc_customer_arrival_hours()
        if customer_hours:
            options.append((customer_hours, "customer"))
        if company.csc_onsite_flat and self._csc_is_quality_problem():
            options.append((company.csc_onsite_flat_hours, "quality"))
        if not options:
            hours = self.env["csc.dispatch.policy"]._hours_for(company, self.distance)
            options.append((hours, "distance"))
        hours, rule = min(options)
        return {
            "arrival_rule": rule,
            "arrival_hours": hours,
            "departure_hours": company.csc_paid_departure_hours,
        }

    def _csc_clock_deadlines(self):
        """The on-site and departure deadlines from the promised hours fixed on the visit: in
        warranty on the arrival, out of warranty on the departure (seed 002 5.2.1.5)."""
        self.ensure_one()
        start = self.is_field_service and self._csc_clock_start()
        paid = self.warranty_status == "paid"
        hours = self.departure_hours if paid else self.arrival_hours
        deadline = bool(start and hours) and start + timedelta(hours=hours)
        return {
            "date_dispatch_deadline": False if paid else deadline,
            "date_departure_deadline": deadline if paid else False,
        }

    def _csc_unmet(self, vals):
        """`vals` without the deadlines this visit met already: those stay as they were."""
        self.ensure_one()
        return {
            name: value
            for name, value in vals.items()
            if not (name in DEADLINE_DONE and self[DEADLINE_DONE[name]])
        }

    def _csc_fix_deadlines(self, keep=()):
        """Fix the promised deadlines from the terms in force now (at the registration, its
        correction before the dispatch, or a re-planning): the triage on the company's working
        calendar, the on-site or departure time; the deadlines already met and the fields in
        `keep` stay as they are."""
        triage = {}
        for company in self.company_id:
            visits = self.filtered(
                lambda v, company=company: v.company_id == company and v.is_field_service
            )
            deadlines = company._csc_calendar()._csc_plan_hours_batch(
                [(visit.date_request, company.csc_triage_hours) for visit in visits]
            )
            triage.update(zip(visits.ids, deadlines, strict=True))
        # Visits that are not field services promise nothing (cleared if the kind changed).
        promised = [
            "date_triage_deadline",
            "date_dispatch_deadline",
            "date_departure_deadline",
            "arrival_rule",
            "arrival_hours",
            "departure_hours",
        ]
        others = self.filtered(
            lambda v: not v.is_field_service and any(v[name] for name in promised)
        )
        others._csc_write(dict.fromkeys(promised, False))
        for visit in self.filtered("is_field_service"):
            vals = {"date_triage_deadline": triage.get(visit.id, False)}
            if not (visit.date_departure or visit.date_arrival):
                vals.update(visit._csc_promise_terms())
            vals = visit._csc_unmet({k: v for k, v in vals.items() if k not in keep})
            visit._csc_write(vals)
            clocks = visit._csc_unmet(visit._csc_clock_deadlines())
            visit._csc_write({k: v for k, v in clocks.items() if k not in keep})

    def _csc_fix_clock_deadlines(self):
        """The clock started or stopped (the customer confirmed the cost, the general manager
        approved it, the quote went back to the customer): the deadlines from the promised hours
        fixed at the registration."""
        for visit in self:
            visit._csc_write(visit._csc_clock_deadlines())

    def _csc_fix_report_due(self):
        """The trip report is due the company's working days after the return (R-E5)."""
        for company in self.company_id:
            visits = self.filtered(
                lambda v, company=company: v.company_id == company
                and v.date_return
                and not v.date_report
            )
            calendar = company._csc_calendar()
            hours = company.csc_trip_report_days * calendar.hours_per_day
            due = calendar._csc_plan_hours_batch([(v.date_return, hours) for v in visits])
            for visit, report_due in zip(visits, due, strict=True):
                visit._csc_write({"date_report_due": report_due})

    def _csc_check_replan(self):
        if not (self.env.su or self.env.user.has_group(MANAGER)):
            raise AccessError(self.env._("Only a service manager re-plans a visit's deadlines."))
        self._check_field_service(self.env._("promised deadlines"))
        self._csc_check_state(REPLAN_STATES, self.env._("be re-planned"))

    def _csc_replan(self, reason):
        """Re-plan the open deadlines of field services from the terms in force now, with the
        reason and the changes in the chatter; the deadlines already met stay."""
        self._csc_check_replan()

        def replan():
            self._csc_fix_deadlines()
            self._csc_fix_report_due()

        return self._csc_replan_with_reason(reason, [*DEADLINE_DONE, "arrival_hours"], replan)

    def _csc_planned(self):
        """The planned start was set now: an installation must be planned the company's notice
        days ahead (R-E7); planned later than that, the service managers are told."""
        self._csc_write({"date_scheduled": fields.Datetime.now()})
        for visit in self.filtered("short_notice"):
            days = visit.company_id.csc_installation_notice_days
            note = self.env._(
                "Installation planned at short notice: it starts on %(start)s, fewer than "
                "%(days)s days from now (R-E7).",
                start=fields.Datetime.context_timestamp(visit, visit.date_planned).strftime(
                    "%Y-%m-%d %H:%M"
                ),
                days=days,
            )
            visit.message_post(body=note, subtype_xmlid="mail.mt_note")
            for manager in visit.company_id._csc_service_managers():
                visit.activity_schedule(
                    "mail.mail_activity_data_warning",
                    user_id=manager.id,
                    summary=self.env._("Installation planned at short notice"),
                    note=note,
                )

    def _check_sign_moment(self):
        """Seed 002: the customer signs after the service, on site; never before it (a signed
        visit refuses a new signature in the workflow mixin)."""
        early = self.filtered(lambda v: v.state != "on_site" and not v._csc_is_signed())
        if early or not self:
            raise UserError(
                self.env._(
                    "%s: the customer signs on site, after the service, never before it.",
                    ", ".join(early.mapped("display_name")) or self.env._("A new visit"),
                )
            )

    def _check_desk(self, what):
        """Dispatching is the desk's (R-E2): a technician serves the visits he is sent to."""
        if not (self.env.su or self.env.user.has_group(DESK)):
            raise AccessError(self.env._("Only the service desk may %(what)s.", what=what))

    def _check_field_service(self, what):
        """Triage, quotes, dispatch, sign-off and verification are steps of field services
        only: the other visits are done and reported (R-G1, R-G3)."""
        visits = self.filtered(lambda v: not v.is_field_service)
        if visits:
            raise UserError(
                self.env._(
                    "%(visit)s is a %(type)s, not a field service: it has no %(what)s. Record it "
                    "as done, then submit its report.",
                    visit=visits[0].name,
                    type=dict(self._fields["visit_type"]._description_selection(self.env))[
                        visits[0].visit_type
                    ],
                    what=what,
                )
            )

    def _csc_portal_answer_quote(self, user, accept):
        """A contact of the visit's customer confirms or refuses the quote on the portal (R-D3):
        the desk's own transition, once checked that `user` speaks for this customer and that
        the quote is sent and not yet answered."""
        self.ensure_one()
        self._csc_check_portal_customer(user)
        self._csc_check_state(("triaged",), self.env._("have its quote answered"))
        self._check_quote_sent()
        if accept and self.sale_order_id:
            raise UserError(
                self.env._(
                    "Accept and sign the quotation %s on its page: its signature confirms the "
                    "cost.",
                    self.sale_order_id.name,
                )
            )
        if accept:
            self.action_customer_confirms()
            body = self.env._("Quote confirmed on the portal by %s.", user.partner_id.name)
        else:
            self.action_customer_refuses()
            body = self.env._("Quote refused on the portal by %s.", user.partner_id.name)
        self.message_post(
            body=body,
            author_id=user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True

    def _csc_portal_sign(self, user, name, signature):
        """A contact of the visit's customer signs the service report (the installation
        acceptance for an installation) remotely, while the technician is on site and before
        anyone signed it (R-E4)."""
        self.ensure_one()
        self._csc_check_portal_customer(user)
        self._csc_check_state(("on_site",), self.env._("be signed by the customer"))
        if self.customer_signature:
            raise UserError(self.env._("%s is already signed by the customer.", self.name))
        name = (name or "").strip()
        if not name or not signature:
            raise UserError(self.env._("Sign and give your name."))
        try:
            base64.b64decode(signature, validate=True)
        except (TypeError, ValueError) as error:
            raise UserError(self.env._("The signature is not an image.")) from error
        self.write({"customer_signature": signature, "customer_signed_by": name})
        self.message_post(
            body=self.env._(
                "%(what)s signed on the portal by %(name)s (%(user)s).",
                what=self._csc_portal_signature_label(),
                name=name,
                user=user.partner_id.name,
            ),
            author_id=user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True

    def _csc_portal_signature_label(self):
        self.ensure_one()
        if self.visit_type == "installation":
            return self.env._("Installation acceptance")
        return self.env._("Service report")

    def _check_quote_sent(self):
        self._check_field_service(self.env._("quote"))
        self._csc_lock_rows()
        for visit in self:
            if visit.quote_state != "sent":
                raise UserError(self.env._("Send the quote of %s first.", visit.name))

    def _csc_mark_done(self):
        """Finished now. A visit's report falls due within the company's working days; a field
        service's trip report falls due from the technician's return (`action_back_at_company`)."""
        now = fields.Datetime.now()
        self.filtered("is_field_service")._csc_write({"state": "done", "date_end": now})
        for company in self.company_id:
            visits = self.filtered(
                lambda v, company=company: v.company_id == company and not v.is_field_service
            )
            due = company._csc_calendar()._csc_plan_hours_batch(
                [(now, company.csc_trip_report_days * company._csc_calendar().hours_per_day)]
                * len(visits)
            )
            for visit, report_due in zip(visits, due, strict=True):
                visit._csc_write({"state": "done", "date_end": now, "date_report_due": report_due})
        self._update_customer_visit_cycle()

    def _csc_local_date(self, moment):
        """The date of a UTC moment in the company's time zone."""
        self.ensure_one()
        tz = self.company_id._csc_calendar().tz or "UTC"
        return fields.Datetime.context_timestamp(self.with_context(tz=tz), moment).date()

    def _csc_check_child_change(self, children, operation, names):
        """Cost lines do not change once the quote went to the customer, nor expenses once the
        trip report is submitted, nor daily records once the customer signed off. A quote being
        prepared is the assigned technicians' or a service manager's; visits that are not field
        services have no cost lines."""
        res = super()._csc_check_child_change(children, operation, names)
        self._csc_check_signed_children(children)
        if children._name == "csc.service.visit.line":
            self._check_quote_editor()
        frozen = {
            "csc.service.visit.line": lambda v: v.quote_state in ("sent", "confirmed"),
            "csc.service.expense": lambda v: v.state in ("reported", "verified"),
            "csc.service.visit.day": lambda v: v.state in ("done", "reported", "verified"),
        }.get(children._name)
        blocked = self.filtered(frozen) if frozen else self.browse()
        if blocked:
            raise UserError(
                self.env._(
                    "%(visits)s: the %(lines)s can no longer change at this step.",
                    visits=", ".join(blocked.mapped("name")),
                    lines=children._description,
                )
            )
        return res

    def _csc_is_locked(self):
        """A visit that is not a field service is finished when its report is submitted."""
        return super()._csc_is_locked() or (self.state == "reported" and not self.is_field_service)

    def _csc_is_signed(self):
        """Signed by the customer (on site or on the portal): the service report, or the
        installation acceptance."""
        self.ensure_one()
        return bool(self.customer_signature)

    def _csc_can_reopen(self):
        """A field service waiting for its verification is not finished; a signed one is
        reopened to correct what the customer signed."""
        return self._csc_is_locked() or (self.is_field_service and self._csc_is_signed())

    def _csc_reopen_states(self):
        return ("verified", "reported", "done", "on_site")

    def _csc_reopen_values(self):
        """A reopened visit that is not a field service waits for its report again. A signed
        field service goes back on site without the customer's signature: corrected, it is
        signed and signed off again. Otherwise it waits for the verification again."""
        if not self.is_field_service:
            return {"state": "done", "date_report": False}
        if self._csc_is_signed():
            return {
                "state": "on_site",
                "date_end": False,
                "date_return": False,
                "date_report_due": False,
                "date_report": False,
                "date_verification_due": False,
                "verifier_id": False,
                "date_verified": False,
                **self._csc_unsign_values(),
            }
        return {"state": "reported", "verifier_id": False, "date_verified": False}

    def _csc_reopen(self, reason):
        """Reopening a signed visit clears the customer's signature, which the chatter keeps."""
        signers = {visit.id: visit.customer_signed_by for visit in self if visit._csc_is_signed()}
        res = super()._csc_reopen(reason)
        for visit in self.filtered(lambda v: v.id in signers):
            visit.message_post(
                body=self.env._(
                    "The customer's signature (%(signer)s) is cleared by the reopening: the "
                    "corrected %(what)s is signed again.",
                    signer=signers[visit.id] or "-",
                    what=visit._csc_portal_signature_label().lower(),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return res

    def _check_quote_editor(self):
        self._check_field_service(self.env._("cost lines"))
        if self.env.su or self.env.user.has_group(MANAGER):
            return
        for visit in self.filtered(lambda v: v.quote_state == "draft"):
            if self.env.user not in visit.technician_ids:
                raise AccessError(
                    self.env._(
                        "The quote of %s is prepared by its assigned technicians or a service "
                        "manager.",
                        visit.name,
                    )
                )

    def _csc_route_requests(self):
        """The customer's requests noted in a visit report (R-G1, R-G3) are actions of the
        departments concerned (quality, engineering, production...): each has its department,
        whose manager receives the report."""
        for visit in self:
            unrouted = visit.action_ids.filtered(lambda action: not action.department_id)
            if unrouted:
                raise UserError(
                    self.env._(
                        "%(visit)s: give each customer request a department (%(requests)s).",
                        visit=visit.name,
                        requests=", ".join(unrouted.mapped("name")),
                    )
                )
            managers = visit.action_ids.department_id.manager_id
            if not managers:
                continue
            visit.message_subscribe(partner_ids=managers.partner_id.ids)
            visit.message_post(
                body=self.env._(
                    "Visit report of %(customer)s: %(report)s. Customer requests: %(requests)s.",
                    customer=visit.partner_id.display_name,
                    report=visit.trip_report,
                    requests="; ".join(
                        f"{action.name} ({action.department_id.name}, {action.user_id.name})"
                        for action in visit.action_ids
                    ),
                ),
                subject=self.env._("Visit report: %s", visit.partner_id.display_name),
                partner_ids=managers.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )

    def _send_satisfaction_survey(self):
        """R-H1: after a field service the customer gets the company's service questionnaire
        through survey's own invitation; its answer is scored like a campaign's
        (`survey.user_input._csc_score`) and measured against the service KPIs."""
        for visit in self.filtered("is_field_service"):
            survey = visit.company_id.csc_service_survey_id
            if not survey or visit.sudo().survey_input_ids:  # signed again after a reopening
                continue
            contact = (visit.contact_id or visit.partner_id)._csc_survey_contact()
            if not contact:
                visit.message_post(
                    body=self.env._(
                        "No satisfaction survey sent: the customer has no contact with an "
                        "e-mail address."
                    )
                )
                continue
            self.env["survey.user_input"]._csc_invite(survey, contact, csc_visit_id=visit.id)
            visit.message_post(
                body=self.env._("Satisfaction survey sent to %s.", contact.display_name)
            )

    def _update_customer_visit_cycle(self):
        """A finished visit is the customer's last visit (R-A2)."""
        for visit in self:
            customer = visit.partner_id.commercial_partner_id.sudo()
            day = fields.Date.to_date(visit.date_end)
            if not customer.csc_last_visit_date or customer.csc_last_visit_date < day:
                customer.csc_last_visit_date = day

    # ------------------------------------------------------------
    # Crons and jobs
    # ------------------------------------------------------------

    @api.model
    def _cron_installation_notice(self):
        """Installations requested and not planned yet: the desk owner is reminded to plan them
        the company's notice days ahead (R-E7), once."""
        summary = self.env._("Plan the installation a week ahead")
        unplanned = self.search(
            [
                ("visit_type", "=", "installation"),
                ("state", "in", ("draft", "triaged")),
                ("date_planned", "=", False),
            ]
        )
        for visit in unplanned.filtered("user_id"):
            visit._csc_activity_once(
                "mail.mail_activity_data_todo",
                summary,
                user_id=visit.user_id.id,
                note=self.env._(
                    "Agree the date with the customer at least %s days before the installation.",
                    visit.company_id.csc_installation_notice_days,
                ),
            )

    @api.model
    def _cron_overdue_dispatch(self):
        """Visits not on site by their deadline: an activity for the service managers (once per
        visit), in the background: one job per batch of visits."""
        late = self.search(
            [
                ("state", "in", ("triaged", "dispatched")),
                ("date_dispatch_deadline", "<", fields.Datetime.now()),
            ]
        )
        self._csc_delay_batches(
            "_csc_job_overdue_dispatch",
            late,
            description=self.env._("Visits not on site by the promised time"),
            key=f"dispatch:{fields.Datetime.now():%Y-%m-%d %H}",
        )

    @api.model
    def _csc_job_overdue_dispatch(self, visits):
        """Job: the activity of each late visit of the batch, unless it has it already."""
        late = visits.exists().filtered(lambda v: v.state in ("triaged", "dispatched"))
        summary = self.env._("Not on site by the promised time")
        for visit in late:
            manager = visit.company_id._csc_service_managers()[:1]
            if manager:
                visit._csc_activity_once(
                    "mail.mail_activity_data_warning", summary, user_id=manager.id
                )

    @api.model
    def _cron_visit_promises(self):
        """The technicians' promises of field services (R-E2, R-E5): the departure out of
        warranty due within 4 hours or passed, the return not recorded a day after the sign-off,
        the trip report due within a day or passed; a reminder to who must act, once per visit
        and kind, in the background: one job per batch of visits."""
        now = fields.Datetime.now()
        visits = self.search(
            [
                ("is_field_service", "=", True),
                "|",
                "|",
                "&",
                "&",
                ("state", "in", ("triaged", "dispatched")),
                ("date_departure", "=", False),
                ("date_departure_deadline", "<", now + timedelta(hours=4)),
                "&",
                "&",
                ("state", "=", "done"),
                ("date_return", "=", False),
                ("date_end", "<", now - timedelta(days=1)),
                "&",
                ("state", "=", "done"),
                ("date_report_due", "<", now + timedelta(days=1)),
            ]
        )
        self._csc_delay_batches(
            "_csc_job_visit_promises",
            visits,
            description=self.env._("Departures, returns and trip reports of field services"),
            key=f"promises:{now:%Y-%m-%d %H}",
        )

    @api.model
    def _csc_job_visit_promises(self, visits):
        """Job: the reminders of the batch's visits that still need them."""
        now = fields.Datetime.now()
        for visit in visits.exists().filtered("is_field_service"):
            who = visit.technician_ids or visit.user_id
            if (
                visit.state in ("triaged", "dispatched")
                and not visit.date_departure
                and visit.date_departure_deadline
                and visit.date_departure_deadline < now + timedelta(hours=4)
            ):
                # Not dispatched yet: the desk dispatches first.
                if visit.state == "triaged":
                    who = visit.user_id
                summary = self.env._("Set off for the customer (out of warranty)")
                note = self.env._(
                    "The customer confirmed the cost: the departure is due by %s UTC.",
                    fields.Datetime.to_string(visit.date_departure_deadline),
                )
                visit._csc_remind(who, summary, note, visit.date_departure_deadline)
            if visit.state == "done" and not visit.date_return:
                if visit.date_end and visit.date_end < now - timedelta(days=1):
                    summary = self.env._("Record your return to the company")
                    note = self.env._("The trip report is due from the return (R-E5).")
                    visit._csc_remind(visit.technician_ids, summary, note, now)
            if (
                visit.state == "done"
                and visit.date_report_due
                and visit.date_report_due < now + timedelta(days=1)
            ):
                summary = self.env._("Submit the trip report")
                note = self.env._(
                    "The trip report is due by %s UTC.",
                    fields.Datetime.to_string(visit.date_report_due),
                )
                visit._csc_remind(visit.technician_ids, summary, note, visit.date_report_due)

    def _csc_close_reminders(self, summary):
        """The step is done: its open reminders are marked done."""
        self.activity_ids.filtered(lambda a: a.summary == summary).action_feedback()

    def _csc_remind(self, users, summary, note, deadline):
        """An activity `summary` for each of `users` without an open one on this visit."""
        self.ensure_one()
        for user in users:
            open_ones = self.activity_ids.filtered(
                lambda a, user=user: a.summary == summary and a.user_id == user
            )
            if not open_ones:
                self.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=fields.Date.to_date(deadline),
                    summary=summary,
                    note=note,
                    user_id=user.id,
                )
