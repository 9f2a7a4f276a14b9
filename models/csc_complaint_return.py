from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError


class CscComplaintReturn(models.Model):
    """Goods returned by the customer for a complaint (R-D1, R-D2): received into quality
    inspection with a real receipt, inspected, then disposed of with real stock moves."""

    _name = "csc.complaint.return"
    _description = "Returned Goods"
    _inherit = ["mail.thread"]
    _order = "id desc"

    complaint_id = fields.Many2one("csc.complaint", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    partner_id = fields.Many2one(related="complaint_id.partner_id")
    product_id = fields.Many2one("product.product", required=True)
    lot_id = fields.Many2one("stock.lot", "Lot/Serial", domain="[('product_id', '=', product_id)]")
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit of Measure")
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
    receipt_id = fields.Many2one("stock.picking", "Return Receipt", readonly=True, copy=False)
    defect_confirmed = fields.Boolean(tracking=True)
    inspection_result = fields.Text()
    sample_quantity = fields.Float("Samples for Analysis", digits="Product Unit of Measure")
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
    date_disposed = fields.Datetime("Disposed On", readonly=True, copy=False)
    picking_ids = fields.Many2many("stock.picking", string="Disposition Transfers", readonly=True)
    scrap_ids = fields.Many2many("stock.scrap", string="Scrap Orders", readonly=True)

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The returned quantity must be positive."),
    ]

    def action_create_receipt(self):
        """The warehouse receives the goods from the customer into quality inspection."""
        for line in self:
            if line.state != "draft":
                raise UserError(self.env._("The return receipt already exists."))
            company = line.company_id
            warehouse = self.env["stock.warehouse"].search(
                [("company_id", "=", company.id)], limit=1
            )
            customers = self.env.ref("stock.stock_location_customers")
            quality = self.env["stock.location"]._csc_quality_location(company)
            line.receipt_id = line._create_picking(
                warehouse.in_type_id, customers, quality, line.product_id, line.lot_id
            )
            line.state = "receiving"

    def action_received(self):
        for line in self:
            if line.state != "receiving" or line.receipt_id.state != "done":
                raise UserError(
                    self.env._("Validate the return receipt %s first.", line.receipt_id.name or "")
                )
        self.state = "received"

    def action_dispose(self):
        if not self.env.user.has_group("customer_service_control.group_csc_quality"):
            raise AccessError(self.env._("The quality department decides the disposition."))
        for line in self:
            if line.state != "received":
                raise UserError(self.env._("Only goods in inspection can be disposed of."))
            if not (line.disposition and line.inspection_result):
                raise UserError(
                    self.env._("Record the inspection result and the disposition first.")
                )
            line._execute_disposition()
        self.write({"state": "disposed", "date_disposed": fields.Datetime.now()})

    def _execute_disposition(self):
        self.ensure_one()
        company = self.company_id
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        quality = self.env["stock.location"]._csc_quality_location(company)
        customers = self.env.ref("stock.stock_location_customers")
        if self.disposition == "rework":
            self.picking_ids |= self._create_picking(
                warehouse.int_type_id,
                quality,
                warehouse.lot_stock_id,
                self.product_id,
                self.lot_id,
                validate=True,
            )
        elif self.disposition == "return":
            self.picking_ids |= self._create_picking(
                warehouse.out_type_id,
                quality,
                customers,
                self.product_id,
                self.lot_id,
                validate=True,
            )
        else:  # scrap, and the returned goods of a replacement or a refund
            self.scrap_ids |= self.env["stock.scrap"]._csc_scrap(
                self.product_id,
                self.quantity,
                quality,
                company,
                self.complaint_id.name,
                self.lot_id,
            )
            if self.disposition == "replace":
                self.picking_ids |= self._create_picking(
                    warehouse.out_type_id,
                    warehouse.lot_stock_id,
                    customers,
                    self.product_id,
                    validate=True,
                )

    def _create_picking(self, picking_type, source, destination, product, lot=None, validate=False):
        return self.env["stock.picking"]._csc_transfer(
            picking_type,
            source,
            destination,
            [(product, lot, self.quantity)],
            self.partner_id,
            self.complaint_id.name,
            validate=validate,
        )
