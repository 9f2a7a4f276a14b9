"""The money side of field service (seed 002, R-D3): the quote of a paid service is a sale
quotation the customer signs, the invoice is made from what was done after the sign-off and
posted by finance, cash collected on site is a payment naming who took it; the partner brand is
told before a warranty service and invoiced after it; a competitor's product is served only with
the general manager's approval, at a full and profitable quote."""

from contextlib import contextmanager
from datetime import datetime

from odoo import Command
from odoo import http
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import SIGNATURE
from .common import ServiceVisitCase

# After the warranty of the test unit (delivered 2025-06-01, 12 months).
OUT_OF_WARRANTY = datetime(2026, 7, 1, 9, 0)
LINE_TYPES = ("labour", "travel", "part", "survey", "design", "tooling", "overhead")


class MoneyCase(ServiceVisitCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax = cls.env["account.tax"].create(
            {"name": "VAT 13 %", "amount": 13.0, "type_tax_use": "sale"}
        )
        cls.part.write({"is_storable": True, "taxes_id": [Command.set(cls.tax.ids)]})
        for line_type in LINE_TYPES:
            cls.env.ref(f"customer_service_control.product_csc_service_{line_type}").write(
                {"taxes_id": [Command.set(cls.tax.ids)]}
            )
        stock = cls.env.ref("stock.stock_location_stock")
        cls.env["stock.quant"]._update_available_quantity(cls.part, stock, 10)
        cls.cash = cls.env["account.journal"].search(
            [("type", "=", "cash"), ("company_id", "=", cls.company.id)], limit=1
        )

    # -- helpers -------------------------------------------------------------------------------

    @contextmanager
    def _refused(self, pattern):
        """A refusal with its message, everything done before it rolled back (as the request
        that asked for it)."""
        with self.assertRaises(UserError) as catcher:
            yield
        self.assertRegex(str(catcher.exception), pattern)

    def _money_visit(self, **vals):
        visit = self._visit(
            technician_ids=[Command.set(self.technician.ids)],
            distance=100,
            diagnosis="Leak at the column",
            solution="Replace the seal kit",
            **{"date_request": OUT_OF_WARRANTY, **vals},
        )
        visit.action_triage()
        return visit

    def _cost_lines(self, visit, part_qty=3.0):
        visit.with_user(self.technician).line_ids = [
            Command.create(
                {
                    "line_type": "part",
                    "product_id": self.part.id,
                    "name": "Seal kit",
                    "quantity": part_qty,
                }
            ),
            Command.create(
                {"line_type": "labour", "name": "Labour (h)", "quantity": 3, "price_unit": 80}
            ),
            Command.create(
                {"line_type": "travel", "name": "Travel", "quantity": 1, "price_unit": 150}
            ),
        ]

    def _signed(self, visit):
        """The signature on the quotation's portal page (what sale's controller does)."""
        order = visit.sudo().sale_order_id
        self.assertTrue(order._has_to_be_signed())
        order.write({"signed_by": "Li Na", "signature": SIGNATURE})
        order._validate_order()
        return order

    def _serve(self, visit, installed=2.0):
        """Dispatched, on site with parts lent and installed, signed off."""
        visit.with_user(self.desk_user).write({"plan_confirmed": True, "tools_ready": True})
        visit.with_user(self.desk_user).action_dispatch()
        visit.with_user(self.technician).action_depart()
        visit.with_user(self.technician).action_arrive()
        loan = (
            self.env["csc.part.loan"]
            .with_user(self.technician)
            .create(
                {
                    "technician_id": self.technician.id,
                    "visit_id": visit.id,
                    "line_ids": [Command.create({"product_id": self.part.id, "quantity": 3})],
                }
            )
        )
        loan.with_user(self.clerk).action_confirm()
        loan.line_ids.with_user(self.technician).write(
            {"qty_consumed_todo": installed, "qty_returned_todo": 3 - installed}
        )
        loan.with_user(self.technician).action_settle()
        return loan

    def _sign_off(self, visit):
        visit.with_user(self.technician).write(
            {
                "work_done": "Seal kit replaced",
                "full_check": True,
                "customer_signature": SIGNATURE,
                "customer_signed_by": "Li Na",
            }
        )
        visit.with_user(self.desk_user).action_approve_leave()
        visit.with_user(self.technician).action_finish()

    def _invoices(self, visit, origin="paid_service"):
        return self.env["account.move"].search(
            [("csc_service_visit_id", "=", visit.id), ("csc_origin", "=", origin)]
        )


@tagged("post_install", "-at_install")
class TestPaidServiceQuotation(MoneyCase):
    def test_quote_is_a_signed_sale_quotation(self):
        visit = self._money_visit()
        self.assertEqual((visit.warranty_status, visit.quote_state), ("paid", "draft"))
        self._cost_lines(visit)
        visit.with_user(self.desk_user).action_send_quote()
        order = visit.sudo().sale_order_id
        self.assertEqual(order.csc_service_visit_id, visit)
        # The desk reads the quotation's number on the visit (no rights on sale orders).
        self.assertEqual(
            visit.with_user(self.desk_user).read(["quotation_name"])[0]["quotation_name"],
            order.name,
        )
        self.assertEqual(order.state, "sent")
        self.assertEqual(visit.quote_state, "sent")
        self.assertTrue(order.require_signature)
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.pricelist_id, self.customer.property_product_pricelist)
        self.assertEqual(
            sorted(order.order_line.mapped(lambda line: (line.name, line.price_subtotal))),
            [("Labour (h)", 240.0), ("Seal kit", 300.0), ("Travel", 150.0)],
        )
        self.assertAlmostEqual(order.amount_untaxed, visit.amount_total)
        self.assertAlmostEqual(order.amount_tax, 690 * 0.13)
        # Odoo's quotation mail went to the customer.
        mail = order.message_ids.filtered(lambda m: self.customer in m.partner_ids)
        self.assertTrue(mail, "the quotation mail is sent to the customer")
        # Sent: frozen on both sides, for every role.
        with self.assertRaises(AccessError):  # the desk has no rights on sale orders
            order.order_line[:1].with_user(self.desk_user).write({"price_unit": 1.0})
        for line in (order.order_line[:1].with_user(self.salesperson), order.order_line[:1]):
            with self._refused("stay as quoted"):
                line.write({"price_unit": 1.0})
            with self._refused("stay as quoted"):
                line.unlink()
        with self._refused("stay as quoted"):
            self.env["sale.order.line"].with_user(self.salesperson).create(
                {"order_id": order.id, "product_id": self.part.id, "product_uom_qty": 1}
            )
        self.assertEqual(len(order.order_line), 3)
        with self.assertRaises(UserError):
            visit.line_ids[:1].with_user(self.service_manager).write({"quantity": 9})
        with self.assertRaises(UserError):
            order.action_draft()
        self.assertEqual(order.order_line.mapped("price_unit").count(1.0), 0)
        self.assertEqual(visit.line_ids[:1].quantity, 3)
        # The customer signs on the portal: the order and the visit's cost are confirmed.
        self._signed(visit)
        self.assertEqual(order.state, "sale")
        self.assertEqual(visit.quote_state, "confirmed")
        self.assertTrue(visit.date_cost_confirmed)
        self.assertTrue(visit.date_departure_deadline)
        self.assertFalse(order.picking_ids, "parts leave on the technician's loan, not here")

    def test_misuse_in_warranty_discounts_the_parts(self):
        visit = self._money_visit(misuse=True, date_request=datetime(2026, 3, 2, 9, 0))
        self.assertEqual(visit.warranty_status, "discounted")
        self._cost_lines(visit)
        visit.with_user(self.desk_user).action_send_quote()
        order = visit.sudo().sale_order_id
        part_line = order.order_line.filtered(lambda line: line.product_id == self.part)
        self.assertEqual(part_line.discount, self.company.csc_misuse_part_discount)
        self.assertAlmostEqual(part_line.price_subtotal, 300 * 0.8)
        labour = order.order_line.filtered(lambda line: line.name == "Labour (h)")
        self.assertEqual(labour.discount, 0.0)
        self.assertAlmostEqual(order.amount_untaxed, visit.amount_total)

    def test_refusal_and_revision_replace_the_quotation(self):
        visit = self._money_visit()
        self._cost_lines(visit)
        visit.with_user(self.desk_user).action_send_quote()
        first = visit.sudo().sale_order_id
        visit.with_user(self.desk_user).action_customer_refuses()
        self.assertEqual((first.state, visit.quote_state), ("cancel", "refused"))
        with self.assertRaises(AccessError):
            visit.with_user(self.desk_user).action_revise_quote()
        visit.with_user(self.service_manager).action_revise_quote()
        self.assertEqual(visit.quote_state, "draft")
        self.assertFalse(visit.sudo().sale_order_id)
        visit.line_ids.filtered(lambda line: line.line_type == "labour").with_user(
            self.technician
        ).write({"quantity": 2})
        visit.with_user(self.desk_user).action_send_quote()
        second = visit.sudo().sale_order_id
        self.assertNotEqual(first, second)
        self.assertEqual(visit.quotation_count, 2)
        self.assertAlmostEqual(second.amount_untaxed, 300 + 160 + 150)
        # A confirmed quotation revised before the dispatch is cancelled, not left confirmed.
        visit.with_user(self.desk_user).action_customer_confirms()
        self.assertEqual(second.state, "sale")
        visit.with_user(self.service_manager).action_revise_quote()
        self.assertEqual((second.state, visit.quote_state), ("cancel", "draft"))
        self.assertFalse(visit.date_cost_confirmed)

    def test_cancelled_in_sales_is_the_refusal(self):
        visit = self._money_visit()
        self._cost_lines(visit)
        visit.with_user(self.desk_user).action_send_quote()
        order = visit.sudo().sale_order_id
        order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(visit.quote_state, "refused")
        with self.assertRaises(UserError):
            visit.with_user(self.desk_user).action_dispatch()
        visit.with_user(self.general_manager).action_gm_approve()
        visit.with_user(self.desk_user).action_dispatch()
        self.assertEqual(visit.state, "dispatched")


