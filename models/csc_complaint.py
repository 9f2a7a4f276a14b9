from datetime import datetime
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools import html2plaintext
from odoo.tools.safe_eval import safe_eval
from odoo.tools.safe_eval import time as safe_time

QUALITY = "customer_service_control.group_csc_quality"
MANAGER = "customer_service_control.group_csc_manager"
# What caused a complaint stays with the desk and quality, not the technicians (R-J).
DESK = "customer_service_control.group_csc_user"
# The customer file (its quality contacts) is read by every customer-service group.
CUSTOMER_FILE = "customer_service_control.group_csc_reader"
# Nothing the service department records happened before this.
MIN_DATE = datetime(2000, 1, 1)
# The deadlines planned when a complaint is registered (re-planned only by a service manager).
DEADLINE_FIELDS = (
    "date_deadline",
    "date_resolution_deadline",
    "date_containment_deadline",
    "date_serious_deadline",
    "date_contact_deadline",
)
OPEN_STATES = ("draft", "investigation")
# The customer's reaction to a disposition, cleared when a new disposition follows a rejection.
REACTION_FIELDS = (
    "customer_accepts",
    "customer_reaction",
    "reaction_date",
    "reaction_partner_id",
    "reaction_user_id",
    "reaction_channel",
)
# How the customer was contacted (R-B3: someone sent, or written to).
CONTACT_METHODS = [("visit", "Someone Sent"), ("letter", "Letter"), ("email", "E-mail")]
# How the customer's reaction to the disposition reached us (R-C8).
REACTION_CHANNELS = [("portal", "Portal"), ("mail", "E-mail Reply"), ("desk", "Told the Desk")]
# The documents that go to the customer with the disposition (the 8D once approved, R-C8).
COMPLAINT_FORM_REPORT = "customer_service_control.csc_complaint_form_report"
EIGHTD_REPORT = "customer_service_control.csc_eightd_report"
# The reminders of the promises, one open activity each (`_csc_job_promise_reminders`); the
# hourly scan reminds this many hours before the deadline.
PROMISE_REMIND_HOURS = 6
# What caused the service work (R-I2); complaints and field repairs share the list.
CAUSE_CATEGORIES = [
    ("purchasing", "Purchased Part"),
    ("machining", "Machining"),
    ("assembly", "Assembly"),
    ("design", "Design"),
    ("transport", "Transport"),
    ("misuse", "Misuse"),
    ("other", "Other"),
]
# Where the customer found the problem (the split of the customer's PPM).
DETECTION_STAGES = [("zero_km", "0 km"), ("field", "Field")]
# A warranty decision answers a claim from the field.
FIELD_WARRANTY_DECISIONS = ("repair", "replace", "refund")


