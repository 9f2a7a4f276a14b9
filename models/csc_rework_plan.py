from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import float_compare
from odoo.tools import float_is_zero

QUALITY = "customer_service_control.group_csc_quality"
# Quality's re-inspection figures: entered by quality while the goods wait for it.
INSPECTION_FIELDS = frozenset({"qty_ok", "qty_nok"})


class CscReworkPlan(models.Model):
    """The rework of returned goods (R-C11, 返工计划): the route the process department defines,
    the quantity, who is responsible and the date the customer needs the goods back; the goods
    wait in the rework location, are reworked, re-inspected by quality (quantities OK / not OK)
    and only then released to stock or shipped back to the customer with a real delivery."""

    _name = "csc.rework.plan"
    _description = "Rework Plan"
    _inherit = ["csc.sequence.mixin", "csc.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_needed, id"
    _check_company_auto = True
    _csc_guarded_fields = frozenset(
        {
            "state",
            "date_started",
            "date_done",
            "inspected_by_id",
            "date_inspected",
            "picking_ids",
        }
    )
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
            ("reworked", "Awaiting Re-inspection"),
            ("inspected", "Re-inspected"),
            ("done", "Released"),
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
        compute="_compute_on_time",
        store=True,
        help="Released (to stock or shipped back) by the date the customer needs it.",
    )
    qty_ok = fields.Float("Re-inspected OK", digits="Product Unit of Measure", tracking=True)
    qty_nok = fields.Float("Re-inspected Not OK", digits="Product Unit of Measure", tracking=True)
    inspected_by_id = fields.Many2one(
        "res.users", "Re-inspected By", readonly=True, copy=False, tracking=True
    )
    date_inspected = fields.Datetime("Re-inspected On", readonly=True, copy=False, tracking=True)
    effectiveness = fields.Float(
        "Rework Effectiveness (%)",
        compute="_compute_effectiveness",
        store=True,
        digits=(16, 1),
        help="Share of the reworked quantity quality found OK at the re-inspection.",
    )
    effectiveness_note = fields.Text(
        "Effectiveness Assessment", tracking=True, help="Did the rework remove the defect?"
    )
    release_to = fields.Selection(
        [("stock", "Back to Stock"), ("customer", "Ship Back to the Customer")],
        default="customer",
        tracking=True,
    )
    picking_ids = fields.Many2many(
        "stock.picking",
        string="Release Transfers",
        readonly=True,
        copy=False,
        groups="stock.group_stock_user",
    )

    # -- SQL constraints -----------------------------------------------------------------------

    _sql_constraints = [
        ("return_uniq", "unique(return_id)", "Returned goods have one rework plan."),
        (
            "quantities",
            "CHECK(quantity > 0 AND qty_done >= 0 AND qty_done <= quantity "
            "AND qty_ok >= 0 AND qty_nok >= 0)",
            "The quantity to rework is positive, the quantity reworked at most that and the "
            "re-inspected quantities not negative.",
        ),
    ]

    # -- computes and inverses -----------------------------------------------------------------

    @api.depends("date_done", "date_needed")
    def _compute_on_time(self):
        for plan in self:
            plan.on_time = bool(plan.date_done and plan.date_done.date() <= plan.date_needed)

    @api.depends("qty_ok", "qty_done", "date_inspected")
    def _compute_effectiveness(self):
        for plan in self:
            plan.effectiveness = (
                100.0 * plan.qty_ok / plan.qty_done
                if plan.date_inspected and plan.qty_done
                else 0.0
            )

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

    # -- CRUD ----------------------------------------------------------------------------------

    def write(self, vals):
        if INSPECTION_FIELDS & set(vals) and not self._csc_unguarded():
            if not self.env.user.has_group(QUALITY):
                raise AccessError(self.env._("The quality department re-inspects reworked goods."))
            waiting = self.filtered(lambda plan: plan.state != "reworked")
            if waiting:
                raise UserError(
                    self.env._(
                        "%s: the re-inspection quantities are entered once the rework is done "
                        "and before the re-inspection is recorded.",
                        ", ".join(waiting.mapped("name")),
                    )
                )
        return super().write(vals)

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

    def action_finish_rework(self):
        """The rework is finished: the goods wait in the rework location for quality's
        re-inspection."""
        self._csc_check_state(("in_progress",), self.env._("be finished"))
        for plan in self:
            if plan.qty_done <= 0:
                raise UserError(self.env._("%s: record the quantity reworked.", plan.name))
        self._csc_write({"state": "reworked"})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_reinspect(self):
        """Quality records the re-inspection: every reworked piece found OK or not OK."""
        if not self.env.user.has_group(QUALITY):
            raise AccessError(self.env._("The quality department re-inspects reworked goods."))
        self._csc_check_state(("reworked",), self.env._("be re-inspected"))
        for plan in self:
            if float_compare(plan.qty_ok + plan.qty_nok, plan.qty_done, precision_digits=4):
                raise UserError(
                    self.env._(
                        "%(plan)s: %(ok)s OK and %(nok)s not OK do not add up to the %(done)s "
                        "reworked.",
                        plan=plan.name,
                        ok=plan.qty_ok,
                        nok=plan.qty_nok,
                        done=plan.qty_done,
                    )
                )
        self._csc_write(
            {
                "state": "inspected",
                "inspected_by_id": self.env.user.id,
                "date_inspected": fields.Datetime.now(),
            }
        )
        return True

    def action_release(self):
        """After the re-inspection, the OK goods go back to stock or are shipped back to the
        customer (a delivery to the customer's address, planned for the date they need them);
        the goods not OK go to quarantine for quality's next decision."""
        if not self.env.user.has_group(QUALITY):
            raise AccessError(self.env._("The quality department releases reworked goods."))
        for plan in self:
            if plan.state in ("in_progress", "reworked", "draft"):
                raise UserError(
                    self.env._(
                        "%s cannot be released or shipped back before quality re-inspected the "
                        "reworked goods.",
                        plan.name,
                    )
                )
        self._csc_check_state(("inspected",), self.env._("be released"))
        for plan in self:
            if not plan.release_to:
                raise UserError(
                    self.env._("%s: choose whether the goods go to stock or back.", plan.name)
                )
            pickings = plan._release_goods()
            with self._csc_transition():
                plan.sudo().picking_ids |= pickings
        self._csc_write({"state": "done", "date_done": fields.Datetime.now()})
        return True

    def action_cancel(self):
        self._csc_check_state(("draft", "in_progress"), self.env._("be cancelled"))
        self._csc_write({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    # -- business helpers ----------------------------------------------------------------------

    def _csc_reopen_states(self):
        # Released goods left the rework location with real transfers: nothing to reopen.
        return ()

    def _release_goods(self):
        """The validated transfers out of the rework location: OK goods to stock or to the
        customer, the others to quarantine."""
        self.ensure_one()
        company = self.company_id
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        Location = self.env["stock.location"]
        rework = Location._csc_rework_location(company)
        lot = self.lot_id or None
        pickings = self.env["stock.picking"]
        if not float_is_zero(self.qty_ok, precision_digits=4):
            if self.release_to == "customer":
                route = {
                    "picking_type": warehouse.out_type_id,
                    "source": rework,
                    "destination": self.env.ref("stock.stock_location_customers"),
                    "partner": self.env["res.partner"].browse(
                        self.partner_id.address_get(["delivery"])["delivery"]
                    ),
                }
            else:
                route = {
                    "picking_type": warehouse.int_type_id,
                    "source": rework,
                    "destination": warehouse.lot_stock_id,
                    "partner": self.partner_id,
                }
            pickings |= self._transfer(route, self.qty_ok, lot)
        if not float_is_zero(self.qty_nok, precision_digits=4):
            route = {
                "picking_type": warehouse.int_type_id,
                "source": rework,
                "destination": Location._csc_quarantine_location(company),
                "partner": self.partner_id,
            }
            pickings |= self._transfer(route, self.qty_nok, lot)
        return pickings

    def _transfer(self, route, quantity, lot):
        """A validated transfer of `quantity` out of the rework location, due by the date the
        customer needs the goods."""
        needed = fields.Datetime.to_datetime(self.date_needed)
        route = {**route, "origin": f"{self.name} ({self.complaint_id.name})"}
        return self.env["stock.picking"]._csc_transfer(
            route, [(self.product_id, lot, quantity, {"date_deadline": needed})]
        )
