from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError

# What may no longer change once a requirement is released: register a new one instead.
LOCKED_FIELDS = {
    "name",
    "partner_id",
    "topic",
    "description",
    "containment_hours",
    "eightd_days",
    "urgent_days",
    "normal_days",
    "resolution_days",
}


class CscCustomerRequirement(models.Model):
    """A customer-specific requirement (R-A3, 顾客特定要求): registered by the customer-service
    desk, reviewed by the engineering project team, released to the departments concerned."""

    _name = "csc.customer.requirement"
    _description = "Customer-Specific Requirement"
    _inherit = ["csc.sequence.mixin", "mail.thread", "mail.activity.mixin"]
    _csc_sequence_field = "reference"
    _order = "partner_id, topic, id desc"
    _rec_names_search = ["name", "reference"]

    reference = fields.Char(readonly=True, copy=False, default="/", index="trigram")
    name = fields.Char("Requirement", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_company", "=", True)],
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
    review_conclusion = fields.Text()
    department_ids = fields.Many2many("csc.department", string="Departments Informed")
    training_required = fields.Boolean("Training Needed", tracking=True)
    training_note = fields.Text("Training Plan")
    date_released = fields.Date("Released On", readonly=True, copy=False)
    date_obsolete = fields.Date("Obsolete Since", readonly=True, copy=False)
    # Response limits for this customer's complaints; 0 keeps the company default.
    containment_hours = fields.Float(
        "Containment Within (hours)", help="0 keeps the company default."
    )
    eightd_days = fields.Integer("8D Report Within (days)", help="0 keeps the company default.")
    urgent_days = fields.Integer(
        "Urgent Complaint Within (days)", help="0 keeps the company default."
    )
    normal_days = fields.Integer(
        "Normal Complaint Within (days)", help="0 keeps the company default."
    )
    resolution_days = fields.Integer(
        "Resolution Within (working days)", help="0 keeps the company default."
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "limits_not_negative",
            "CHECK(containment_hours >= 0 AND eightd_days >= 0 AND urgent_days >= 0 "
            "AND normal_days >= 0 AND resolution_days >= 0)",
            "Response limits cannot be negative.",
        ),
    ]

    @api.depends("reference", "name")
    def _compute_display_name(self):
        for requirement in self:
            requirement.display_name = f"{requirement.reference} {requirement.name or ''}".strip()

    def write(self, vals):
        locked = LOCKED_FIELDS.intersection(vals)
        if locked and any(r.state in ("released", "obsolete") for r in self):
            raise UserError(
                self.env._(
                    "A released or obsolete requirement cannot be changed. Make it obsolete "
                    "and register the new version as a new requirement."
                )
            )
        return super().write(vals)

    def action_submit_review(self):
        for requirement in self:
            requirement._check_state("draft", self.env._("submit it for review"))
            if not requirement.description:
                raise UserError(
                    self.env._(
                        "Write the requirement text of %s before submitting it for review.",
                        requirement.display_name,
                    )
                )
        self.write({"state": "review"})

    def action_send_back(self):
        self._check_reviewer_rights()
        for requirement in self:
            requirement._check_state("review", self.env._("send it back to draft"))
        self.write({"state": "draft"})

    def action_release(self):
        self._check_reviewer_rights()
        for requirement in self:
            requirement._check_state("review", self.env._("release it"))
            missing = [
                label
                for field, label in (
                    ("reviewer_id", self.env._("the reviewer")),
                    ("review_date", self.env._("the review date")),
                    ("review_conclusion", self.env._("the review conclusion")),
                    ("department_ids", self.env._("the departments informed")),
                )
                if not requirement[field]
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "%(requirement)s cannot be released yet: record %(missing)s.",
                        requirement=requirement.display_name,
                        missing=", ".join(missing),
                    )
                )
        self.write({"state": "released", "date_released": fields.Date.context_today(self)})
        for requirement in self:
            requirement._notify_departments()

    def action_obsolete(self):
        self._check_reviewer_rights()
        for requirement in self:
            requirement._check_state("released", self.env._("make it obsolete"))
        self.write({"state": "obsolete", "date_obsolete": fields.Date.context_today(self)})

    def _check_state(self, expected, what):
        self.ensure_one()
        if self.state != expected:
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(requirement)s is %(state)s: only a requirement that is %(expected)s can "
                    "%(what)s.",
                    requirement=self.display_name,
                    state=states[self.state],
                    expected=states[expected],
                    what=what,
                )
            )

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
