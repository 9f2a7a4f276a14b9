"""Nonconforming product under control (issue 21, R-D1, R-C11): returned goods held in quality
inspection, a whole lot received after quality confirmed the defect, rework through
re-inspection to stock or back to the customer, refunds and replacements above the company's
amount approved by the general manager. Every step is a real transfer; nothing held is
available or reservable before quality releases it."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from .common import MODULE
from .common import ComplaintCase
from .common import PartLoanCase


class NonconformingCase(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.product.lst_price = 1000.0
        cls.lot = cls.env["stock.lot"].create({"name": "NC-1", "product_id": cls.product.id})
        cls.delivery_address = cls.env["res.partner"].create(
            {"name": "OEM Motors, Plant 2", "type": "delivery", "parent_id": cls.customer.id}
        )
        Location = cls.env["stock.location"]
        cls.quality = Location._csc_quality_location(cls.company)
        cls.rework = Location._csc_rework_location(cls.company)
        cls.quarantine = Location._csc_quarantine_location(cls.company)

    # -- helpers -------------------------------------------------------------------------------

    def _quants(self, location, product=None):
        return self.env["stock.quant"].search(
            [("product_id", "=", (product or self.product).id), ("location_id", "=", location.id)]
        )

    def _on_hand(self, location, product=None):
        return sum(self._quants(location, product).mapped("quantity"))

    def _available(self, location, product=None):
        return sum(self._quants(location, product).mapped("available_quantity"))

    def _assert_not_reservable(self, product=None, quantity=1):
        """A delivery from the warehouse's stock, and one from the warehouse as a whole (the
        parent of the hold locations), reserve nothing."""
        product = product or self.product
        Quant = self.env["stock.quant"]
        for source in (self.stock, self.warehouse.view_location_id):
            self.assertEqual(Quant._get_available_quantity(product, source), 0)
            picking = self.env["stock.picking"].create(
                {
                    "picking_type_id": self.warehouse.out_type_id.id,
                    "partner_id": self.customer.id,
                    "location_id": source.id,
                    "location_dest_id": self.customers.id,
                    "move_ids": [
                        (
                            0,
                            0,
                            {
                                "name": product.name,
                                "product_id": product.id,
                                "product_uom_qty": quantity,
                                "product_uom": product.uom_id.id,
                                "location_id": source.id,
                                "location_dest_id": self.customers.id,
                            },
                        )
                    ],
                }
            )
            picking.action_confirm()
            picking.action_assign()
            self.assertEqual(picking.move_ids.quantity, 0, source.display_name)
            self.assertNotEqual(picking.state, "assigned")
            picking.action_cancel()

    def _return(self, **vals):
        complaint = self._complaint(lot_id=self.lot.id, qty_affected=1)
        line = self.env["csc.complaint.return"].create(
            {
                "complaint_id": complaint.id,
                "product_id": self.product.id,
                "lot_id": self.lot.id,
                "quantity": 1,
                **vals,
            }
        )
        line.action_create_receipt()
        return line

    def _inspected(self, disposition, **vals):
        line = self._return(**vals)
        line.with_user(self.desk_user).action_received()
        line.write({"inspection_result": "Bearing noise confirmed", "disposition": disposition})
        return line


class TestReturnedGoodsHeld(NonconformingCase):
    def test_returned_goods_held_until_disposition(self):
        line = self._return()
        self.assertEqual(line.receipt_id.location_dest_id, self.quality)
        line.with_user(self.desk_user).action_received()
        # On hand in quality inspection, an internal location outside the warehouse's stock ...
        self.assertEqual(self.quality.usage, "internal")
        self.assertTrue(self.quality.csc_hold)
        self.assertFalse(self.quality._child_of(self.stock))
        self.assertEqual(self._on_hand(self.quality), 1)
        # ... but neither available nor reservable.
        self.assertEqual(self._available(self.quality), 0)
        self._assert_not_reservable()
        self.assertEqual(self._quants(self.quality).reserved_quantity, 0)

    def test_whole_lot_received_after_quality_confirms_the_defect(self):
        line = self._return(whole_lot=True)
        with self.assertRaisesRegex(UserError, "whole lot: it is received only after quality"):
            line.with_user(self.desk_user).action_received()
        self.assertEqual((line.state, line.receipt_id.state), ("receiving", "assigned"))
        # Nor does the warehouse receive it from Inventory.
        receipt = line.receipt_id
        receipt.move_ids.picked = True
        with self.assertRaisesRegex(UserError, "whole lot: it is received only after quality"):
            receipt.with_context(skip_backorder=True).button_validate()
        self.assertEqual(receipt.state, "assigned")
        self.assertEqual(self._on_hand(self.quality), 0)
        for user in (self.desk_user, self.clerk, self.technician):
            with self.assertRaisesRegex(AccessError, "quality department confirms"):
                line.with_user(user).action_confirm_defect()
        self.assertFalse(line.defect_confirmed or line.defect_confirmed_by_id)
        # Nobody records the confirmation by editing the return.
        with self.assertRaisesRegex(UserError, "change only through its actions"):
            line.with_user(self.quality_user).write(
                {"defect_confirmed_by_id": self.quality_user.id}
            )
        with freeze_time("2026-03-09 10:00:00"):
            line.with_user(self.quality_user).action_confirm_defect()
        self.assertEqual(
            (line.defect_confirmed, line.defect_confirmed_by_id, str(line.date_defect_confirmed)),
            (True, self.quality_user, "2026-03-09 10:00:00"),
        )
        line.with_user(self.desk_user).action_received()
        self.assertEqual((line.state, line.receipt_id.state), ("received", "done"))
        self.assertEqual((self._on_hand(self.quality), self._available(self.quality)), (1, 0))
        self._assert_not_reservable()


class TestRework(NonconformingCase):
    def _plan(self, line, **vals):
        plan = self.env["csc.rework.plan"].browse(
            line.with_user(self.quality_user).action_plan_rework()["res_id"]
        )
        plan.write(
            {
                "route": "Disassemble, replace bearing, 100 % noise test",
                "user_id": self.clerk.id,
                "date_needed": date(2026, 3, 20),
                **vals,
            }
        )
        return plan.with_user(self.quality_user)

    def test_rework_re_inspected_then_shipped_back(self):
        line = self._inspected("rework")
        line.with_user(self.quality_user).action_dispose()
        # Decided for rework: out of inspection into the rework location, still held.
        self.assertEqual(line.sudo().picking_ids.location_dest_id, self.rework)
        self.assertEqual((self._on_hand(self.quality), self._on_hand(self.rework)), (0, 1))
        self.assertEqual(self._available(self.rework), 0)
        self.assertEqual(self._on_hand(self.stock), 0)
        self._assert_not_reservable()

        plan = self._plan(line)
        with (
            self.assertRaisesRegex(ValidationError, "more than the 1.0 returned"),
            self.env.cr.savepoint(),
        ):
            plan.quantity = 2
        plan.invalidate_recordset()
        self.assertEqual(plan.quantity, 1)
        plan.action_start()
        plan.qty_done = 1
        # No delivery back before the re-inspection: nothing changes.
        with self.assertRaisesRegex(UserError, "before quality re-inspected"):
            plan.action_release()
        self.assertEqual((plan.state, plan.sudo().picking_ids), ("in_progress", plan.picking_ids))
        self.assertFalse(plan.sudo().picking_ids)
        self.assertEqual(self._on_hand(self.rework), 1)
        plan.action_finish_rework()
        self.assertEqual(plan.state, "reworked")
        with self.assertRaisesRegex(UserError, "before quality re-inspected"):
            plan.action_release()
        self._assert_not_reservable()

        # The re-inspection is quality's.
        with self.assertRaisesRegex(AccessError, "re-inspects"):
            plan.with_user(self.desk_user).write({"qty_ok": 1})
        with self.assertRaisesRegex(AccessError, "re-inspects"):
            plan.with_user(self.clerk).action_reinspect()
        self.assertEqual((plan.state, plan.qty_ok, plan.inspected_by_id.id), ("reworked", 0, False))
        with self.assertRaisesRegex(UserError, "do not add up to the 1.0 reworked"):
            plan.action_reinspect()
        plan.write({"qty_ok": 1, "effectiveness_note": "Noise gone at 100 % test"})
        with freeze_time("2026-03-18 09:00:00"):
            plan.action_reinspect()
        self.assertEqual(
            (plan.state, plan.inspected_by_id, str(plan.date_inspected), plan.effectiveness),
            ("inspected", self.quality_user, "2026-03-18 09:00:00", 100.0),
        )
        with self.assertRaisesRegex(UserError, "change only through its actions"):
            plan.write({"inspected_by_id": self.desk_user.id})
        with self.assertRaisesRegex(AccessError, "releases"):
            plan.with_user(self.desk_user).action_release()
        self.assertEqual(self._on_hand(self.rework), 1)

        with freeze_time("2026-03-19 15:00:00"):
            plan.action_release()
        delivery = plan.sudo().picking_ids
        self.assertEqual(
            (
                delivery.picking_type_id,
                delivery.partner_id,
                delivery.location_id,
                delivery.location_dest_id,
                delivery.state,
                delivery.move_line_ids.lot_id,
            ),
            (
                self.warehouse.out_type_id,
                self.delivery_address,
                self.rework,
                self.customers,
                "done",
                self.lot,
            ),
        )
        self.assertEqual(str(delivery.move_ids.date_deadline), "2026-03-20 00:00:00")
        self.assertEqual((plan.state, plan.on_time), ("done", True))
        self.assertEqual(self._on_hand(self.rework), 0)
        self.assertEqual(self._on_hand(self.stock), 0)
        self.assertEqual(self.lot.csc_partner_id.commercial_partner_id, self.customer)

        # The effectiveness, the re-inspector and the delivery are printed on the form.
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(f"{MODULE}.report_complaint_return", line.ids)[0]
            .decode()
        )
        for text in ("Rework Effectiveness", "100.0 %", self.quality_user.name, delivery.name):
            self.assertIn(text, html)

    def test_rework_released_to_stock_and_rejects_to_quarantine(self):
        housing = self.env["product.product"].create(
            {"name": "Housing", "is_storable": True, "lst_price": 10.0}
        )
        complaint = self._complaint(product_id=housing.id, qty_affected=3)
        line = self.env["csc.complaint.return"].create(
            {"complaint_id": complaint.id, "product_id": housing.id, "quantity": 3}
        )
        line.action_create_receipt()
        line.with_user(self.desk_user).action_received()
        self.assertEqual(
            (self._on_hand(self.quality, housing), self._available(self.quality, housing)), (3, 0)
        )
        line.write({"inspection_result": "Burr", "disposition": "rework"})
        line.with_user(self.quality_user).action_dispose()
        self._assert_not_reservable(housing, 3)
        plan = self._plan(line, release_to="stock")
        plan.action_start()
        plan.qty_done = 3
        plan.action_finish_rework()
        plan.write({"qty_ok": 2, "qty_nok": 1})
        plan.action_reinspect()
        self.assertAlmostEqual(plan.effectiveness, 66.7, places=1)
        with freeze_time("2026-03-23 10:00:00"):  # after the date the customer needed them
            plan.action_release()
        self.assertEqual((plan.state, plan.on_time), ("done", False))
        self.assertEqual(self._on_hand(self.rework, housing), 0)
        # Released: in stock and available; the rejects held in quarantine.
        self.assertEqual(
            (self._on_hand(self.stock, housing), self._available(self.stock, housing)), (2, 2)
        )
        self.assertEqual(
            (self._on_hand(self.quarantine, housing), self._available(self.quarantine, housing)),
            (1, 0),
        )
        self.assertEqual(
            self.env["stock.quant"]._get_available_quantity(
                housing, self.warehouse.view_location_id
            ),
            2,
        )
        with self.assertRaisesRegex(UserError, "locked"):
            plan.write({"qty_done": 1})


class TestDispositionApproval(NonconformingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.spare = cls.env["stock.lot"].create({"name": "NC-2", "product_id": cls.product.id})
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.stock, 1, lot_id=cls.spare
        )
        cls.company.csc_disposition_approval_amount = 500.0

    def test_replacement_above_the_amount_needs_the_general_manager(self):
        line = self._inspected("replace")
        self.assertEqual((line.disposition_value, line.approval_required), (1000.0, True))
        with self.assertRaisesRegex(UserError, "needs the general manager's approval"):
            line.with_user(self.quality_user).action_dispose()
        self.assertEqual(line.state, "received")
        self.assertFalse(line.sudo().picking_ids or line.sudo().scrap_ids)
        self.assertEqual((self._on_hand(self.quality), self._on_hand(self.stock)), (1, 1))
        for user in (self.desk_user, self.quality_user, self.service_manager):
            with self.assertRaisesRegex(AccessError, "general manager approves"):
                line.with_user(user).action_approve_disposition()
        self.assertFalse(line.approved_by_id or line.date_approved)
        with self.assertRaisesRegex(UserError, "change only through its actions"):
            line.with_user(self.service_manager).write({"approved_by_id": self.general_manager.id})
        with freeze_time("2026-03-10 11:00:00"):
            line.with_user(self.general_manager).action_approve_disposition()
        self.assertEqual(
            (line.approved_by_id, str(line.date_approved)),
            (self.general_manager, "2026-03-10 11:00:00"),
        )
        with self.assertRaisesRegex(UserError, "already approved"):
            line.with_user(self.general_manager).action_approve_disposition()
        # The approval covers what was approved: another disposition asks for it again.
        line.disposition = "refund"
        self.assertFalse(line.approved_by_id)
        line.with_user(self.general_manager).action_approve_disposition()
        line.disposition = "refund"  # unchanged: still approved
        self.assertEqual(line.approved_by_id, self.general_manager)
        line.with_user(self.quality_user).action_dispose()
        self.assertEqual(line.state, "disposed")
        self.assertEqual(self._on_hand(self.quality), 0)  # the defective unit is scrapped
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(f"{MODULE}.report_complaint_return", line.ids)[0]
            .decode()
        )
        self.assertIn("General Manager's Approval", html)
        self.assertIn(self.general_manager.name, html)

    def test_below_the_amount_no_approval(self):
        self.company.csc_disposition_approval_amount = 1000.0
        line = self._inspected("replace")
        self.assertFalse(line.approval_required)
        with self.assertRaisesRegex(UserError, "needs no approval"):
            line.with_user(self.general_manager).action_approve_disposition()
        line.with_user(self.quality_user).action_dispose()
        self.assertEqual(line.state, "disposed")
        self.assertEqual(self._on_hand(self.stock), 0)  # the replacement left
        self.assertFalse(line.approved_by_id)


class TestPrint(NonconformingCase):
    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_return_form_prints(self):
        line = self._inspected("rework")
        pdf, kind = self.render_pdf(f"{MODULE}.report_complaint_return", line.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))


class TestLoanReturnsInspected(PartLoanCase):
    """Loaned parts returned unused are re-inspected before they are stock again (seed 002,
    R-F4), unless the company exempts low-value standard parts below a cost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quality = cls.env["stock.location"]._csc_quality_location(cls.company)
        cls.washer.standard_price = 2.0

    def _settled(self, product, returned):
        loan = self._loan(product=product, quantity=returned)
        loan.with_user(self.clerk).action_confirm()
        loan.line_ids.qty_returned_todo = returned
        loan.with_user(self.technician).action_settle()
        return loan

    def _available(self, product, location):
        return self.env["stock.quant"]._get_available_quantity(product, location)

    def test_unused_parts_wait_in_inspection(self):
        loan = self._settled(self.seal, 2)
        line = loan.line_ids
        self.assertEqual((line.qty_returned, line.qty_returned_inspection, line.balance), (2, 2, 0))
        self.assertEqual(
            (self._qty(self.seal, self.stock), self._qty(self.seal, self.quality)), (8, 2)
        )
        # Held: not available, not reservable from the warehouse.
        quants = self.env["stock.quant"].search(
            [("product_id", "=", self.seal.id), ("location_id", "=", self.quality.id)]
        )
        self.assertEqual(sum(quants.mapped("available_quantity")), 0)
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        self.assertEqual(self._available(self.seal, warehouse.view_location_id), 8)
        with self.assertRaisesRegex(UserError, "not inspected Seal kit"):
            loan.with_user(self.clerk).action_zero()
        line.inspection_result = "stock"
        with self.assertRaisesRegex(AccessError, "quality department"):
            loan.with_user(self.clerk).action_apply_inspection()
        self.assertEqual(self._qty(self.seal, self.quality), 2)
        loan.with_user(self.quality_user).action_apply_inspection()
        self.assertEqual(
            (self._qty(self.seal, self.quality), self._available(self.seal, self.stock)), (0, 10)
        )
        loan.with_user(self.clerk).action_zero()
        self.assertEqual(loan.state, "zeroed")

    def test_low_value_parts_exempt_by_the_company(self):
        # No exemption set: even washers are inspected.
        self._settled(self.washer, 1)
        self.assertEqual(self._qty(self.washer, self.quality), 1)
        self.company.csc_loan_inspection_exempt_cost = 1.5  # below the washer's cost
        self._settled(self.washer, 1)
        self.assertEqual(self._qty(self.washer, self.quality), 2)
        self.company.csc_loan_inspection_exempt_cost = 2.0
        loan = self._settled(self.washer, 1)
        self.assertEqual(
            (self._qty(self.washer, self.quality), self._available(self.washer, self.stock)), (2, 8)
        )
        self.assertEqual(
            (loan.line_ids.qty_returned_inspection, loan.line_ids._to_inspect()), (0, 0)
        )
        loan.with_user(self.clerk).action_zero()
        # A part that is not low-value is inspected whatever its cost.
        self.seal.standard_price = 1.0
        self._settled(self.seal, 1)
        self.assertEqual(self._qty(self.seal, self.quality), 1)


