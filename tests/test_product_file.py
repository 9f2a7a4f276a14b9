from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError

from .common import CscCase


class TestProductFile(CscCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.env.ref("stock.stock_location_stock")
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.product = cls.env["product.product"].create(
            {
                "name": "Steering Column",
                "is_storable": True,
                "tracking": "serial",
                "csc_warranty_months": 24,
            }
        )
        cls.lots = cls.env["stock.lot"].create(
            [{"name": f"SC-{n}", "product_id": cls.product.id} for n in (1, 2, 3)]
        )
        for lot in cls.lots:
            cls.env["stock.quant"]._update_available_quantity(cls.product, cls.stock, 1, lot_id=lot)
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Purchasing Dept", "parent_id": cls.customer.id}
        )

    def _deliver(self, lots, partner):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.env.ref("stock.picking_type_out").id,
                "partner_id": partner.id,
                "location_id": self.stock.id,
                "location_dest_id": self.customers.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": len(lots),
                            "location_id": self.stock.id,
                            "location_dest_id": self.customers.id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.move_line_ids.unlink()
        for lot in lots:
            self.env["stock.move.line"].create(
                {
                    "move_id": picking.move_ids.id,
                    "picking_id": picking.id,
                    "product_id": self.product.id,
                    "lot_id": lot.id,
                    "quantity": 1,
                    "location_id": self.stock.id,
                    "location_dest_id": self.customers.id,
                }
            )
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    def test_delivery_fills_product_file(self):
        delivered, kept = self.lots[:2], self.lots[2]
        with freeze_time("2026-02-15 10:00:00"):
            self._deliver(delivered, self.buyer)
        for lot in delivered:
            self.assertEqual(lot.csc_partner_id, self.customer)  # the company, not the contact
            self.assertEqual(lot.csc_delivery_date, date(2026, 2, 15))
            self.assertEqual(lot.csc_warranty_start, date(2026, 2, 15))
            self.assertEqual(lot.csc_warranty_end, date(2028, 2, 14))
            self.assertEqual(lot.quant_ids.filtered("quantity").location_id, self.customers)
        self.assertFalse(kept.csc_partner_id)
        self.assertFalse(kept.csc_warranty_end)
        self.assertEqual(self.customer.csc_lot_count, 2)
        with freeze_time("2028-02-14"):
            self.assertTrue(delivered[0].csc_under_warranty)
        with freeze_time("2028-02-15"):
            self.env.invalidate_all()
            self.assertFalse(delivered[0].csc_under_warranty)

    def test_receipt_does_not_touch_product_file(self):
        supplier = self.env["res.partner"].create({"name": "Supplier"})
        lot = self.env["stock.lot"].create({"name": "SC-IN", "product_id": self.product.id})
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.env.ref("stock.picking_type_in").id,
                "partner_id": supplier.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.stock.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "location_id": self.env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": self.stock.id,
                        },
                    )
                ],
            }
        )
        receipt.action_confirm()
        receipt.move_ids.move_line_ids.write({"lot_id": lot.id, "quantity": 1})
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")
        self.assertFalse(lot.csc_partner_id)
        self.assertFalse(lot.csc_delivery_date)

    def test_warranty_follows_product_and_manual_start(self):
        lot = self.lots[0]
        lot.csc_delivery_date = "2026-01-31"
        self.assertEqual(lot.csc_warranty_end, date(2028, 1, 30))
        self.product.csc_warranty_months = 1
        self.assertEqual(lot.csc_warranty_end, date(2026, 2, 27))
        lot.csc_warranty_start = "2026-03-01"  # e.g. warranty starts at commissioning
        self.assertEqual(lot.csc_warranty_end, date(2026, 3, 31))
        self.product.csc_warranty_months = 0
        self.assertFalse(lot.csc_warranty_end)

    def test_lot_with_history_is_archived_not_deleted(self):
        delivered = self.lots[0]
        self._deliver(delivered, self.customer)
        with self.assertRaisesRegex(UserError, "archive it instead"):
            delivered.unlink()
        delivered.action_archive()
        self.assertFalse(delivered.active)
        self.assertTrue(delivered.exists())
        self.assertNotIn(
            delivered, self.env["stock.lot"].search([("product_id", "=", self.product.id)])
        )
        unused = self.env["stock.lot"].create({"name": "SC-NEW", "product_id": self.product.id})
        unused.unlink()
        self.assertFalse(unused.exists())
