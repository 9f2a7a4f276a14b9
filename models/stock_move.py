from collections import defaultdict

from odoo import fields
from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    # -- fields --------------------------------------------------------------------------------

    # The spare-part loan line a move books (R-F): what the line issued, got back, installed
    # and inspected is the sum of its done moves.
    csc_loan_line_id = fields.Many2one(
        "csc.part.loan.line", "Loan Line", index="btree_not_null", readonly=True, copy=False
    )
    csc_loan_role = fields.Selection(
        [
            ("issued", "Issued"),
            ("returned", "Returned Unused"),
            ("consumed", "Installed"),
            ("damaged", "Replaced Part Returned"),
            ("faulty", "Returned Faulty"),
            ("inspected", "Inspected"),
        ],
        "Loan Step",
        readonly=True,
        copy=False,
    )

    # -- business helpers ----------------------------------------------------------------------

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        moves._csc_record_deliveries()
        return moves

    def _csc_record_deliveries(self):
        """Fill the product file of the lots delivered to customers (R-A4)."""
        deliveries = defaultdict(lambda: self.env["stock.lot"])
        for move in self:
            partner = move.picking_id.partner_id or move.partner_id
            if (
                move.state == "done"
                and partner
                and move.location_dest_id.usage == "customer"
                and move.location_id.usage != "customer"
            ):
                date = fields.Date.context_today(move, move.date)
                deliveries[partner, date] |= move.move_line_ids.lot_id
        for (partner, date), lots in deliveries.items():
            if lots:
                lots._csc_record_delivery(partner, date)
