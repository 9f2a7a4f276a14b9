from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class StockLot(models.Model):
    """The product file (R-A4, 产品档案): one delivered lot or serial number."""

    _inherit = "stock.lot"

    # -- fields --------------------------------------------------------------------------------

    active = fields.Boolean(default=True, tracking=True)
    csc_partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        index=True,
        tracking=True,
        help="Set by the delivery to the customer.",
    )
    csc_delivery_date = fields.Date(
        "Delivery Date", tracking=True, help="Set by the delivery to the customer."
    )
    csc_warranty_start = fields.Date(
        "Warranty Start",
        compute="_compute_csc_warranty_start",
        store=True,
        readonly=False,
        tracking=True,
    )
    csc_warranty_end = fields.Date(
        "Warranty End",
        compute="_compute_csc_warranty_end",
        store=True,
        readonly=False,
        tracking=True,
    )
    csc_under_warranty = fields.Boolean("Under Warranty", compute="_compute_csc_under_warranty")
    csc_component_ids = fields.One2many("csc.lot.component", "lot_id", "Key Components")
    csc_technical_agreement = fields.Text(
        "Technical Agreement",
        help="Service commitments and spare-part price agreement for this unit.",
        groups="customer_service_control.group_csc_reader",
    )
    csc_quality_notes = fields.Text("Yearly Quality Tracking")
    csc_complaint_ids = fields.One2many("csc.complaint", "lot_id", "Complaints")
    csc_visit_ids = fields.One2many("csc.service.visit", "lot_id", "Service Visits")

    # -- computes and inverses -----------------------------------------------------------------

    @api.depends("csc_delivery_date")
    def _compute_csc_warranty_start(self):
        for lot in self:
            lot.csc_warranty_start = lot.csc_delivery_date

    @api.depends("csc_warranty_start", "product_id.csc_warranty_months")
    def _compute_csc_warranty_end(self):
        for lot in self:
            months = lot.product_id.csc_warranty_months
            lot.csc_warranty_end = (
                lot.csc_warranty_start + relativedelta(months=months, days=-1)
                if lot.csc_warranty_start and months > 0
                else False
            )

    @api.depends("csc_warranty_end")
    def _compute_csc_under_warranty(self):
        today = fields.Date.context_today(self)
        for lot in self:
            lot.csc_under_warranty = bool(lot.csc_warranty_end and lot.csc_warranty_end >= today)

    # -- CRUD ----------------------------------------------------------------------------------

    @api.ondelete(at_uninstall=False)
    def _unlink_except_service_history(self):
        kept = self.filtered(lambda lot: lot._csc_has_service_history())
        if kept:
            raise UserError(
                self.env._(
                    "%s has a service history and must be kept: archive it instead.",
                    ", ".join(kept.mapped("display_name")),
                )
            )

    # -- business helpers ----------------------------------------------------------------------

    def _csc_has_service_history(self):
        """Whether the lot is part of a customer's record; extended by complaints and visits."""
        self.ensure_one()
        return bool(
            self.csc_partner_id
            or self.csc_delivery_date
            or self.env["csc.complaint"].sudo().search_count([("lot_id", "=", self.id)], limit=1)
            or self.env["csc.service.visit"]
            .sudo()
            .search_count([("lot_id", "=", self.id)], limit=1)
        )

    def _csc_record_delivery(self, partner, date):
        """Record the delivery of these lots to a customer."""
        self.write({"csc_partner_id": partner.commercial_partner_id.id, "csc_delivery_date": date})
