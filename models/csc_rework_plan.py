from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError


class CscReworkPlan(models.Model):
    """The rework of returned goods (R-C11, 返工计划): the route the process department defines,
    the quantity, who is responsible and the date the customer needs the goods back, followed
    to done."""

    _name = "csc.rework.plan"
    _description = "Rework Plan"
    _inherit = ["csc.sequence.mixin", "csc.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_needed, id"
    _check_company_auto = True
    _csc_guarded_fields = frozenset({"state", "date_started", "date_done"})
    _csc_locked_states = ("done", "cancelled")

    # -- fields --------------------------------------------------------------------------------

    name = fields.Char("Number", readonly=True, copy=False, default="/")
    return_id = fields.Many2one(
        "csc.complaint.return",
        "Returned Goods",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    complaint_id = fields.Many2one(related="return_id.complaint_id", store=True, index=True)
    company_id = fields.Many2one(related="return_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="return_id.partner_id", string="Customer")
    product_id = fields.Many2one(related="return_id.product_id")
    lot_id = fields.Many2one(related="return_id.lot_id")
    quantity = fields.Float(
        "Quantity to Rework", required=True, digits="Product Unit of Measure", tracking=True
    )
    qty_done = fields.Float("Quantity Reworked", digits="Product Unit of Measure", tracking=True)
    department_id = fields.Many2one(
        "csc.department",
        "Route Defined By",
        default=lambda self: self.env.ref(
            "customer_service_control.csc_department_process", raise_if_not_found=False
        ),
        tracking=True,
    )
    route = fields.Text("Rework Route", tracking=True, help="Operations, checks and tests.")
    user_id = fields.Many2one(
        "res.users", "Responsible", domain=[("share", "=", False)], tracking=True
    )
    date_needed = fields.Date(
        "Customer Needs It By",
        required=True,
        tracking=True,
        help="The date the customer needs the goods back.",
    )
    state = fields.Selection(
        [
            ("draft", "Planned"),
            ("in_progress", "In Rework"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    date_started = fields.Datetime("Started On", readonly=True, copy=False)
    date_done = fields.Datetime("Done On", readonly=True, copy=False, tracking=True)
    on_time = fields.Boolean(
        compute="_compute_on_time", store=True, help="Done by the date the customer needs it."
    )

    # -- SQL constraints -----------------------------------------------------------------------

    _sql_constraints = [
        ("return_uniq", "unique(return_id)", "Returned goods have one rework plan."),
        (
            "quantities",
            "CHECK(quantity > 0 AND qty_done >= 0 AND qty_done <= quantity)",
            "The quantity to rework is positive and the quantity reworked at most that.",
        ),
    ]

    # -- computes and inverses -----------------------------------------------------------------

    @api.depends("date_done", "date_needed")
    def _compute_on_time(self):
        for plan in self:
            plan.on_time = bool(plan.date_done and plan.date_done.date() <= plan.date_needed)

    # -- constraints and onchanges -------------------------------------------------------------

    @api.constrains("quantity", "return_id")
    def _check_quantity(self):
        for plan in self:
            if plan.quantity > plan.return_id.quantity:
                raise ValidationError(
                    self.env._(
                        "%(plan)s: %(quantity)s to rework, more than the %(returned)s returned.",
                        plan=plan.name,
                        quantity=plan.quantity,
                        returned=plan.return_id.quantity,
                    )
                )

    # -- actions -------------------------------------------------------------------------------

    def action_start(self):
        self._csc_check_state(("draft",), self.env._("start"))
        for plan in self:
            plan._csc_require(
                [
                    (plan.route, self.env._("the rework route")),
                    (plan.user_id, self.env._("the person responsible")),
                ],
                self.env._("%(plan)s: record %(missing)s first."),
                plan=plan.name,
            )
        self._csc_write({"state": "in_progress", "date_started": fields.Datetime.now()})
        for plan in self:
            plan.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=plan.date_needed,
                user_id=plan.user_id.id,
                summary=self.env._("Rework %s for the customer", plan.product_id.display_name),
            )
        return True

    def action_done(self):
        self._csc_check_state(("in_progress",), self.env._("be done"))
        for plan in self:
            if plan.qty_done <= 0:
                raise UserError(self.env._("%s: record the quantity reworked.", plan.name))
        self._csc_write({"state": "done", "date_done": fields.Datetime.now()})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_cancel(self):
        self._csc_check_state(("draft", "in_progress"), self.env._("be cancelled"))
        self._csc_write({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    # -- business helpers ----------------------------------------------------------------------

    def _csc_reopen_states(self):
        return ("done",)

    def _csc_reopen_values(self):
        return {"state": "in_progress", "date_done": False}
