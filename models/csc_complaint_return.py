from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from .csc_complaint import CAUSE_CATEGORIES

DESK = "customer_service_control.group_csc_user"
CLERK = "customer_service_control.group_csc_stock_clerk"
QUALITY = "customer_service_control.group_csc_quality"
GENERAL_MANAGER = "customer_service_control.group_csc_general_manager"
MANAGER = "customer_service_control.group_csc_manager"
# What the general manager's approval of a refund or a replacement covers.
APPROVED_FIELDS = ("disposition", "quantity", "product_id")
# The field failure analysis of a returned part (VDA field failure analysis): the standard
# test, and when it finds nothing, the load / function test, concluding "no trouble found" or a
# fault with its cause.
ANALYSIS_STAGES = [
    ("pending", "Not Analysed"),
    ("load_test", "Load Test Due"),
    ("ntf", "No Trouble Found"),
    ("fault", "Fault Found"),
]
# What the analysis records, and the stages in which each may still be written.
ANALYSIS_INPUTS = {
    "standard_test_result": ("pending",),
    "load_test_result": ("pending", "load_test"),
    "fault_cause_category": ("pending", "load_test"),
    "fault_description": ("pending", "load_test"),
}


class CscComplaintReturn(models.Model):
    """Goods returned by the customer for a complaint (R-D1, R-D2): received into quality
    inspection with a real receipt, inspected, then disposed of with real stock moves."""

    _name = "csc.complaint.return"
    _description = "Returned Goods"
    _check_company_auto = True
    _inherit = ["csc.workflow.mixin", "csc.portal.mixin", "mail.thread"]
    _order = "id desc"
    _csc_guarded_fields = frozenset(
        {
            "state",
            "receipt_id",
            "date_disposed",
            "picking_ids",
            "scrap_ids",
            "defect_confirmed_by_id",
            "date_defect_confirmed",
            "approved_by_id",
            "date_approved",
            # the field failure analysis, moved on by its actions only
            "analysis_stage",
            "date_standard_test",
            "date_load_test",
            "analysed_by_id",
            "date_analysed",
        }
    )
    _csc_locked_states = ("disposed",)
    # The rework is costed once it is done, after the disposition.
    _csc_unlocked_fields = frozenset({"rework_cost"})
    _csc_parent_fields = ("complaint_id",)
    # What the customer's contacts read on the portal: never the rework cost, the receipt or
    # the inspection notes.
    _csc_portal_fields = frozenset(
        {"complaint_id", "product_id", "lot_id", "quantity", "disposition", "date_disposed"}
    )

    # -- fields --------------------------------------------------------------------------------

    complaint_id = fields.Many2one("csc.complaint", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    partner_id = fields.Many2one(related="complaint_id.partner_id")
    product_id = fields.Many2one(
        "product.product", required=True, tracking=True, check_company=True
    )
    lot_id = fields.Many2one(
        "stock.lot",
        "Lot/Serial",
        domain="[('product_id', '=', product_id)]",
        tracking=True,
        check_company=True,
    )
    quantity = fields.Float(
        required=True, default=1.0, digits="Product Unit of Measure", tracking=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("receiving", "Receiving"),
            ("received", "In Inspection"),
            ("disposed", "Disposed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    receipt_id = fields.Many2one(
        "stock.picking",
        "Return Receipt",
        readonly=True,
        copy=False,
        groups="stock.group_stock_user",
        tracking=True,
    )
    receipt_name = fields.Char("Return Receipt No.", related="receipt_id.name")
    defect_confirmed = fields.Boolean(tracking=True)
    whole_lot = fields.Boolean(
        "Whole Lot Returned",
        tracking=True,
        help="The customer sends back a whole lot: it is received only once quality confirmed "
        "the defect (R-D1).",
    )
    defect_confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    date_defect_confirmed = fields.Datetime(
        "Defect Confirmed On", readonly=True, copy=False, tracking=True
    )
    inspection_result = fields.Text(tracking=True)
    sample_quantity = fields.Float(
        "Samples for Analysis", digits="Product Unit of Measure", tracking=True
    )
    disposition = fields.Selection(
        [
            ("rework", "Rework"),
            ("scrap", "Scrap"),
            ("return", "Return to Customer"),
            ("replace", "Replace"),
            ("refund", "Refund"),
        ],
        tracking=True,
    )
    currency_id = fields.Many2one(related="complaint_id.company_id.currency_id")
    rework_cost = fields.Monetary(
        tracking=True,
        help="Labour and material of the rework, counted in the external failure cost.",
    )
    date_disposed = fields.Datetime("Disposed On", readonly=True, copy=False, tracking=True)
    disposition_value = fields.Monetary(
        "Value",
        compute="_compute_disposition_value",
        store=True,
        help="The returned quantity at the price the customer paid (the invoice of the "
        "delivery when there is one, else the product's sales price): what a refund or a "
        "replacement is worth.",
    )
    approval_required = fields.Boolean(
        "General Manager's Approval Required",
        compute="_compute_approval_required",
        help="A refund or a replacement above the amount set by the company.",
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    date_approved = fields.Datetime("Approved On", readonly=True, copy=False, tracking=True)
    picking_ids = fields.Many2many(
        "stock.picking",
        string="Disposition Transfers",
        readonly=True,
        groups="stock.group_stock_user",
    )
    rework_ids = fields.One2many("csc.rework.plan", "return_id", "Rework Plan")
    scrap_ids = fields.Many2many(
        "stock.scrap", string="Scrap Orders", readonly=True, groups="stock.group_stock_user"
    )
    refund_move_ids = fields.One2many(
        "account.move",
        "csc_return_id",
        "Credit Notes",
        readonly=True,
        groups="account.group_account_invoice",
    )
    refund_name = fields.Char(
        "Credit Note",
        compute="_compute_refund",
        help="The customer credit notes of the refund (finance posts them).",
    )
    refund_status = fields.Selection(
        [("none", "None"), ("draft", "To Post"), ("posted", "Posted")],
        compute="_compute_refund",
    )
    qty_refunded = fields.Float(
        "Quantity Credited",
        compute="_compute_refund",
        digits="Product Unit of Measure",
        help="The quantity of the posted credit notes of the refund.",
    )

    # -- fields: field failure analysis (VDA) ---------------------------------------------------

    analysis_stage = fields.Selection(
        ANALYSIS_STAGES,
        "Failure Analysis",
        default="pending",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        help="Standard test first; if it finds no fault, the load / function test; then no "
        "trouble found, or the fault with its cause.",
    )
    standard_test_result = fields.Text(
        "Standard Test",
        tracking=True,
        help="The test to the part's specification and its findings.",
    )
    date_standard_test = fields.Datetime(
        "Standard Test On", readonly=True, copy=False, tracking=True
    )
    load_test_result = fields.Text(
        "Load / Function Test",
        tracking=True,
        help="The test under load or in function, as in the vehicle, when the standard test "
        "found no fault.",
    )
    date_load_test = fields.Datetime("Load Test On", readonly=True, copy=False, tracking=True)
    # What caused it stays with the desk and quality, as on the complaint (R-J).
    fault_cause_category = fields.Selection(
        CAUSE_CATEGORIES, "Fault Cause", tracking=True, groups=DESK
    )
    fault_description = fields.Text("Fault Found", tracking=True, groups=DESK)
    analysed_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    date_analysed = fields.Datetime(
        "Analysed On", readonly=True, copy=False, tracking=True, index="btree_not_null"
    )

    # -- SQL constraints -----------------------------------------------------------------------

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The returned quantity must be positive."),
        (
            "figures_positive",
            "CHECK(sample_quantity >= 0 AND sample_quantity <= quantity AND rework_cost >= 0)",
            "Samples are between 0 and the returned quantity; the rework cost is not negative.",
        ),
    ]

    # -- computes and inverses -----------------------------------------------------------------

    def _compute_access_url(self):
        for line in self:
            line.access_url = f"/my/returns/{line.id}"

    @api.depends("complaint_id.name", "product_id", "lot_id")
    def _compute_display_name(self):
        for line in self:
            parts = [line.complaint_id.name, line.product_id.display_name, line.lot_id.name]
            line.display_name = " · ".join(part for part in parts if part)

    @api.depends("quantity", "product_id.lst_price", "lot_id", "complaint_id.partner_id")
    def _compute_disposition_value(self):
        for line in self:
            paid = line._csc_paid_price()
            line.disposition_value = paid["currency"]._convert(
                line.quantity * paid["price_unit"] * (1 - paid["discount"] / 100),
                line.currency_id or line.env.company.currency_id,
                line.company_id or line.env.company,
                fields.Date.context_today(line),
            )

    def _compute_refund(self):
        # sudo: the desk and quality follow the refund they decided; finance owns the documents
        for line in self:
            moves = line.sudo().refund_move_ids.filtered(lambda m: m.state != "cancel")
            line.refund_name = ", ".join(moves.mapped("display_name")) if moves else False
            if not moves:
                line.refund_status = "none"
            elif all(move.state == "posted" for move in moves):
                line.refund_status = "posted"
            else:
                line.refund_status = "draft"
            line.qty_refunded = line._csc_credited_quantity(
                moves.filtered(lambda m: m.state == "posted")
            )

    @api.depends("disposition", "disposition_value", "company_id.csc_disposition_approval_amount")
    def _compute_approval_required(self):
        for line in self:
            limit = line.company_id.csc_disposition_approval_amount
            line.approval_required = bool(
                line.disposition in ("refund", "replace")
                and limit > 0
                and line.currency_id.compare_amounts(line.disposition_value, limit) > 0
            )

    # -- constraints and onchanges -------------------------------------------------------------

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        self._csc_check_lot_product()

    @api.constrains("analysis_stage", "fault_cause_category", "fault_description")
    def _check_analysis_conclusion(self):
        """A fault has its cause; no trouble found is concluded by the load test, with no
        fault recorded."""
        for line in self:
            if line.analysis_stage == "fault" and not (
                line.fault_cause_category and line.fault_description
            ):
                raise ValidationError(
                    self.env._(
                        "%s: a fault found has its cause and description.", line.display_name
                    )
                )
            if line.analysis_stage == "ntf" and (
                not line.date_load_test or line.fault_cause_category
            ):
                raise ValidationError(
                    self.env._(
                        "%s: no trouble found follows a load / function test that found no fault.",
                        line.display_name,
                    )
                )

    # -- CRUD ----------------------------------------------------------------------------------

    def write(self, vals):
        """An approval covers the disposition, quantity and product it was given for: changing
        one of them asks for it again."""
        if not self._csc_unguarded():
            self._csc_check_analysis_inputs(vals)
        names = [name for name in APPROVED_FIELDS if name in vals]
        approved = self.filtered("approved_by_id") if names else self.browse()
        before = {line: [line[name] for name in names] for line in approved}
        res = super().write(vals)
        changed = approved.filtered(lambda line: [line[n] for n in names] != before[line])
        if changed:
            changed._csc_write({"approved_by_id": False, "date_approved": False})
        return res

    # -- actions -------------------------------------------------------------------------------

    def action_confirm_defect(self):
        """Quality confirms the defect the customer reports (from samples or evidence): the
        condition for receiving a whole lot back (R-D1)."""
        if not self.env.user.has_group(QUALITY):
            raise AccessError(self.env._("The quality department confirms the defect."))
        self._csc_check_state(("draft", "receiving", "received"), self.env._("be confirmed"))
        with self._csc_transition():
            self.write(
                {
                    "defect_confirmed": True,
                    "defect_confirmed_by_id": self.env.user.id,
                    "date_defect_confirmed": fields.Datetime.now(),
                }
            )
        return True

    def action_approve_disposition(self):
        """The general manager approves a refund or a replacement above the company's amount
        (seeds 000, 002): recorded and printed on the return form."""
        if not self.env.user.has_group(GENERAL_MANAGER):
            raise AccessError(
                self.env._("Only the general manager approves refunds and replacements.")
            )
        self._csc_check_state(("received",), self.env._("be approved"))
        for line in self:
            if not line.approval_required:
                raise UserError(
                    self.env._(
                        "%s needs no approval: only refunds and replacements above the "
                        "company's amount do.",
                        line.display_name,
                    )
                )
            if line.approved_by_id:
                raise UserError(self.env._("%s is already approved.", line.display_name))
        self._csc_write(
            {"approved_by_id": self.env.user.id, "date_approved": fields.Datetime.now()}
        )
        return True

    def action_create_receipt(self):
        """The warehouse receives the goods from the customer into quality inspection."""
        self._csc_check_state(("draft",), self.env._("get another return receipt"))
        for line in self:
            company = line.company_id
            warehouse = self.env["stock.warehouse"].search(
                [("company_id", "=", company.id)], limit=1
            )
            customers = self.env.ref("stock.stock_location_customers")
            quality = self.env["stock.location"]._csc_quality_location(company)
            receipt = line._create_picking(
                warehouse.in_type_id, customers, quality, line.product_id, line.lot_id
            )
            line._csc_write({"state": "receiving"})
            line.sudo()._csc_write({"receipt_id": receipt.id})  # the link to the stock record
        return True

    def action_received(self):
        """The goods arrived: the desk, quality or the warehouse books the return receipt
        (if the warehouse has not validated it yet) into quality inspection. The receipt is
        booked with the system's rights, after this role check, so that the desk and quality
        need no inventory rights of their own."""
        if not self.env.user.has_group(DESK) and not self.env.user.has_group(CLERK):
            raise AccessError(
                self.env._("The service desk, quality or the warehouse receives returned goods.")
            )
        self._csc_check_state(("receiving",), self.env._("be received"))
        for line in self:
            if line.whole_lot and not line.defect_confirmed_by_id:
                raise UserError(
                    self.env._(
                        "%s is a whole lot: it is received only after quality confirmed the "
                        "defect.",
                        line.display_name,
                    )
                )
            receipt = line.sudo().receipt_id
            if receipt.state == "cancel":
                raise UserError(self.env._("The return receipt %s was cancelled.", receipt.name))
            if receipt.state != "done":
                receipt.move_ids.picked = True
                receipt.with_context(skip_backorder=True).button_validate()
        self._csc_write({"state": "received"})
        return True

    def action_plan_rework(self):
        """The rework of the returned goods is planned (R-C11): route, quantity, responsible
        and the date the customer needs them back are entered on the plan."""
        self.ensure_one()
        if self.disposition != "rework" or self.state not in ("received", "disposed"):
            raise UserError(self.env._("Only goods in inspection decided for rework are reworked."))
        plan = self.rework_ids[:1] or self.env["csc.rework.plan"].create(
            {
                "return_id": self.id,
                "quantity": self.quantity,
                "date_needed": fields.Date.context_today(self),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "csc.rework.plan",
            "res_id": plan.id,
            "view_mode": "form",
        }

    def action_dispose(self):
        if not self.env.user.has_group("customer_service_control.group_csc_quality"):
            raise AccessError(self.env._("The quality department decides the disposition."))
        self._csc_check_state(("received",), self.env._("be disposed of"))
        for line in self:
            if not (line.disposition and line.inspection_result):
                raise UserError(
                    self.env._("Record the inspection result and the disposition first.")
                )
            if line.analysis_stage == "load_test":
                raise UserError(
                    self.env._(
                        "%s: the failure analysis waits for its load / function test; "
                        "conclude it before the part is disposed of.",
                        line.display_name,
                    )
                )
            if line.approval_required and not line.approved_by_id:
                raise UserError(
                    self.env._(
                        "%(line)s: a %(disposition)s worth %(value)s %(currency)s needs the "
                        "general manager's approval before it is executed.",
                        line=line.display_name,
                        disposition=dict(
                            self._fields["disposition"]._description_selection(self.env)
                        )[line.disposition].lower(),
                        value=line.disposition_value,
                        currency=line.currency_id.name,
                    )
                )
            with self._csc_transition():
                line._execute_disposition()
        self._csc_write({"state": "disposed", "date_disposed": fields.Datetime.now()})
        return True

    def action_create_refund(self):
        """Quality issues the customer credit note of a refund whose earlier credit note was
        cancelled, for the quantity not yet credited (applying the disposition issues the
        first one)."""
        if not self.env.user.has_group(QUALITY):
            raise AccessError(self.env._("The quality department decides the refund."))
        self._csc_check_state(("disposed",), self.env._("get a credit note"))
        for line in self:
            moves = line.sudo().refund_move_ids.filtered(lambda m: m.state != "cancel")
            remaining = line.quantity - line._csc_credited_quantity(moves)
            line._csc_create_refund(remaining)
        return True

    def action_view_refund(self):
        self.ensure_one()
        moves = self.refund_move_ids
        action = {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "name": self.env._("Credit Notes"),
            "context": {"default_move_type": "out_refund"},
        }
        if len(moves) == 1:
            return {**action, "res_id": moves.id, "view_mode": "form"}
        return {**action, "view_mode": "list,form", "domain": [("id", "in", moves.ids)]}

    # -- actions: field failure analysis (VDA) --------------------------------------------------

    def action_standard_test_passed(self):
        """The standard test found no fault: the load / function test follows."""
        self._csc_check_analysis("pending", self.env._("record a standard test"))
        for line in self:
            line._csc_require(
                [(line.standard_test_result, self.env._("the standard test"))],
                self.env._("%(line)s: record %(missing)s and what it found first."),
                line=line.display_name,
            )
        self._csc_write(
            {"analysis_stage": "load_test", "date_standard_test": fields.Datetime.now()}
        )
        return True

    def action_no_trouble_found(self):
        """The load / function test found no fault either: no trouble found."""
        self._csc_check_analysis("load_test", self.env._("be found without trouble"))
        for line in self:
            line._csc_require(
                [(line.load_test_result, self.env._("the load / function test"))],
                self.env._("%(line)s: record %(missing)s before concluding no trouble found."),
                line=line.display_name,
            )
            if line.fault_cause_category or line.fault_description:
                raise UserError(
                    self.env._(
                        "%s has a fault recorded: conclude Fault Found, or clear the fault.",
                        line.display_name,
                    )
                )
        now = fields.Datetime.now()
        self._csc_write(
            {
                "analysis_stage": "ntf",
                "date_load_test": now,
                "analysed_by_id": self.env.uid,
                "date_analysed": now,
            }
        )
        return True

    def action_fault_found(self):
        """The standard test, or the load / function test after it, found the fault: recorded
        with its cause."""
        self._csc_check_analysis(("pending", "load_test"), self.env._("record a fault"))
        now = fields.Datetime.now()
        for line in self:
            test = (
                "standard_test_result" if line.analysis_stage == "pending" else "load_test_result"
            )
            line._csc_require(
                [
                    (line[test], line._fields[test]._description_string(self.env)),
                    (line.fault_cause_category, self.env._("the fault cause")),
                    (line.fault_description, self.env._("the fault found")),
                ],
                self.env._("%(line)s: record %(missing)s before concluding a fault."),
                line=line.display_name,
            )
            test_date = (
                "date_standard_test" if line.analysis_stage == "pending" else "date_load_test"
            )
            line._csc_write(
                {
                    "analysis_stage": "fault",
                    test_date: now,
                    "analysed_by_id": self.env.uid,
                    "date_analysed": now,
                }
            )
        return True

    def action_reset_analysis(self):
        """A service manager restarts the analysis of a part still in inspection (a test to
        repeat); the earlier results stay in the chatter."""
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a service manager restarts a failure analysis."))
        self._csc_check_state(("received",), self.env._("have its analysis restarted"))
        self._csc_write(
            {
                "analysis_stage": "pending",
                "date_standard_test": False,
                "date_load_test": False,
                "analysed_by_id": False,
                "date_analysed": False,
            }
        )
        return True

    # -- business helpers ----------------------------------------------------------------------

    def _csc_check_analysis(self, stages, what):
        """Quality analyses returned parts in inspection, one stage after the other."""
        if not self.env.user.has_group(QUALITY):
            raise AccessError(self.env._("The quality department analyses returned parts."))
        self._csc_check_state(("received",), what)
        stages = (stages,) if isinstance(stages, str) else stages
        labels = dict(self._fields["analysis_stage"]._description_selection(self.env))
        for line in self:
            if line.analysis_stage not in stages:
                raise UserError(
                    self.env._(
                        "%(line)s: the failure analysis is at %(stage)s; it cannot %(what)s "
                        "now. Standard test first, then the load / function test if the "
                        "standard test found no fault.",
                        line=line.display_name,
                        stage=labels[line.analysis_stage],
                        what=what,
                    )
                )

    def _csc_check_analysis_inputs(self, vals):
        """What a concluded test recorded stays as recorded."""
        for name, stages in ANALYSIS_INPUTS.items():
            if name not in vals:
                continue
            frozen = self.filtered(lambda line, stages=stages: line.analysis_stage not in stages)
            if frozen:
                raise UserError(
                    self.env._(
                        "%(lines)s: %(field)s is part of a concluded test and no longer "
                        "changes; a service manager restarts the analysis if a test is repeated.",
                        lines=", ".join(frozen.mapped("display_name")),
                        field=self._fields[name]._description_string(self.env),
                    )
                )

    def _execute_disposition(self):
        self.ensure_one()
        stock = self.sudo()  # the links to the stock records the disposition booked
        quality = self.env["stock.location"]._csc_quality_location(self.company_id)
        if self.disposition not in ("rework", "return"):
            # scrap, and the returned goods of a replacement or a refund
            stock.scrap_ids |= self.env["stock.scrap"]._csc_scrap(
                self.product_id,
                self.quantity,
                quality,
                self.company_id,
                self.complaint_id.name,
                self.lot_id,
            )
        for picking_type, source, destination, lot in self._prepare_disposition_transfers(quality):
            stock.picking_ids |= self._create_picking(
                picking_type, source, destination, self.product_id, lot, validate=True
            )
        if self.disposition == "refund":
            self._csc_create_refund(self.quantity)

    def _prepare_disposition_transfers(self, quality):
        """[(picking type, source, destination, lot)] of the transfers the disposition books:
        goods to rework into the rework location (the rework plan releases them after their
        re-inspection), returned goods to the customer, a replacement from stock."""
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )
        customers = self.env.ref("stock.stock_location_customers")
        return {
            "rework": [
                (
                    warehouse.int_type_id,
                    quality,
                    self.env["stock.location"]._csc_rework_location(self.company_id),
                    self.lot_id,
                )
            ],
            "return": [(warehouse.out_type_id, quality, customers, self.lot_id)],
            "replace": [(warehouse.out_type_id, warehouse.lot_stock_id, customers, None)],
        }.get(self.disposition, [])

    def _create_picking(self, picking_type, source, destination, product, lot=None, validate=False):
        route = {
            "picking_type": picking_type,
            "source": source,
            "destination": destination,
            "partner": self.partner_id,
            "origin": self.complaint_id.name,
        }
        return self.env["stock.picking"]._csc_transfer(
            route, [(product, lot, self.quantity, {})], validate=validate
        )

    # -- refund --------------------------------------------------------------------------------

    def _csc_delivery_invoice_line(self):
        """The posted customer invoice line of the delivery the returned goods came from: the
        latest delivery of the product (of the lot, when there is one) to the customer made
        from a sale order, through the invoice lines of its sale line."""
        self.ensure_one()
        if not (self.product_id and self.partner_id):
            return self.env["account.move.line"]
        customer = self.partner_id.commercial_partner_id
        partners = self.env["res.partner"].with_context(active_test=False)
        partners = partners.sudo().search([("id", "child_of", customer.id)])
        domain = [
            ("state", "=", "done"),
            ("product_id", "=", self.product_id.id),
            ("location_dest_id.usage", "=", "customer"),
            ("sale_line_id", "!=", False),
            ("sale_line_id.order_id.partner_id", "in", partners.ids),
            ("company_id", "=", self.company_id.id),
        ]
        if self.lot_id:
            domain.append(("move_line_ids.lot_id", "=", self.lot_id.id))
        # sudo: the customer's sales and invoices, read to credit what the customer paid
        moves = self.env["stock.move"].sudo().search(domain, order="date desc, id desc")
        for move in moves:
            lines = move.sale_line_id.invoice_lines.filtered(
                lambda line: line.move_id.state == "posted"
                and line.move_id.move_type == "out_invoice"
            )
            if lines:
                return lines.sorted(lambda line: (line.move_id.invoice_date, line.id))[-1]
        return self.env["account.move.line"]

    def _csc_paid_price(self):
        """What the customer paid for one unit of the returned product: the unit price,
        discount and taxes of the invoice of the delivery, else the product's sales price and
        taxes; with the partner, currency and fiscal position a credit note takes."""
        self.ensure_one()
        invoice_line = self._csc_delivery_invoice_line()
        company = self.company_id or self.env.company
        if invoice_line:
            invoice = invoice_line.move_id
            price = invoice_line.product_uom_id._compute_price(
                invoice_line.price_unit, self.product_id.uom_id
            )
            return {
                "price_unit": price,
                "discount": invoice_line.discount,
                "taxes": invoice_line.tax_ids,
                "currency": invoice.currency_id,
                "partner": invoice.partner_id,
                "fiscal_position": invoice.fiscal_position_id,
                "invoice": invoice,
            }
        partner = self.partner_id.commercial_partner_id
        fiscal_position = (
            self.env["account.fiscal.position"].with_company(company)._get_fiscal_position(partner)
            if partner
            else self.env["account.fiscal.position"]
        )
        taxes = self.product_id.sudo().taxes_id.filtered(lambda tax: tax.company_id == company)
        return {
            "price_unit": self.product_id.lst_price,
            "discount": 0.0,
            "taxes": fiscal_position.map_tax(taxes) if fiscal_position else taxes,
            "currency": company.currency_id,
            "partner": partner,
            "fiscal_position": fiscal_position,
            "invoice": self.env["account.move"],
        }

    def _csc_credited_quantity(self, moves):
        """The quantity of the returned product the credit notes `moves` credit."""
        self.ensure_one()
        total = 0.0
        for line in moves.sudo().invoice_line_ids.filtered(
            lambda line: line.product_id == self.product_id
        ):
            total += line.product_uom_id._compute_quantity(line.quantity, self.product_id.uom_id)
        return total

    def _csc_prepare_refund_vals(self, quantity):
        self.ensure_one()
        paid = self._csc_paid_price()
        return {
            "move_type": "out_refund",
            "company_id": self.company_id.id,
            "partner_id": paid["partner"].id,
            "currency_id": paid["currency"].id,
            "fiscal_position_id": paid["fiscal_position"].id,
            "reversed_entry_id": paid["invoice"].id,
            "invoice_origin": self.complaint_id.name,
            "ref": self.env._("Refund of the returned goods %s", self.display_name),
            "csc_origin": "refund",
            "csc_complaint_id": self.complaint_id.id,
            "csc_return_id": self.id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": self.product_id.id,
                        "quantity": quantity,
                        "product_uom_id": self.product_id.uom_id.id,
                        "price_unit": paid["price_unit"],
                        "discount": paid["discount"],
                        "tax_ids": [Command.set(paid["taxes"].ids)],
                    }
                )
            ],
        }

    def _csc_create_refund(self, quantity):
        """The draft customer credit note of the refund for `quantity` of the returned goods
        (finance posts it), after the checks the posting repeats."""
        self.ensure_one()
        rounding = self.product_id.uom_id.rounding
        if float_compare(quantity, 0.0, precision_rounding=rounding) <= 0:
            raise UserError(
                self.env._("%s is credited in full: nothing is left to refund.", self.display_name)
            )
        # sudo: quality decides the refund; the credit note is finance's document, posted there
        self._csc_check_refund_allowed(quantity=quantity)
        move = self.env["account.move"].sudo().create(self._csc_prepare_refund_vals(quantity))
        self.message_post(
            body=self.env._(
                "Credit note %(move)s drafted for %(quantity)s %(uom)s: finance posts it.",
                move=move.display_name,
                quantity=quantity,
                uom=self.product_id.uom_id.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return move

    def _csc_check_refund_allowed(self, move=None, quantity=0.0):
        """A credit note of these returned goods is issued (for `quantity`) or posted (`move`)
        only for a refund, after the goods came back and the approval the refund needs, and
        never for more than the returned quantity: counting the other credit notes not
        cancelled when one is issued, those posted when `move` is posted."""
        self.ensure_one()
        pending = move is None
        line = self.sudo()
        if line.disposition != "refund":
            raise UserError(
                self.env._(
                    "%s is not refunded: no credit note is issued for it.", line.display_name
                )
            )
        if line.state not in ("received", "disposed") or (not pending and line.state != "disposed"):
            raise UserError(
                self.env._(
                    "%s: the refund is credited once the goods came back and the disposition "
                    "was applied.",
                    line.display_name,
                )
            )
        if line.approval_required and not line.approved_by_id:
            raise UserError(
                self.env._(
                    "%s: the refund needs the general manager's approval before it is credited.",
                    line.display_name,
                )
            )
        states = ("draft", "posted") if pending else ("posted",)
        posting = move if move is not None else self.env["account.move"]
        others = line.refund_move_ids.filtered(lambda m: m.state in states and m not in posting)
        if move is not None:
            quantity = line._csc_credited_quantity(move)
        credited = line._csc_credited_quantity(others) + quantity
        rounding = line.product_id.uom_id.rounding
        if float_compare(credited, line.quantity, precision_rounding=rounding) > 0:
            raise UserError(
                self.env._(
                    "%(line)s: %(credited)s credited would be more than the %(returned)s returned.",
                    line=line.display_name,
                    credited=credited,
                    returned=line.quantity,
                )
            )
