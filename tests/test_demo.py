from odoo.tools import convert_file

from .common import CscCase


class TestDemoData(CscCase):
    def test_demo_data_loads_and_delivers(self):
        """The demo file loads into a database without demo data, and its real deliveries
        fill the product file (the test database has no demo data, so this is the check)."""
        idref = {}
        for demo_file in (
            "demo/csc_customer_demo.xml",
            "demo/csc_complaint_demo.xml",
            "demo/csc_service_demo.xml",
            "demo/csc_kpi_demo.xml",
        ):
            convert_file(
                self.env,
                "customer_service_control",
                demo_file,
                idref,
                mode="init",
                noupdate=True,
                kind="demo",
            )
        oem = self.env.ref("customer_service_control.demo_partner_oem")
        self.assertEqual(oem.csc_lot_count, 3)
        lot = self.env.ref("customer_service_control.demo_lot_eps_1")
        self.assertEqual(lot.csc_partner_id, oem)
        self.assertTrue(lot.csc_warranty_end)
        self.assertEqual(len(lot.csc_component_ids), 2)
        csr = self.env.ref("customer_service_control.demo_csr_oem_8d")
        self.assertEqual(csr.state, "released")
        self.assertEqual(oem._csc_response_limits()["containment_hours"], 12)
        hpu = self.env.ref("customer_service_control.demo_lot_hpu_1")
        self.assertFalse(hpu.csc_under_warranty)
        report = self.env.ref("customer_service_control.demo_eightd_oem_noise")
        self.assertEqual(report.signed_off, "5")
        leak = self.env.ref("customer_service_control.demo_complaint_dealer_leak")
        self.assertEqual(leak.return_ids.receipt_id.state, "assigned")
        visit = self.env.ref("customer_service_control.demo_visit_dealer_leak")
        self.assertEqual((visit.state, visit.warranty_status), ("dispatched", "free"))
        quoted = self.env.ref("customer_service_control.demo_visit_end_user")
        self.assertEqual((quoted.warranty_status, quoted.quote_state), ("paid", "sent"))
        loan = self.env.ref("customer_service_control.demo_loan_dealer_leak")
        self.assertEqual(loan.state, "loaned")
        plan = self.env.ref("customer_service_control.demo_visit_plan")
        self.assertIn(oem, plan.line_ids.partner_id)  # its visit is overdue
        # The finished services: the OEM's maintenance sent its survey, the dealer answered.
        maintenance = self.env.ref("customer_service_control.demo_visit_oem_maintenance")
        self.assertEqual((maintenance.state, maintenance.on_time), ("reported", True))
        contact = self.env.ref("customer_service_control.demo_partner_oem_contact")
        self.assertEqual(maintenance.sudo().survey_input_ids.partner_id, contact)
        earlier = self.env.ref("customer_service_control.demo_visit_dealer_earlier")
        result = earlier.satisfaction_result_ids
        # 0.2 x 90 + 0.5 x (100 + 100 + 90) / 3 + 0.3 x (70 + 90) / 2 = 90.33: excellent, but
        # not "satisfied" with an item at 70.
        self.assertEqual((result.total_score, result.band), (90.33, "excellent"))
        self.assertFalse(result.is_satisfied)
        current = self.env.ref("customer_service_control.demo_monthly_report_current")
        self.assertEqual(current._figures()["service_answers"], 1)
        self.assertIn("text-bg-success", current.kpi_html)  # the maintenance was on time
