from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user

from .common import MONDAY
from .common import VisitPlanCase


class TestVisitPlan(VisitPlanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_sales = new_test_user(
            cls.env, login="csc_sales2", groups="customer_service_control.group_csc_user"
        )
        Partner = cls.env["res.partner"]

        def customer(name, last_visit, owner, interval=30):
            return Partner.create(
                {
                    "name": name,
                    "csc_customer_type": "dealer",
                    "csc_sales_user_id": owner.id,
                    "csc_visit_interval": interval,
                    "csc_last_visit_date": last_visit,
                }
            )

        cls.overdue = customer("Overdue Dealer", "2026-01-15", cls.desk_user)  # due 02-14
        cls.due_thursday = customer("Thursday Dealer", "2026-02-03", cls.desk_user)  # due 03-05
        cls.due_later = customer("Later Dealer", "2026-02-20", cls.desk_user)  # due 03-22
        cls.someone_else = customer("Other's Dealer", "2026-01-15", cls.other_sales)

    def test_propose_due_customers(self):
        plan = self._plan()
        plan.action_propose()
        self.assertEqual(plan.line_ids.partner_id, self.overdue | self.due_thursday)
        dates = {line.partner_id: line.date for line in plan.line_ids}
        self.assertEqual(dates[self.overdue], MONDAY)  # overdue: as early as the week allows
        self.assertEqual(dates[self.due_thursday], date(2026, 3, 5))
        plan.action_propose()  # nothing planned twice
        self.assertEqual(len(plan.line_ids), 2)
        self.assertTrue(plan.name.startswith("VP/"))

    def test_week_rules(self):
        with self.assertRaisesRegex(ValidationError, "starts on a Monday"):
            self._plan(date_start="2026-03-03")
        plan = self._plan()
        with self.assertRaisesRegex(ValidationError, "outside the plan's week"):
            plan.write(
                {"line_ids": [(0, 0, {"partner_id": self.overdue.id, "date": "2026-03-09"})]}
            )

    def test_submit_approve_creates_calendar_events(self):
        self.env.ref(
            "customer_service_control.csc_department_sales"
        ).manager_id = self.service_manager
        plan = self._plan()
        with self.assertRaisesRegex(UserError, "Plan at least one visit"):
            plan.action_submit()
        plan.action_propose()
        plan.action_submit()
        self.assertEqual(plan.state, "submitted")
        self.assertEqual(
            plan.activity_ids.user_id,
            self.service_manager | self.general_manager & plan.activity_ids.user_id,
        )
        with self.assertRaisesRegex(AccessError, "Only a manager"):
            plan.action_approve()
        with self.assertRaisesRegex(UserError, "is Submitted: it cannot be submitted"):
            plan.action_submit()
        plan.with_user(self.service_manager).action_approve()
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.approver_id, self.service_manager)
        todo = self.env.ref("mail.mail_activity_data_todo")
        self.assertFalse(plan.activity_ids.filtered(lambda a: a.activity_type_id == todo))
        events = plan.line_ids.calendar_event_id
        self.assertEqual(len(events), 2)
        self.assertEqual(events.user_id, self.desk_user)
        self.assertEqual(sorted(events.mapped("start_date")), [MONDAY, date(2026, 3, 5)])
        self.assertIn(self.desk_user.partner_id, events.partner_ids)
        # Calendar schedules each visit as a meeting activity of the salesperson on the plan.
        self.assertEqual(plan.activity_ids.calendar_event_id, events)
        self.assertEqual(plan.activity_ids.user_id, self.desk_user)
        visits = plan.line_ids.visit_id
        self.assertEqual(len(visits), 2)
        # Neither customer had a tour in the last year: the visit is their yearly tour (R-E8).
        self.assertEqual(set(visits.mapped("visit_type")), {"tour"})
        self.assertEqual(visits.partner_id, self.overdue | self.due_thursday)
        self.assertEqual(visits.technician_ids, self.desk_user)
        with self.assertRaisesRegex(UserError, "is Approved: it cannot be cancelled"):
            plan.action_cancel()

    def test_send_back_needs_remarks(self):
        plan = self._plan()
        plan.action_propose()
        plan.action_submit()
        manager_plan = plan.with_user(self.service_manager)
        with self.assertRaisesRegex(UserError, "why"):
            manager_plan.action_send_back()
        manager_plan.review_note = "Visit the overdue dealer first, on Monday."
        manager_plan.action_send_back()
        self.assertEqual(plan.state, "draft")
        self.assertIn("Visit the overdue dealer first", plan.message_ids[0].body)
        self.assertIn(self.desk_user.partner_id, plan.message_ids[0].partner_ids)
        self.assertFalse(plan.line_ids.calendar_event_id)

    def test_salesperson_sees_only_own_plans(self):
        mine, theirs = self._plan(), self._plan(user=self.other_sales)
        visible = self.env["csc.visit.plan"].with_user(self.desk_user).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(theirs, visible)
        everything = self.env["csc.visit.plan"].with_user(self.service_manager).search([])
        self.assertIn(theirs, everything)
        with self.assertRaises(AccessError):
            self.env["csc.visit.plan"].with_user(self.technician).search([])

    def test_friday_reminder(self):
        submitted = self._plan(user=self.other_sales)
        submitted.action_propose()
        submitted.action_submit()
        with freeze_time("2026-02-27 08:00:00"):  # Friday before MONDAY
            self.env["csc.visit.plan"]._cron_remind_submission()
        reminded = self.env["csc.visit.plan"].search(
            [("date_start", "=", MONDAY), ("user_id", "=", self.desk_user.id)]
        )
        self.assertEqual(len(reminded), 1)
        self.assertEqual(reminded.state, "draft")
        self.assertEqual(reminded.activity_ids.user_id, self.desk_user)
        self.assertIn("Submit your visit plan", reminded.activity_ids.summary)
        self.assertNotIn(
            self.other_sales,
            submitted.activity_ids.filtered(lambda a: "Submit" in (a.summary or "")).user_id,
        )
