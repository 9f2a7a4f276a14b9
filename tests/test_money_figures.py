from datetime import date
from datetime import datetime

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CscCase
from .common import force_create

MARCH = datetime(2026, 3, 10, 9, 0)
IN_MARCH = date(2026, 3, 15)


@tagged("post_install", "-at_install")
class TestMoneyFigures(CscCase):
    """The failure cost and the monthly report count the posted accounting documents of
    customer service (issue 22, item 7): the revenue of paid service, refunds credited, what
    suppliers and the partner brand paid back, and the net external failure cost; a misuse the
    customer paid is no failure cost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        unit = cls.env["product.product"].create(
            {"name": "EPS Column", "tracking": "serial", "csc_warranty_months": 24}
        )
        Visit = cls.env["csc.service.visit"]

        def misuse_visit(serial, travel):
            lot = cls.env["stock.lot"].create(
                {"name": serial, "product_id": unit.id, "csc_delivery_date": "2025-06-01"}
            )
            return force_create(
                Visit,
                {
                    "partner_id": cls.customer.id,
                    "lot_id": lot.id,
                    "misuse": True,
                    "date_request": MARCH,
                    "date_report": datetime(2026, 3, 12, 9),
                    "expense_line_ids": [(0, 0, {"expense_type": "travel", "amount": travel})],
                },
            )

        # Two misuses in warranty: one the customer is invoiced for, one not (R-D3's general
        # manager's path: the company bears it).
        cls.paid_visit = misuse_visit("EPS-PAID", 200.0)
        cls.borne_visit = misuse_visit("EPS-BORNE", 70.0)
        cls.complaint = cls.env["csc.complaint"].create(
            {"title": "Leak", "partner_id": cls.customer.id, "date_received": MARCH}
        )
        cls.brand = cls.env["res.partner"].create({"name": "Hanil Partner Brand"})
        cls.supplier = cls.env["res.partner"].create({"name": "Bearing Supplier"})
        cls.service_product = cls.env["product.product"].create(
            {"name": "Field labour", "type": "service", "taxes_id": [(6, 0, [])]}
        )
        cls.report = cls.env["csc.monthly.report"].create({"date_start": "2026-03-01"})

    def _document(self, move_type, partner, amount, post=True, **links):
        move = (
            self.env["account.move"]
            .with_user(self.accountant)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": IN_MARCH,
                    "date": IN_MARCH,
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": self.service_product.id,
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [(6, 0, [])],
                            },
                        )
                    ],
                    **links,
                }
            )
        )
        if post:
            move.action_post()
        return move

    def _costs(self, **domain):
        rows = self.env["csc.failure.cost"].search(
            [(key, "=", value) for key, value in domain.items()]
        )
        return rows

    def test_documents_in_the_failure_cost(self):
        self._document(
            "out_invoice",
            self.customer,
            500.0,
            csc_origin="paid_service",
            csc_service_visit_id=self.paid_visit.id,
        )
        self._document(
            "out_refund",
            self.customer,
            80.0,
            csc_origin="refund",
            csc_complaint_id=self.complaint.id,
        )
        brand = self._document(
            "out_invoice",
            self.brand,
            300.0,
            csc_origin="brand_service",
            csc_service_visit_id=self.borne_visit.id,
        )
        self._document(
            "in_refund",
            self.supplier,
            120.0,
            csc_origin="supplier_recovery",
            csc_complaint_id=self.complaint.id,
        )
        # Drafts count nothing.
        self._document(
            "in_refund",
            self.supplier,
            999.0,
            post=False,
            csc_origin="supplier_recovery",
            csc_complaint_id=self.complaint.id,
        )
        # The misuse the customer paid is no failure cost, the one borne by us is.
        self.assertFalse(self._costs(visit_id=self.paid_visit.id, cost_type="travel"))
        self.assertEqual(self._costs(visit_id=self.borne_visit.id, cost_type="travel").amount, 70.0)
        refund = self._costs(cost_type="refund")
        self.assertEqual(
            (refund.amount, refund.complaint_id, refund.partner_id),
            (80.0, self.complaint, self.customer),
        )
        recovered = self._costs(cost_type="brand_recovery")
        self.assertEqual(
            (recovered.amount, recovered.visit_id, recovered.partner_id, recovered.date),
            (-300.0, self.borne_visit, self.customer, IN_MARCH),
        )
        self.assertEqual(self._costs(cost_type="supplier_recovery").amount, -120.0)
        # A credit note reversing the brand's invoice keeps its origin and nets it.
        reversal = brand.with_user(self.accountant)._reverse_moves(
            [{"date": IN_MARCH, "invoice_date": IN_MARCH}]
        )
        self.assertEqual(
            (reversal.csc_origin, reversal.csc_service_visit_id),
            ("brand_service", self.borne_visit),
        )
        reversal.action_post()
        self.assertEqual(sum(self._costs(cost_type="brand_recovery").mapped("amount")), 0.0)

    def test_monthly_report_shows_revenue_recoveries_and_net_cost(self):
        paid = self._document(
            "out_invoice",
            self.customer,
            500.0,
            csc_origin="paid_service",
            csc_service_visit_id=self.paid_visit.id,
        )
        # Part of the paid service credited back: the revenue is what is left.
        credit = paid.with_user(self.accountant)._reverse_moves(
            [{"date": IN_MARCH, "invoice_date": IN_MARCH}]
        )
        credit.invoice_line_ids.price_unit = 100.0
        credit.action_post()
        self._document(
            "out_refund",
            self.customer,
            80.0,
            csc_origin="refund",
            csc_complaint_id=self.complaint.id,
        )
        self._document(
            "out_invoice",
            self.brand,
            30.0,
            csc_origin="brand_service",
            csc_service_visit_id=self.borne_visit.id,
        )
        self._document(
            "in_refund",
            self.supplier,
            20.0,
            csc_origin="supplier_recovery",
            csc_complaint_id=self.complaint.id,
        )
        # An ordinary sale is no paid service.
        self._document("out_invoice", self.customer, 1000.0)
        # The service manager issues the report without any right on accounting.
        self.assertFalse(self.service_manager.has_group("account.group_account_invoice"))
        figures = self.report.with_user(self.service_manager)._figures()
        self.assertEqual(figures["paid_service_revenue"], 400.0)
        costs = dict(figures["failure_costs"])
        self.assertEqual(costs["Travel"], 70.0)  # the borne misuse, not the paid one
        self.assertEqual(costs["Refunds to Customers"], 80.0)
        self.assertNotIn("Recovered from Suppliers", costs)
        self.assertEqual(figures["failure_cost_gross"], 150.0)
        self.assertEqual(
            dict(figures["failure_recoveries"]),
            {"Recovered from the Partner Brand": -30.0, "Recovered from Suppliers": -20.0},
        )
        self.assertEqual(figures["failure_cost_total"], 100.0)
        rows = self.env["csc.failure.cost"].search(
            [("date", ">=", date(2026, 3, 1)), ("date", "<", date(2026, 4, 1))]
        )
        self.assertEqual(figures["failure_cost_total"], sum(rows.mapped("amount")))
        # The PDF's and the spreadsheet's table, stored as issued.
        section = next(
            s for s in self.report._sections(figures) if s.title == "External failure cost"
        )
        table = dict(section.rows)
        self.assertEqual(table["Gross external failure cost"], 150.0)
        self.assertEqual(table["Net external failure cost"], 100.0)
        self.assertEqual(table["Revenue of paid service"], 400.0)
        stored = self.report._figures_from_json(self.report._figures_to_json(figures))
        self.assertEqual(stored, figures)

    def test_report_issued_before_the_recoveries_prints_its_total(self):
        figures = self.report._figures()
        for key in ("failure_recoveries", "failure_cost_gross", "paid_service_revenue"):
            figures.pop(key)
        section = next(
            s for s in self.report._sections(figures) if s.title == "External failure cost"
        )
        self.assertEqual(section.rows[-1], ("Total", figures["failure_cost_total"]))

    def test_documents_are_finance_s(self):
        """Customer service reads the failure cost; only finance writes accounting documents,
        and nobody sets the origin of a document through the failure cost."""
        for user in (self.desk_user, self.technician, self.service_manager):
            with self.assertRaises(AccessError):
                self.env["account.move"].with_user(user).create(
                    {"move_type": "out_invoice", "partner_id": self.customer.id}
                )
        self._document(
            "in_refund",
            self.supplier,
            20.0,
            csc_origin="supplier_recovery",
            csc_complaint_id=self.complaint.id,
        )
        rows = self.env["csc.failure.cost"].with_user(self.desk_user).search([])
        self.assertIn("supplier_recovery", rows.mapped("cost_type"))

    def test_documents_are_not_relabelled(self):
        """Finance cannot make a vendor bill a supplier recovery, nor move a recovery to
        another complaint, over write(): the failure cost would change with it."""
        bill = self._document("in_invoice", self.supplier, 500.0)
        recovery = self._document(
            "in_refund",
            self.supplier,
            20.0,
            csc_origin="supplier_recovery",
            csc_complaint_id=self.complaint.id,
        )
        other = self.env["csc.complaint"].create(
            {"title": "Other", "partner_id": self.customer.id, "date_received": MARCH}
        )
        for move, vals in (
            (bill, {"csc_origin": "supplier_recovery"}),
            (recovery, {"csc_complaint_id": other.id}),
            (recovery, {"csc_origin": False}),
        ):
            with self.assertRaises(UserError):
                move.with_user(self.accountant).write(vals)
        self.assertFalse(bill.csc_origin)
        self.assertEqual(
            (recovery.csc_origin, recovery.csc_complaint_id), ("supplier_recovery", self.complaint)
        )
        # Writing the same value (a form saving what it shows) is no change.
        recovery.with_user(self.accountant).write({"csc_complaint_id": self.complaint.id})
        self.assertEqual(sum(self._costs(cost_type="supplier_recovery").mapped("amount")), -20.0)
