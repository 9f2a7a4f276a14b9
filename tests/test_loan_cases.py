"""Spare-part loans that always match the stock (R-F): quantities checked against the loan and
the warehouse, faulty loaned parts to inspection, zeroing only when everything is accounted for."""

from odoo.exceptions import UserError

from .common import PartLoanCase
from .common import force


class TestLoanCases(PartLoanCase):
    def _issued(self, quantity=3):
        loan = self._loan(quantity=quantity)
        loan.with_user(self.clerk).action_confirm()
        return loan

    def test_nothing_lent_beyond_the_stock(self):
        loan = self._loan(quantity=11)  # 10 seals in stock
        with self.assertRaisesRegex(UserError, r"11.0 × Seal kit asked, 10.0 in"):
            loan.with_user(self.clerk).action_confirm()
        self.assertEqual((loan.state, self._qty(self.seal, self.stock)), ("draft", 10))
        self.assertFalse(loan.sudo().picking_ids)
        exact = self._loan(quantity=10)
        exact.with_user(self.clerk).action_confirm()
        self.assertEqual(self._qty(self.seal, exact.location_id), 10)

    def test_nothing_settled_beyond_this_loan(self):
        other = self._issued(quantity=4)  # the same technician's location holds 4 + 3
        loan = self._issued()
        before = self._qty(self.seal, loan.location_id)
        self.assertEqual(before, 7)
        for vals, message in (
            ({"qty_returned_todo": 2, "qty_consumed_todo": 2}, "4.0 settled, but only 3.0"),
            ({"qty_faulty_todo": 4}, "4.0 settled, but only 3.0"),
            ({"qty_consumed_todo": 1, "qty_damaged_todo": 4}, "more than the 3.0 issued"),
        ):
            with self.subTest(vals=vals):
                loan.line_ids.write(
                    {
                        **dict.fromkeys(
                            (
                                "qty_returned_todo",
                                "qty_consumed_todo",
                                "qty_damaged_todo",
                                "qty_faulty_todo",
                            ),
                            0,
                        ),
                        **vals,
                    }
                )
                with self.assertRaisesRegex(UserError, message):
                    loan.action_settle()
                self.assertEqual(self._qty(self.seal, loan.location_id), before)
                self.assertEqual((loan.line_ids.balance, other.line_ids.balance), (3, 4))

    def test_faulty_loaned_part_goes_to_inspection(self):
        loan = self._issued()
        quality = self.env["stock.location"]._csc_quality_location(self.company)
        loan.line_ids.write({"qty_returned_todo": 2, "qty_faulty_todo": 1})
        loan.action_settle()
        self.assertEqual(self._qty(self.seal, loan.location_id), 0)
        # The unused seals wait in inspection too.
        self.assertEqual(self._qty(self.seal, quality), 3)
        self.assertEqual(self._qty(self.seal, self.stock), 7)
        self.assertEqual((loan.line_ids.qty_faulty, loan.line_ids.balance), (1, 0))
        with self.assertRaisesRegex(UserError, "not inspected Seal kit"):
            loan.with_user(self.clerk).action_zero()
        loan.line_ids.inspection_result = "stock"
        loan.with_user(self.quality_user).action_apply_inspection()
        self.assertEqual(self._qty(self.seal, quality), 0)
        self.assertEqual(self._qty(self.seal, self.stock), 10)
        loan.with_user(self.clerk).action_zero()
        self.assertEqual(loan.state, "zeroed")

    def test_loan_without_parts_is_not_zeroed(self):
        loan = self.env["csc.part.loan"].create({"technician_id": self.technician.id})
        with self.assertRaisesRegex(UserError, "Add the parts"):
            loan.with_user(self.clerk).action_confirm()
        force(loan, {"state": "loaned"})
        with self.assertRaisesRegex(UserError, "lends no part"):
            loan.with_user(self.clerk).action_zero()
        self.assertEqual(loan.state, "loaned")

    def test_quantities_are_the_done_moves(self):
        """What a line issued, got back, installed and inspected is read from its done stock
        moves: quants and line agree at every step, and only a done move counts."""
        loan = self._issued()
        line = loan.line_ids
        issue = line.move_ids
        self.assertEqual(
            (issue.csc_loan_role, issue.state, issue.quantity, line.qty_issued),
            ("issued", "done", 3, 3),
        )
        self.assertEqual(self._qty(self.seal, loan.location_id), line.qty_issued)
        line.write({"qty_returned_todo": 1, "qty_consumed_todo": 1, "qty_faulty_todo": 1})
        line.qty_damaged_todo = 1
        loan.action_settle()
        by_role = {
            role: sum(
                line.move_ids.filtered(lambda m, r=role: m.csc_loan_role == r).mapped("quantity")
            )
            for role in ("issued", "returned", "consumed", "damaged", "faulty")
        }
        self.assertEqual(
            by_role, {"issued": 3, "returned": 1, "consumed": 1, "damaged": 1, "faulty": 1}
        )
        self.assertEqual(
            (line.qty_returned, line.qty_consumed, line.qty_damaged, line.qty_faulty, line.balance),
            (1, 1, 1, 1, 0),
        )
        self.assertEqual(self._qty(self.seal, loan.location_id), 0)
        self.assertEqual(self._qty(self.seal, self.stock), 7)  # the unused one in inspection
        # The settlement quantities are cleared once booked: nothing is booked twice.
        self.assertEqual((line.qty_returned_todo, line.qty_faulty_todo), (0, 0))
        line.inspection_result = "scrap"
        loan.with_user(self.quality_user).action_apply_inspection()
        inspected = line.move_ids.filtered(lambda m: m.csc_loan_role == "inspected")
        self.assertEqual((inspected.scrapped, sum(inspected.mapped("quantity"))), (True, 3))
        self.assertEqual((line.qty_inspected, line._to_inspect()), (3, 0))
        # A move that is not done books nothing.
        inspected.sudo().write({"state": "cancel"})
        self.assertEqual(line.qty_inspected, 0)

    def test_typed_quantities_are_refused(self):
        loan = self._issued()
        for field in ("qty_issued", "qty_returned", "qty_consumed", "qty_faulty", "qty_inspected"):
            with (
                self.subTest(field=field),
                self.assertRaisesRegex(UserError, "only through its actions"),
            ):
                loan.line_ids.with_user(self.clerk).write({field: 0})
        self.assertEqual((loan.line_ids.qty_issued, loan.line_ids.balance), (3, 3))

    def test_moves_of_earlier_loans_are_linked(self):
        """The migration to derived quantities links the moves of loans booked before: each
        line gets back what its moves booked."""
        # Loans booked before unused parts went through inspection: as an exempt part today.
        self.seal.write({"csc_low_value": True, "standard_price": 5.0})
        self.company.csc_loan_inspection_exempt_cost = 10.0
        loan = self._issued()
        line = loan.line_ids
        line.write({"qty_returned_todo": 1, "qty_faulty_todo": 1, "qty_damaged_todo": 1})
        loan.action_settle()
        line.inspection_result = "scrap"
        loan.with_user(self.quality_user).action_apply_inspection()
        fields = ("qty_issued", "qty_returned", "qty_consumed", "qty_damaged", "qty_faulty")
        booked = [line[name] for name in (*fields, "qty_inspected")]
        self.assertEqual(booked, [3, 1, 0, 1, 1, 2])
        moves = line.move_ids
        moves.sudo().write({"csc_loan_line_id": False, "csc_loan_role": False})
        self.assertEqual(line.qty_issued, 0)
        loan._csc_link_moves()
        self.assertEqual(line.move_ids, moves)
        self.assertEqual([line[name] for name in (*fields, "qty_inspected")], booked)
