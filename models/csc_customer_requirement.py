from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError


class CscCustomerRequirement(models.Model):
    """A customer-specific requirement (R-A3, 顾客特定要求): registered by the customer-service
    desk, reviewed by the engineering project team, released to the departments concerned."""

    _name = "csc.customer.requirement"
    _description = "Customer-Specific Requirement"
    _check_company_auto = True
    _inherit = ["csc.sequence.mixin", "csc.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _csc_sequence_field = "reference"
    _csc_guarded_fields = frozenset({"state", "date_released", "date_obsolete", "previous_id"})
    _csc_locked_states = ("released", "obsolete")
    # Training and the customer's documents may still be completed after the release.
    _csc_unlocked_fields = frozenset({"training_required", "training_note", "attachment_ids"})
    _order = "partner_id, topic, id desc"
    _rec_names_search = ["name", "reference"]

    # -- fields --------------------------------------------------------------------------------

    reference = fields.Char(readonly=True, copy=False, default="/", index="trigram")
    name = fields.Char("Requirement", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_company", "=", True)],
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    topic = fields.Selection(
        [
            ("quality", "Quality"),
            ("delivery", "Delivery"),
            ("packaging", "Packaging"),
            ("problem_solving", "Problem-Solving Format"),
            ("response", "Response Deadlines"),
            ("warranty", "Warranty Terms"),
            ("other", "Other"),
        ],
        required=True,
        default="quality",
        tracking=True,
    )
    description = fields.Html("Requirement Text")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "csc_customer_requirement_attachment_rel",
        "requirement_id",
        "attachment_id",
        "Customer Documents",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("review", "Under Review"),
            ("released", "Released"),
            ("obsolete", "Obsolete"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    reviewer_id = fields.Many2one(
        "res.users",
        "Reviewed By",
        domain=[("share", "=", False)],
        tracking=True,
        help="Member of the engineering project team who reviewed the requirement.",
    )
    review_date = fields.Date(tracking=True)
    review_conclusion = fields.Text(tracking=True)
    department_ids = fields.Many2many(
        "csc.department", string="Departments Informed", tracking=True
    )
    training_required = fields.Boolean("Training Needed", tracking=True)
    training_note = fields.Text("Training Plan", tracking=True)
    date_released = fields.Date("Released On", readonly=True, copy=False, tracking=True)
    date_obsolete = fields.Date("Obsolete Since", readonly=True, copy=False, tracking=True)
    # Response limits for this customer's complaints; 0 keeps the company default.
    containment_hours = fields.Float(
        "Containment Within (hours)",
        help="0 keeps the company default.",
        tracking=True,
    )
    eightd_days = fields.Integer(
        "8D Report Within (days)", help="0 keeps the company default.", tracking=True
    )
    urgent_days = fields.Integer(
        "Urgent Complaint Within (days)",
        help="0 keeps the company default.",
        tracking=True,
    )
    normal_days = fields.Integer(
        "Normal Complaint Within (days)",
        help="0 keeps the company default.",
        tracking=True,
    )
    resolution_days = fields.Integer(
        "Resolution Within (working days)",
        help="0 keeps the company default.",
        tracking=True,
    )
    # The on-site time of this customer's field services (R-A3, R-E2); 0 keeps the distance table.
    arrival_hours = fields.Float(
        "On Site Within (hours)",
        help="Field services of this customer are on site within this time instead of the "
        "company's distance table; 0 keeps the table.",
        tracking=True,
    )
    # Fields this customer asks for on its 8D reports, besides the standard disciplines.
    eightd_extra_field_ids = fields.Many2many(
        "csc.eightd.extra.field",
        string="Extra 8D Fields",
        tracking=True,
        help="Each 8D report of this customer records and prints these fields (e.g. effect at "
        "0 km, effect in the field, other plants affected).",
    )
    # The customer's PPM targets (complained parts per million delivered, csc.ppm.report);
    # 0: no target.
    ppm_target = fields.Float(
        "PPM Target",
        digits=(16, 1),
        tracking=True,
        help="Complained parts per million delivered, 0 km and field together; 0: no target.",
    )
    ppm_target_zero_km = fields.Float(
        "PPM Target 0 km",
        digits=(16, 1),
        tracking=True,
        help="Parts found at the customer's incoming inspection or on its line, per million "
        "delivered; 0: no target of its own.",
    )
    ppm_target_field = fields.Float(
        "PPM Target Field",
        digits=(16, 1),
        tracking=True,
        help="Parts found in service, per million delivered; 0: no target of its own.",
    )
    active = fields.Boolean(default=True)
    previous_id = fields.Many2one(
        "csc.customer.requirement",
        "Revision Of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The released requirement this one revises: it becomes obsolete when this one is "
        "released.",
    )

    # -- SQL constraints -----------------------------------------------------------------------

    _sql_constraints = [
        (
            "limits_not_negative",
            "CHECK(containment_hours >= 0 AND eightd_days >= 0 AND urgent_days >= 0 "
            "AND normal_days >= 0 AND resolution_days >= 0)",
            "Response limits cannot be negative.",
        ),
        (
            "limits_plausible",
            "CHECK(containment_hours <= 8760 AND eightd_days <= 3650 AND urgent_days <= 3650 "
            "AND normal_days <= 3650 AND resolution_days <= 3650)",
            "Response limits are at most a year of hours or ten years of days.",
        ),
        (
            "arrival_hours_plausible",
            "CHECK(arrival_hours >= 0 AND arrival_hours <= 8760)",
            "The on-site time lies between 0 and a year of hours.",
        ),
        (
            "ppm_targets_plausible",
            "CHECK(ppm_target >= 0 AND ppm_target_zero_km >= 0 AND ppm_target_field >= 0 "
            "AND ppm_target <= 1000000 AND ppm_target_zero_km <= 1000000 "
            "AND ppm_target_field <= 1000000)",
            "PPM targets lie between 0 and a million.",
        ),
        (
            "reference_company_uniq",
            "unique(reference, company_id)",
            "Requirement numbers are unique.",
        ),
    ]

    # -- computes and inverses -----------------------------------------------------------------

    @api.depends("reference", "name")
    def _compute_display_name(self):
        for requirement in self:
            requirement.display_name = f"{requirement.reference} {requirement.name or ''}".strip()

    # -- actions -------------------------------------------------------------------------------

    def action_submit_review(self):
        self._csc_check_state(("draft",), self.env._("be submitted for review"))
        for requirement in self:
            requirement._csc_require(
                [(requirement.description, self.env._("the requirement text"))],
                self.env._("%(requirement)s: write %(missing)s before submitting it for review."),
                requirement=requirement.display_name,
            )
        self._csc_write({"state": "review"})
        return True

    def action_send_back(self):
        self._check_reviewer_rights()
        self._csc_check_state(("review",), self.env._("be sent back to draft"))
        self._csc_write({"state": "draft"})
        return True

    def action_release(self):
        self._check_reviewer_rights()
        self._csc_check_state(("review",), self.env._("be released"))
        for requirement in self:
            requirement._csc_require(
                [
                    (requirement.reviewer_id, self.env._("the reviewer")),
                    (requirement.review_date, self.env._("the review date")),
                    (requirement.review_conclusion, self.env._("the review conclusion")),
                    (requirement.department_ids, self.env._("the departments informed")),
                ],
                self.env._("%(requirement)s cannot be released yet: record %(missing)s."),
                requirement=requirement.display_name,
            )
        today = fields.Date.context_today(self)
        self._csc_write({"state": "released", "date_released": today})
        superseded = self.previous_id.filtered(lambda r: r.state == "released")
        superseded._csc_write({"state": "obsolete", "date_obsolete": today})
        for requirement in self:
            requirement._notify_departments()
        return True

    def action_obsolete(self):
        self._check_reviewer_rights()
        self._csc_check_state(("released",), self.env._("be made obsolete"))
        self._csc_write({"state": "obsolete", "date_obsolete": fields.Date.context_today(self)})
        return True

    def action_revise(self):
        """A released requirement changes through a new revision (a draft copy) that replaces
        it when released; the released one stays in force until then."""
        self.ensure_one()
        self._check_reviewer_rights()
        self._csc_check_state(("released",), self.env._("be revised"))
        revision = self.copy({"previous_id": False})
        with self._csc_transition():
            revision.previous_id = self
        self.message_post(body=self.env._("Revision %s registered.", revision.display_name))
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": revision.id,
            "view_mode": "form",
        }

    # -- business helpers ----------------------------------------------------------------------

    def _check_reviewer_rights(self):
        if not self.env.user.has_group("customer_service_control.group_csc_quality"):
            raise AccessError(
                self.env._(
                    "Only the engineering project team (Quality Engineers and Service "
                    "Managers) reviews, releases and withdraws customer-specific requirements."
                )
            )

    def _notify_departments(self):
        """Distribute the released requirement to the departments informed."""
        self.ensure_one()
        users = self.department_ids.manager_id | self.department_ids.member_ids
        self.message_subscribe(partner_ids=users.partner_id.ids)
        self.message_post(
            body=self.env._(
                "Released and distributed to: %s.", ", ".join(self.department_ids.mapped("name"))
            ),
            partner_ids=users.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