@tagged("post_install", "-at_install")
class TestPaidServiceInvoice(MoneyCase):
    def _confirmed(self):
        visit = self._money_visit()
        self._cost_lines(visit)
        visit.with_user(self.desk_user).action_send_quote()
        self._signed(visit)
        return visit

    def test_invoice_of_what_was_done_posted_by_finance_paid_on_site(self):
        visit = self._confirmed()
        self._serve(visit, installed=2.0)
        # Not before the sign-off.
        with self._refused("invoiced"):
            visit.with_user(self.desk_user).action_create_invoice()
        self.assertFalse(self._invoices(visit))
        self._sign_off(visit)
        with self.assertRaises(AccessError):
            visit.with_user(self.technician).action_create_invoice()
        self.assertFalse(self._invoices(visit))
        visit.with_user(self.desk_user).action_create_invoice()
        invoice = self._invoices(visit)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(invoice.invoice_origin, visit.name)
        # 2 seal kits installed (3 quoted, 1 brought back), 3 h labour, the travel.
        part_line = invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.part)
        self.assertEqual(part_line.quantity, 2)
        self.assertAlmostEqual(invoice.amount_untaxed, 200 + 240 + 150)
        self.assertAlmostEqual(invoice.amount_tax, 590 * 0.13)
        order = visit.sudo().sale_order_id
        self.assertEqual(order.invoice_ids, invoice)
        self.assertEqual(
            order.order_line.filtered(lambda line: line.product_id == self.part).qty_delivered, 2
        )
        # A second invoice of the same service is refused.
        with self._refused("invoiced already"):
            visit.with_user(self.desk_user).action_create_invoice()
        # Finance posts; the desk and the technician cannot.
        for user in (self.desk_user, self.technician):
            with self.assertRaises(AccessError):
                invoice.with_user(user).action_post()
        self.assertEqual(invoice.state, "draft")
        invoice.with_user(self.accountant).action_post()
        self.assertEqual(invoice.state, "posted")
        # The technician collected the cash on site: finance records it against the invoice.
        wizard = (
            self.env["account.payment.register"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "journal_id": self.cash.id,
                    "csc_collected_by_id": self.technician.id,
                    "csc_collection_method": "cash",
                }
            )
        )
        # Only finance records it from the visit.
        with self.assertRaises(AccessError):
            visit.with_user(self.technician).action_register_collection()
        payment = wizard._create_payments()
        self.assertEqual(payment.csc_collected_by_id, self.technician)
        self.assertEqual(payment.csc_collection_method, "cash")
        self.assertAlmostEqual(payment.amount, invoice.amount_total)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        with self.assertRaises(ValidationError):
            payment.write({"csc_collection_method": False})

    def test_no_invoice_of_a_free_or_refused_service(self):
        free = self._visit(
            technician_ids=[Command.set(self.technician.ids)],
            diagnosis="Leak",
            solution="Seal",
        )
        free.action_triage()
        self.assertEqual(free.warranty_status, "free")
        self._serve(free)
        self._sign_off(free)
        with self._refused("free warranty"):
            free.with_user(self.desk_user).action_create_invoice()
        refused = self._money_visit()
        self._cost_lines(refused)
        refused.with_user(self.desk_user).action_send_quote()
        refused.with_user(self.desk_user).action_customer_refuses()
        refused.with_user(self.general_manager).action_gm_approve()
        self._serve(refused)
        self._sign_off(refused)
        with self._refused("company's cost"):
            refused.with_user(self.desk_user).action_create_invoice()
        self.assertFalse(self._invoices(free) | self._invoices(refused))

    def test_quotation_and_invoice_pdfs(self):
        visit = self._confirmed()
        self._serve(visit)
        self._sign_off(visit)
        visit.with_user(self.desk_user).action_create_invoice()
        invoice = self._invoices(visit)
        invoice.with_user(self.accountant).action_post()
        order = visit.sudo().sale_order_id
        for report, record, name in (
            ("sale.action_report_saleorder", order, "quotation"),
            ("account.account_invoices", invoice, "invoice"),
        ):
            pdf, kind = self.render_pdf(report, record.ids)
            self.assertEqual(kind, "pdf")
            self.assertTrue(pdf.startswith(b"%PDF"))
            with open(f"/tmp/csc-money-{name}.pdf", "wb") as file:
                file.write(pdf)