class CscComplaint(models.Model):
    """A customer complaint or quality feedback (R-C1..C3, C8, C10, 客户投诉反馈及调查表)."""

    _name = "csc.complaint"
    _description = "Customer Complaint"
    _check_company_auto = True
    _inherit = [
        "csc.sequence.mixin",
        "csc.workflow.mixin",
        "csc.portal.mixin",
        "csc.replan.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_received desc, id desc"
    _csc_guarded_fields = frozenset(
        {
            "state",
            "date_closed",
            "date_solved",
            "escalated",
            "date_meeting_deadline",
            "reaction_sent_date",
            "closed_override",
            # Fixed at registration; a service manager re-plans them with a reason.
            *DEADLINE_FIELDS,
            # Recorded by "Customer Contacted" and "Record Meeting" only.
            "date_contacted",
            "contact_method",
            "date_meeting_held",
            "meeting_user_ids",
            "meeting_department_ids",
            "meeting_conclusion",
            # The customer's reaction, recorded by the portal, or by the desk (reply or call).
            "customer_accepts",
            "customer_reaction",
            "reaction_date",
            "reaction_partner_id",
            "reaction_user_id",
            "reaction_channel",
            # Set by the quality manager's cancellation only.
            "cancel_reason",
        }
    )
    _csc_locked_states = ("closed", "cancelled")
    _csc_reason_methods = frozenset(
        {"_csc_reopen", "_csc_close_override", "_csc_replan", "_csc_cancel"}
    )
    # The reaction is forwarded after closing too (R-C8).
    _csc_unlocked_fields = frozenset({"reaction_department_ids"})
    # What the customer's contacts read on the portal: never the owner, the cause, the
    # responsible department or the costs.
    _csc_portal_fields = frozenset(
        {
            "title",
            "kind",
            "contact_id",
            "ticket_id",
            "date_received",
            "product_id",
            "lot_id",
            "qty_delivered",
            "qty_affected",
            "detection_stage",
            "description",
            "customer_request",
            "severity",
            "date_deadline",
            "date_resolution_deadline",
            "date_containment_deadline",
            "date_solved",
            "disposition",
            "customer_reaction",
            "customer_accepts",
            "reaction_date",
            "reaction_channel",
            "cancel_reason",
            "date_closed",
            "eightd_ids",
            "return_ids",
        }
    )

    # -- fields --------------------------------------------------------------------------------

    name = fields.Char("Number", readonly=True, copy=False, default="/", index="trigram")
    title = fields.Char("Subject", required=True, tracking=True)
    kind = fields.Selection(
        [("complaint", "Complaint"), ("quality_feedback", "Quality Feedback")],
        required=True,
        default="complaint",
        tracking=True,
    )
    state = fields.Selection(
        [
            ("draft", "Registered"),
            ("investigation", "Investigation"),
            ("solved", "Disposition Sent"),
            ("closed", "Closed"),
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
        "res.partner",
        "Customer Contact",
        domain="[('parent_id', '=', partner_id)]",
        tracking=True,
        check_company=True,
    )
    ticket_id = fields.Many2one("helpdesk.ticket", index=True, copy=False, check_company=True)
    channel_id = fields.Many2one("helpdesk.ticket.channel", tracking=True)
    user_id = fields.Many2one(
        "res.users",
        "Owner",
        tracking=True,
        index=True,
        domain=[("share", "=", False)],
        help="Quality engineer in charge of the investigation.",
    )
    date_received = fields.Datetime(
        "Received", required=True, default=fields.Datetime.now, tracking=True, index=True
    )
    product_id = fields.Many2one("product.product", index=True, tracking=True, check_company=True)
    lot_id = fields.Many2one(
        "stock.lot",
        "Lot/Serial",
        index=True,
        domain="[('product_id', '=', product_id)]",
        tracking=True,
        check_company=True,
    )
    qty_delivered = fields.Float(
        "Quantity Delivered", digits="Product Unit of Measure", tracking=True
    )
    qty_affected = fields.Float(
        "Quantity Affected", digits="Product Unit of Measure", tracking=True
    )
    # Where the customer found the problem: the PPM they rate us on is split by it
    # (csc.ppm.report).
    detection_stage = fields.Selection(
        DETECTION_STAGES,
        "Found At",
        compute="_compute_detection_stage",
        store=True,
        readonly=False,
        tracking=True,
        help="0 km: found at the customer's incoming inspection or on its line, before the "
        "part went into service. Field: found in service (a warranty claim, a field return). "
        "Proposed from the warranty decision; the desk corrects it.",
    )
    description = fields.Html()
    customer_request = fields.Text("Customer's Request", tracking=True)
    severity = fields.Selection(
        [("major", "Major Quality Problem"), ("general", "General Quality Problem")],
        required=True,
        default="general",
        tracking=True,
        help="Major: stops the customer's production or occurs in batch. An 8D is mandatory.",
    )
    urgency = fields.Selection(
        [("urgent", "Urgent"), ("normal", "Normal")],
        required=True,
        default="normal",
        tracking=True,
    )
    complexity = fields.Selection(
        [("general", "General"), ("complex", "Complex")],
        required=True,
        default="general",
        help="General problems are resolved within the resolution working days, complex ones "
        "within a calendar month (settings), on a working moment of the company's calendar.",
        tracking=True,
    )
    # The deadlines are planned from the complaint's own registration data with the rules in
    # force then: a later change of the company's settings or of the customer's requirements
    # leaves them as they are (a service manager re-plans an open complaint with a reason).
    date_deadline = fields.Datetime(
        "Handling Deadline",
        compute="_compute_date_deadline",
        store=True,
        index=True,
        tracking=True,
        help="Received + urgent or normal days (working days of the company calendar); the "
        "customer's released specific requirements override the company defaults.",
    )
    date_resolution_deadline = fields.Datetime(
        "Resolution Deadline",
        compute="_compute_date_resolution_deadline",
        store=True,
        index=True,
        tracking=True,
    )
    date_containment_deadline = fields.Datetime(
        "Containment Deadline",
        compute="_compute_date_containment_deadline",
        store=True,
        help="Received + containment hours (around the clock).",
        tracking=True,
    )
    date_serious_deadline = fields.Datetime(
        "Serious Problem Solved By",
        compute="_compute_date_serious_deadline",
        store=True,
        index=True,
        tracking=True,
        help="A major problem is solved (disposition sent) within the serious-problem hours of "
        "its receipt, around the clock (R-B3); the general manager is told when it is not.",
    )
    date_solved = fields.Datetime(
        "Disposition Sent On", readonly=True, copy=False, tracking=True, index="btree_not_null"
    )
    # Someone sent or written to the customer (R-B3, seed 002 3.2.2).
    distance = fields.Float(
        "Customer Distance (km)",
        tracking=True,
        help="How far the customer's site is from the company: beyond the company's remote "
        "distance, the customer is answered within the remote answer hours.",
    )
    supplier_involved = fields.Boolean(
        "Supplier Must Be Involved",
        tracking=True,
        help="The problem cannot be answered without a supplier: the customer is answered within "
        "the remote answer hours.",
    )
    date_contact_deadline = fields.Datetime(
        "Customer Contacted By",
        compute="_compute_date_contact_deadline",
        store=True,
        index=True,
        tracking=True,
        help="Received + the investigation hours (someone sent, or written, to the customer), or "
        "+ the remote answer hours for a remote customer or a problem involving a supplier; "
        "around the clock.",
    )
    date_contacted = fields.Datetime(
        "Customer Contacted On",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
        help="Recorded by the action Customer Contacted, or by the first e-mail sent to the "
        "customer from the complaint.",
    )
    contact_method = fields.Selection(
        CONTACT_METHODS, "Contacted By", readonly=True, copy=False, tracking=True
    )
    is_late = fields.Boolean("Late", compute="_compute_is_late", search="_search_is_late")
    responsibility = fields.Selection(
        [
            ("company", "Our Company"),
            ("customer_misuse", "Customer Misuse"),
            ("supplier", "Supplier"),
            ("transport", "Transport"),
            ("undetermined", "Undetermined"),
        ],
        tracking=True,
        groups=DESK,
    )
    supplier_id = fields.Many2one(
        "res.partner",
        "Responsible Supplier",
        tracking=True,
        check_company=True,
        groups=DESK,
        domain="[('is_company', '=', True)]",
        help="The vendor whose parts caused the problem: named when the responsibility is a "
        "supplier's, and charged with a supplier claim.",
    )
    supplier_claim_ids = fields.One2many(
        "csc.supplier.claim", "complaint_id", "Supplier Claims", groups=DESK
    )
    supplier_claim_count = fields.Integer(compute="_compute_supplier_claim_count", groups=DESK)
    department_id = fields.Many2one(
        "csc.department",
        "Responsible Department",
        tracking=True,
        check_company=True,
        groups=DESK,
    )
    cause_category = fields.Selection(CAUSE_CATEGORIES, tracking=True, groups=DESK)
    cause_visit_id = fields.Many2one(
        "csc.service.visit",
        "Caused by Service Visit",
        index=True,
        tracking=True,
        help="The field service whose work caused this complaint: counted in the KPI "
        "'complaints caused by the service' and in the technicians' performance.",
        check_company=True,
    )
    root_cause = fields.Text(tracking=True, groups=DESK)
    disposition = fields.Text(
        help="What we do for the customer: explanation, sorting, rework, replacement...",
        tracking=True,
    )
    date_meeting_deadline = fields.Datetime(
        "Meeting Due", readonly=True, copy=False, tracking=True, index="btree_not_null"
    )
    # The responsibility meeting as held (R-C3), recorded by the action Record Meeting.
    date_meeting_held = fields.Datetime(
        "Meeting Held On", readonly=True, copy=False, tracking=True, index="btree_not_null"
    )
    meeting_user_ids = fields.Many2many(
        "res.users",
        "csc_complaint_meeting_user_rel",
        "complaint_id",
        "user_id",
        string="Meeting Attendees",
        readonly=True,
        copy=False,
    )
    meeting_department_ids = fields.Many2many(
        "csc.department",
        "csc_complaint_meeting_department_rel",
        "complaint_id",
        "department_id",
        string="Departments at the Meeting",
        readonly=True,
        copy=False,
        check_company=True,
    )
    meeting_conclusion = fields.Text(readonly=True, copy=False, tracking=True, groups=DESK)
    escalated = fields.Boolean(
        "Escalated to General Manager", readonly=True, copy=False, tracking=True
    )
    date_deadline_reminded = fields.Datetime(
        "Deadline Reminded On",
        readonly=True,
        copy=False,
        help="When the owner and the service managers were last told that the handling deadline "
        "is near or passed (once a day).",
    )
    customer_reaction = fields.Text("Customer's Reaction", readonly=True, copy=False, tracking=True)
    customer_accepts = fields.Selection(
        [("accepted", "Accepted"), ("rejected", "Rejected")],
        readonly=True,
        copy=False,
        tracking=True,
        help="Recorded from the portal, where the customer's contact answers, or by the desk "
        "from the customer's reply or call (action Record Reaction).",
    )
    reaction_date = fields.Datetime("Reaction On", readonly=True, copy=False, tracking=True)
    reaction_partner_id = fields.Many2one(
        "res.partner", "Reaction By", readonly=True, copy=False, tracking=True
    )
    reaction_user_id = fields.Many2one(
        "res.users", "Reaction Recorded By", readonly=True, copy=False, tracking=True
    )
    reaction_channel = fields.Selection(
        REACTION_CHANNELS, "Reaction Received By", readonly=True, copy=False, tracking=True
    )
    cancel_reason = fields.Text(
        "Reason for Cancelling",
        readonly=True,
        copy=False,
        tracking=True,
        help="Why the complaint cannot be handled: given by the quality manager and mailed to the "
        "customer.",
    )
    reaction_department_ids = fields.Many2many(
        "csc.department",
        "csc_complaint_reaction_department_rel",
        "complaint_id",
        "department_id",
        string="Reaction Sent To",
        tracking=True,
        help="The departments the customer's reaction is forwarded to (R-C8): the responsible "
        "department and any other concerned.",
    )
    reaction_sent_date = fields.Datetime("Reaction Forwarded On", readonly=True, copy=False)
    closed_override = fields.Boolean(
        "Closed by a Manager's Decision",
        readonly=True,
        copy=False,
        tracking=True,
        help="Closed by a service manager although the customer rejected the disposition; the "
        "reason is in the chatter.",
    )
    warranty_decision = fields.Selection(
        [("repair", "Repair"), ("replace", "Replace"), ("refund", "Refund"), ("none", "None")],
        tracking=True,
    )
    repeat_of_id = fields.Many2one(
        "csc.complaint",
        index=True,
        tracking=True,
        copy=False,
        help="Earlier complaint with the same product and cause.",
        check_company=True,
    )
    repeat_ids = fields.One2many("csc.complaint", "repeat_of_id", "Repeats")
    repeat_candidate_id = fields.Many2one(
        "csc.complaint", "Looks Like a Repeat Of", compute="_compute_repeat_candidate_id"
    )
    # The same product and cause at other customers within the repeat window (R-C10).
    recurrence_ids = fields.Many2many(
        "csc.complaint",
        "csc_complaint_recurrence_rel",
        "complaint_id",
        "recurrence_id",
        string="Recurrences at Other Customers",
        compute="_compute_recurrence_ids",
        groups=DESK,
        help="Complaints of other customers about the same product with the same cause, "
        "received within the repeat window before or after this one.",
    )
    is_recurring = fields.Boolean(
        "Recurs at Other Customers",
        compute="_compute_recurrence_ids",
        search="_search_is_recurring",
        groups=DESK,
    )
    # The lessons learned on the product and its family (R-C7, read before analysing again).
    lesson_ids = fields.Many2many(
        "csc.lesson",
        "csc_complaint_lesson_rel",
        "complaint_id",
        "lesson_id",
        string="Lessons Learned",
        compute="_compute_lesson_ids",
        groups=DESK,
        help="Lessons learned from earlier 8D reports on this product or its product family.",
    )
    lesson_count = fields.Integer("Lessons", compute="_compute_lesson_ids", groups=DESK)
    eightd_id = fields.Many2one(
        "csc.eightd",
        "Shared 8D Report",
        index="btree_not_null",
        tracking=True,
        copy=False,
        check_company=True,
        domain="[('state', '!=', 'cancelled'), ('complaint_id', '!=', id)]",
        help="The 8D report of another complaint with the same problem, which this complaint "
        "shares instead of an 8D of its own: it closes only once that 8D is closed.",
    )
    eightd_candidate_id = fields.Many2one(
        "csc.eightd",
        "8D of the Same Problem",
        compute="_compute_eightd_candidate_id",
        groups=DESK,
    )
    # The customer's escalation status (controlled shipping, new business hold), as a warning.
    customer_escalation_id = fields.Many2one(
        "csc.escalation",
        "Customer Escalation Status",
        compute="_compute_customer_escalation_id",
        groups=CUSTOMER_FILE,
        help="The customer's most severe active escalation status in this company.",
    )
    # The quality contacts agreed with the customer (R-C8), from the customer file.
    partner_quality_contact_id = fields.Many2one(
        related="partner_id.commercial_partner_id.csc_quality_contact_id",
        string="Customer's Quality Contact",
        groups=CUSTOMER_FILE,
    )
    quality_user_id = fields.Many2one(
        related="partner_id.commercial_partner_id.csc_quality_user_id",
        string="Our Quality Contact",
        groups=CUSTOMER_FILE,
    )
    action_ids = fields.One2many("csc.action", "complaint_id", "Actions")
    eightd_ids = fields.One2many("csc.eightd", "complaint_id", "8D Reports")
    return_ids = fields.One2many("csc.complaint.return", "complaint_id", "Returned Goods")
    rework_ids = fields.One2many("csc.rework.plan", "complaint_id", "Rework Plans")
    fmea_update = fields.Boolean(
        "FMEA / Control Plan Updated",
        help="The complaint led to a document update (R-C9).",
        tracking=True,
    )
    date_closed = fields.Datetime(
        "Closed On", readonly=True, copy=False, index="btree_not_null", tracking=True
    )
    days_to_close = fields.Float(
        compute="_compute_closing",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="Calendar days from receipt to closing (0 while open).",
    )
    closed_on_time = fields.Boolean(
        compute="_compute_closing",
        store=True,
        help="Closed by the resolution deadline.",
    )
    active = fields.Boolean(default=True)

    # -- SQL constraints and indexes -----------------------------------------------------------

    _sql_constraints = [
        (
            "quantities_positive",
            "CHECK(qty_delivered >= 0 AND qty_affected >= 0)",
            "Quantities cannot be negative.",
        ),
        ("ticket_uniq", "unique(ticket_id)", "A customer message opens one complaint only."),
        ("name_company_uniq", "unique(name, company_id)", "Complaint numbers are unique."),
    ]

    def init(self):
        # The cause analysis (csc.cause.analysis) filters complaints on the day received.
        tools.create_index(
            self.env.cr,
            "csc_complaint_date_received_day_index",
            self._table,
            ["(date_received::date)"],
        )

    # -- computes and inverses -----------------------------------------------------------------

    @api.depends("date_received", "urgency", "partner_id", "company_id")
    def _compute_date_deadline(self):
        self._csc_plan_deadline("date_deadline")

    @api.depends("date_received", "complexity", "partner_id", "company_id")
    def _compute_date_resolution_deadline(self):
        self._csc_plan_deadline("date_resolution_deadline")

    @api.depends("date_received", "partner_id", "company_id")
    def _compute_date_containment_deadline(self):
        self._csc_plan_deadline("date_containment_deadline")

    @api.depends("date_received", "distance", "supplier_involved", "company_id")
    def _compute_date_contact_deadline(self):
        for complaint in self:
            company = complaint.company_id
            remote = complaint.supplier_involved or (
                company.csc_remote_distance and complaint.distance > company.csc_remote_distance
            )
            hours = company.csc_remote_answer_hours if remote else company.csc_investigation_hours
            complaint.date_contact_deadline = bool(complaint.date_received) and (
                complaint.date_received + timedelta(hours=hours)
            )

    def _compute_access_url(self):
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"

    @api.depends("severity", "date_received", "company_id")
    def _compute_date_serious_deadline(self):
        for complaint in self:
            complaint.date_serious_deadline = (
                complaint.severity == "major"
                and complaint.date_received
                and complaint.date_received
                + timedelta(hours=complaint.company_id.csc_serious_solve_hours)
            )

    @api.depends("date_closed", "date_received", "date_resolution_deadline")
    def _compute_closing(self):
        for complaint in self:
            closed = complaint.date_closed
            complaint.days_to_close = (
                (closed - complaint.date_received).total_seconds() / 86400 if closed else 0.0
            )
            complaint.closed_on_time = bool(
                closed
                and complaint.date_resolution_deadline
                and closed <= complaint.date_resolution_deadline
            )

    @api.depends("supplier_claim_ids")
    def _compute_supplier_claim_count(self):
        counts = dict(
            self.env["csc.supplier.claim"]._read_group(
                [("complaint_id", "in", self.ids)], ["complaint_id"], ["__count"]
            )
        )
        for complaint in self:
            complaint.supplier_claim_count = counts.get(complaint, 0)

    @api.depends("warranty_decision")
    def _compute_detection_stage(self):
        """0 km unless the complaint is a warranty claim (found in service); a value the desk
        chose stays until a warranty decision shows the part failed in the field."""
        for complaint in self:
            if complaint.warranty_decision in FIELD_WARRANTY_DECISIONS:
                complaint.detection_stage = "field"
            elif not complaint.detection_stage:
                complaint.detection_stage = "zero_km"

    @api.depends("date_deadline", "state")
    def _compute_is_late(self):
        now = fields.Datetime.now()
        for complaint in self:
            complaint.is_late = bool(
                complaint.state in ("draft", "investigation")
                and complaint.date_deadline
                and complaint.date_deadline < now
            )

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on Late."))
        late = [
            ("state", "in", ("draft", "investigation")),
            ("date_deadline", "<", fields.Datetime.now()),
        ]
        return late if (operator == "=") == value else ["!", "&", *late]

    @api.depends("product_id", "cause_category", "repeat_of_id", "partner_id", "date_received")
    def _compute_repeat_candidate_id(self):
        for complaint in self:
            complaint.repeat_candidate_id = (
                complaint._find_repeat() if not complaint.repeat_of_id else False
            )

    @api.depends(
        "product_id", "cause_category", "partner_id", "date_received", "company_id", "state"
    )
    def _compute_recurrence_ids(self):
        """The other customers' complaints about the same product with the same cause within
        the repeat window, before or after (one search for the batch)."""
        ready = self.filtered(
            lambda c: c.product_id
            and c.cause_category
            and c.partner_id
            and c.date_received
            and c.state != "cancelled"
        )
        (self - ready).update({"recurrence_ids": False, "is_recurring": False})
        if not ready:
            return
        months = max(ready.company_id.mapped("csc_repeat_complaint_months"))
        dates = ready.mapped("date_received")
        others = self.search(
            [
                ("product_id", "in", ready.product_id.ids),
                ("cause_category", "in", list(set(ready.mapped("cause_category")))),
                ("company_id", "in", ready.company_id.ids),
                ("state", "!=", "cancelled"),
                ("date_received", ">=", min(dates) - relativedelta(months=months)),
                ("date_received", "<=", max(dates) + relativedelta(months=months)),
            ]
        )
        for complaint in ready:
            window = relativedelta(months=complaint.company_id.csc_repeat_complaint_months)
            customer = complaint.partner_id.commercial_partner_id
            start = complaint.date_received - window
            end = complaint.date_received + window
            recurrences = others.filtered(
                lambda o, c=complaint, customer=customer, start=start, end=end: (
                    o.product_id == c.product_id
                    and o.cause_category == c.cause_category
                    and o.company_id == c.company_id
                    and o.partner_id.commercial_partner_id != customer
                    and start <= o.date_received <= end
                )
            )
            complaint.recurrence_ids = recurrences
            complaint.is_recurring = bool(recurrences)

    def _search_is_recurring(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(
                self.env._("Unsupported search on Recurs at Other Customers.")
            )
        recurring = SQL(
            """(
            SELECT c.id
              FROM csc_complaint c
              JOIN res_company co ON co.id = c.company_id
              JOIN res_partner p ON p.id = c.partner_id
             WHERE c.state != 'cancelled'
               AND EXISTS (
                   SELECT 1
                     FROM csc_complaint o
                     JOIN res_partner op ON op.id = o.partner_id
                    WHERE o.company_id = c.company_id
                      AND o.product_id = c.product_id
                      AND o.cause_category = c.cause_category
                      AND o.state != 'cancelled'
                      AND o.active
                      AND COALESCE(op.commercial_partner_id, op.id)
                          != COALESCE(p.commercial_partner_id, p.id)
                      AND o.date_received
                          BETWEEN c.date_received
                                  - make_interval(months => co.csc_repeat_complaint_months)
                              AND c.date_received
                                  + make_interval(months => co.csc_repeat_complaint_months)
               )
            )"""
        )
        return [("id", "in" if (operator == "=") == value else "not in", recurring)]

    @api.depends("product_id", "product_id.categ_id", "company_id")
    def _compute_lesson_ids(self):
        Lesson = self.env["csc.lesson"]
        found = {}
        for complaint in self:
            key = (complaint.product_id, complaint.company_id)
            if complaint.product_id and key not in found:
                found[key] = Lesson.search(
                    Lesson._csc_domain_for(complaint.product_id, complaint.company_id)
                )
            complaint.lesson_ids = found.get(key, Lesson)
            complaint.lesson_count = len(complaint.lesson_ids)

    @api.depends("eightd_id", "eightd_ids", "recurrence_ids", "repeat_of_id", "state")
    def _compute_eightd_candidate_id(self):
        """The 8D report (not cancelled) of a repeat or a recurrence at another customer that
        this complaint, without an 8D of its own, could share: the latest one."""
        for complaint in self:
            related = complaint.recurrence_ids | complaint.repeat_of_id
            reports = related.eightd_ids.filtered(lambda r: r.state != "cancelled")
            own = complaint.eightd_ids.filtered(lambda r: r.state != "cancelled")
            complaint.eightd_candidate_id = (
                not complaint.eightd_id
                and not own
                and complaint.state in OPEN_STATES
                and reports.sorted("id", reverse=True)[:1]
            )

    @api.depends("partner_id", "company_id")
    def _compute_customer_escalation_id(self):
        customers = self.partner_id.commercial_partner_id._origin
        active = self.env["csc.escalation"]._csc_active_for(customers)
        for complaint in self:
            key = (complaint.partner_id.commercial_partner_id._origin, complaint.company_id._origin)
            complaint.customer_escalation_id = active.get(key, False)

    # -- constraints and onchanges -------------------------------------------------------------

    @api.constrains("eightd_id")
    def _check_eightd_id(self):
        """A complaint shares the 8D of another complaint, a live one, and only while it has
        no 8D of its own."""
        for complaint in self.filtered("eightd_id"):
            report = complaint.eightd_id
            if report.complaint_id == complaint:
                raise ValidationError(
                    self.env._(
                        "%(report)s is the own 8D report of %(complaint)s, not one to share.",
                        report=report.name,
                        complaint=complaint.name,
                    )
                )
            if report.state == "cancelled":
                raise ValidationError(
                    self.env._(
                        "%(report)s is cancelled: %(complaint)s cannot share it.",
                        report=report.name,
                        complaint=complaint.name,
                    )
                )
            if complaint.eightd_ids.filtered(lambda r: r.state != "cancelled"):
                raise ValidationError(
                    self.env._(
                        "%s has an 8D report of its own: it cannot share another one.",
                        complaint.name,
                    )
                )

    @api.constrains("responsibility", "supplier_id", "partner_id")
    def _check_supplier(self):
        """A supplier's responsibility names the supplier, a vendor other than the customer."""
        for complaint in self.sudo():
            if complaint.responsibility == "supplier" and not complaint.supplier_id:
                raise ValidationError(
                    self.env._(
                        "%s: name the responsible supplier (a vendor) when the responsibility is "
                        "a supplier's.",
                        complaint.name,
                    )
                )
            customer = complaint.partner_id.commercial_partner_id
            if complaint.supplier_id and complaint.supplier_id.commercial_partner_id == customer:
                raise ValidationError(
                    self.env._(
                        "%(complaint)s: the customer %(customer)s is not the supplier of the "
                        "parts.",
                        complaint=complaint.name,
                        customer=customer.display_name,
                    )
                )

    @api.constrains("qty_delivered", "qty_affected", "lot_id", "product_id", "date_received")
    def _check_figures(self):
        latest = fields.Datetime.now() + timedelta(days=1)
        for complaint in self:
            if complaint.qty_delivered and complaint.qty_affected > complaint.qty_delivered:
                raise ValidationError(
                    self.env._(
                        "%(complaint)s: %(affected)s parts affected, more than the %(delivered)s "
                        "delivered.",
                        complaint=complaint.name,
                        affected=complaint.qty_affected,
                        delivered=complaint.qty_delivered,
                    )
                )
            complaint._csc_check_lot_product()
            if not MIN_DATE <= complaint.date_received <= latest:
                raise ValidationError(
                    self.env._(
                        "%(complaint)s: the date received (%(date)s) is out of range.",
                        complaint=complaint.name,
                        date=complaint.date_received,
                    )
                )

    # -- CRUD ----------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("eightd_id") for vals in vals_list):
            self.browse()._check_eightd_link_rights()
        self._csc_default_distances(vals_list)
        # The owner gets the addon's own assignment message below, not Odoo's generic one too.
        complaints = (
            super(CscComplaint, self.with_context(mail_auto_subscribe_no_notify=True))
            .create(vals_list)
            .with_env(self.env)
        )
        complaints._notify_quality_department()
        complaints._notify_owner()  # an owner named at once is told like one named later
        complaints.sudo().filtered("department_id").with_env(self.env)._notify_department()
        return complaints

    def write(self, vals):
        if "eightd_id" in vals:
            self._check_eightd_link_rights()
        departments = (
            {complaint.id: complaint.department_id for complaint in self.sudo()}
            if "department_id" in vals
            else {}
        )
        if not vals.get("user_id"):
            res = super().write(vals)
        else:
            res = super(CscComplaint, self.with_context(mail_auto_subscribe_no_notify=True)).write(
                vals
            )
            self._notify_owner()
        if departments:
            self.sudo().filtered(
                lambda c: c.department_id and c.department_id != departments[c.id]
            ).with_env(self.env)._notify_department()
        return res

    # -- actions -------------------------------------------------------------------------------

    def action_start_investigation(self):
        self._csc_check_state(("draft",), self.env._("start the investigation"))
        for complaint in self:
            complaint._csc_require(
                [(complaint.user_id, self.env._("an owner"))],
                self.env._("%(complaint)s: assign %(missing)s before starting the investigation."),
                complaint=complaint.name,
            )
        self._csc_write({"state": "investigation"})
        for complaint in self:
            complaint.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.to_date(complaint.date_deadline),
                user_id=complaint.user_id.id,
                summary=self.env._("Handle complaint %s", complaint.name),
            )
        return True

    def action_call_meeting(self):
        """Responsibility undetermined (R-C3): every department is invited within the meeting
        hours, by activity and e-mail."""
        self._csc_check_state(("investigation",), self.env._("call a meeting"))
        for complaint in self.filtered("date_meeting_deadline"):
            # Calling it again would move its deadline: the promise is kept by holding it.
            raise UserError(
                self.env._(
                    "The responsibility meeting of %(complaint)s was called (due %(date)s): "
                    "record it when held, or escalate to the general manager.",
                    complaint=complaint.name,
                    date=fields.Datetime.to_string(complaint.date_meeting_deadline),
                )
            )
        departments = self.env["csc.department"].search(
            [("manager_id", "!=", False), ("company_id", "in", (*self.company_id.ids, False))]
        )
        for complaint in self:
            deadline = fields.Datetime.now() + timedelta(
                hours=complaint.company_id.csc_meeting_hours
            )
            complaint._csc_write(
                {"date_meeting_deadline": deadline, "responsibility": "undetermined"}
            )
            for manager in departments.manager_id:
                complaint.activity_schedule(
                    "mail.mail_activity_data_meeting",
                    date_deadline=fields.Date.to_date(deadline),
                    user_id=manager.id,
                    summary=self.env._("Responsibility meeting on %s", complaint.name),
                )
            complaint.message_post(
                body=self.env._(
                    "Responsibility could not be determined: all departments are invited to a "
                    "meeting before %s.",
                    fields.Datetime.to_string(deadline),
                ),
                partner_ids=departments.manager_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_record_meeting(self):
        """Ask what the responsibility meeting concluded (the wizard calls
        `_csc_record_meeting`)."""
        self.ensure_one()
        self._check_meeting_rights()
        self._check_meeting_open()
        return self._csc_record_wizard(
            "csc.complaint.meeting.wizard", self.env._("Record the Responsibility Meeting")
        )

    def action_record_contact(self):
        """Ask when and how the customer was contacted (the wizard calls
        `_csc_record_contact`)."""
        self.ensure_one()
        self._check_contact_rights()
        self._check_contact_open()
        return self._csc_record_wizard(
            "csc.complaint.contact.wizard", self.env._("Customer Contacted")
        )

    def action_replan(self):
        """A service manager re-plans the deadlines of open complaints with the rules in force
        today, giving the reason (the wizard calls `_csc_replan`)."""
        self._check_replan_rights()
        self._csc_check_state(OPEN_STATES, self.env._("be re-planned"))
        return self._csc_reason_action("_csc_replan", self.env._("Reason for Re-planning"))

    def action_escalate(self):
        self._csc_check_state(("investigation",), self.env._("escalate it"))
        for complaint in self:
            complaint._escalate_to_general_manager(
                self.env._("Decide the responsibility for %s", complaint.name)
            )
        return True

    def action_send_disposition(self):
        """The disposition goes to the customer; after a rejection (R-C8) a new disposition is
        sent the same way and awaits the customer's reaction again."""
        self._csc_check_state(("investigation", "solved"), self.env._("send the disposition"))
        for complaint in self:
            complaint._check_disposition_ready()
        rejected = self.filtered(lambda c: c.customer_accepts == "rejected")
        for complaint in rejected:
            complaint.message_post(
                body=self.env._("New disposition sent after the customer's rejection.")
            )
        # The rejection stays in the history (tracking); the new disposition awaits a reaction.
        rejected._csc_write(dict.fromkeys(REACTION_FIELDS, False))
        self._csc_write({"state": "solved", "date_solved": fields.Datetime.now()})
        for complaint in self:
            complaint._csc_mail_disposition()
        return True

    def action_record_reaction(self):
        """The desk records the customer's reaction to the disposition, given by a reply to the
        mail or told to the desk (the wizard calls `_csc_record_reaction`)."""
        self.ensure_one()
        self._check_reaction_rights()
        self._check_reaction_open()
        action = self._csc_record_wizard(
            "csc.complaint.reaction.wizard", self.env._("Customer's Reaction")
        )
        action["context"].update(self._csc_reaction_defaults())
        return action

    def action_close(self):
        if not self.env.user.has_group(QUALITY):
            raise AccessError(self.env._("Only the quality department closes complaints."))
        self._csc_check_state(("solved",), self.env._("be closed"))
        for complaint in self:
            if complaint.customer_accepts == "rejected":
                raise UserError(
                    self.env._(
                        "The customer rejected the disposition of %s: send a new disposition the "
                        "customer accepts, or a service manager closes it with a reason.",
                        complaint.name,
                    )
                )
            if not complaint.customer_accepts:
                raise UserError(
                    self.env._(
                        "Record the customer's reaction to the disposition of %s before closing.",
                        complaint.name,
                    )
                )
        self._check_closing()
        self._csc_write({"state": "closed", "date_closed": fields.Datetime.now()})
        self._csc_finish_todos()
        return True

    def action_close_override(self):
        """The customer rejected the disposition and a service manager decides to close anyway:
        asks the reason."""
        self._check_manager_decision()
        return self._csc_reason_action(
            "_csc_close_override", self.env._("Reason for Closing Against the Customer")
        )

    def action_forward_reaction(self):
        """The customer's reaction goes to the departments concerned (R-C8): the responsible
        department and those chosen; each manager gets a mail and an activity."""
        self._csc_check_state(("solved", "closed"), self.env._("forward the customer's reaction"))
        for complaint in self:
            departments = complaint._check_reaction_ready()
            managers = departments.manager_id
            complaint._csc_write(
                {
                    "reaction_department_ids": [(6, 0, departments.ids)],
                    "reaction_sent_date": fields.Datetime.now(),
                }
            )
            complaint._notify_reaction(managers)
        return True

    def action_cancel(self):
        """A complaint that cannot be handled is cancelled by the quality manager, with a reason
        mailed to the customer (the wizard calls `_csc_cancel`)."""
        self._check_quality_manager()
        self._csc_check_state(OPEN_STATES, self.env._("be cancelled"))
        return self._csc_reason_action("_csc_cancel", self.env._("Reason for Cancelling"))

    def action_view_lessons(self):
        """The lessons learned on the complaint's product and its family."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Lessons Learned"),
            "res_model": "csc.lesson",
            "view_mode": "list,form",
            "domain": [("id", "in", self.lesson_ids.ids)],
        }

    def action_create_eightd(self):
        self.ensure_one()
        self._csc_check_state(("draft", "investigation"), self.env._("get an 8D report"))
        # A complaint sharing the 8D of another complaint works on that one.
        report = (
            self.eightd_id
            or self.eightd_ids.filtered(lambda r: r.state == "open")[:1]
            or self.env["csc.eightd"].create({"complaint_id": self.id})
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "csc.eightd",
            "res_id": report.id,
            "view_mode": "form",
        }

    def action_link_repeat(self):
        for complaint in self:
            if not complaint.repeat_candidate_id:
                raise UserError(
                    self.env._("%s does not look like a repeat complaint.", complaint.name)
                )
            complaint.repeat_of_id = complaint.repeat_candidate_id
        return True

    def action_link_eightd(self):
        """Share the 8D report of a repeat or of the same problem at another customer
        (R-C10): the complaint closes with that 8D."""
        for complaint in self:
            if not complaint.eightd_candidate_id:
                raise UserError(
                    self.env._("%s has no 8D report of the same problem to share.", complaint.name)
                )
            complaint.eightd_id = complaint.eightd_candidate_id
        return True

    def action_add_return(self):
        self.ensure_one()
        if not self.product_id:
            raise UserError(self.env._("Set the product of %s first.", self.name))
        line = self.env["csc.complaint.return"].create(
            {
                "complaint_id": self.id,
                "product_id": self.product_id.id,
                "lot_id": self.lot_id.id,
                "quantity": self.qty_affected or 1.0,
            }
        )
        line.action_create_receipt()
        return {
            "type": "ir.actions.act_window",
            "res_model": "csc.complaint.return",
            "res_id": line.id,
            "view_mode": "form",
        }

    def action_open_supplier_claim(self):
        """Quality opens the claim on the responsible supplier (IATF 16949 10.2.5): the parts
        still in quality inspection, to be shipped back, and the complaint's external failure
        costs carried over."""
        self.ensure_one()
        if not self.env.user.has_group(QUALITY):
            raise AccessError(self.env._("The quality department opens supplier claims."))
        if self.responsibility != "supplier" or not self.supplier_id:
            raise UserError(
                self.env._(
                    "%s: a supplier claim is opened when the responsibility is a supplier's and "
                    "the supplier is named.",
                    self.name,
                )
            )
        if self.state == "cancelled":
            raise UserError(self.env._("%s is cancelled: no claim follows it.", self.name))
        claim = self.env["csc.supplier.claim"].create(self._csc_prepare_supplier_claim_vals())
        return claim._get_records_action(name=self.env._("Supplier Claim"))

    def action_view_supplier_claims(self):
        self.ensure_one()
        return self.supplier_claim_ids._get_records_action(name=self.env._("Supplier Claims"))

    # -- business helpers ----------------------------------------------------------------------

    def _csc_prepare_supplier_claim_vals(self):
        """The claim's parts (the returned goods still in quality inspection, at their unit
        cost) and costs (the complaint's external failure costs, by kind)."""
        self.ensure_one()
        company = self.company_id
        parts = [
            Command.create(
                {
                    "return_id": line.id,
                    "product_id": line.product_id.id,
                    "lot_id": line.lot_id.id,
                    "quantity": line.quantity,
                    "price_unit": line.product_id.with_company(company).standard_price,
                    "to_return": True,
                }
            )
            for line in self.return_ids.filtered(lambda r: r.state == "received")
        ]
        # the failure costs are an SQL view over the records: written values first
        self.env.flush_all()
        # sudo: the failure costs are read to be charged, not shown; what was already paid back
        # is no cost to charge
        FailureCost = self.env["csc.failure.cost"].sudo()
        costs = FailureCost._read_group(
            [
                ("complaint_id", "=", self.id),
                ("cost_type", "not in", FailureCost._recovery_types()),
            ],
            ["cost_type"],
            ["amount:sum"],
        )
        return {
            "complaint_id": self.id,
            "company_id": company.id,
            "partner_id": self.supplier_id.id,
            "description": self.title,
            "line_ids": parts,
            "cost_ids": [
                Command.create({"cost_type": cost_type, "amount": amount})
                for cost_type, amount in costs
                if amount
            ],
        }

    def _message_post_after_hook(self, message, msg_vals):
        """An e-mail sent to the customer from the complaint by an employee is the first written
        contact (R-B3), when none was recorded before."""
        if (
            len(self) == 1
            and not self.date_contacted
            and self.state in OPEN_STATES
            and message.message_type == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id.user_ids.filtered(lambda user: not user.share)
            and message.partner_ids.filtered(
                lambda p: p.commercial_partner_id == self.partner_id.commercial_partner_id
            )
        ):
            self.sudo()._csc_write({"date_contacted": message.date, "contact_method": "email"})
            self._csc_finish_reminder(
                self._csc_contact_summary(), self.env._("Customer written to.")
            )
        return super()._message_post_after_hook(message, msg_vals)

    @api.model
    def _csc_default_distances(self, vals_list):
        """A complaint registered without the customer's distance takes the one recorded on the
        customer's latest field service (one query for the batch)."""
        missing = [v for v in vals_list if "distance" not in v and v.get("partner_id")]
        if not missing:
            return
        partners = self.env["res.partner"].browse({v["partner_id"] for v in missing})
        customers = partners.commercial_partner_id
        visits = (
            self.env["csc.service.visit"]
            .sudo()
            .search_fetch(
                [("partner_id", "child_of", customers.ids), ("distance", ">", 0)],
                ["partner_id", "distance"],
            )
        )
        distances = {}
        for visit in visits:  # latest first
            distances.setdefault(visit.partner_id.commercial_partner_id.id, visit.distance)
        for vals in missing:
            customer = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id
            if customer.id in distances:
                vals["distance"] = distances[customer.id]

    def _csc_record_wizard(self, model, title):
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    def _check_contact_rights(self):
        if not self.env.user.has_group(DESK):
            raise AccessError(
                self.env._("Only the service desk or quality records the customer contact.")
            )

    def _check_contact_open(self):
        self._csc_check_state(OPEN_STATES, self.env._("record the customer contact"))
        for complaint in self:
            if complaint.date_contacted:
                raise UserError(
                    self.env._(
                        "The customer contact of %(complaint)s was recorded on %(date)s.",
                        complaint=complaint.name,
                        date=fields.Datetime.to_string(complaint.date_contacted),
                    )
                )

    def _check_meeting_rights(self):
        if not self.env.user.has_group(QUALITY):
            raise AccessError(
                self.env._("Only the quality department records the responsibility meeting.")
            )

    def _check_meeting_open(self):
        self._csc_check_state(("investigation",), self.env._("record a responsibility meeting"))
        for complaint in self:
            if not complaint.date_meeting_deadline:
                raise UserError(
                    self.env._("Call the responsibility meeting of %s first.", complaint.name)
                )
            if complaint.date_meeting_held:
                raise UserError(
                    self.env._(
                        "The responsibility meeting of %(complaint)s was recorded (held on "
                        "%(date)s).",
                        complaint=complaint.name,
                        date=fields.Datetime.to_string(complaint.date_meeting_held),
                    )
                )

    def _check_replan_rights(self):
        if not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._("Only a service manager re-plans the deadlines of a complaint.")
            )

    def _check_event_date(self, date, what):
        """A recorded event happened between the receipt and now."""
        self.ensure_one()
        if not date or date > fields.Datetime.now() + timedelta(minutes=5):
            raise UserError(
                self.env._(
                    "%(complaint)s: %(what)s cannot lie in the future.",
                    complaint=self.name,
                    what=what,
                )
            )
        if date < self.date_received:
            raise UserError(
                self.env._(
                    "%(complaint)s: %(what)s cannot lie before the complaint was received "
                    "(%(received)s).",
                    complaint=self.name,
                    what=what,
                    received=fields.Datetime.to_string(self.date_received),
                )
            )

    def _csc_record_contact(self, date, method, note=None):
        """The customer was contacted (R-B3): someone sent, or written to, at `date`."""
        self._check_contact_rights()
        self._check_contact_open()
        if method not in dict(CONTACT_METHODS):
            raise UserError(self.env._("Choose how the customer was contacted."))
        for complaint in self:
            complaint._check_event_date(date, self.env._("the customer contact"))
        self._csc_write({"date_contacted": date, "contact_method": method})
        label = dict(self._fields["contact_method"]._description_selection(self.env))[method]
        for complaint in self:
            complaint.message_post(
                body=self.env._(
                    "Customer contacted (%(method)s) on %(date)s, recorded by %(user)s. %(note)s",
                    method=label,
                    date=fields.Datetime.to_string(date),
                    user=self.env.user.name,
                    note=(note or "").strip(),
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._csc_finish_reminder(self._csc_contact_summary(), self.env._("Customer contacted."))
        return True

    def _csc_record_meeting(self, values):
        """The responsibility meeting was held (R-C3): when, who attended (people and/or
        departments), and its conclusion, the responsibility decided."""
        self.ensure_one()
        self._check_meeting_rights()
        self._check_meeting_open()
        self._check_event_date(values.get("date_held"), self.env._("the meeting"))
        users = values.get("users") or self.env["res.users"]
        departments = values.get("departments") or self.env["csc.department"]
        responsibility = values.get("responsibility")
        department = values.get("department") or self.env["csc.department"]
        conclusion = (values.get("conclusion") or "").strip()
        self._csc_require(
            [
                (users or departments, self.env._("who attended")),
                (conclusion, self.env._("the conclusion")),
                (responsibility, self.env._("the responsibility decided")),
                (
                    responsibility != "company" or department,
                    self.env._("the responsible department"),
                ),
            ],
            self.env._("%(complaint)s: record %(missing)s of the meeting."),
            complaint=self.name,
        )
        self._csc_write(
            {
                "date_meeting_held": values["date_held"],
                "meeting_user_ids": [(6, 0, users.ids)],
                "meeting_department_ids": [(6, 0, departments.ids)],
                "meeting_conclusion": conclusion,
                "responsibility": responsibility,
                "department_id": department.id,
            }
        )
        self.message_post(
            body=self.env._(
                "Responsibility meeting held on %(date)s with %(attendees)s: %(conclusion)s",
                date=fields.Datetime.to_string(values["date_held"]),
                attendees=", ".join(users.mapped("name") + departments.mapped("name")),
                conclusion=conclusion,
            ),
            subtype_xmlid="mail.mt_note",
        )
        self.activity_feedback(
            ["mail.mail_activity_data_meeting"], feedback=self.env._("Meeting held.")
        )
        self._csc_finish_reminder(self._csc_meeting_summary(), self.env._("Meeting held."))
        return True

    def _csc_replan(self, reason):
        """Re-plan the deadlines of open complaints with the rules in force today (the company's
        settings, the customer's released requirements); the reason and the changes go to the
        chatter."""
        self._check_replan_rights()
        self._csc_check_state(OPEN_STATES, self.env._("be re-planned"))

        def replan():
            for name in DEADLINE_FIELDS:
                self.env.add_to_compute(self._fields[name], self)
            self._recompute_recordset(DEADLINE_FIELDS)

        return self._csc_replan_with_reason(reason, DEADLINE_FIELDS, replan)

    def _csc_contact_summary(self):
        return self.env._("Contact the customer: send someone, or write")

    def _csc_meeting_summary(self):
        return self.env._("Hold and record the responsibility meeting")

    def _csc_finish_reminder(self, summary, feedback):
        """Mark done the reminder `summary` of these complaints: the promise is kept."""
        self.sudo().activity_ids.filtered(lambda a: a.summary == summary).action_feedback(
            feedback=feedback
        )

    def _escalate_to_general_manager(self, summary):
        """An activity for each general manager of the complaint's company, and a message."""
        self.ensure_one()
        general_managers = self.company_id._csc_users(
            "customer_service_control.group_csc_general_manager"
        )
        for manager in general_managers:
            self.activity_schedule(
                "mail.mail_activity_data_todo", user_id=manager.id, summary=summary
            )
        self.message_post(
            body=self.env._("Escalated to the general manager: %s", summary),
            partner_ids=general_managers.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
        self._csc_write({"escalated": True})

    def _check_disposition_ready(self):
        """A disposition goes to the customer once the responsibility, the disposition and, for
        a major problem, the 8D report are recorded; again only after a rejection."""
        self.ensure_one()
        if self.state == "solved" and self.customer_accepts != "rejected":
            raise UserError(
                self.env._(
                    "The disposition of %s was sent: a new one follows only a rejection.",
                    self.name,
                )
            )
        self._csc_require(
            [
                (self.responsibility, self.env._("the responsibility")),
                (self.disposition, self.env._("the disposition")),
                (
                    self.responsibility != "undetermined",
                    self.env._("a determined responsibility"),
                ),
                (
                    self.responsibility != "company" or self.department_id,
                    self.env._("the responsible department"),
                ),
                (
                    self.severity != "major"
                    or self._csc_eightd_reports().filtered(lambda r: r.state != "cancelled"),
                    self.env._("an 8D report (mandatory for a major problem)"),
                ),
            ],
            self.env._("%(complaint)s: record %(missing)s before sending the disposition."),
            complaint=self.name,
        )

    def _csc_mail_disposition(self):
        """The disposition goes to the customer's contact (the customer without one) in their
        language, with the complaint form and each approved 8D report attached; the mail waits
        in Odoo's queue and the message stays in the chatter."""
        self.ensure_one()
        recipient = self.contact_id or self.partner_id
        attachments = self._csc_customer_documents(recipient.lang)
        self.with_context(mail_notify_force_send=False).message_post_with_source(
            self.env.ref("customer_service_control.mail_template_csc_complaint_disposition"),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=recipient.ids,
            attachment_ids=attachments.ids,
        )

    def _csc_customer_documents(self, lang):
        """The complaint form and the approved (closed) 8D reports as PDF attachments of the
        complaint, printed in `lang`."""
        self.ensure_one()
        # sudo: printed for the customer once the sender's action passed its checks; the desk
        # sending the disposition need not read the 8D itself
        Report = self.env["ir.actions.report"].sudo().with_context(lang=lang or self.env.lang)
        documents = [(COMPLAINT_FORM_REPORT, self.sudo())]
        documents += [
            (EIGHTD_REPORT, report)
            for report in self.sudo().eightd_ids.filtered(lambda r: r.state == "closed")
        ]
        values = []
        for reference, record in documents:
            report = Report._get_report(reference)
            content, kind = Report._render_qweb_pdf(reference, record.ids)
            name = safe_eval(report.print_report_name, {"object": record, "time": safe_time})
            values.append(
                {
                    "name": f"{name}.{kind}",
                    "raw": content,
                    "mimetype": "application/pdf" if kind == "pdf" else "text/html",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        return self.env["ir.attachment"].sudo().create(values)

    def _check_reaction_rights(self):
        if not self.env.user.has_group(DESK):
            raise AccessError(
                self.env._("Only the service desk or quality records the customer's reaction.")
            )

    def _check_reaction_open(self):
        """A reaction answers a disposition sent and not yet answered."""
        self._csc_check_state(("solved",), self.env._("get the customer's reaction"))
        for complaint in self.filtered("customer_accepts"):
            raise UserError(
                self.env._(
                    "The customer's reaction to %s is recorded: a new reaction answers only a new "
                    "disposition.",
                    complaint.name,
                )
            )

    def _csc_reaction_defaults(self):
        """The wizard's defaults: the customer's latest message since the disposition (a reply
        to its mail), else the complaint's contact told the desk."""
        self.ensure_one()
        commercial = self.partner_id.commercial_partner_id
        reply = self.message_ids.filtered(
            lambda m: m.message_type == "email"
            and m.author_id.commercial_partner_id == commercial
            and m.date >= self.date_solved
        )[:1]
        if reply:
            return {
                "default_channel": "mail",
                "default_partner_id": reply.author_id.id,
                "default_date_reaction": fields.Datetime.to_string(reply.date),
                "default_reaction": html2plaintext(reply.body or "").strip(),
            }
        return {
            "default_channel": "desk",
            "default_partner_id": (self.contact_id or self.partner_id).id,
        }

    def _csc_record_reaction(self, verdict, reaction, channel, partner, date=None):
        """The desk records the reaction the customer gave by replying to the mail or by telling
        the desk."""
        self.ensure_one()
        self._check_reaction_rights()
        if channel not in ("mail", "desk"):
            raise UserError(self.env._("Choose how the customer answered."))
        return self._csc_set_reaction(verdict, reaction, channel, partner, self.env.user, date)

    def _csc_portal_react(self, user, accept, comment=None):
        """A contact of the complaint's customer accepts or rejects the disposition on the
        portal (the portal's own checked route)."""
        self.ensure_one()
        self._csc_check_portal_customer(user)
        return self._csc_set_reaction(
            "accepted" if accept else "rejected", comment, "portal", user.partner_id, user
        )

    def _csc_set_reaction(self, verdict, reaction, channel, partner, recorder, date=None):
        """Record the customer's reaction, given by `partner`, recorded by the user `recorder`
        (the contact on the portal, or the desk)."""
        self._check_reaction_open()
        if verdict not in ("accepted", "rejected"):
            raise UserError(self.env._("Choose whether the customer accepts the disposition."))
        if partner.commercial_partner_id != self.partner_id.commercial_partner_id:
            raise UserError(
                self.env._(
                    "%(partner)s does not speak for %(customer)s.",
                    partner=partner.display_name,
                    customer=self.partner_id.display_name,
                )
            )
        reaction = (reaction or "").strip()
        if verdict == "rejected" and not reaction:
            raise UserError(self.env._("Say why the customer rejects the disposition."))
        date = date or fields.Datetime.now()
        self._check_event_date(date, self.env._("the customer's reaction"))
        if date < self.date_solved:
            raise UserError(
                self.env._(
                    "%s: the customer's reaction cannot come before the disposition was sent.",
                    self.name,
                )
            )
        self._csc_write(
            {
                "customer_accepts": verdict,
                "customer_reaction": reaction,
                "reaction_date": date,
                "reaction_partner_id": partner.id,
                "reaction_user_id": recorder.id,
                "reaction_channel": channel,
            }
        )
        labels = dict(self._fields["reaction_channel"]._description_selection(self.env))
        if verdict == "accepted":
            body = self.env._(
                "%(partner)s accepted the disposition (%(channel)s). %(reaction)s",
                partner=partner.name,
                channel=labels[channel],
                reaction=reaction,
            )
        else:
            body = self.env._(
                "%(partner)s rejected the disposition (%(channel)s): %(reaction)s",
                partner=partner.name,
                channel=labels[channel],
                reaction=reaction,
            )
        if channel == "portal":  # the customer's own words, in the portal's chatter too
            self.message_post(
                body=body,
                author_id=partner.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        else:
            self.message_post(body=body, subtype_xmlid="mail.mt_note")
        return True

    def _check_quality_manager(self):
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only the quality manager cancels a complaint."))

    def _csc_cancel(self, reason):
        """Cancel complaints that cannot be handled: the reason is kept and mailed to the
        customer in their language (queued), and stays in the chatter."""
        self._check_quality_manager()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for cancelling."))
        self._csc_check_state(OPEN_STATES, self.env._("be cancelled"))
        self._csc_write({"state": "cancelled", "cancel_reason": reason})
        template = self.env.ref("customer_service_control.mail_template_csc_complaint_cancelled")
        for complaint in self.with_context(mail_notify_force_send=False):
            complaint.message_post(
                body=self.env._(
                    "Cancelled by %(user)s: %(reason)s", user=self.env.user.name, reason=reason
                ),
                subtype_xmlid="mail.mt_note",
            )
            complaint.message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=(complaint.contact_id or complaint.partner_id).ids,
            )
        return True

    def _csc_finish_todos(self):
        """A closed complaint leaves nobody a to-do: handling it and its reminders are done."""
        self.activity_feedback(
            ["mail.mail_activity_data_todo"], feedback=self.env._("Complaint closed.")
        )

    def _csc_close_override(self, reason):
        self._check_manager_decision()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for closing."))
        self._csc_check_state(("solved",), self.env._("be closed"))
        for complaint in self:
            if complaint.customer_accepts != "rejected":
                raise UserError(
                    self.env._("The customer did not reject the disposition of %s.", complaint.name)
                )
        self._check_closing()
        self._csc_write(
            {"state": "closed", "date_closed": fields.Datetime.now(), "closed_override": True}
        )
        self._csc_finish_todos()
        for complaint in self:
            complaint.message_post(
                body=self.env._(
                    "Closed by %(user)s although the customer rejected the disposition: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _check_manager_decision(self):
        if not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._("Only a service manager closes a complaint the customer rejected.")
            )

    def _check_closing(self):
        """What must be finished before a complaint closes: its 8D (a major problem needs one
        closed, a cancelled one does not count) and every action verified effective."""
        for complaint in self:
            reports = complaint._csc_eightd_reports()
            open_reports = reports.filtered(lambda r: r.state == "open")
            if open_reports:
                raise UserError(
                    self.env._(
                        "Close the 8D report %(reports)s before closing %(complaint)s.",
                        reports=", ".join(open_reports.mapped("name")),
                        complaint=complaint.name,
                    )
                )
            if complaint.severity == "major" and not reports.filtered(
                lambda r: r.state == "closed"
            ):
                raise UserError(
                    self.env._(
                        "%s is a major problem: it closes only with a closed 8D report.",
                        complaint.name,
                    )
                )
            open_actions = complaint.action_ids.filtered(lambda a: a.state != "verified")
            if open_actions:
                raise UserError(
                    self.env._(
                        "%(complaint)s has actions not yet verified effective: %(actions)s.",
                        complaint=complaint.name,
                        actions=", ".join(open_actions.mapped("name")),
                    )
                )

    def _check_reaction_ready(self):
        """The customer's reaction is recorded and goes to departments with a manager; those
        departments."""
        self.ensure_one()
        if not self.customer_accepts:
            raise UserError(self.env._("Record the customer's reaction to %s first.", self.name))
        departments = self.department_id | self.reaction_department_ids
        if not departments.manager_id:
            raise UserError(
                self.env._(
                    "Choose the departments (with a manager) the reaction of %s goes to.",
                    self.name,
                )
            )
        return departments

    def _notify_reaction(self, managers):
        """A mail to the departments' managers and an activity for each."""
        self.ensure_one()
        self.message_post(
            subject=self.env._("Customer's reaction to %s", self.name),
            body=self.env._(
                "The customer %(verdict)s the disposition: %(reaction)s",
                verdict=dict(self._fields["customer_accepts"]._description_selection(self.env))[
                    self.customer_accepts
                ].lower(),
                reaction=self.customer_reaction or "",
            ),
            partner_ids=managers.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
        for manager in managers:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=manager.id,
                summary=self.env._("Customer's reaction to %s", self.name),
                note=self.customer_reaction or "",
            )

    def _get_form_action(self):
        action = {"type": "ir.actions.act_window", "res_model": "csc.complaint"}
        if len(self) == 1:
            return {**action, "res_id": self.id, "view_mode": "form"}
        return {**action, "view_mode": "list,form", "domain": [("id", "in", self.ids)]}

    def _csc_reopen_states(self):
        return ("solved", "closed", "cancelled")

    def _csc_reopen_values(self):
        """Back to the investigation; a cancelled complaint back to registered."""
        if self.state == "cancelled":
            return {"state": "draft", "cancel_reason": False}
        return {"state": "investigation", "date_closed": False, "closed_override": False}

    def _csc_plan_deadline(self, name):
        """Plan the deadline `name` of each complaint from its registration data (received,
        urgency, complexity, customer, company) with the rules in force: the company's settings
        and the customer's released specific requirements."""
        ready = self.filtered(lambda c: c.date_received and c.partner_id)
        (self - ready).update({name: False})
        limits = {}
        requests = []  # (complaint, working days) planned on the company calendar
        complex_dates = []  # (complaint, a calendar month later) moved to a working moment
        for complaint in ready:
            key = (complaint.partner_id.commercial_partner_id, complaint.company_id)
            if key not in limits:
                limits[key] = complaint.partner_id._csc_response_limits(complaint.company_id)
            limit = limits[key]
            received = complaint.date_received
            if name == "date_containment_deadline":
                complaint[name] = received + timedelta(hours=limit["containment_hours"])
            elif name == "date_deadline":
                urgent = complaint.urgency == "urgent"
                requests.append((complaint, limit["urgent_days" if urgent else "normal_days"]))
            elif complaint.complexity == "complex" and "resolution_days" not in limit["overridden"]:
                months = complaint.company_id.csc_complex_resolution_months
                complex_dates.append((complaint, received + relativedelta(months=months)))
            else:
                requests.append((complaint, limit["resolution_days"]))
        for company in ready.company_id:
            planned = [r for r in requests if r[0].company_id == company]
            dates = self._plan_working_days(company, [(c.date_received, d) for c, d in planned])
            for (complaint, _days), date in zip(planned, dates, strict=True):
                complaint[name] = date
            months = [(c, d) for c, d in complex_dates if c.company_id == company]
            moments = company._csc_calendar()._csc_plan_hours_batch([(d, 0) for _c, d in months])
            for (complaint, _date), moment in zip(months, moments, strict=True):
                complaint[name] = moment

    @api.model
    def _plan_working_days(self, company, requests):
        """For each (start, days), `start` plus `days` working days of the company calendar,
        counted in working hours: received Friday 10:00, two working days later is Tuesday
        10:00."""
        calendar = company._csc_calendar()
        if not calendar:
            return [start + timedelta(days=days) for start, days in requests]
        return calendar._csc_plan_hours_batch(
            [(start, days * calendar.hours_per_day) for start, days in requests]
        )

    def _find_repeat(self):
        """The latest earlier complaint of the same customer (group) about the same product with
        the same cause, received within the repeat window (R-C10; 12 months by default)."""
        self.ensure_one()
        if not (self.product_id and self.cause_category and self.partner_id and self.date_received):
            return self.browse()
        months = self.company_id.csc_repeat_complaint_months
        domain = [
            ("partner_id.commercial_partner_id", "=", self.partner_id.commercial_partner_id.id),
            ("product_id", "=", self.product_id.id),
            ("cause_category", "=", self.cause_category),
            ("state", "!=", "cancelled"),
            ("date_received", ">=", self.date_received - relativedelta(months=months)),
            ("date_received", "<=", self.date_received),
        ]
        if self.id:
            domain.append(("id", "<", self.id))
        return self.search(domain, order="date_received desc, id desc", limit=1)

    def _csc_eightd_reports(self):
        """The 8D reports a complaint closes with: its own and the one it shares."""
        self.ensure_one()
        return self.eightd_ids | self.eightd_id

    def _check_eightd_link_rights(self):
        """Only quality links a complaint to a shared 8D report, while the complaint is
        open."""
        if not self.env.user.has_group(QUALITY):
            raise AccessError(
                self.env._("Only the quality department links a complaint to a shared 8D report.")
            )
        self._csc_check_state(OPEN_STATES, self.env._("change its shared 8D report"))

    def _csc_department_summary(self):
        return self.env._("Complaint given to your department: investigate and act")

    def _notify_department(self):
        """The manager of each responsible department is told of the complaints just given to
        the department (R-C3, R-C8): an activity on each, and one mail per manager and batch
        through the mail queue. The to-do of a department the complaint was taken from is
        closed."""
        summary = self._csc_department_summary()
        for complaint in self:
            complaint._csc_finish_reminder(
                summary,
                self.env._("Responsibility moved to %s.", complaint.department_id.name),
            )
        for department in self.department_id:
            complaints = self.filtered(lambda c, d=department: c.department_id == d)
            manager = department.manager_id
            if not manager:
                for complaint in complaints:
                    complaint.message_post(
                        body=self.env._(
                            "%s has no manager: nobody was told of the responsibility.",
                            department.name,
                        ),
                        subtype_xmlid="mail.mt_note",
                    )
                continue
            complaints.message_subscribe(partner_ids=manager.partner_id.ids)
            complaints._csc_notify_batch(
                manager.partner_id,
                "customer_service_control.mail_template_csc_complaint_department",
                self.env._(
                    "%(count)s complaints given to %(department)s",
                    count=len(complaints),
                    department=department.name,
                ),
                self.env._(
                    "Responsibility given to %(department)s: %(manager)s was told in the digest "
                    "of this batch.",
                    department=department.name,
                    manager=manager.name,
                ),
            )
            # The mail above tells the manager: the to-do itself sends no second one.
            for complaint in complaints.with_context(mail_activity_quick_update=True):
                complaint.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=fields.Date.to_date(
                        complaint.date_resolution_deadline or fields.Datetime.now()
                    ),
                    user_id=manager.id,
                    summary=summary,
                    note=self.env._(
                        "%(complaint)s (%(customer)s): %(title)s",
                        complaint=complaint.name,
                        customer=complaint.partner_id.display_name,
                        title=complaint.title,
                    ),
                )

    def _csc_digest_line(self):
        return f"{self.name}: {self.title} ({self.partner_id.display_name})"

    def _notify_quality_department(self):
        """The quality department learns of new complaints: one message per complaint created
        alone, one digest per batch (a batch problem reaches many customers at once)."""
        quality = self.env.ref("customer_service_control.csc_department_quality", False)
        users = quality and (quality.manager_id | quality.member_ids)
        if not users or not self:
            return
        self.message_subscribe(partner_ids=users.partner_id.ids)
        self._csc_notify_batch(
            users.partner_id,
            "customer_service_control.mail_template_csc_complaint_new",
            self.env._("%s new complaints registered", len(self)),
            self.env._(
                "New complaint: the quality department (%s) was told in the digest of this batch.",
                ", ".join(users.mapped("name")),
            ),
        )

    def _notify_owner(self):
        """Each owner is told of the complaints assigned to them: one message per owner and
        batch."""
        for owner in self.user_id:
            complaints = self.filtered(lambda c, owner=owner: c.user_id == owner)
            complaints.message_subscribe(partner_ids=owner.partner_id.ids)
            complaints._csc_notify_batch(
                owner.partner_id,
                "customer_service_control.mail_template_csc_complaint_assigned",
                self.env._(
                    "%(count)s complaints assigned to %(owner)s",
                    count=len(complaints),
                    owner=owner.name,
                ),
                self.env._("Assigned to %s, told in the digest of this batch.", owner.name),
            )

    @api.model
    def _csc_job_deadline_reminders(self, complaints, since):
        """Job: the deadline reminder of each complaint of the batch still open and not reminded
        since `since` (a batch performed twice reminds once)."""
        complaints = complaints.exists().filtered(
            lambda c: c.state in ("draft", "investigation")
            and not (c.date_deadline_reminded and c.date_deadline_reminded >= since)
        )
        template = self.env.ref("customer_service_control.mail_template_csc_complaint_deadline")
        for complaint in complaints:
            recipients = complaint.user_id | complaint.company_id._csc_service_managers()
            complaint.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                partner_ids=recipients.partner_id.ids,
            )
        complaints.write({"date_deadline_reminded": fields.Datetime.now()})
        return len(complaints)

    @api.model
    def _csc_job_serious_problems(self, complaints, now):
        """Job: remind or escalate each serious problem of the batch as of `now`, unless done
        already (escalated, or the reminder activity exists)."""
        reminder = self.env._("Serious problem: solve within the promised hours")
        running = complaints.exists().filtered(lambda c: c.state in ("draft", "investigation"))
        for complaint in running:
            if complaint.date_serious_deadline < now:
                if not complaint.escalated:
                    complaint._escalate_to_general_manager(
                        self.env._(
                            "Serious problem %s not solved by its deadline: decide the next step.",
                            complaint.name,
                        )
                    )
            elif complaint.user_id and not complaint.activity_ids.filtered(
                lambda a, summary=reminder: a.summary == summary
            ):
                complaint.activity_schedule(
                    "mail.mail_activity_data_warning",
                    date_deadline=fields.Date.to_date(complaint.date_serious_deadline),
                    user_id=complaint.user_id.id,
                    summary=reminder,
                )

    @api.model
    def _csc_job_promise_reminders(self, complaints, now):
        """Job: a to-do for whoever must keep each promise of the batch near or past its
        deadline and not kept: contact the customer (R-B3), hold the responsibility meeting
        (R-C3). The owner acts, a service manager while there is none; one open to-do each."""
        soon = now + timedelta(hours=PROMISE_REMIND_HOURS)
        running = complaints.exists().filtered(lambda c: c.state in OPEN_STATES)
        promises = [
            (
                self._csc_contact_summary(),
                "date_contact_deadline",
                running.filtered(
                    lambda c: not c.date_contacted
                    and c.date_contact_deadline
                    and c.date_contact_deadline <= soon
                ),
            ),
            (
                self._csc_meeting_summary(),
                "date_meeting_deadline",
                running.filtered(
                    lambda c: c.state == "investigation"
                    and not c.date_meeting_held
                    and c.date_meeting_deadline
                    and c.date_meeting_deadline <= soon
                ),
            ),
        ]
        reminded = self.browse()
        for summary, deadline, records in promises:
            for complaint in records:
                user = complaint.user_id or complaint.company_id._csc_service_managers()[:1]
                if user:
                    reminded |= complaint._csc_activity_once(
                        "mail.mail_activity_data_todo",
                        summary,
                        user_id=user.id,
                        date_deadline=fields.Date.to_date(complaint[deadline]),
                        note=self.env._(
                            "Due by %s.", fields.Datetime.to_string(complaint[deadline])
                        ),
                    )
        return len(reminded)

    # -- crons ---------------------------------------------------------------------------------

    @api.model
    def _cron_promise_reminders(self):
        """The customer contact and the responsibility meeting, within their last hours or
        passed and not recorded: a to-do for the owner (once, while it is open), in the
        background: one job per batch of complaints."""
        now = fields.Datetime.now()
        soon = now + timedelta(hours=PROMISE_REMIND_HOURS)
        complaints = self.search(
            [
                ("state", "in", OPEN_STATES),
                "|",
                "&",
                ("date_contacted", "=", False),
                ("date_contact_deadline", "<=", soon),
                "&",
                ("date_meeting_held", "=", False),
                ("date_meeting_deadline", "<=", soon),
            ]
        )
        self._csc_delay_batches(
            "_csc_job_promise_reminders",
            complaints,
            now,
            description=self.env._("Complaint contact and meeting reminders"),
            key=f"promises:{now:%Y-%m-%d %H}",
        )

    @api.model
    def _cron_deadline_reminders(self):
        """Deadline within 24 h, or passed: the owner and the service managers are told, once a
        day (a run within 20 hours of the last reminder tells nobody again), in the background:
        one job per batch of complaints."""
        now = fields.Datetime.now()
        since = now - timedelta(hours=20)
        complaints = self.search(
            [
                ("state", "in", ("draft", "investigation")),
                ("date_deadline", "<=", now + timedelta(hours=24)),
                "|",
                ("date_deadline_reminded", "=", False),
                ("date_deadline_reminded", "<", since),
            ]
        )
        self._csc_delay_batches(
            "_csc_job_deadline_reminders",
            complaints,
            since,
            description=self.env._("Complaint deadline reminders"),
            key=f"deadline:{now.date()}",
        )

    @api.model
    def _cron_serious_problems(self):
        """A major problem not solved within the serious-problem hours (R-B3): a reminder to the
        owner while it runs (once, in its last quarter), an escalation to the general manager
        once it is missed. Idempotent: each happens once per complaint. In the background: one
        job per batch of complaints."""
        now = fields.Datetime.now()
        running = self.search(
            [
                ("state", "in", ("draft", "investigation")),
                ("date_serious_deadline", "!=", False),
                ("date_serious_deadline", "<=", now + timedelta(hours=6)),
            ]
        )
        self._csc_delay_batches(
            "_csc_job_serious_problems",
            running,
            now,
            description=self.env._("Serious problem reminders and escalations"),
            key=f"serious:{now:%Y-%m-%d %H}",
        )
