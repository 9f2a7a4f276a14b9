"""A refund disposition credits the customer (issue 22, item 3): quality applies the
disposition once the goods came back (and the general manager approved it above the company's
amount), which drafts a customer credit note for the returned quantity at the price the customer
paid (the invoice of the delivery, else the sales price); finance posts it. Never above the
returned quantity, never before the approval or the goods; a replacement invoices nothing."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.exceptions import UserError

from .common import ComplaintCase


class TestComplaintRefund(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.env.ref("stock.stock_location_stock")
        cls.vat = cls.env["account.tax"].create(
            {"name": "VAT 15 % (sales)", "amount": 15.0, "type_tax_use": "sale"}
        )
        cls.valve = cls.env["product.product"].create(
            {
                "name": "Brake Valve",
                "is_storable": True,
                "lst_price": 100.0,
                "standard_price": 40.0,
                "taxes_id": [Command.set(cls.vat.ids)],
                "invoice_policy": "delivery",
            }
        )
        cls.env["stock.quant"]._update_available_quantity(cls.valve, cls.stock, 20)
        cls.company.csc_disposition_approval_amount = 1000.0

    # -- helpers -------------------------------------------------------------------------------

    def _sell(self, quantity=5, price=80.0, discount=10.0):
        """A sale of valves delivered and invoiced (posted) to the customer."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.valve.id,
                            "product_uom_qty": quantity,
                            "price_unit": price,
                            "discount": discount,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def _return(self, quantity=2.0, disposition="refund"):
        """Returned valves received into quality inspection, inspected, disposition chosen."""
        complaint = self._complaint(product_id=self.valve.id, qty_affected=quantity)
        line = (
            self.env["csc.complaint.return"]
            .with_user(self.desk_user)
            .create(
                {"complaint_id": complaint.id, "product_id": self.valve.id, "quantity": quantity}
            )
        )
        line.with_user(self.desk_user).action_create_receipt()
        line.with_user(self.desk_user).action_received()
        line.with_user(self.quality_user).write(
            {"inspection_result": "Valve leaks at 8 bar", "disposition": disposition}
        )
        return line.with_env(self.env)

    def _moves(self, complaint):
        return self.env["account.move"].search([("csc_complaint_id", "=", complaint.id)])

    # -- the paths -----------------------------------------------------------------------------

    def test_refund_credits_the_invoiced_price(self):
        invoice = self._sell()
        line = self._return(2.0)
        line.with_user(self.quality_user).action_dispose()
        move = line.refund_move_ids
        self.assertEqual(len(move), 1)
        self.assertEqual(move.state, "draft")
        self.assertEqual(line.refund_status, "draft")
        # Quality applied it; finance posts it.
        with self.assertRaises(AccessError):
            move.with_user(self.quality_user).action_post()
        self.assertEqual(move.state, "draft")
        move.with_user(self.accountant).action_post()
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.move_type, "out_refund")
        self.assertEqual(move.partner_id, invoice.partner_id)
        self.assertEqual(move.reversed_entry_id, invoice)
        self.assertEqual(
            (move.csc_origin, move.csc_complaint_id, move.csc_return_id),
            ("refund", line.complaint_id, line),
        )
        product_line = move.invoice_line_ids
        self.assertEqual(product_line.product_id, self.valve)
        self.assertEqual(product_line.quantity, 2.0)
        self.assertEqual(product_line.price_unit, 80.0)
        self.assertEqual(product_line.discount, 10.0)
        self.assertEqual(product_line.tax_ids, invoice.invoice_line_ids.tax_ids)
        self.assertAlmostEqual(move.amount_untaxed, 144.0)  # 2 x 80 - 10 %
        self.assertAlmostEqual(move.amount_tax, 21.6)
        self.assertAlmostEqual(move.amount_total, 165.6)
        line.invalidate_recordset()
        self.assertEqual((line.refund_status, line.qty_refunded), ("posted", 2.0))
        self.assertIn(move.name, line.refund_name)

    def test_refund_without_invoice_at_the_sales_price(self):
        line = self._return(3.0)
        self.assertAlmostEqual(line.disposition_value, 300.0)
        line.with_user(self.quality_user).action_dispose()
        move = line.refund_move_ids
        move.with_user(self.accountant).action_post()
        self.assertEqual(move.partner_id, self.customer)
        self.assertFalse(move.reversed_entry_id)
        self.assertEqual(move.invoice_line_ids.price_unit, 100.0)
        self.assertEqual(move.invoice_line_ids.tax_ids, self.vat)
        self.assertAlmostEqual(move.amount_untaxed, 300.0)
        self.assertAlmostEqual(move.amount_total, 345.0)

    def test_refund_waits_for_the_goods_and_the_approval(self):
        self.company.csc_disposition_approval_amount = 150.0
        line = self._return(2.0)  # 2 x 100 = 200, above 150
        self.assertTrue(line.approval_required)
        with self.assertRaisesRegex(UserError, "general manager's approval"):
            line.with_user(self.quality_user).action_dispose()
        self.assertFalse(self._moves(line.complaint_id))
        # Finance cannot credit it by hand before: the posting refuses it.
        early = (
            self.env["account.move"]
            .with_user(self.accountant)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": self.customer.id,
                    "csc_origin": "refund",
                    "csc_complaint_id": line.complaint_id.id,
                    "csc_return_id": line.id,
                    "invoice_line_ids": [
                        Command.create(
                            {"product_id": self.valve.id, "quantity": 2, "price_unit": 100}
                        )
                    ],
                }
            )
        )
        with self.assertRaisesRegex(UserError, "disposition was applied"):
            early.with_user(self.accountant).action_post()
        self.assertEqual(early.state, "draft")
        early.unlink()
        # Nor before the goods came back.
        waiting = self._complaint(product_id=self.valve.id)
        pending = self.env["csc.complaint.return"].create(
            {"complaint_id": waiting.id, "product_id": self.valve.id, "quantity": 1}
        )
        pending.action_create_receipt()
        pending.write({"disposition": "refund"})
        early = (
            self.env["account.move"]
            .with_user(self.accountant)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": self.customer.id,
                    "csc_return_id": pending.id,
                    "invoice_line_ids": [
                        Command.create(
                            {"product_id": self.valve.id, "quantity": 1, "price_unit": 100}
                        )
                    ],
                }
            )
        )
        with self.assertRaisesRegex(UserError, "goods came back"):
            early.with_user(self.accountant).action_post()
        self.assertEqual(early.state, "draft")
        # The general manager approves, quality applies: now it is credited.
        with self.assertRaises(AccessError):
            line.with_user(self.service_manager).action_approve_disposition()
        line.with_user(self.general_manager).action_approve_disposition()
        line.with_user(self.quality_user).action_dispose()
        line.refund_move_ids.with_user(self.accountant).action_post()
        self.assertEqual(line.refund_move_ids.state, "posted")

    def test_refund_above_the_returned_quantity_refused(self):
        line = self._return(2.0)
        line.with_user(self.quality_user).action_dispose()
        move = line.refund_move_ids
        move.invoice_line_ids.with_user(self.accountant).write({"quantity": 3.0})
        with self.assertRaisesRegex(UserError, "more than the 2.0 returned"):
            move.with_user(self.accountant).action_post()
        self.assertEqual(move.state, "draft")
        self.assertFalse(self._moves(line.complaint_id).filtered(lambda m: m.state == "posted"))
        # A second credit note while the first is open is refused too.
        with self.assertRaisesRegex(UserError, "credited in full"):
            line.with_user(self.quality_user).action_create_refund()
        move.invoice_line_ids.with_user(self.accountant).write({"quantity": 2.0})
        move.with_user(self.accountant).action_post()
        extra = (
            self.env["account.move"]
            .with_user(self.accountant)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": self.customer.id,
                    "csc_return_id": line.id,
                    "invoice_line_ids": [
                        Command.create(
                            {"product_id": self.valve.id, "quantity": 1, "price_unit": 100}
                        )
                    ],
                }
            )
        )
        with self.assertRaisesRegex(UserError, "more than the 2.0 returned"):
            extra.with_user(self.accountant).action_post()
        self.assertEqual(extra.state, "draft")

    def test_cancelled_credit_note_is_issued_again_for_the_rest(self):
        line = self._return(2.0)
        line.with_user(self.quality_user).action_dispose()
        first = line.refund_move_ids
        first.with_user(self.accountant).button_cancel()
        with self.assertRaises(AccessError):
            line.with_user(self.desk_user).action_create_refund()
        line.with_user(self.quality_user).action_create_refund()
        second = line.refund_move_ids - first
        self.assertEqual(second.invoice_line_ids.quantity, 2.0)
        second.with_user(self.accountant).action_post()
        self.assertEqual(second.state, "posted")

    def test_replacement_ships_and_invoices_nothing(self):
        line = self._return(1.0, disposition="replace")
        line.with_user(self.quality_user).action_dispose()
        self.assertEqual(line.sudo().picking_ids.state, "done")
        self.assertFalse(self._moves(line.complaint_id))
        self.assertFalse(self.env["account.move"].search([("csc_return_id", "=", line.id)]))
        self.assertEqual(line.refund_status, "none")

    def test_wrong_roles_refused(self):
        line = self._return(1.0)
        for user in (self.desk_user, self.technician, self.clerk, self.accountant):
            with self.assertRaises(AccessError):
                line.with_user(user).action_dispose()
        self.assertEqual(line.state, "received")
        self.assertFalse(self._moves(line.complaint_id))
        line.with_user(self.quality_user).action_dispose()
        move = line.refund_move_ids
        for user in (self.desk_user, self.quality_user, self.technician, self.salesperson):
            with self.assertRaises(AccessError):
                move.with_user(user).action_post()
        self.assertEqual(move.state, "draft")
        # The link to the complaint is set by the disposition, not by an edit of the return.
        with self.assertRaises(UserError):
            line.with_user(self.quality_user).write({"state": "received"})
        with self.assertRaises(UserError):  # AccessError is a UserError
            line.with_user(self.quality_user).write({"refund_move_ids": [Command.clear()]})
        self.assertEqual(line.refund_move_ids, move)
