"""Field service in the less common cases (R-D3, R-E2): warranty by the local date, the dispatch
clock of paid services, reminders to real managers, the cost lines the customer signs for."""

from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import new_test_user

from .common import MODULE
from .common import MONDAY_9
from .common import ServiceVisitCase
from .common import force


class TestFieldServiceCases(ServiceVisitCase):
    def test_warranty_judged_on_the_company_date(self):
        end = self.lot.csc_warranty_end
        # 16:30 UTC on the last day of warranty is already the next day in Shanghai.
        late_evening = datetime.combine(end, time(16, 30))
        self.assertEqual(self._visit(date_request=late_evening).warranty_status, "free")
        self.company.resource_calendar_id.tz = "Asia/Shanghai"
        visit = self._visit(date_request=late_evening)
        self.assertEqual(visit.warranty_status, "paid")
        last_minute = datetime.combine(end, time(15, 59))  # 23:59 in Shanghai
        self.assertEqual(self._visit(date_request=last_minute).warranty_status, "free")

    def _quoted(self, **vals):
        visit = self._visit(distance=100, diagnosis="Leak", solution="Seal kit", **vals)
        visit.action_triage()
        visit.with_user(self.service_manager).line_ids = [
            (0, 0, {"line_type": "part", "product_id": self.part.id, "name": "Seal"})
        ]
        visit.action_send_quote()
        return visit

    def test_misuse_in_warranty_clock_starts_at_confirmation(self):
        visit = self._quoted(misuse=True)
        self.assertEqual(visit.warranty_status, "discounted")
        self.assertFalse(visit.date_dispatch_deadline)  # the customer decides first
        with freeze_time("2026-03-03 09:00:00"):
            visit.action_customer_confirms()
        # 100 km: on site within 24 h of the confirmation, not of the request.
        self.assertEqual(visit.date_dispatch_deadline, datetime(2026, 3, 4, 9, 0))
        self.assertEqual(visit.hours_waiting_customer, 24.0)

    def test_general_manager_approval_starts_the_clock(self):
        visit = self._quoted(date_request=datetime(2026, 7, 1, 9, 0))
        visit.action_customer_refuses()
        self.assertFalse(visit.date_dispatch_deadline)
        with freeze_time("2026-07-02 15:00:00"):
            visit.with_user(self.general_manager).action_gm_approve()
        hours = self.company.csc_paid_departure_hours
        self.assertEqual(
            visit.date_dispatch_deadline, datetime(2026, 7, 2, 15, 0) + timedelta(hours=hours)
        )
        self.assertEqual(visit.hours_waiting_customer, 30.0)
        self.assertEqual(visit.gm_approver_id, self.general_manager)

    def test_reminders_go_to_real_managers_never_the_administrator(self):
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group(f"{MODULE}.group_csc_manager"))
        visit = self._visit(distance=100, technician_ids=[(6, 0, self.technician.ids)])
        force(visit, {"state": "dispatched"})
        other_company = self.env["res.company"].create({"name": "Elsewhere"})
        new_test_user(
            self.env,
            login="csc_manager_elsewhere",
            groups=f"base.group_user,{MODULE}.group_csc_manager",
            company_id=other_company.id,
            company_ids=[(6, 0, other_company.ids)],
        )
        with freeze_time(MONDAY_9 + timedelta(days=3)):
            self.env["csc.service.visit"]._cron_overdue_dispatch()
        late = visit.activity_ids.filtered(lambda a: "promised" in (a.summary or ""))
        self.assertEqual(late.user_id, self.service_manager)
        self.assertEqual(
            self.company._csc_users(f"{MODULE}.group_csc_manager"),
            self.service_manager | self.general_manager,
        )

    def test_service_report_lists_what_the_customer_signs_for(self):
        visit = self._quoted(date_request=datetime(2026, 7, 1, 9, 0))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(f"{MODULE}.report_service_visit", visit.ids)[0]
            .decode()
        )
        self.assertIn("Charged to the Customer", html)
        self.assertIn("Seal", html)
        self.assertIn(f"{visit.line_ids.price_unit:.2f}", html)

    def test_solved_by_phone(self):
        """R-E1: a case solved by telephone guidance is closed as such, free, with no dispatch
        or quote, and counted with the month's services."""
        visit = self._visit(date_request=datetime(2026, 7, 1, 9, 0))  # out of warranty
        with self.assertRaisesRegex(UserError, "guidance given by phone"):
            visit.action_solved_by_phone()
        visit.write({"diagnosis": "Relief valve set too low", "solution": "Reset to 140 bar"})
        with self.assertRaisesRegex(AccessError, "service desk"):
            visit.with_user(self.technician).action_solved_by_phone()
        with freeze_time("2026-07-01 10:30:00"):
            visit.action_solved_by_phone()
        self.assertEqual(
            (visit.state, visit.phone_guidance, visit.quote_state, visit.amount_total),
            ("phone", True, "none", 0.0),
        )
        self.assertEqual(visit.date_end, datetime(2026, 7, 1, 10, 30))
        with self.assertRaisesRegex(UserError, "be dispatched"):
            visit.action_dispatch()
        with self.assertRaisesRegex(UserError, "locked"):
            visit.write({"solution": "Changed afterwards"})
        report = self.env["csc.monthly.report"].create({"date_start": "2026-07-01"})
        self.assertEqual(report._figures()["phone_solved"], 1)

    # -- visits of the light flow (R-G1, R-G3, R-E8) ---------------------------------------

    def test_sales_visits_follow_the_light_flow(self):
        quality = self.env.ref(f"{MODULE}.csc_department_quality")
        engineering = self.env.ref(f"{MODULE}.csc_department_engineering")
        quality.manager_id = self.quality_user
        engineering.manager_id = self.service_manager
        for visit_type in ("customer_visit", "key_account", "tour", "plant_visit"):
            with self.subTest(visit_type=visit_type):
                visit = self._visit(visit_type=visit_type, distance=100, diagnosis="Review")
                self.assertFalse(visit.is_field_service)
                # No triage, quote or arrival promise: not in arrival timeliness.
                self.assertFalse(visit.date_triage_deadline or visit.date_dispatch_deadline)
                for action, message in (
                    ("action_triage", "no triage"),
                    ("action_send_quote", "no quote"),
                    ("action_dispatch", "no dispatch"),
                    ("action_solved_by_phone", "no telephone guidance"),
                ):
                    with self.assertRaisesRegex(UserError, message):
                        getattr(visit, action)()
                with self.assertRaisesRegex(UserError, "no cost lines"):
                    visit.line_ids = [(0, 0, {"line_type": "labour", "name": "Labour"})]
                self.assertEqual((visit.state, visit.quote_state), ("draft", "none"))
                with freeze_time("2026-03-04 10:00:00"):
                    visit.action_visit_done()
                self.assertEqual(
                    (visit.state, str(visit.date_end)), ("done", "2026-03-04 10:00:00")
                )
                self.assertEqual(self.customer.csc_last_visit_date, date(2026, 3, 4))
                with self.assertRaisesRegex(UserError, "its type can only change within its kind"):
                    visit.visit_type = "repair"
                visit.trip_report = "Reviewed the quarter's deliveries."
                visit.action_ids = [
                    (
                        0,
                        0,
                        {
                            "name": "Tighter torque check",
                            "user_id": self.quality_user.id,
                            "date_due": "2026-03-31",
                        },
                    ),
                ]
                with self.assertRaisesRegex(UserError, "give each customer request a department"):
                    visit.action_submit_report()
                self.assertEqual(visit.state, "done")
                visit.action_ids.department_id = quality
                visit.action_ids = [
                    (
                        0,
                        0,
                        {
                            "name": "Drawing update",
                            "user_id": self.service_manager.id,
                            "department_id": engineering.id,
                            "date_due": "2026-03-31",
                        },
                    ),
                ]
                visit.action_submit_report()
                self.assertEqual(visit.state, "reported")
                self.assertFalse(visit.date_verification_due)
                routed = visit.message_ids.filtered(lambda m: "Visit report" in (m.subject or ""))
                self.assertEqual(
                    routed.partner_ids, (self.quality_user | self.service_manager).partner_id
                )
                self.assertIn("Drawing update", routed.body)
                # The report closes the visit: locked until a manager reopens it.
                self.assertTrue(visit.is_locked and visit.csc_can_reopen)
                with self.assertRaisesRegex(UserError, "finished and locked"):
                    visit.trip_report = "Changed"
                with self.assertRaisesRegex(UserError, "no verification"):
                    visit.with_user(self.service_manager).action_verify()
                visit.with_user(self.service_manager)._csc_reopen("Customer added a request")
                self.assertEqual((visit.state, visit.date_report), ("done", False))
        month = self.env["csc.monthly.report"].create({"date_start": date(2026, 3, 1)})
        self.assertEqual(month._figures_due()["arrivals"], 0)

    def test_field_service_reported_is_not_reopened(self):
        visit = self._visit()
        force(visit, {"state": "reported"})
        self.assertFalse(visit.is_locked or visit.csc_can_reopen)
        with self.assertRaisesRegex(UserError, "nothing to reopen"):
            visit.with_user(self.service_manager)._csc_reopen("Why not")

    # -- the draft quote (R-D3) -----------------------------------------------------------------

    def test_only_the_technician_or_a_manager_prepares_the_quote(self):
        visit = self._visit(
            date_request=datetime(2026, 7, 1, 9, 0),
            diagnosis="Leak",
            solution="Seal kit",
            technician_ids=[(6, 0, self.technician.ids)],
        )
        visit.action_triage()
        self.assertEqual(visit.quote_state, "draft")
        other = new_test_user(
            self.env, login="csc_other_tech", groups=f"{MODULE}.group_csc_technician"
        )
        other.company_ids = self.company
        line = {"line_type": "labour", "name": "Labour", "price_unit": 50}
        for user in (self.desk_user, self.quality_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError) as refused:
                visit.with_user(user).write({"line_ids": [(0, 0, line)]})
            self.assertIn(
                "prepared by its assigned technicians or a service manager", str(refused.exception)
            )
        with self.assertRaises(AccessError):  # not his visit: he does not even write on it
            visit.with_user(other).write({"line_ids": [(0, 0, line)]})
        self.assertFalse(visit.line_ids)
        visit.with_user(self.technician).write({"line_ids": [(0, 0, line)]})
        visit.with_user(self.service_manager).line_ids.price_unit = 60
        with self.assertRaisesRegex(AccessError, "prepared by its assigned technicians"):
            visit.line_ids.with_user(self.desk_user).price_unit = 1
        with self.assertRaisesRegex(AccessError, "prepared by its assigned technicians"):
            visit.line_ids.with_user(self.desk_user).unlink()
        self.assertEqual((len(visit.line_ids), visit.line_ids.price_unit), (1, 60))
        visit.action_send_quote()  # the desk sends it; then it is frozen for everyone
        with self.assertRaisesRegex(UserError, "can no longer change"):
            visit.line_ids.with_user(self.technician).price_unit = 70

    # -- installation notice and phone follow-up (R-E7, R-E8) -----------------------------------

    @freeze_time("2026-03-02 09:00:00")
    def test_installation_planned_a_week_ahead(self):
        self.company.csc_installation_notice_days = 7
        summary = "Installation planned at short notice"
        ahead = self._visit(visit_type="installation", date_planned=datetime(2026, 3, 9, 9))
        self.assertFalse(ahead.short_notice)
        self.assertFalse(ahead.activity_ids)
        ahead.date_planned = datetime(2026, 3, 5, 9)
        self.assertTrue(ahead.short_notice)
        warning = ahead.activity_ids.filtered(lambda a: a.summary == summary)
        self.assertEqual(warning.user_id, self.company._csc_service_managers())
        self.assertIn("fewer than 7 days", ahead.message_ids[0].body)
        # Only installations are held to the notice; the date it was planned cannot be typed.
        repair = self._visit(date_planned=datetime(2026, 3, 3, 9))
        self.assertFalse(repair.short_notice)
        with self.assertRaisesRegex(UserError, "only through its actions"):
            ahead.write({"date_scheduled": datetime(2026, 2, 1)})
        # Requested but not planned: the desk owner is reminded, once.
        unplanned = self._visit(visit_type="installation")
        Visit = self.env["csc.service.visit"]
        Visit._cron_installation_notice()
        Visit._cron_installation_notice()
        reminder = unplanned.activity_ids
        self.assertEqual((len(reminder), reminder.user_id), (1, self.desk_user))
        self.assertFalse(ahead.activity_ids - warning)

    def test_quarterly_phone_followup_after_delivery(self):
        self.company.csc_followup_days = 90
        self.customer.csc_sales_user_id = self.service_manager
        followup = self.env.ref(f"{MODULE}.mail_activity_type_csc_followup")
        self.env["stock.lot"].create(
            {
                "name": "EPS-2",
                "product_id": self.product.id,
                "csc_partner_id": self.customer.id,
                "csc_delivery_date": "2026-01-05",
            }
        )
        quiet = self.env["res.partner"].create(
            {"name": "Old Unit Customer", "csc_sales_user_id": self.service_manager.id}
        )
        self.env["stock.lot"].create(  # out of warranty: no more follow-up
            {
                "name": "EPS-OLD",
                "product_id": self.product.id,
                "csc_partner_id": quiet.id,
                "csc_delivery_date": "2024-01-05",
            }
        )
        Partner = self.env["res.partner"]

        def followups(partner):
            return partner.activity_ids.filtered(lambda a: a.activity_type_id == followup)

        with freeze_time("2026-04-04"):  # 89 days after the delivery
            Partner._cron_phone_followup()
            self.assertFalse(followups(self.customer))
        with freeze_time("2026-04-05"):
            Partner._cron_phone_followup()
            Partner._cron_phone_followup()
            activity = followups(self.customer)
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.service_manager)
            self.assertFalse(followups(quiet))
            activity.action_feedback(feedback="Customer satisfied, no issue.")
        with freeze_time("2026-07-03"):  # 89 days after the call
            Partner._cron_phone_followup()
            self.assertFalse(followups(self.customer))
        with freeze_time("2026-07-04"):
            Partner._cron_phone_followup()
            self.assertEqual(len(followups(self.customer)), 1)
