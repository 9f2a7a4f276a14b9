from odoo import Command
from odoo import api
from odoo import models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        self._csc_check_whole_lot_confirmed()
        return super()._action_done()

    def _csc_check_whole_lot_confirmed(self):
        """A whole lot returned by the customer enters only once quality confirmed the defect
        (R-D1), whoever validates its receipt (the return's button or the warehouse)."""
        waiting = (
            self.env["csc.complaint.return"]
            .sudo()
            .search(
                [
                    ("receipt_id", "in", self.ids),
                    ("whole_lot", "=", True),
                    ("defect_confirmed_by_id", "=", False),
                ]
            )
        )
        if waiting:
            raise UserError(
                self.env._(
                    "%s is a whole lot: it is received only after quality confirmed the defect.",
                    ", ".join(waiting.mapped("display_name")),
                )
            )

    @api.model
    def _csc_transfer(self, route, lines, validate=True):
        """A real transfer of `lines` [(product, lot or None, quantity, extra move values)] along
        `route` (a dict: `picking_type`, `source`, `destination`, `partner`, `origin`), booked
        with the system's rights: the customer-service flow (return, disposition, loan) decided
        it, the warehouse carries it out. Lines with a lot move that lot; the others are
        reserved by the warehouse's own rules."""
        picking = self.sudo().create(self._csc_prepare_transfer_vals(route, lines))
        picking.action_confirm()
        to_reserve = self.env["stock.move"]
        for move, (product, lot, quantity, _extra) in zip(picking.move_ids, lines, strict=True):
            if not lot:
                to_reserve |= move
                continue
            move.move_line_ids.unlink()
            move.move_line_ids = [
                Command.create(picking._csc_prepare_lot_line_vals(route, product, lot, quantity))
            ]
        to_reserve._action_assign()
        if validate:
            picking.move_ids.picked = True
            picking.with_context(skip_backorder=True).button_validate()
        return picking

    @api.model
    def _csc_prepare_transfer_vals(self, route, lines):
        """The values of the picking of a `_csc_transfer`, its moves included."""
        source, destination = route["source"], route["destination"]
        company = route["picking_type"].company_id
        return {
            "picking_type_id": route["picking_type"].id,
            "partner_id": route["partner"].id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "origin": route["origin"],
            "move_ids": [
                Command.create(
                    {
                        "name": product.display_name,
                        "product_id": product.id,
                        "product_uom_qty": quantity,
                        "product_uom": product.uom_id.id,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                        # Unit cost at the time of the move: what the external failure
                        # cost (R-I3) counts for warranty parts and replacements.
                        "price_unit": product.with_company(company).standard_price,
                        **extra,
                    }
                )
                for product, _lot, quantity, extra in lines
            ],
        }

    def _csc_prepare_lot_line_vals(self, route, product, lot, quantity):
        """The move line of this transfer booking `lot`, instead of what the reservation would
        pick."""
        return {
            "product_id": product.id,
            "lot_id": lot.id,
            "quantity": quantity,
            "location_id": route["source"].id,
            "location_dest_id": route["destination"].id,
            "picking_id": self.id,
        }
