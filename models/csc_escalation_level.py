from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

# The kinds of escalation status the automotive customers use; the certification body is told
# of the last two within 10 calendar days (IATF Rules 5th ed., 8.1 b).
KINDS = [
    ("cs1", "Controlled Shipping Level 1"),
    ("cs2", "Controlled Shipping Level 2"),
    ("nbh", "New Business Hold"),
    ("other", "Other"),
]
NOTIFY_KINDS = ("cs2", "nbh")


class CscEscalationLevel(models.Model):
    """A status a customer may place its supplier in (controlled shipping level 1 or 2, new
    business hold, or a customer's own name for one of them): configured per company, archived
    rather than deleted."""

    _name = "csc.escalation.level"
    _description = "Customer Escalation Level"
    _inherit = ["csc.record.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    # -- fields --------------------------------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short name shown on badges, e.g. CS1.")
    sequence = fields.Integer(
        default=10,
        help="Order of the levels from the mildest to the most severe: a customer in several "
        "statuses at once shows the most severe one.",
    )
    kind = fields.Selection(KINDS, required=True, default="other")
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        index="btree_not_null",
        check_company=True,
        domain=[("is_company", "=", True)],
        help="The customer using this name for the level; empty: offered for every customer.",
    )
    notify_certification_body = fields.Boolean(
        "Inform the Certification Body",
        compute="_compute_notify_certification_body",
        store=True,
        readonly=False,
        help="Entering this status is reported to the IATF certification body within 10 "
        "calendar days (IATF Rules 5th ed., 8.1 b): by default for controlled shipping level 2 "
        "and new business hold.",
    )
    description = fields.Text(help="What the customer requires while the status lasts.")
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Empty: the level is shared by every company.",
    )
    active = fields.Boolean(default=True)

    # -- SQL constraints -----------------------------------------------------------------------

    _sql_constraints = [
        (
            "code_uniq",
            "unique(code, company_id, partner_id)",
            "An escalation level code is unique per company and customer.",
        ),
    ]

    # -- computes and inverses -----------------------------------------------------------------

    @api.depends("kind")
    def _compute_notify_certification_body(self):
        for level in self:
            level.notify_certification_body = level.kind in NOTIFY_KINDS

    @api.depends("name", "code")
    def _compute_display_name(self):
        for level in self:
            level.display_name = (
                f"{level.code} – {level.name}" if level.code else (level.name or "")
            )

    # -- constraints ---------------------------------------------------------------------------

    @api.constrains("partner_id")
    def _check_partner_id(self):
        for level in self.filtered("partner_id"):
            if level.partner_id != level.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "%(level)s: a customer-specific level belongs to the customer "
                        "(%(customer)s), not to one of its contacts.",
                        level=level.name,
                        customer=level.partner_id.commercial_partner_id.display_name,
                    )
                )
