from datetime import date
from datetime import datetime

from odoo.tests import HttpCase
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import force
from .common import force_create


@tagged("post_install", "-at_install")
class TestCustomerFileTour(HttpCase):
    def test_desk_registers_customer_file(self):
        new_test_user(
            self.env,
            login="csc_tour_desk",
            groups="base.group_user,customer_service_control.group_csc_user",
            tz="UTC",
        )
        self.start_tour(
            "/odoo/action-customer_service_control.csc_customer_action",
            "csc_customer_file_tour",
            login="csc_tour_desk",
        )
        partner = self.env["res.partner"].search([("name", "=", "Tour Tractor Works")])
        self.assertEqual(partner.csc_customer_type, "oem")
        self.assertEqual(partner.csc_relation_class, "key")
        self.assertEqual(partner.csc_grade, "a")
        self.assertEqual(partner.csc_next_visit_date, date(2026, 7, 11))


@tagged("post_install", "-at_install")
class TestTechnicianVisitTour(HttpCase):
    def test_technician_walks_through_a_visit(self):
        technician = new_test_user(
            self.env,
            login="csc_tour_tech",
            groups="base.group_user,customer_service_control.group_csc_technician",
            tz="UTC",
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour Dealer", "is_company": True, "csc_customer_type": "dealer"}
        )
        visit = self.env["csc.service.visit"].create(
            {
                "partner_id": customer.id,
                "technician_ids": [(6, 0, technician.ids)],
                "diagnosis": "Leaking seal",
                "solution": "Replace the seal kit",
            }
        )
        visit.action_triage()
        force(visit, {"quote_state": "confirmed"})  # the customer accepted the quote
        visit.action_dispatch()
        url = f"/odoo/action-customer_service_control.csc_service_visit_action/{visit.id}"
        self.start_tour(url, "csc_technician_on_site_tour", login="csc_tour_tech")
        visit.invalidate_recordset()
        self.assertEqual(visit.state, "on_site")
        self.assertEqual(visit.running_hours, 1250)
        self.assertIn("Seal kit replaced", visit.work_done)
        self.assertTrue(visit.customer_signature)
        self.assertEqual(visit.customer_signed_by, "Liu Yang")
        visit.action_approve_leave()  # the desk, on the phone
        self.start_tour(url, "csc_technician_trip_report_tour", login="csc_tour_tech")
        visit.invalidate_recordset()
        self.assertEqual(visit.state, "reported")
        self.assertIn("customer satisfied", visit.trip_report)
        self.assertTrue(visit.date_verification_due)
        self.assertTrue(visit.date_departure and visit.date_return)


@tagged("post_install", "-at_install")
class TestKpiDashboardTour(HttpCase):
    def test_manager_adds_a_month_to_the_dashboard(self):
        new_test_user(
            self.env,
            login="csc_tour_manager",
            groups="base.group_user,customer_service_control.group_csc_manager",
            tz="UTC",
        )
        technician = new_test_user(
            self.env,
            login="csc_tour_technician",
            name="Tour Technician",
            groups="base.group_user,customer_service_control.group_csc_technician",
        )
        customer = self.env["res.partner"].create({"name": "Tour OEM", "is_company": True})
        self.env["csc.dispatch.policy"].search([]).unlink()
        self.env["csc.dispatch.policy"].create({"max_distance": 0, "hours": 24})
        visit = force_create(
            self.env["csc.service.visit"],
            {
                "partner_id": customer.id,
                "visit_type": "installation",
                "date_request": datetime(2026, 3, 2, 9),
                "date_cost_confirmed": datetime(2026, 3, 2, 9),
                "technician_ids": [(6, 0, technician.ids)],
            },
        )
        force(
            visit,
            {
                "state": "done",
                "date_departure": datetime(2026, 3, 2, 10),
                "date_arrival": datetime(2026, 3, 2, 15),
                "date_end": datetime(2026, 3, 2, 17),
            },
        )
        self.start_tour(
            "/odoo/action-customer_service_control.csc_monthly_report_action",
            "csc_kpi_dashboard_tour",
            login="csc_tour_manager",
        )
        report = self.env["csc.monthly.report"].search([("name", "=", "2026-03")])
        self.assertEqual(report.create_uid.login, "csc_tour_manager")
        self.assertEqual(report._figures()["arrival_rate"], 100.0)