@tagged("post_install", "-at_install")
class TestPartnerBrand(MoneyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.brand = cls.env["res.partner"].create(
            {"name": "Jinjin CSM", "is_company": True, "email": "service@csm.example.com"}
        )
        cls.product.write({"csc_origin": "partner"})
        cls.partner_part.write(
            {
                "is_storable": True,
                "csc_brand_partner_id": cls.brand.id,
                "taxes_id": [Command.set(cls.tax.ids)],
            }
        )
        stock = cls.env.ref("stock.stock_location_stock")
        cls.env["stock.quant"]._update_available_quantity(cls.partner_part, stock, 5)

    def test_brand_told_before_and_invoiced_after_a_warranty_service(self):
        visit = self._visit(
            technician_ids=[Command.set(self.technician.ids)],
            diagnosis="Pump noise",
            solution="Replace the HPU pump",
        )
        visit.action_triage()
        self.assertEqual((visit.warranty_status, visit.priority), ("free", "1"))
        visit.with_user(self.technician).line_ids = [
            Command.create(
                {"line_type": "labour", "name": "Labour (h)", "quantity": 2, "price_unit": 80}
            ),
            Command.create(
                {"line_type": "travel", "name": "Travel", "quantity": 1, "price_unit": 150}
            ),
        ]
        visit.with_user(self.desk_user).write({"plan_confirmed": True, "tools_ready": True})
        # No brand named: the dispatch is refused, nothing told.
        with self._refused("name the brand"):
            visit.with_user(self.desk_user).action_dispatch()
        self.assertEqual(visit.state, "triaged")
        self.product.csc_brand_partner_id = self.brand
        visit.with_user(self.desk_user).action_dispatch()
        notice = visit.message_ids.filtered(lambda m: self.brand in m.partner_ids)
        self.assertEqual(len(notice), 1)
        self.assertIn("Warranty service", notice.subject)
        self.assertTrue(visit.date_brand_notified)
        visit.with_user(self.technician).action_depart()
        visit.with_user(self.technician).action_arrive()
        loan = (
            self.env["csc.part.loan"]
            .with_user(self.clerk)
            .create(
                {
                    "technician_id": self.technician.id,
                    "visit_id": visit.id,
                    "line_ids": [
                        Command.create({"product_id": self.partner_part.id, "quantity": 1}),
                        Command.create({"product_id": self.part.id, "quantity": 1}),
                    ],
                }
            )
        )
        loan.action_confirm()
        loan.line_ids.with_user(self.technician).write({"qty_consumed_todo": 1})
        loan.with_user(self.technician).action_settle()
        with self.assertRaises(UserError):
            visit.with_user(self.desk_user).action_invoice_brand()
        self._sign_off(visit)
        visit.with_user(self.desk_user).action_invoice_brand()
        invoice = self._invoices(visit, "brand_service")
        self.assertEqual(invoice.partner_id, self.brand)
        self.assertEqual(invoice.invoice_origin, visit.name)
        fee = invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.partner_part)
        self.assertIn("Handling fee", fee.name)
        self.assertAlmostEqual(fee.price_unit, 200 * 0.10)
        own = invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.part)
        self.assertAlmostEqual(own.price_unit, 100)
        self.assertAlmostEqual(invoice.amount_untaxed, 160 + 150 + 20 + 100)
        with self.assertRaises(AccessError):
            invoice.with_user(self.desk_user).action_post()
        invoice.with_user(self.accountant).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertAlmostEqual(invoice.amount_tax, 430 * 0.13)
        # The customer pays nothing for the warranty service.
        with self._refused("free warranty"):
            visit.with_user(self.desk_user).action_create_invoice()
        self.assertFalse(self._invoices(visit))

    def test_brand_neither_told_nor_invoiced_for_a_paid_service(self):
        self.product.csc_brand_partner_id = self.brand
        visit = self._money_visit()
        self._cost_lines(visit)
        visit.with_user(self.desk_user).action_send_quote()
        self._signed(visit)
        self._serve(visit)
        self.assertFalse(visit.date_brand_notified)
        self.assertFalse(visit.message_ids.filtered(lambda m: self.brand in m.partner_ids))
        self._sign_off(visit)
        with self._refused("the brand pays nothing"):
            visit.with_user(self.desk_user).action_invoice_brand()
        self.assertFalse(self._invoices(visit, "brand_service"))

    def test_brand_only_on_partner_products(self):
        with self.assertRaises(ValidationError):
            self.part.csc_brand_partner_id = self.brand
        self.assertFalse(self.part.csc_brand_partner_id)


