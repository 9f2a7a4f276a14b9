from datetime import date
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import UserError

from .common import MONDAY_9
from .common import SIGNATURE
from .common import ServiceVisitCase
from .common import force


class TestServiceVisit(ServiceVisitCase):
    def test_dispatch_deadline_by_distance(self):
        expected = {299: 24, 300: 24, 301: 48, 999: 48, 1000: 48, 1001: 72}
        for distance, hours in expected.items():
            visit = self._visit(distance=distance)
            self.assertEqual(
                (visit.date_dispatch_deadline - MONDAY_9).total_seconds() / 3600,
                hours,
                f"{distance} km",
            )

    def test_out_of_warranty_departs_after_cost_confirmed(self):
        visit = self._visit(distance=100, date_request=datetime(2026, 7, 1, 9, 0))
        self.assertEqual(visit.warranty_status, "paid")
        self.assertFalse(visit.date_dispatch_deadline)  # nothing promised before the quote
        visit.write({"diagnosis": "Worn seal", "solution": "Replace seal kit"})
        visit.action_triage()
        self.assertEqual(visit.quote_state, "draft")
        # The quote being prepared is the technicians' or a service manager's.
        visit.with_user(self.service_manager).line_ids = [
            (0, 0, {"line_type": "part", "product_id": self.part.id, "name": "Seal"})
        ]
        visit.action_send_quote()
        # Odoo's quotation mail: the sale order of the cost lines goes to the customer.
        order = visit.sudo().sale_order_id
        quote = order.message_ids.filtered(lambda m: self.customer in m.partner_ids)
        self.assertEqual(quote.partner_ids, self.customer)
        self.assertIn(order.name, quote.subject)
        self.assertEqual(order.order_line.name, "Seal")
        with freeze_time("2026-07-02 10:00:00"):
            visit.action_customer_confirms()
        # The promise is on the departure, 24 h after the confirmation; none on the arrival.
        self.assertEqual(visit.date_departure_deadline, datetime(2026, 7, 3, 10, 0))
        self.assertFalse(visit.date_dispatch_deadline)

    def test_warranty_status_and_pricing(self):
        self.company.write({"csc_partner_brand_uplift": 10, "csc_misuse_part_discount": 20})
        lines = [
            (0, 0, {"line_type": "labour", "name": "2 h labour", "quantity": 2, "price_unit": 50}),
            (0, 0, {"line_type": "part", "product_id": self.part.id, "name": "Seal"}),
            (0, 0, {"line_type": "part", "product_id": self.partner_part.id, "name": "Pump"}),
        ]
        in_warranty = self._visit(line_ids=lines)
        self.assertEqual(in_warranty.warranty_status, "free")
        self.assertEqual(in_warranty.amount_total, 0)
        pump = in_warranty.line_ids.filtered(lambda line: line.product_id == self.partner_part)
        self.assertAlmostEqual(pump.price_unit, 220.0)  # partner brand: +10 %
        misuse = self._visit(misuse=True, line_ids=lines)
        self.assertEqual(misuse.warranty_status, "discounted")
        self.assertAlmostEqual(misuse.amount_total, 100 + 0.8 * 100 + 0.8 * 220)
        expired = self._visit(date_request=datetime(2026, 6, 1, 9, 0), line_ids=lines)
        self.assertEqual(expired.warranty_status, "paid")
        self.assertAlmostEqual(expired.amount_total, 100 + 100 + 220)
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "Agreed",
                "item_ids": [
                    (
                        0,
                        0,
                        {
                            "applied_on": "0_product_variant",
                            "product_id": self.part.id,
                            "compute_price": "fixed",
                            "fixed_price": 80.0,
                        },
                    )
                ],
            }
        )
        self.customer.csc_pricelist_id = pricelist
        agreed = self._visit(date_request=datetime(2026, 6, 1, 9, 0), line_ids=lines[1:2])
        self.assertAlmostEqual(agreed.amount_total, 80.0)

    def test_general_manager_gate(self):
        visit = self._visit(
            date_request=datetime(2026, 7, 1, 9, 0),
            diagnosis="Worn seal",
            solution="Replace",
            technician_ids=[(6, 0, self.technician.ids)],
        )
        visit.action_triage()
        visit.with_user(self.technician).line_ids = [
            (0, 0, {"line_type": "labour", "name": "Labour", "price_unit": 50})
        ]
        with self.assertRaisesRegex(UserError, "must confirm the cost"):
            visit.action_dispatch()
        visit.action_send_quote()
        visit.action_customer_refuses()
        with self.assertRaisesRegex(UserError, "general manager's approval"):
            visit.action_dispatch()
        with self.assertRaises(AccessError):
            visit.with_user(self.service_manager).action_gm_approve()
        visit.with_user(self.general_manager).action_gm_approve()
        visit.action_dispatch()
        self.assertEqual(visit.state, "dispatched")

    def test_full_visit_due_dates_and_visit_cycle(self):
        visit = self._visit(technician_ids=[(6, 0, self.technician.ids)])
        # Triage within 8 working hours: Monday 9:00 + 8 h = Tuesday 9:00
        self.assertEqual(visit.date_triage_deadline, datetime(2026, 3, 3, 9, 0))
        with self.assertRaisesRegex(UserError, "diagnosis and the solution"):
            visit.action_triage()
        visit.write({"diagnosis": "Loose bolt", "solution": "Re-torque"})
        visit.action_triage()
        self.assertEqual(visit.quote_state, "none")  # free service: no quote
        visit.action_dispatch()
        tech_visit = visit.with_user(self.technician)
        with self.assertRaisesRegex(UserError, "Record the departure"):
            tech_visit.action_arrive()
        with self.assertRaisesRegex(UserError, "confirm the plan"):
            tech_visit.action_depart()
        tech_visit.write({"plan_confirmed": True, "tools_ready": True})
        with freeze_time("2026-03-02 11:00:00"):
            tech_visit.action_depart()
        with freeze_time("2026-03-02 15:00:00"):
            tech_visit.action_arrive()
        self.assertTrue(visit.on_time)
        tech_visit.write({"work_done": "Bolt re-torqued", "full_check": True, "findings": "OK"})
        with self.assertRaisesRegex(UserError, "customer's signature, the desk's approval"):
            tech_visit.action_finish()
        tech_visit.write({"customer_signature": SIGNATURE, "customer_signed_by": "Wang Jun"})
        with self.assertRaises(AccessError):
            tech_visit.action_approve_leave()
        visit.action_approve_leave()
        with freeze_time("2026-03-06 16:00:00"):  # Friday 16:00
            tech_visit.action_finish()
        # The trip report falls due from the return to the company, not from the sign-off.
        self.assertFalse(visit.date_report_due)
        with freeze_time("2026-03-09 10:00:00"):  # Monday 10:00
            tech_visit.action_back_at_company()
        # Trip report within 3 working days of the return: Thursday 10:00
        self.assertEqual(visit.date_report_due, datetime(2026, 3, 12, 10, 0))
        self.assertEqual(self.customer.csc_last_visit_date, date(2026, 3, 6))
        with self.assertRaisesRegex(UserError, "Write the trip report"):
            tech_visit.action_submit_report()
        tech_visit.write(
            {
                "trip_report": "Re-torqued, customer satisfied.",
                "expense_line_ids": [(0, 0, {"expense_type": "travel", "amount": 120})],
            }
        )
        with freeze_time("2026-03-09 11:00:00"):  # Monday 11:00
            tech_visit.action_submit_report()
        # Verification within 5 working days: next Monday 11:00
        self.assertEqual(visit.date_verification_due, datetime(2026, 3, 16, 11, 0))
        visit.verification_note = "Customer called: satisfied; expenses match receipts."
        with self.assertRaisesRegex(AccessError, "Only a service manager"):
            visit.action_verify()
        visit.with_user(self.service_manager).action_verify()
        self.assertEqual(visit.state, "verified")

    def test_technician_sees_only_own_visits(self):
        other_technician = self.env["res.users"].create(
            {
                "name": "Other Tech",
                "login": "csc_tech2",
                "groups_id": [(6, 0, self.technician.groups_id.ids)],
            }
        )
        mine = self._visit(technician_ids=[(6, 0, self.technician.ids)])
        theirs = self._visit(technician_ids=[(6, 0, other_technician.ids)])
        visible = self.env["csc.service.visit"].with_user(self.technician).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(theirs, visible)
        with self.assertRaises(AccessError):
            theirs.with_user(self.technician).read(["name"])
        self.assertIn(theirs, self.env["csc.service.visit"].with_user(self.desk_user).search([]))

    def test_overdue_dispatch_raises_activity(self):
        visit = self._visit(distance=100, diagnosis="x", solution="y")
        visit.action_triage()
        with freeze_time("2026-03-04 09:00:00"):
            self.env["csc.service.visit"]._cron_overdue_dispatch()
            self.env["csc.service.visit"]._cron_overdue_dispatch()
        warning = visit.activity_ids.filtered(lambda a: "promised time" in (a.summary or ""))
        self.assertEqual(len(warning), 1)
        self.assertTrue(warning.user_id.has_group("customer_service_control.group_csc_manager"))

    def test_printed_forms(self):
        self.company.write({"csc_code_service_report": "QR-FSR", "csc_code_visit_report": "QR-VR"})
        visit = self._visit(
            technician_ids=[(6, 0, self.technician.ids)],
            work_done="Replaced the seal kit",
            customer_opinion="Quick and clean work",
            expense_line_ids=[(0, 0, {"expense_type": "lodging", "name": "Hotel", "amount": 300})],
        )
        force(visit, {"customer_signature": SIGNATURE, "customer_signed_by": "Wang Jun"})
        loan = self.env["csc.part.loan"].create(
            {
                "technician_id": self.technician.id,
                "visit_id": visit.id,
                "line_ids": [(0, 0, {"product_id": self.part.id, "quantity": 2})],
            }
        )
        Report = self.env["ir.actions.report"]
        checks = {
            "report_service_visit": (
                visit,
                ["QR-FSR", "Replaced the seal kit", "Hotel", "Wang Jun", "data:image/png;base64"],
            ),
            "report_customer_feedback": (visit, ["Quick and clean work", "Wang Jun"]),
            "report_installation_acceptance": (visit, ["Replaced the seal kit"]),
            "report_visit": (visit, ["QR-VR", visit.name]),
            "report_loan_slip": (loan, [loan.name, "Seal kit", visit.name]),
        }
        for report, (records, expected) in checks.items():
            html = Report._render_qweb_html(f"customer_service_control.{report}", records.ids)[
                0
            ].decode()
            for text in expected:
                self.assertIn(text, html, f"{text!r} missing from {report}")

    def test_plant_visit_notice_and_line_side_records(self):
        quality = self.env.ref("customer_service_control.csc_department_quality")
        quality.manager_id = self.quality_user
        self.env["csc.complaint"].create(
            {"title": "Cracked housing", "partner_id": self.customer.id}
        )
        visit = self._visit(
            visit_type="plant_visit",
            points_of_interest="New press line, 8D follow-up",
            department_ids=[(6, 0, quality.ids)],
        )
        visit.action_notify_departments()
        notice = visit.message_ids.filtered(lambda m: "Customer visit" in (m.subject or ""))
        self.assertEqual(notice.partner_ids, self.quality_user.partner_id)
        self.assertIn("Cracked housing", notice.body)
        self.assertIn("New press line", notice.body)
        line_side = self._visit(
            visit_type="line_side",
            day_ids=[(0, 0, {"date": "2026-03-02", "work": "Sorted 400 columns", "hours": 8})],
        )
        self.assertEqual(line_side.day_ids.work, "Sorted 400 columns")
        empty = self._visit(visit_type="plant_visit")
        with self.assertRaisesRegex(UserError, "who must attend"):
            empty.action_notify_departments()
