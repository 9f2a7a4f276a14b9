from odoo.exceptions import AccessError
from odoo.exceptions import UserError

from .common import PartLoanCase


class TestPartLoan(PartLoanCase):
    def test_full_loan_cycle_with_stock_moves(self):
        loan = self._loan()
        with self.assertRaisesRegex(AccessError, "spare-parts clerk issues it"):
            loan.action_confirm()
        loan.with_user(self.clerk).action_confirm()
        loan_location = loan.location_id
        self.assertEqual(loan_location.csc_loan_user_id, self.technician)
        self.assertEqual(self._qty(self.seal, self.stock), 7)
        self.assertEqual(self._qty(self.seal, loan_location), 3)
        with self.assertRaisesRegex(UserError, "cannot be zeroed: Seal kit \\(3\\)"):
            loan.with_user(self.clerk).action_zero()
        # The technician brings back 1 unused seal, installed 2, and brings the 2 replaced ones.
        loan.line_ids.write({"qty_returned_todo": 1, "qty_consumed_todo": 2, "qty_damaged_todo": 2})
        loan.with_user(self.technician).action_settle()
        quality = self.env["stock.location"]._csc_quality_location(self.company)
        # The unused seal is re-inspected before it is stock again (seed 002).
        self.assertEqual(self._qty(self.seal, self.stock), 7)
        self.assertEqual(self._qty(self.seal, loan_location), 0)
        delivered = loan.sudo().picking_ids.filtered(lambda p: p.location_dest_id == self.customers)
        self.assertEqual(delivered.move_ids.quantity, 2)  # installed at the customer
        # ... and the two parts they replaced came back from the customer into inspection.
        self.assertEqual(self._qty(self.seal, self.customers), 0)
        self.assertEqual(self._qty(self.seal, quality), 3)
        self.assertEqual(loan.line_ids.balance, 0)
        # Quality scraps the replaced seals and the unused one.
        loan.line_ids.inspection_result = "scrap"
        with self.assertRaisesRegex(AccessError, "quality department"):
            loan.with_user(self.technician).action_apply_inspection()
        loan.with_user(self.quality_user).action_apply_inspection()
        scrap = self.env["stock.scrap"].search([("origin", "=", loan.name)])
        self.assertEqual(self._qty(self.seal, quality), 0)
        self.assertEqual(self._qty(self.seal, scrap.scrap_location_id), 3)
        loan.with_user(self.clerk).action_zero()
        self.assertEqual(loan.state, "zeroed")

    def test_partial_settlement_keeps_balance(self):
        loan = self._loan()
        loan.with_user(self.clerk).action_confirm()
        loan.line_ids.qty_consumed_todo = 1
        loan.action_settle()
        self.assertEqual(loan.line_ids.balance, 2)
        self.assertFalse(loan.is_balanced)
        with self.assertRaisesRegex(UserError, "still outstanding"):
            loan.with_user(self.clerk).action_zero()
        self.assertEqual(loan.state, "loaned")

    def test_inspection_to_quarantine(self):
        loan = self._loan()
        loan.with_user(self.clerk).action_confirm()
        loan.line_ids.write({"qty_consumed_todo": 3, "qty_damaged_todo": 1})
        loan.action_settle()
        loan.line_ids.inspection_result = "quarantine"
        loan.with_user(self.quality_user).action_apply_inspection()
        quarantine = self.env["stock.location"].search(
            [("csc_quarantine", "=", True), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(self._qty(self.seal, quarantine), 1)
        with self.assertRaisesRegex(UserError, "inspection result"):
            loan.with_user(self.quality_user).action_apply_inspection()

    def test_low_value_parts_on_technician_signature(self):
        loan = self._loan(product=self.washer, quantity=5)
        loan.action_confirm()  # as the technician
        self.assertEqual(loan.state, "loaned")
        self.assertEqual(self._qty(self.washer, loan.location_id), 5)

    def test_technician_sees_own_loans_and_weekly_report(self):
        mine = self._loan()
        other = self.env["csc.part.loan"].create(
            {
                "technician_id": self.service_manager.id,
                "line_ids": [(0, 0, {"product_id": self.seal.id, "quantity": 1})],
            }
        )
        visible = self.env["csc.part.loan"].with_user(self.technician).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(other, visible)
        self.assertIn(other, self.env["csc.part.loan"].with_user(self.clerk).search([]))
        mine.with_user(self.clerk).action_confirm()
        self.env["csc.part.loan"]._cron_weekly_outstanding()
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("subject", "=", "Outstanding spare-part loans")], order="id desc", limit=1)
        )
        self.assertIn(mine.name, mail.body_html)
        self.assertNotIn(other.name, mail.body_html)  # not issued yet
        self.assertIn(self.clerk.partner_id, mail.recipient_ids)
        self.assertIn(self.service_manager.partner_id, mail.recipient_ids)
        self.assertNotIn(self.technician.partner_id, mail.recipient_ids)
