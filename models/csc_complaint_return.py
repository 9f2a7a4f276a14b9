from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError

DESK = "customer_service_control.group_csc_user"
CLERK = "customer_service_control.group_csc_stock_clerk"


class CscComplaintReturn(models.Model):
    """Goods returned by the customer for a complaint (R-D1, R-D2): received into quality
    inspection with a real receipt, inspected, then disposed of with real stock moves."""

    _name = "csc.complaint.return"
    _description = "Returned Goods"
    _check_company_auto = True
    _inherit = ["csc.workflow.mixin", "csc.portal.mixin", "mail.thread"]
    _order = "id desc"
    _csc_guarded_fields = frozenset(
        {"state", "receipt_id", "date_disposed", "picking_ids", "scrap_ids"}
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

    # -- constraints and onchanges -------------------------------------------------------------

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        self._csc_check_lot_product()

    # -- actions -------------------------------------------------------------------------------

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
            with self._csc_transition():
                line._execute_disposition()
        self._csc_write({"state": "disposed", "date_disposed": fields.Datetime.now()})
        return True

    # -- business helpers ----------------------------------------------------------------------

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

    def _prepare_disposition_transfers(self, quality):
        """[(picking type, source, destination, lot)] of the transfers the disposition books:
        reworked goods back to stock, returned goods to the customer, a replacement from
        stock."""
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )
        customers = self.env.ref("stock.stock_location_customers")
        return {
            "rework": [(warehouse.int_type_id, quality, warehouse.lot_stock_id, self.lot_id)],
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