@tagged("post_install", "-at_install")
class TestCompetitorService(MoneyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.write({"csc_origin": "competitor"})

    def _full_quote(self, visit, price=100.0, cost=80.0):
        visit.with_user(self.technician).line_ids = [
            Command.create(
                {
                    "line_type": line_type,
                    "name": line_type.title(),
                    "price_unit": price,
                    "cost_unit": cost,
                }
            )
            for line_type in LINE_TYPES
        ]

    def test_competitor_quote_needs_approval_items_and_margin(self):
        visit = self._money_visit(date_request=datetime(2026, 3, 2, 9, 0))
        self.assertEqual(visit.warranty_status, "paid")  # no warranty of ours
        self._full_quote(visit, price=100.0, cost=90.0)
        # Without the general manager's approval: refused, nothing sent.
        with self._refused("general manager"):
            visit.with_user(self.desk_user).action_send_quote()
        with self.assertRaises(AccessError):
            visit.with_user(self.service_manager).action_gm_approve_competitor()
        self.assertFalse(visit.competitor_approver_id)
        visit.with_user(self.general_manager).action_gm_approve_competitor()
        self.assertEqual(visit.competitor_approver_id, self.general_manager)
        # 100 over a cost of 90: under the 20 % margin.
        with self._refused("20"):
            visit.with_user(self.desk_user).action_send_quote()
        self.assertEqual(visit.quote_state, "draft")
        self.assertFalse(self.env["sale.order"].search([("csc_service_visit_id", "=", visit.id)]))
        # A cost item missing (tooling).
        visit.line_ids.with_user(self.technician).write({"cost_unit": 80.0})
        visit.line_ids.filtered(lambda line: line.line_type == "tooling").with_user(
            self.technician
        ).unlink()
        with self._refused("Tooling"):
            visit.with_user(self.desk_user).action_send_quote()
        self.assertFalse(self.env["sale.order"].search([("csc_service_visit_id", "=", visit.id)]))
        visit.with_user(self.technician).line_ids = [
            Command.create(
                {"line_type": "tooling", "name": "Fixture", "price_unit": 100, "cost_unit": 80}
            )
        ]
        visit.with_user(self.desk_user).action_send_quote()
        order = visit.sudo().sale_order_id
        self.assertEqual((order.state, visit.quote_state), ("sent", "sent"))
        self.assertAlmostEqual(order.amount_untaxed, 700)
        self.assertAlmostEqual(order.amount_tax, 700 * 0.13)
        # The rules are checked again at the confirmation: a margin raised meanwhile refuses it.
        self.company.csc_competitor_margin = 50.0
        with self._refused("50"):
            visit.with_user(self.desk_user).action_customer_confirms()
        self.assertEqual((order.state, visit.quote_state), ("sent", "sent"))
        self.company.csc_competitor_margin = 20.0
        visit.with_user(self.desk_user).action_customer_confirms()
        self.assertEqual((order.state, visit.quote_state), ("sale", "confirmed"))

    def test_competitor_quote_carries_the_taxes(self):
        self.env.ref("customer_service_control.product_csc_service_design").taxes_id = False
        visit = self._money_visit()
        visit.with_user(self.general_manager).action_gm_approve_competitor()
        self._full_quote(visit)
        with self._refused("taxes"):
            visit.with_user(self.desk_user).action_send_quote()
        self.assertEqual(visit.quote_state, "draft")
        self.assertFalse(self.env["sale.order"].search([("csc_service_visit_id", "=", visit.id)]))

    def test_general_manager_approves_competitor_products_only(self):
        self.product.csc_origin = "own"
        visit = self._money_visit()
        with self._refused("competitor"):
            visit.with_user(self.general_manager).action_gm_approve_competitor()
        self.assertFalse(visit.competitor_approver_id)


@tagged("post_install", "-at_install")
class TestQuotationPortal(HttpCase):
    """The customer's contact accepts and signs the quotation on sale's own portal page; the
    visit's cost is confirmed by it."""

    def _sent_quotation(self):
        env = self.env(context=dict(self.env.context, mail_notify_force_send=False))
        customer = env["res.partner"].create({"name": "Portal OEM", "is_company": True})
        contact = env["res.partner"].create(
            {"name": "Wang Fang", "parent_id": customer.id, "email": "wang@oem.example.com"}
        )
        new_test_user(
            env, login="csc_money_portal", groups="base.group_portal", partner_id=contact.id
        )
        visit = env["csc.service.visit"].create(
            {
                "partner_id": customer.id,
                "contact_id": contact.id,
                "diagnosis": "Leak",
                "solution": "Seal",
                "date_request": OUT_OF_WARRANTY,
            }
        )
        visit.action_triage()
        visit.line_ids = [
            Command.create({"line_type": "labour", "name": "Labour", "price_unit": 80})
        ]
        visit.action_send_quote()
        self.authenticate("csc_money_portal", "csc_money_portal")
        return visit, visit.sale_order_id

    def test_signed_on_the_portal(self):
        visit, order = self._sent_quotation()
        page = self.url_open(visit.access_url)
        self.assertIn(order.get_portal_url(), page.text)
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {"access_token": order.access_token, "name": "Wang Fang", "signature": SIGNATURE},
        )
        self.assertNotIn("error", result)
        visit.invalidate_recordset()
        order.invalidate_recordset()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.signed_by, "Wang Fang")
        self.assertEqual(visit.quote_state, "confirmed")

    def test_declined_on_the_portal(self):
        visit, order = self._sent_quotation()
        response = self.url_open(
            f"/my/orders/{order.id}/decline?access_token={order.access_token}",
            data={"decline_message": "Too expensive", "csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 200)
        visit.invalidate_recordset()
        order.invalidate_recordset()
        self.assertEqual((order.state, visit.quote_state), ("cancel", "refused"))
        self.assertFalse(visit.date_cost_confirmed)
