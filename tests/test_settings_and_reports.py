from odoo.exceptions import ValidationError
from odoo.tests import Form

from .common import CscCase
from .common import force_create


class TestSettingsAndReports(CscCase):
    def test_settings_write_company_values(self):
        settings = Form(self.env["res.config.settings"])
        self.assertEqual(settings.csc_containment_hours, 24)
        self.assertEqual(settings.csc_code_customer_file, "Q/JL081301-C")
        settings.csc_containment_hours = 12
        settings.csc_target_year1 = 96
        settings.csc_code_customer_file = "QR-7.2-01"
        settings.save().execute()
        self.assertEqual(self.company.csc_containment_hours, 12)
        self.assertEqual(self.company.csc_target_year1, 96)
        self.assertEqual(self.company.csc_code_customer_file, "QR-7.2-01")

    def test_phase_weights_add_up_to_100(self):
        with self.assertRaisesRegex(ValidationError, "add up to 100"):
            self.company.write({"csc_weight_in_service": 60})
        self.company.write({"csc_weight_in_service": 60, "csc_weight_after_service": 20})
        self.assertEqual(self.company.csc_weight_in_service, 60)

    def test_amounts_are_not_negative(self):
        """A negative approval amount would put every refund and replacement before the general
        manager: refused with the setting's name, nothing written."""
        before = self.company.csc_disposition_approval_amount
        with (
            self.assertRaisesRegex(ValidationError, "Approval Above cannot be negative"),
            self.cr.savepoint(),
        ):
            self.company.write({"csc_disposition_approval_amount": -1.0})
        self.company.invalidate_recordset()
        self.assertEqual(self.company.csc_disposition_approval_amount, before)

    def test_customer_file_report_content(self):
        self.company.csc_code_customer_file = "QR-CUST-9"
        self.customer.write({"csc_business_scope": "Tractors", "csc_last_visit_date": "2026-01-10"})
        self.env["res.partner"].create(
            {"name": "Zhao Lei", "parent_id": self.customer.id, "function": "SQE"}
        )
        requirement = force_create(
            self.env["csc.customer.requirement"],
            {
                "name": "Label per VDA 4902",
                "partner_id": self.customer.id,
                "description": "<p>x</p>",
                "state": "released",
            },
        )
        draft = self.env["csc.customer.requirement"].create(
            {"name": "Draft requirement", "partner_id": self.customer.id}
        )
        html = (
            self.env["ir.actions.report"]
            .with_user(self.desk_user)
            ._render_qweb_html("customer_service_control.report_customer_file", self.customer.ids)[
                0
            ]
            .decode()
        )
        for expected in (
            "QR-CUST-9",
            "Test OEM Motors",
            "Tractors",
            "Zhao Lei",
            "SQE",
            requirement.reference,
            "Label per VDA 4902",
            "OEM",
            "Key",
        ):
            self.assertIn(expected, html)
        self.assertNotIn(draft.name, html)

    def test_customer_file_pdf(self):
        pdf, kind = self.render_pdf(
            "customer_service_control.report_customer_file", self.customer.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_settings_saved_together(self):
        """Weights that add up to 100 only together are saved (one write to the company)."""
        settings = self.env["res.config.settings"].create(
            {"csc_weight_pre_service": 30, "csc_weight_in_service": 40}
        )
        settings.execute()
        company = self.company
        self.assertEqual(
            (
                company.csc_weight_pre_service,
                company.csc_weight_in_service,
                company.csc_weight_after_service,
            ),
            (30, 40, 30),
        )
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"csc_weight_pre_service": 50})
        self.assertEqual(company.csc_weight_pre_service, 30)
