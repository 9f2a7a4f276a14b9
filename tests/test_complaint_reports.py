from .common import ComplaintCase


class TestComplaintReports(ComplaintCase):
    def _html(self, report, records):
        return (
            self.env["ir.actions.report"]
            .with_user(self.quality_user)
            ._render_qweb_html(f"customer_service_control.{report}", records.ids)[0]
            .decode()
        )

    def test_forms_show_record_codes_and_data(self):
        self.company.write(
            {
                "csc_code_quality_feedback": "QR-QIF",
                "csc_code_warranty_feedback": "QR-WPF",
                "csc_code_recurrence_report": "QR-RPR",
                "csc_code_action_record": "QR-CAR",
                "csc_code_failure_history": "QR-PFH",
            }
        )
        complaint = self._complaint(
            user_id=self.quality_user.id, cause_category="assembly", root_cause="Loose bolt"
        )
        report = self.env["csc.eightd"].create(
            {
                "complaint_id": complaint.id,
                "problem_what": "Knocking noise",
                "cause_line_ids": [
                    (0, 0, {"cause_type": "occurrence", "name": "Bolt torque", "contribution": 100})
                ],
                "document_line_ids": [
                    (0, 0, {"document_type": "pfmea", "name": "PFMEA SG", "revision": "E"})
                ],
            }
        )
        action = self.env["csc.action"].create(
            {
                "name": "Torque audit",
                "complaint_id": complaint.id,
                "eightd_id": report.id,
                "user_id": self.quality_user.id,
                "date_due": "2026-03-20",
            }
        )
        checks = {
            ("report_complaint_form", complaint): [
                complaint.name,
                "Noise at low speed",
                "Li Na",
                "Loose bolt",
                action.reference,
            ],
            ("report_quality_feedback", complaint): ["QR-QIF", complaint.name],
            ("report_warranty_feedback", complaint): ["QR-WPF", "Steering Gear"],
            ("report_eightd", report): [
                report.name,
                "Knocking noise",
                "Bolt torque",
                "PFMEA SG",
                "Torque audit",
            ],
            ("report_recurrence_prevention", report): ["QR-RPR", "Bolt torque", "PFMEA SG"],
            ("report_action_record", action): ["QR-CAR", "Torque audit", action.reference],
            ("report_failure_history", self.product.product_tmpl_id): [
                "QR-PFH",
                complaint.name,
                "Loose bolt",
            ],
        }
        for (report_name, records), expected in checks.items():
            html = self._html(report_name, records)
            for text in expected:
                self.assertIn(text, html, f"{text!r} missing from {report_name}")

    def test_eightd_pdf(self):
        complaint = self._complaint()
        report = self.env["csc.eightd"].create({"complaint_id": complaint.id})
        pdf, kind = self.render_pdf("customer_service_control.report_eightd", report.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