class TestLoanByCarrier(PartLoanCase):
    def test_parts_sent_by_carrier_to_the_customer(self):
        address = self.env["res.partner"].create(
            {"name": "OEM Motors, Gate 3", "type": "delivery", "parent_id": self.customer.id}
        )
        loan = self._loan()
        loan.write({"shipping": "carrier", "carrier_name": "SF Express"})
        with self.assertRaisesRegex(UserError, "tracking reference first"):
            loan.with_user(self.clerk).action_confirm()
        self.assertEqual((loan.state, self._qty(self.seal, self.stock)), ("draft", 10))
        loan.carrier_tracking_ref = "SF1234567890"
        loan.with_user(self.clerk).action_confirm()
        delivery = loan.sudo().picking_ids
        self.assertEqual(
            (delivery.picking_type_id.code, delivery.partner_id, delivery.state),
            ("outgoing", address, "done"),
        )
        self.assertIn("SF1234567890", delivery.origin)
        self.assertEqual(self._qty(self.seal, self.stock), 7)
        self.assertEqual(loan.line_ids.qty_issued, 3)
        # What was signed at the issue stays.
        with self.assertRaisesRegex(UserError, "signed"):
            loan.write({"carrier_tracking_ref": "OTHER"})
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(f"{MODULE}.report_loan_slip", loan.ids)[0]
            .decode()
        )
        self.assertIn("SF1234567890", html)
