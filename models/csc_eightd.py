from datetime import timedelta

from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from .csc_eightd_review import REVIEW_STEPS

CONTAINMENT_ACTIVITY = "customer_service_control.mail_activity_type_csc_containment"
REPORT_ACTIVITY = "customer_service_control.mail_activity_type_csc_eightd"
DISCIPLINES = [
    ("0", "D0 Emergency Response"),
    ("1", "D1 Team"),
    ("2", "D2 Problem Description"),
    ("3", "D3 Containment"),
    ("4", "D4 Root Cause"),
    ("5", "D5 Corrective Actions"),
    ("6", "D6 Implementation and Validation"),
    ("7", "D7 Prevent Recurrence"),
    ("8", "D8 Closure"),
]
# What each discipline records: read-only once the discipline is signed off.
DISCIPLINE_FIELDS = {
    "emergency_response": 0,
    "champion_id": 1,
    "leader_id": 1,
    "team_line_ids": 1,
    "problem_what": 2,
    "problem_why": 2,
    "problem_where": 2,
    "problem_when": 2,
    "problem_who": 2,
    "problem_how": 2,
    "problem_how_many": 2,
    "is_is_not": 2,
    "containment_line_ids": 3,
    "cause_line_ids": 4,
    "why_line_ids": 4,
    "ishikawa_line_ids": 4,
    "validation": 6,
    "date_implemented": 6,
    "document_line_ids": 7,
    "rollout": 7,
    "lessons_learned": 7,
}
LINE_DISCIPLINES = {
    "csc.eightd.team": 1,
    "csc.eightd.containment": 3,
    "csc.eightd.cause": 4,
    "csc.eightd.why": 4,
    "csc.eightd.ishikawa": 4,
    "csc.eightd.document": 7,
}


