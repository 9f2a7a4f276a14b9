from odoo import Command
from odoo import api
from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    @api.model
    def _csc_transfer(
        self,
        picking_type,
        source,
        destination,
        lines,
        partner,
        origin,
        validate=True,
        move_vals=None,
    ):
        """A real transfer of `lines` [(product, lot or None, quantity)] from `source` to
        `destination`, booked with the system's rights: the customer-service flow (return,
        disposition, loan) decided it, the warehouse carries it out. Lines with a lot move that
        lot; the others are reserved by the warehouse's own rules. `move_vals`, one dict per
        line, adds values to each line's move."""
        picking = self.sudo().create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": partner.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "origin": origin,
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
                            "price_unit": product.with_company(
                                picking_type.company_id
                            ).standard_price,
                            **extra,
                        }
                    )
                    for (product, _lot, quantity), extra in zip(
                        lines, move_vals or [{}] * len(lines), strict=True
                    )
                ],
            }
        )
        picking.action_confirm()
        to_reserve = self.env["stock.move"]
        for move, (product, lot, quantity) in zip(picking.move_ids, lines, strict=True):
            if not lot:
                to_reserve |= move
                continue
            move.move_line_ids.unlink()
            move.move_line_ids = [
                Command.create(
                    {
                        "product_id": product.id,
                        "lot_id": lot.id,
                        "quantity": quantity,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                        "picking_id": picking.id,
                    }
                )
            ]
        to_reserve._action_assign()
        if validate:
            picking.move_ids.picked = True
            picking.with_context(skip_backorder=True).button_validate()
        return picking
