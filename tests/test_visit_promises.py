"""The promises of a field service (issue 20 #3, #6, #7, #8): deadlines fixed when the visit is
registered and re-planned only by a service manager with a reason; out of warranty the promise
is on the departure; the customer's own on-site time and the company's flat time for quality
problems; the trip report due from the return to the company."""

from datetime import datetime
from datetime import timedelta

from freezegun import freeze_time
from psycopg2.errors import CheckViolation

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from .common import MODULE
from .common import MONDAY_9
from .common import SIGNATURE
from .common import ServiceVisitCase
from .common import force

# Out of the unit's warranty (delivered 1 June 2025, 12 months): a paid service.
JULY_1_9 = datetime(2026, 7, 1, 9, 0)


class TestVisitPromises(ServiceVisitCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"csc_triage_hours": 8.0, "csc_paid_departure_hours": 24.0})
        cls.other_technician = new_test_user(
            cls.env,
            login="csc_technician_other",
            groups=f"base.group_user,{MODULE}.group_csc_technician",
        )

    # -- helpers -------------------------------------------------------------------------------

    def _field_service(self, **vals):
        return self._visit(
            **{
                "distance": 100,
                "diagnosis": "Worn seal",
                "solution": "Replace the seal kit",
                "technician_ids": [(6, 0, self.technician.ids)],
                "plan_confirmed": True,
                "tools_ready": True,
                **vals,
            }
        )

    def _paid_and_confirmed(self, confirmed="2026-07-02 10:00:00"):
        visit = self._field_service(date_request=JULY_1_9)
        visit.action_triage()
        visit.with_user(self.technician).line_ids = [
            (0, 0, {"line_type": "labour", "name": "Labour", "price_unit": 50})
        ]
        visit.action_send_quote()
        with freeze_time(confirmed):
            visit.action_customer_confirms()
        return visit

    def _signed_off(self, finished="2026-03-06 16:00:00"):
        """A warranty repair, on site on Monday and signed off at `finished`."""
        visit = self._field_service()
        visit.action_triage()
        visit.action_dispatch()
        tech_visit = visit.with_user(self.technician)
        with freeze_time("2026-03-02 11:00:00"):
            tech_visit.action_depart()
        with freeze_time("2026-03-02 15:00:00"):
            tech_visit.action_arrive()
        tech_visit.write(
            {
                "work_done": "Seal replaced",
                "full_check": True,
                "customer_signature": SIGNATURE,
                "customer_signed_by": "Wang Jun",
            }
        )
        visit.action_approve_leave()
        with freeze_time(finished):
            tech_visit.action_finish()
        return visit

    def _deadlines(self, visit):
        return visit.read(
            [
                "date_triage_deadline",
                "date_dispatch_deadline",
                "date_departure_deadline",
                "arrival_hours",
                "arrival_rule",
                "departure_hours",
                "date_report_due",
            ]
        )[0]

    def _release_arrival_csr(self, hours, partner=None):
        requirement = self.env["csc.customer.requirement"].create(
            {
                "name": "On site within the customer's time",
                "partner_id": (partner or self.customer).id,
                "topic": "response",
                "arrival_hours": hours,
            }
        )
        force(requirement, {"state": "released"})
        return requirement

    # -- 3. fixed at the registration ----------------------------------------------------------

    def test_settings_changed_after_registration_leave_deadlines(self):
        paid = self._paid_and_confirmed()
        free = self._field_service(distance=500)
        # Triage: Monday 9:00 + 8 working hours; on site: 48 h (500 km) from the request.
        self.assertEqual(free.date_triage_deadline, datetime(2026, 3, 3, 9, 0))
        self.assertEqual(free.date_dispatch_deadline, MONDAY_9 + timedelta(hours=48))
        self.assertEqual((free.arrival_rule, free.arrival_hours), ("distance", 48.0))
        self.assertEqual(paid.date_departure_deadline, datetime(2026, 7, 3, 10, 0))
        before = {visit: self._deadlines(visit) for visit in (free, paid)}
        # Every setting the deadlines came from changes afterwards.
        self.company.write(
            {
                "csc_triage_hours": 16.0,
                "csc_paid_departure_hours": 12.0,
                "csc_onsite_flat": True,
                "csc_onsite_flat_hours": 6.0,
            }
        )
        self.env["csc.dispatch.policy"].search([("company_id", "=", self.company.id)]).write(
            {"hours": 100.0}
        )
        self.company.resource_calendar_id.attendance_ids.filtered(
            lambda a: a.day_period == "afternoon"
        ).unlink()
        self._release_arrival_csr(3.0)
        # ...and the visits are touched in ways that recomputed them before: the unit's warranty,
        # the technicians, an edit of the findings; the records are read again from the database.
        self.lot.csc_delivery_date = "2025-05-01"
        free.write({"technician_ids": [(4, self.other_technician.id)]})
        free.with_user(self.technician).write({"findings": "Seal lip cut"})
        self.env.flush_all()
        self.env.invalidate_all()
        for visit, values in before.items():
            self.assertEqual(self._deadlines(visit), values)
        # A visit registered now gets the new terms: the customer's 3 h (stricter than the flat
        # 6 h), triage on the new calendar (mornings only: 16 h = 4 mornings).
        new = self._field_service(distance=500)
        self.assertEqual((new.arrival_rule, new.arrival_hours), ("customer", 3.0))
        self.assertEqual(new.date_dispatch_deadline, MONDAY_9 + timedelta(hours=3))
        self.assertEqual(new.date_triage_deadline, datetime(2026, 3, 6, 9, 0))
        new_paid = self._paid_and_confirmed(confirmed="2026-07-02 08:00:00")
        self.assertEqual(new_paid.date_departure_deadline, datetime(2026, 7, 2, 20, 0))

    def test_registration_corrected_before_dispatch_only(self):
        visit = self._field_service(distance=100)
        self.assertEqual(visit.date_dispatch_deadline, MONDAY_9 + timedelta(hours=24))
        visit.distance = 500  # corrected by the desk before the dispatch: fixed again
        self.assertEqual(visit.date_dispatch_deadline, MONDAY_9 + timedelta(hours=48))
        visit.action_triage()
        triaged_on = visit.date_triage_deadline
        visit.distance = 1200  # still before the dispatch: the met triage deadline stays
        self.assertEqual(visit.date_dispatch_deadline, MONDAY_9 + timedelta(hours=72))
        self.assertEqual(visit.date_triage_deadline, triaged_on)
        visit.action_dispatch()
        visit.distance = 100  # dispatched: only a re-planning moves the promise
        self.assertEqual(visit.date_dispatch_deadline, MONDAY_9 + timedelta(hours=72))

    def test_deadlines_are_not_written_by_users(self):
        visit = self._field_service()
        before = self._deadlines(visit)
        for user in (self.desk_user, self.technician, self.service_manager):
            for name, value in (
                ("date_dispatch_deadline", datetime(2026, 12, 31)),
                ("date_triage_deadline", datetime(2026, 12, 31)),
                ("arrival_hours", 500.0),
                ("date_departure", datetime(2026, 3, 2, 10)),
                ("date_return", datetime(2026, 3, 2, 10)),
            ):
                with self.subTest(user=user.login, field=name):
                    with self.assertRaises(UserError):  # AccessError included
                        visit.with_user(user).write({name: value})
        self.assertEqual(self._deadlines(visit), before)
        self.assertFalse(visit.date_departure or visit.date_return)

    def test_manager_replans_open_visit_with_reason(self):
        visit = self._field_service(distance=100)
        visit.action_triage()
        visit.action_dispatch()
        self.env["csc.dispatch.policy"].search(
            [("company_id", "=", self.company.id), ("max_distance", "=", 300)]
        ).hours = 36.0
        before = self._deadlines(visit)
        # Not a service manager: refused, nothing changed.
        for user in (self.desk_user, self.technician, self.quality_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    visit.with_user(user).action_replan()
                with self.assertRaises(AccessError):
                    visit.with_user(user)._csc_replan("Customer moved the line")
                self.assertEqual(self._deadlines(visit), before)
        with self.assertRaisesRegex(UserError, "reason"):
            visit.with_user(self.service_manager)._csc_replan("  ")
        self.assertEqual(self._deadlines(visit), before)
        # Through the reason dialog, as a service manager clicks it.
        action = visit.with_user(self.service_manager).action_replan()
        self.assertEqual(action["context"]["default_method"], "_csc_replan")
        wizard = (
            self.env["csc.reopen.wizard"]
            .with_user(self.service_manager)
            .create(
                {
                    "res_model": visit._name,
                    "res_ids": str(visit.ids),
                    "method": "_csc_replan",
                    "reason": "Customer moved the line; new table agreed",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(visit.date_dispatch_deadline, MONDAY_9 + timedelta(hours=36))
        self.assertEqual(visit.arrival_hours, 36.0)
        self.assertEqual(visit.date_triage_deadline, before["date_triage_deadline"])  # met
        note = visit.message_ids[:1]
        self.assertIn("Customer moved the line", note.body)
        self.assertIn(self.service_manager.name, note.body)

    def test_replan_refused_for_finished_visits(self):
        verified = self._field_service()
        force(verified, {"state": "verified"})
        cancelled = self._field_service()
        cancelled.action_cancel()
        phone = self._field_service()
        phone.action_solved_by_phone()
        reported = self._field_service()
        force(reported, {"state": "reported"})
        sales = self._visit(visit_type="customer_visit")
        for visit, message in (
            (verified, "cannot be re-planned"),
            (cancelled, "cannot be re-planned"),
            (phone, "cannot be re-planned"),
            (reported, "cannot be re-planned"),
            (sales, "not a field service"),
        ):
            with self.subTest(state=visit.state, type=visit.visit_type):
                before = self._deadlines(visit)
                with self.assertRaisesRegex(UserError, message):
                    visit.with_user(self.service_manager)._csc_replan("Late")
                self.assertEqual(self._deadlines(visit), before)

    # -- 6. out of warranty: the departure -----------------------------------------------------

    def test_out_of_warranty_promise_is_the_departure(self):
        visit = self._paid_and_confirmed(confirmed="2026-07-02 10:00:00")
        self.assertEqual(visit.warranty_status, "paid")
        self.assertEqual(visit.date_departure_deadline, datetime(2026, 7, 3, 10, 0))
        self.assertFalse(visit.date_dispatch_deadline)  # no promise on the arrival
        visit.action_dispatch()
        # The desk, another technician, a quality engineer do not record the departure.
        for user in (self.desk_user, self.other_technician, self.quality_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    visit.with_user(user).action_depart()
                self.assertFalse(visit.date_departure)
        tech_visit = visit.with_user(self.technician)
        with self.assertRaisesRegex(UserError, "Record the departure"):
            tech_visit.action_arrive()
        self.assertEqual(visit.state, "dispatched")
        with freeze_time("2026-07-03 09:30:00"):
            tech_visit.action_depart()
        self.assertEqual(visit.date_departure, datetime(2026, 7, 3, 9, 30))
        with self.assertRaisesRegex(UserError, "recorded already"):
            tech_visit.action_depart()
        with freeze_time("2026-07-04 15:00:00"):  # a long trip: the arrival is not promised
            tech_visit.action_arrive()
        self.assertTrue(visit.on_time)
        figures = self.env["csc.monthly.report"].create({"date_start": "2026-07-01"})._figures()
        rows = {row.kind: row for row in figures["due"]}
        self.assertEqual(rows["departure"][2:], (1, 1, 0, 0, 100.0))
        self.assertEqual(rows["arrival"].due, 0)
        self.assertEqual((figures["arrivals"], figures["arrival_rate"]), (1, 100.0))

    def test_misuse_in_warranty_keeps_the_arrival(self):
        visit = self._field_service(distance=500, misuse=True)
        self.assertEqual(visit.warranty_status, "discounted")
        visit.action_triage()
        visit.with_user(self.technician).line_ids = [
            (0, 0, {"line_type": "labour", "name": "Labour", "price_unit": 50})
        ]
        visit.action_send_quote()
        with freeze_time("2026-03-03 09:00:00"):
            visit.action_customer_confirms()
        self.assertEqual(visit.date_dispatch_deadline, datetime(2026, 3, 5, 9, 0))  # 48 h
        self.assertFalse(visit.date_departure_deadline)

    def test_departure_reminders_and_figures(self):
        late = self._paid_and_confirmed(confirmed="2026-07-02 10:00:00")
        late.action_dispatch()
        never = self._paid_and_confirmed(confirmed="2026-07-06 10:00:00")  # triaged only
        cancelled = self._paid_and_confirmed(confirmed="2026-07-06 10:00:00")
        cancelled.action_cancel()
        summary = "Set off for the customer (out of warranty)"
        with freeze_time("2026-07-03 07:00:00"):  # 3 h before the departure deadline
            self.env["csc.service.visit"]._cron_visit_promises()
            self.env["csc.service.visit"]._cron_visit_promises()
        reminder = late.activity_ids.filtered(lambda a: a.summary == summary)
        self.assertEqual(reminder.user_id, self.technician)  # once, to the technician
        with freeze_time("2026-07-10 09:00:00"):
            self.env["csc.service.visit"]._cron_visit_promises()
        # Not dispatched yet: the desk owner must act first.
        self.assertEqual(
            never.activity_ids.filtered(lambda a: a.summary == summary).user_id, self.desk_user
        )
        self.assertFalse(cancelled.activity_ids.filtered(lambda a: a.summary == summary))
        with freeze_time("2026-07-03 12:00:00"):
            late.with_user(self.technician).action_depart()
        self.assertFalse(late.activity_ids.filtered(lambda a: a.summary == summary))
        with freeze_time("2026-07-31 12:00:00"):
            report = self.env["csc.monthly.report"].create({"date_start": "2026-07-01"})
            figures = report._figures()
        rows = {row.kind: row for row in figures["due"]}
        # late: set off after its deadline; never: not set off, open overdue; cancelled: out.
        self.assertEqual(rows["departure"][2:], (2, 0, 1, 1, 0.0))
        overdue = [row for row in figures["open_overdue"] if row.kind == "departure"]
        self.assertEqual([row.reference for row in overdue], [never.display_name])

    # -- 7. the customer's on-site time, the flat time for quality problems --------------------

    def test_customer_requirement_sets_the_on_site_time(self):
        draft = self.env["csc.customer.requirement"].create(
            {"name": "Draft", "partner_id": self.customer.id, "arrival_hours": 2.0}
        )
        visit = self._field_service(distance=1200)
        self.assertEqual((visit.arrival_rule, visit.arrival_hours), ("distance", 72.0))
        self.assertTrue(draft)  # not released: no effect
        self._release_arrival_csr(12.0)
        self._release_arrival_csr(10.0)
        visit = self._field_service(distance=1200)
        self.assertEqual((visit.arrival_rule, visit.arrival_hours), ("customer", 10.0))
        self.assertEqual(visit.date_dispatch_deadline, MONDAY_9 + timedelta(hours=10))
        # Another customer keeps the distance table.
        other = self.env["res.partner"].create({"name": "Other OEM", "is_company": True})
        visit = self._field_service(distance=1200, partner_id=other.id, lot_id=False)
        self.assertEqual(visit.arrival_rule, "distance")
        with (
            self.assertRaises(CheckViolation),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.env["csc.customer.requirement"].create(
                {"name": "Bad", "partner_id": self.customer.id, "arrival_hours": -1}
            )

    def test_company_flat_time_for_quality_problems(self):
        self.assertFalse(self.company.csc_onsite_flat)  # off by default: the distance table
        self.assertEqual(self._field_service(distance=1200).arrival_hours, 72.0)
        settings = self.env["res.config.settings"].create(
            {"csc_onsite_flat": True, "csc_onsite_flat_hours": 8.0}
        )
        settings.execute()
        repair = self._field_service(distance=1200)
        self.assertEqual((repair.arrival_rule, repair.arrival_hours), ("quality", 8.0))
        self.assertEqual(repair.date_dispatch_deadline, MONDAY_9 + timedelta(hours=8))
        installation = self._field_service(distance=1200, visit_type="installation")
        self.assertEqual((installation.arrival_rule, installation.arrival_hours), ("distance", 72))
        # The customer's stricter time wins over the flat time, the flat time over a laxer one.
        self._release_arrival_csr(4.0)
        self.assertEqual(self._field_service(distance=1200).arrival_hours, 4.0)

    # -- 8. the trip report due from the return ------------------------------------------------

    def test_trip_report_due_from_the_return(self):
        visit = self._signed_off(finished="2026-03-06 16:00:00")  # Friday 16:00
        self.assertEqual(visit.state, "done")
        self.assertFalse(visit.date_report_due)  # not from the sign-off
        tech_visit = visit.with_user(self.technician)
        tech_visit.trip_report = "Seal replaced, customer satisfied."
        with self.assertRaisesRegex(UserError, "Record the return"):
            tech_visit.action_submit_report()
        self.assertEqual(visit.state, "done")
        for user in (self.desk_user, self.other_technician):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    visit.with_user(user).action_back_at_company()
                self.assertFalse(visit.date_return or visit.date_report_due)
        # The return is not recorded a day after the sign-off: the technician is reminded.
        with freeze_time("2026-03-07 17:00:00"):
            self.env["csc.service.visit"]._cron_visit_promises()
        back = "Record your return to the company"
        self.assertEqual(
            visit.activity_ids.filtered(lambda a: a.summary == back).user_id, self.technician
        )
        with freeze_time("2026-03-09 10:00:00"):  # back on Monday 10:00
            tech_visit.action_back_at_company()
        self.assertEqual(visit.date_return, datetime(2026, 3, 9, 10, 0))
        # 3 working days of the company calendar: Thursday 10:00.
        self.assertEqual(visit.date_report_due, datetime(2026, 3, 12, 10, 0))
        self.assertFalse(visit.activity_ids.filtered(lambda a: a.summary == back))
        with self.assertRaisesRegex(UserError, "recorded already"):
            tech_visit.action_back_at_company()
        due = "Submit the trip report"
        with freeze_time("2026-03-12 09:00:00"):
            self.env["csc.service.visit"]._cron_visit_promises()
        self.assertEqual(
            visit.activity_ids.filtered(lambda a: a.summary == due).user_id, self.technician
        )
        with freeze_time("2026-03-13 09:00:00"):  # a day late
            tech_visit.action_submit_report()
        self.assertFalse(visit.activity_ids.filtered(lambda a: a.summary == due))
        figures = self.env["csc.monthly.report"].create({"date_start": "2026-03-01"})._figures()
        rows = {row.kind: row for row in figures["due"]}
        self.assertEqual(rows["trip_report"][2:], (1, 0, 1, 0, 0.0))

    def test_return_only_after_the_sign_off(self):
        visit = self._field_service()
        visit.action_triage()
        visit.action_dispatch()
        with self.assertRaisesRegex(UserError, "cannot record the return"):
            visit.with_user(self.technician).action_back_at_company()
        self.assertFalse(visit.date_return)
        sales = self._visit(visit_type="customer_visit")
        sales.action_visit_done()
        with self.assertRaisesRegex(UserError, "not a field service"):
            sales.with_user(self.service_manager).action_back_at_company()

    def test_reopened_signed_visit_returns_again(self):
        visit = self._signed_off()
        with freeze_time("2026-03-09 10:00:00"):
            visit.with_user(self.technician).action_back_at_company()
        visit.with_user(self.service_manager)._csc_reopen("Wrong part number signed")
        self.assertEqual(visit.state, "on_site")
        self.assertFalse(visit.date_return or visit.date_report_due)

    def test_replan_trip_report_from_the_return(self):
        visit = self._signed_off()
        with freeze_time("2026-03-09 10:00:00"):
            visit.with_user(self.technician).action_back_at_company()
        self.company.csc_trip_report_days = 5
        self.assertEqual(visit.date_report_due, datetime(2026, 3, 12, 10, 0))  # unchanged
        visit.with_user(self.service_manager)._csc_replan("Trip report rule changed")
        self.assertEqual(visit.date_report_due, datetime(2026, 3, 16, 10, 0))

    def test_kind_changed_at_registration_clears_the_promise(self):
        visit = self._field_service()
        self.assertTrue(visit.date_triage_deadline and visit.date_dispatch_deadline)
        visit.visit_type = "customer_visit"  # still requested: the desk corrects the kind
        self.assertFalse(
            visit.date_triage_deadline or visit.date_dispatch_deadline or visit.arrival_hours
        )
        visit.visit_type = "repair"
        self.assertEqual(visit.date_dispatch_deadline, MONDAY_9 + timedelta(hours=24))