class CscEightd(models.Model):
    """The 8D report of a complaint (R-C4..C7). Disciplines are signed off in order; the report
    closes only when every action is done and verified effective."""

    _name = "csc.eightd"
    _description = "8D Report"
    _check_company_auto = True
    _inherit = [
        "csc.sequence.mixin",
        "csc.workflow.mixin",
        "csc.portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"
    _csc_guarded_fields = frozenset(
        {
            "state",
            "signed_off",
            "approver_id",
            "date_closed",
            "date_containment_deadline",
            "date_contained",
            "date_deadline",
        }
    )
    _csc_locked_states = ("closed", "cancelled")
    _csc_parent_fields = ("complaint_id",)
    _csc_reason_methods = frozenset({"_csc_reopen", "_csc_cancel"})
    # The customer-facing part of the 8D (the portal page shows containment, the causes and
    # the actions once their discipline is signed off): never the team, the people or
    # departments causes and actions are assigned to, nor the internal analysis.
    _csc_portal_fields = frozenset(
        {
            "complaint_id",
            "product_id",
            "customer_reference",
            "signed_off",
            "date_containment_deadline",
            "date_deadline",
            "date_implemented",
            "date_closed",
        }
    )

    # -- fields -----------------------------------------------------------------------------------

    name = fields.Char("8D Number", readonly=True, copy=False, default="/")
    complaint_id = fields.Many2one(
        "csc.complaint",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="complaint_id.partner_id", store=True, string="Customer")
    product_id = fields.Many2one(related="complaint_id.product_id", store=True)
    lot_id = fields.Many2one(related="complaint_id.lot_id")
    # Other complaints with the same problem that share this report (R-C10).
    shared_complaint_ids = fields.One2many(
        "csc.complaint", "eightd_id", "Complaints Sharing This 8D", readonly=True
    )
    customer_reference = fields.Char("Customer Complaint No.", tracking=True)
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed"), ("cancelled", "Cancelled")],
        default="open",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    signed_off = fields.Selection(
        [("none", "None"), *DISCIPLINES],
        "Signed Off Up To",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    discipline_to_sign = fields.Selection(
        DISCIPLINES,
        "Next Sign-off",
        compute="_compute_discipline_to_sign",
        help="The discipline the next sign-off signs (the button names it, so that a sign-off "
        "never signs a discipline its user did not see).",
    )
    signoff_ids = fields.One2many("csc.eightd.signoff", "eightd_id", "Sign-offs", readonly=True)
    date_containment_deadline = fields.Datetime("D3 Due", readonly=True, tracking=True)
    date_contained = fields.Datetime(
        "D3 Signed Off On",
        compute="_compute_date_contained",
        store=True,
        help="When the containment (D3) was signed off.",
    )
    date_deadline = fields.Datetime("8D Due", readonly=True, tracking=True)
    # D0
    emergency_response = fields.Text(tracking=True)
    # D1
    champion_id = fields.Many2one("res.users", domain=[("share", "=", False)], tracking=True)
    leader_id = fields.Many2one(
        "res.users", "Team Leader", domain=[("share", "=", False)], tracking=True
    )
    team_line_ids = fields.One2many("csc.eightd.team", "eightd_id", "Team", copy=True)
    # D2
    problem_what = fields.Text("What", tracking=True)
    problem_why = fields.Text("Why Is It a Problem")
    problem_where = fields.Text("Where")
    problem_when = fields.Text("When")
    problem_who = fields.Text("Who Detected It")
    problem_how = fields.Text("How Was It Detected")
    problem_how_many = fields.Text("How Many", tracking=True)
    is_is_not = fields.Html("IS / IS NOT")
    # D3
    containment_line_ids = fields.One2many(
        "csc.eightd.containment", "eightd_id", "Containment", copy=True
    )
    # D4
    cause_line_ids = fields.One2many("csc.eightd.cause", "eightd_id", "Causes", copy=True)
    why_line_ids = fields.One2many("csc.eightd.why", "eightd_id", "5-Why Chains", copy=True)
    ishikawa_line_ids = fields.One2many(
        "csc.eightd.ishikawa", "eightd_id", "Ishikawa Grid", copy=True
    )
    # D5 / D6
    action_ids = fields.One2many("csc.action", "eightd_id", "Actions")
    validation = fields.Text("Validation Data", tracking=True)
    date_implemented = fields.Date("Implemented On", tracking=True)
    # D7
    document_line_ids = fields.One2many(
        "csc.eightd.document", "eightd_id", "Documents Updated", copy=True
    )
    rollout = fields.Text(
        "Rolled Out To", help="Similar products, lines and plants.", tracking=True
    )
    lessons_learned = fields.Text(tracking=True)
    # Read-across tasks (横向展开): actions of the kind "read-across", chased like every action.
    readacross_ids = fields.One2many(
        "csc.action",
        "eightd_id",
        "Read-Across Tasks",
        domain=[("action_type", "=", "readacross")],
    )
    lesson_ids = fields.One2many("csc.lesson", "eightd_id", "Lessons Learned Recorded")
    lesson_count = fields.Integer("Lessons", compute="_compute_lesson_count")
    # The customer's review of the submitted steps (portal).
    review_ids = fields.One2many(
        "csc.eightd.review", "eightd_id", "Customer Reviews", readonly=True
    )
    # The fields the customer's requirements add to its 8D reports.
    extra_value_ids = fields.One2many(
        "csc.eightd.extra.value", "eightd_id", "Customer-Specific Fields", copy=True
    )
    # D8
    approver_id = fields.Many2one(
        "res.users", "Approved By", readonly=True, copy=False, tracking=True
    )
    date_closed = fields.Datetime("Closed On", readonly=True, copy=False, tracking=True)
    recognition = fields.Text("Team Recognition")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "8D numbers are unique."),
    ]

    # -- computes ---------------------------------------------------------------------------------

    def _compute_access_url(self):
        for report in self:
            report.access_url = f"/my/8d/{report.id}"

    @api.depends("state", "signed_off")
    def _compute_discipline_to_sign(self):
        for report in self:
            step = report._next_discipline()
            report.discipline_to_sign = str(step) if report.state == "open" and step <= 8 else False

    @api.depends("lesson_ids")
    def _compute_lesson_count(self):
        for report in self:
            report.lesson_count = len(report.lesson_ids)

    @api.depends("signoff_ids.discipline", "signoff_ids.date")
    def _compute_date_contained(self):
        for report in self:
            containment = report.signoff_ids.filtered(lambda line: line.discipline == "3")
            report.date_contained = containment[:1].date

    def _signed_level(self):
        """The last discipline signed off (-1: none)."""
        self.ensure_one()
        return -1 if self.signed_off == "none" else int(self.signed_off)

    def _next_discipline(self):
        self.ensure_one()
        return self._signed_level() + 1

    # -- constraints ------------------------------------------------------------------------------

    @api.constrains("date_implemented")
    def _check_date_implemented(self):
        for report in self:
            received = report.complaint_id.date_received
            if report.date_implemented and received and report.date_implemented < received.date():
                raise ValidationError(
                    self.env._(
                        "%s: the actions cannot be implemented before the complaint was received.",
                        report.name,
                    )
                )

    # -- CRUD -------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        reports = super().create(vals_list)
        for report in reports:
            report._plan_deadlines()
        reports._add_customer_fields()
        return reports

    def write(self, vals):
        if not self._csc_unguarded():
            for report in self:
                report._check_disciplines_open(vals)
        res = super().write(vals)
        if "signed_off" in vals:
            self._drop_signoffs_taken_back()
        return res

    def _drop_signoffs_taken_back(self):
        """A transition that takes sign-offs back (a reopened analysis, a reopened closure)
        removes their lines: the chatter keeps who had signed them off. The customer's reviews
        of the steps taken back become history: the step is reviewed again once signed off."""
        lines = self.sudo().signoff_ids.filtered(
            lambda line: int(line.discipline) > line.eightd_id._signed_level()
        )
        reviews = self.sudo().review_ids.filtered(
            lambda review: review.current
            and REVIEW_STEPS[review.step][0] > review.eightd_id._signed_level()
        )
        if lines or reviews:
            with self._csc_transition():
                lines.unlink()
                reviews.write({"current": False})

    def _check_disciplines_open(self, names):
        """What a signed-off discipline recorded no longer changes (reopening the analysis
        after an ineffective action opens D4 onwards again)."""
        self.ensure_one()
        signed = self._signed_level()
        closed = sorted(
            {DISCIPLINE_FIELDS[n] for n in names if DISCIPLINE_FIELDS.get(n, 99) <= signed}
        )
        if closed:
            raise UserError(
                self.env._(
                    "%(report)s: %(discipline)s is signed off; what it records can no longer "
                    "change.",
                    report=self.name,
                    discipline=dict(DISCIPLINES)[str(closed[0])],
                )
            )

    def _csc_check_child_change(self, children, operation, names):
        res = super()._csc_check_child_change(children, operation, names)
        step = LINE_DISCIPLINES.get(children._name)
        if step is not None:
            lines = [name for name, field_step in DISCIPLINE_FIELDS.items() if field_step == step]
            for report in self:
                report._check_disciplines_open(lines)
        return res

    # -- actions ----------------------------------------------------------------------------------

    def action_sign_off(self, discipline=None):
        """Sign off `discipline`, the one the user saw as next, after checking that it is
        complete. The form passes it in the context (`csc_discipline`), an RPC caller as the
        argument; without it nothing is signed. A discipline already signed off, or not the
        next one, is refused: a click repeated, or retried after someone else's sign-off, never
        signs the following discipline."""
        self.check_access("write")
        discipline = self._check_discipline_named(
            discipline if discipline is not None else self.env.context.get("csc_discipline")
        )
        self._csc_check_state(("open",), self.env._("be signed off"))
        for report in self:
            step = report._next_discipline()
            report._check_discipline_is_next(discipline, step)
            if step == 8:
                report._close()
                continue
            problem = report._discipline_problem(step)
            if problem:
                raise UserError(
                    self.env._(
                        "%(report)s: %(discipline)s cannot be signed off: %(problem)s",
                        report=report.name,
                        discipline=dict(DISCIPLINES)[str(step)],
                        problem=problem,
                    )
                )
            report._csc_write({"signed_off": str(step)})
            report._record_signoff(step)
            if step == 3:
                report.activity_feedback([CONTAINMENT_ACTIVITY])
            if step == 7 and report.lessons_learned and report.product_id and not report.lesson_ids:
                report._create_lesson()
        return True

    def action_create_lesson(self):
        """Record the lesson learned of this 8D (D7 / D8) and open it."""
        self.ensure_one()
        self.check_access("write")
        if self.state == "cancelled" or self._signed_level() < 6:
            raise UserError(
                self.env._(
                    "%s: the lesson learned is recorded with D7, once the actions are "
                    "implemented and validated (D6 signed off).",
                    self.name,
                )
            )
        action = {"type": "ir.actions.act_window", "res_model": "csc.lesson", "view_mode": "form"}
        if not (self.lesson_ids or self.product_id):
            # no product to file it on: the form asks for the product or the family
            values = self._lesson_values()
            return {**action, "context": {f"default_{name}": v for name, v in values.items()}}
        return {**action, "res_id": (self.lesson_ids[:1] or self._create_lesson()).id}

    def action_view_lessons(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Lessons Learned"),
            "res_model": "csc.lesson",
            "view_mode": "list,form",
            "domain": [("eightd_id", "=", self.id)],
            "context": {"default_eightd_id": self.id},
        }

    def action_update_customer_fields(self):
        """Add the fields the customer's released requirements ask for since the 8D opened."""
        self.check_access("write")
        self._add_customer_fields()
        return True

    def action_propose_containment(self):
        """Propose a containment line per stock location holding the product (or lot)."""
        self.ensure_one()
        domain = [
            ("product_id", "=", self.product_id.id),
            ("location_id.usage", "=", "internal"),
            ("quantity", ">", 0),
        ]
        if self.lot_id:
            domain.append(("lot_id", "=", self.lot_id.id))
        quants = self.env["stock.quant"]._read_group(domain, ["location_id"], ["quantity:sum"])
        known = self.containment_line_ids.location_id
        self.containment_line_ids = [
            Command.create({"place": "stock", "location_id": location.id, "qty_to_check": qty})
            for location, qty in quants
            if location not in known
        ]
        return True

    def action_cancel(self):
        """Cancelling an 8D is the quality manager's decision, with a reason."""
        self._check_quality_manager()
        self._csc_check_state(("open",), self.env._("be cancelled"))
        return self._csc_reason_action("_csc_cancel", self.env._("Reason for Cancelling"))

    # -- business ---------------------------------------------------------------------------------

    def _plan_deadlines(self):
        """Customer-facing deadlines from the customer's CSR or the company defaults, each an
        activity of the 8D's owner."""
        self.ensure_one()
        complaint = self.complaint_id
        limits = complaint.partner_id._csc_response_limits(complaint.company_id)
        start = complaint.date_received
        self._csc_write(
            {
                "date_containment_deadline": start + timedelta(hours=limits["containment_hours"]),
                "date_deadline": start + timedelta(days=limits["eightd_days"]),
            }
        )
        owner = complaint.user_id or self.env.user
        for activity_type, deadline in (
            (CONTAINMENT_ACTIVITY, self.date_containment_deadline),
            (REPORT_ACTIVITY, self.date_deadline),
        ):
            self.activity_schedule(
                activity_type, date_deadline=fields.Date.to_date(deadline), user_id=owner.id
            )

    @api.model
    def _check_discipline_named(self, discipline):
        """The discipline a sign-off names ("0" .. "8", or the number), or a clear refusal."""
        if isinstance(discipline, int) and not isinstance(discipline, bool):
            discipline = str(discipline)
        if not discipline:
            raise UserError(
                self.env._(
                    "Name the discipline you sign off (0 for D0 .. 8 for D8): a sign-off signs "
                    "what its user saw, never whatever comes next."
                )
            )
        if discipline not in dict(DISCIPLINES):
            raise UserError(
                self.env._("%s is not a discipline of the 8D (0 for D0 .. 8 for D8).", discipline)
            )
        return discipline

    def _check_discipline_is_next(self, discipline, step):
        """Refuse the sign-off of a discipline already signed off or not yet due."""
        self.ensure_one()
        if discipline == str(step):
            return
        labels = dict(DISCIPLINES)
        signed = self.signoff_ids.filtered(lambda line: line.discipline == discipline)
        if int(discipline) < step:
            values = {
                "report": self.name,
                "discipline": labels[discipline],
                "user": signed.user_id.name,
                "next": labels[str(step)],
            }
            if signed:
                raise UserError(
                    self.env._(
                        "%(report)s: %(discipline)s is already signed off by %(user)s. Reload "
                        "the report: the next discipline to sign off is %(next)s.",
                        **values,
                    )
                )
            raise UserError(
                self.env._(
                    "%(report)s: %(discipline)s is already signed off. Reload the report: the "
                    "next discipline to sign off is %(next)s.",
                    **values,
                )
            )
        raise UserError(
            self.env._(
                "%(report)s: %(discipline)s cannot be signed off before %(next)s.",
                report=self.name,
                discipline=labels[discipline],
                next=labels[str(step)],
            )
        )

    def _record_signoff(self, step):
        """Who signed off discipline `step` and when (the lines are read-only to every role:
        written as the transition, by its user)."""
        self.ensure_one()
        with self._csc_transition():
            self.env["csc.eightd.signoff"].sudo().create(
                {
                    "eightd_id": self.id,
                    "discipline": str(step),
                    "user_id": self.env.user.id,
                    "date": fields.Datetime.now(),
                }
            )

    def _discipline_problem(self, step):
        """Why discipline `step` is not complete yet, or None."""
        self.ensure_one()
        if step == 0 and not self.emergency_response:
            return self.env._("describe the emergency response.")
        if step == 1 and not (self.leader_id and self.team_line_ids):
            return self.env._("name the team leader and the team.")
        if step == 2 and not (self.problem_what and self.problem_how_many):
            return self.env._("describe what happened and how many parts are concerned.")
        if step == 3 and not self.containment_line_ids:
            return self.env._("record the containment for each place checked.")
        if step == 4:
            return self._cause_problem()
        if step == 5 and not self.action_ids.filtered(lambda a: a.action_type == "corrective"):
            return self.env._("plan at least one corrective action.")
        if step == 6:
            if self.action_ids.filtered(lambda a: a.state == "open"):
                return self.env._("every action must be implemented.")
            if not (self.validation and self.date_implemented):
                return self.env._("record the implementation date and the validation data.")
        if step == 7 and not (self.document_line_ids or self.lessons_learned):
            return self.env._(
                "record the documents updated (PFMEA, control plan...) or lessons learned."
            )
        return None

    def _cause_problem(self):
        chains = dict(self.env["csc.eightd.why"]._fields["chain"]._description_selection(self.env))
        whys = self.why_line_ids
        for chain in dict.fromkeys(whys.mapped("chain")):
            if not whys.filtered(lambda why, chain=chain: why.chain == chain and why.is_root_cause):
                return self.env._(
                    "the %s 5-Why chain does not end in a root cause (tick the answer that is "
                    "the root cause).",
                    chains[chain],
                )
        if self.ishikawa_line_ids.filtered(lambda cause: not cause.verified):
            return self.env._(
                "check every possible cause of the Ishikawa grid (a cause or ruled out)."
            )
        causes = self.cause_line_ids
        if not {"occurrence", "escape"} <= set(causes.mapped("cause_type")):
            return self.env._("record both the occurrence cause and the escape cause.")
        if causes.filtered(lambda c: not c.verified):
            return self.env._("verify every cause (the problem can be switched on and off).")
        total = sum(causes.mapped("contribution"))
        if float_compare(total, 100.0, precision_digits=2):
            return self.env._("the contributions add up to %s %%, not 100 %%.", total)
        return None

    def _close(self):
        self.ensure_one()
        if not self.env.user.has_group("customer_service_control.group_csc_manager"):
            raise AccessError(
                self.env._("The 8D report is approved by the quality manager or above.")
            )
        self._csc_check_not_self(self.leader_id, self.env._("approve the 8D report %s", self.name))
        empty = self.extra_value_ids.filtered(lambda line: not (line.value or "").strip())
        if empty:
            raise UserError(
                self.env._(
                    "%(report)s cannot close: the customer asks for %(fields)s on its 8D "
                    "reports; fill them in first.",
                    report=self.name,
                    fields=", ".join(empty.field_id.mapped("name")),
                )
            )
        not_verified = self.action_ids.filtered(lambda a: a.state != "verified")
        if not_verified:
            raise UserError(
                self.env._(
                    "%(report)s cannot close: the effectiveness of %(actions)s is not verified.",
                    report=self.name,
                    actions=", ".join(not_verified.mapped("reference")),
                )
            )
        self._csc_write(
            {
                "signed_off": "8",
                "state": "closed",
                "approver_id": self.env.user.id,
                "date_closed": fields.Datetime.now(),
            }
        )
        self._record_signoff(8)
        self.activity_feedback([CONTAINMENT_ACTIVITY, REPORT_ACTIVITY])
        contact = self.complaint_id.contact_id or self.partner_id
        self.message_post_with_source(
            self.env.ref("customer_service_control.mail_template_csc_eightd_closed"),
            subtype_xmlid="mail.mt_comment",
            partner_ids=contact.ids,
        )

    def _reopen_analysis(self, actions):
        """An action found ineffective sends the analysis back to the root cause (D4)."""
        for report in self.filtered(lambda r: r.signed_off not in ("none", "0", "1", "2")):
            report._csc_write(
                {"signed_off": "3", "state": "open", "approver_id": False, "date_closed": False}
            )
            report.message_post(
                body=self.env._(
                    "%s verified not effective: the root-cause analysis is reopened.",
                    ", ".join(actions.mapped("reference")),
                )
            )

    def _create_lesson(self):
        """The lesson learned of this 8D, filed on its product and the product's family."""
        self.ensure_one()
        return self.env["csc.lesson"].create(self._lesson_values())

    def _lesson_values(self):
        """The lesson learned of this 8D: its problem, verified root causes (else the root
        causes its 5-Why chains ended in) and lessons learned."""
        self.ensure_one()
        roots = self.why_line_ids.filtered("is_root_cause").mapped("answer")
        causes = self.cause_line_ids.filtered("verified").mapped("name") or roots
        return {
            "name": self.complaint_id.title or self.name,
            "company_id": self.company_id.id,
            "eightd_id": self.id,
            "product_id": self.product_id.id,
            "categ_id": self.env["csc.lesson"]._csc_family(self.product_id).id,
            "problem": self.problem_what or self.complaint_id.title or "-",
            "root_cause": "\n".join(causes) or "-",
            "lesson": self.lessons_learned or "-",
        }

    def _add_customer_fields(self):
        """One line per field the customer's released requirements ask for on its 8D reports
        (those the 8D has not got yet)."""
        vals_list = []
        for report in self.filtered(lambda r: r.state == "open"):
            company = report.company_id
            requirements = report.partner_id.commercial_partner_id.sudo().csc_requirement_ids
            wanted = requirements.filtered(
                lambda r, company=company: r.state == "released"
                and r.company_id in (company, company.browse())
            ).eightd_extra_field_ids
            for field in wanted - report.extra_value_ids.field_id:
                vals_list.append({"eightd_id": report.id, "field_id": field.id})
        return self.env["csc.eightd.extra.value"].create(vals_list)

    def _review_status(self):
        """{step: (the current review or None, whether the customer may review it now)} for the
        steps the customer reviews (D3, D4, D5-D7)."""
        self.ensure_one()
        status = {}
        for step, (submitted, _reopens) in REVIEW_STEPS.items():
            review = self.review_ids.filtered(lambda r, step=step: r.current and r.step == step)
            review = review.sorted("id")[-1:]
            status[step] = (
                review or None,
                self.state != "cancelled" and self._signed_level() >= submitted and not review,
            )
        return status

    def _csc_portal_review(self, user, step, accept, comment=None):
        """A contact of the 8D's customer accepts or rejects a submitted step on the portal
        (the portal's checked route): the review is recorded with who and when; a rejection
        reopens the step with the customer's comment as the reason, and the 8D's owner gets an
        activity to rework it."""
        self.ensure_one()
        self._csc_check_portal_customer(user)
        if step not in REVIEW_STEPS:
            raise UserError(self.env._("%s is not a step the customer reviews.", step))
        self._csc_check_state(("open", "closed"), self.env._("be reviewed"))
        submitted, reopens = REVIEW_STEPS[step]
        status, may_review = self._review_status()[step]
        labels = dict(
            self.env["csc.eightd.review"]._fields["step"]._description_selection(self.env)
        )
        if not may_review:
            if status:
                raise UserError(self.env._("%(step)s is already reviewed.", step=labels[step]))
            raise UserError(
                self.env._("%(step)s is not submitted for review yet.", step=labels[step])
            )
        comment = (comment or "").strip()
        if not accept and not comment:
            raise UserError(self.env._("Say why you reject %s.", labels[step]))
        partner = user.partner_id
        with self._csc_transition():
            self.env["csc.eightd.review"].sudo().create(
                {
                    "eightd_id": self.id,
                    "step": step,
                    "decision": "accepted" if accept else "rejected",
                    "comment": comment,
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "date": fields.Datetime.now(),
                }
            )
        if accept:
            body = self.env._(
                "%(partner)s accepted %(step)s. %(comment)s",
                partner=partner.name,
                step=labels[step],
                comment=comment,
            )
        else:
            body = self.env._(
                "%(partner)s rejected %(step)s: %(comment)s",
                partner=partner.name,
                step=labels[step],
                comment=comment,
            )
        self.message_post(
            body=body, author_id=partner.id, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        if not accept:
            self._reopen_for_customer(reopens, labels[step], partner, comment)
        return True

    def _reopen_for_customer(self, discipline, step_label, partner, reason):
        """The customer rejected a step: it is open again from `discipline` on (the sign-offs
        and reviews from there are taken back), the reason recorded, the owner asked to rework
        it."""
        self.ensure_one()
        self._csc_write(
            {
                "signed_off": "none" if discipline == 0 else str(discipline - 1),
                "state": "open",
                "approver_id": False,
                "date_closed": False,
            }
        )
        self.message_post(
            body=self.env._(
                "%(step)s reopened: rejected by the customer (%(partner)s): %(reason)s",
                step=step_label,
                partner=partner.name,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        owner = self.leader_id or self.complaint_id.user_id or self.create_uid
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=fields.Date.context_today(self),
            user_id=owner.id,
            summary=self.env._("Customer rejected %s", step_label),
            note=reason,
        )

    def _csc_cancel(self, reason):
        self._check_quality_manager()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for cancelling."))
        self._csc_check_state(("open",), self.env._("be cancelled"))
        self._csc_write({"state": "cancelled"})
        self.activity_unlink([CONTAINMENT_ACTIVITY, REPORT_ACTIVITY])
        for report in self:
            report.message_post(
                body=self.env._(
                    "Cancelled by %(user)s: %(reason)s", user=self.env.user.name, reason=reason
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _check_quality_manager(self):
        if not self.env.user.has_group("customer_service_control.group_csc_manager"):
            raise AccessError(self.env._("Only the quality manager cancels an 8D report."))

    def _csc_reopen_states(self):
        return ("closed",)

    def _csc_reopen_values(self):
        """A reopened 8D waits for its closure (D8) again."""
        return {"state": "open", "signed_off": "7", "approver_id": False, "date_closed": False}

    # -- migration --------------------------------------------------------------------------------

    def _csc_signoffs_from_history(self):
        """Sign-off lines of 8D reports signed off before sign-offs were stored (migration to
        18.0.1.2.0), rebuilt from the tracked "Signed Off Up To": the latest step forward to a
        discipline names who signed it off and when; a step back (a reopened analysis) takes
        back the sign-offs above it. Only the disciplines signed off and without a line get one."""
        history = self._signoff_history()
        vals_list = []
        for report in self.filtered(lambda r: r._signed_level() >= 0):
            have = set(report.sudo().signoff_ids.mapped("discipline"))
            for step in range(report._signed_level() + 1):
                key = str(step)
                if key in have:
                    continue
                user, date = history.get((report.id, key)) or report._signoff_fallback(step)
                vals_list.append(
                    {"eightd_id": report.id, "discipline": key, "user_id": user, "date": date}
                )
        with self._csc_transition():
            return self.env["csc.eightd.signoff"].sudo().create(vals_list)

    def _signoff_history(self):
        """{(report id, discipline): (user id, date)} from the tracking of "Signed Off Up To"
        (its values are labels, in the language of whoever signed off)."""
        keys = {}
        for lang, _name in self.env["res.lang"].get_installed():
            field = self.with_context(lang=lang)._fields["signed_off"]
            for key, label in field._description_selection(self.env(context={"lang": lang})):
                keys[label] = key
        field = self.env["ir.model.fields"]._get(self._name, "signed_off")
        trackings = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("field_id", "=", field.id),
                    ("mail_message_id.model", "=", self._name),
                    ("mail_message_id.res_id", "in", self.ids),
                ],
                order="id",
            )
        )
        history = {}
        for tracking in trackings:
            old, new = keys.get(tracking.old_value_char), keys.get(tracking.new_value_char)
            if new is None:
                continue
            message = tracking.mail_message_id
            level = -1 if new == "none" else int(new)
            # a step back takes back the sign-offs above it
            for step in range(level + 1, 9):
                history.pop((message.res_id, str(step)), None)
            if old is None or level > (-1 if old == "none" else int(old)):
                user = message.author_id.user_ids[:1] or message.create_uid
                history[message.res_id, new] = (user.id, message.date)
        return history

    def _signoff_fallback(self, step):
        """Who and when for a discipline signed off without tracking (loaded by a data file,
        an import, a tracking-free context): the closure's approver and date for D8, otherwise
        the best the report still knows, its last writer and write date."""
        self.ensure_one()
        if step == 8 and self.approver_id and self.date_closed:
            return self.approver_id.id, self.date_closed
        return self.write_uid.id or self.env.user.id, self.write_date or fields.Datetime.now()
