import io
import zipfile
from datetime import datetime

from freezegun import freeze_time

from .common import CscCase
from .common import force

MARCH = datetime(2026, 3, 10, 9, 0)


class TestMonthlyReport(CscCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Visit = cls.env["csc.service.visit"]
        visits = Visit.create(
            [
                {"partner_id": cls.customer.id, "date_request": MARCH, "distance": 100},
                {"partner_id": cls.customer.id, "date_request": MARCH, "distance": 100},
                {
                    "partner_id": cls.customer.id,
                    "date_request": MARCH,
                    "visit_type": "customer_visit",
                },
                {"partner_id": cls.customer.id, "date_request": datetime(2026, 4, 1, 9, 0)},
            ]
        )
        # Paid service (no lot under warranty): on site within 24 h of the cost confirmation.
        force(visits[:2], {"date_cost_confirmed": MARCH})
        force(visits[0], {"date_arrival": datetime(2026, 3, 10, 20, 0)})  # on time
        force(visits[1], {"date_arrival": datetime(2026, 3, 12, 9, 0)})  # late
        force(
            visits[0],
            {
                "date_report": datetime(2026, 3, 13, 9, 0),
                "expense_line_ids": [
                    (0, 0, {"expense_type": "travel", "amount": 100}),
                    (0, 0, {"expense_type": "lodging", "amount": 50}),
                ],
            },
        )
        Ticket = cls.env["helpdesk.ticket"]
        for replied in (
            datetime(2026, 3, 10, 10, 0),
            datetime(2026, 3, 10, 11, 0),
            datetime(2026, 3, 20, 9, 0),
        ):
            Ticket.create(
                {
                    "name": "Question",
                    "description": "<p>?</p>",
                    "csc_kind": "consultation",
                    "csc_date_received": MARCH,
                    "csc_date_replied": replied,
                }
            )
        Complaint = cls.env["csc.complaint"]
        complaints = Complaint.create(
            [
                {
                    "title": "A",
                    "partner_id": cls.customer.id,
                    "date_received": MARCH,
                    "cause_category": "assembly",
                },
                {
                    "title": "B",
                    "partner_id": cls.customer.id,
                    "date_received": MARCH,
                    "cause_category": "assembly",
                },
                {
                    "title": "C",
                    "partner_id": cls.customer.id,
                    "date_received": MARCH,
                    "cause_category": "design",
                },
            ]
        )
        force(complaints[0], {"date_closed": datetime(2026, 3, 25, 9, 0)})
        part = cls.env["product.product"].create({"name": "Seal", "is_storable": True})
        cls.env["stock.quant"]._update_available_quantity(
            part, cls.env.ref("stock.stock_location_stock"), 5
        )
        loan = cls.env["csc.part.loan"].create(
            {"technician_id": cls.technician.id, "line_ids": [(0, 0, {"product_id": part.id})]}
        )
        with freeze_time("2026-03-15 09:00:00"):  # lent in March: outstanding at its end
            loan.action_confirm()
        cls.report = cls.env["csc.monthly.report"].create({"date_start": "2026-03-01"})

    def test_figures_equal_the_records(self):
        figures = self.report._figures()
        self.assertEqual(figures["visit_total"], 3)
        self.assertEqual(dict(figures["visits"]), {"Field Repair": 2, "Sales Visit": 1})
        self.assertEqual((figures["arrivals"], figures["arrival_rate"]), (2, 50.0))
        # Replies: the reply deadline is 8 working hours after 10 March 9:00.
        self.assertEqual((figures["replies"], figures["reply_rate"]), (3, 66.7))
        self.assertEqual(figures["complaints_received"], 3)
        self.assertEqual(figures["complaints_closed"], 1)
        self.assertEqual(figures["causes"], [("Assembly", 2), ("Design", 1)])
        self.assertEqual(dict(figures["expenses"]), {"Travel": 100, "Lodging": 50})
        self.assertEqual(figures["expense_total"], 150)
        self.assertEqual(figures["loans_outstanding"], 1)

    def test_pdf_and_spreadsheet(self):
        self.company.csc_code_monthly_report = "QR-MSR"
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html("customer_service_control.report_monthly", self.report.ids)[
            0
        ].decode()
        for text in ("QR-MSR", "2026-03", "Field Repair", "Assembly", "66.7"):
            self.assertIn(text, html)
        xlsx, kind = Report._render_xlsx(
            "customer_service_control.monthly_report_xlsx", self.report.ids, {}
        )
        self.assertEqual(kind, "xlsx")
        with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
            strings = book.read("xl/sharedStrings.xml").decode()
        for text in ("QR-MSR", "Key performance indicators", "External failure cost", "Travel"):
            self.assertIn(text, strings)

    def test_sent_to_the_general_manager_each_month(self):
        self.general_manager.email = "gm@example.com"
        with freeze_time("2026-05-01 06:00:00"):
            self.env["csc.monthly.report"]._cron_send_last_month()
        april = self.env["csc.monthly.report"].search([("name", "=", "2026-04")])
        self.assertEqual(len(april), 1)
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "csc.monthly.report"), ("res_id", "=", april.id)])
        )
        self.assertIn(self.general_manager.partner_id, mail.recipient_ids)
        self.assertNotIn(self.service_manager.partner_id, mail.recipient_ids)
        self.assertEqual(len(mail.attachment_ids), 1)
