from datetime import date
from datetime import datetime
from datetime import timedelta

from psycopg2.errors import ExclusionViolation

from odoo import Command
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from .common import MONDAY
from .common import VisitPlanCase
from .common import force
from .common import force_create

SUNDAY = date(2026, 3, 8)  # the end of the planned week


class TestVisitPlanCycle(VisitPlanCase):
    """Key accounts get their monthly sales visit (R-A2, R-G1); an approved itinerary changes
    only through a revision, which keeps the calendar in step once approved (R-G2)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.csc_sales_visit_days_key = 30
        cls.other_sales = new_test_user(
            cls.env, login="csc_sales_other", groups="customer_service_control.group_csc_user"
        )

    def _customer(self, name, relation_class="key", owner=None, last_visit=SUNDAY - timedelta(10)):
        return self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "csc_customer_type": "oem",
                "csc_relation_class": relation_class,
                "csc_sales_user_id": (owner or self.desk_user).id,
                "csc_last_visit_date": last_visit,
            }
        )

    def _sales_visit(self, customer, day, salesperson=None, visit_type="customer_visit"):
        """A visit finished on `day` (its report is the customer's last visit)."""
        salesperson = salesperson or self.desk_user
        return force_create(
            self.env["csc.service.visit"],
            {
                "visit_type": visit_type,
                "partner_id": customer.id,
                "user_id": salesperson.id,
                "technician_ids": [Command.set(salesperson.ids)],
                "date_request": datetime.combine(day, datetime.min.time()),
                "state": "done",
                "date_end": datetime.combine(day, datetime.min.time()) + timedelta(hours=15),
            },
        )

    @staticmethod
    def _line(plan, customer):
        return plan.line_ids.filtered(lambda line: line.partner_id == customer)

    def _approved_plan(self, lines):
        plan = self._plan(
            line_ids=[
                Command.create({"partner_id": customer.id, "date": day}) for customer, day in lines
            ]
        )
        plan.action_submit()
        plan.with_user(self.service_manager).action_approve()
        self.assertEqual(plan.state, "approved")
        return plan

    # -- monthly visit of key accounts ----------------------------------------------------------

    def test_key_accounts_due_for_their_monthly_visit_are_proposed(self):
        # Each finished sales visit is the customer's last visit: its own cycle is not due.
        overdue = self._customer("Visited 31 Days Ago", last_visit=SUNDAY - timedelta(31))
        self._sales_visit(overdue, SUNDAY - timedelta(days=31))
        at_interval = self._customer("Visited 30 Days Ago", last_visit=SUNDAY - timedelta(30))
        self._sales_visit(at_interval, SUNDAY - timedelta(days=30))
        recent = self._customer("Visited 29 Days Ago", last_visit=SUNDAY - timedelta(29))
        self._sales_visit(recent, SUNDAY - timedelta(days=29))
        never = self._customer("Never Visited by Sales", last_visit=SUNDAY - timedelta(days=5))
        # A repair by a technician, or a visit by another salesperson, is no sales visit of
        # the owner.
        self._sales_visit(never, SUNDAY - timedelta(days=5), self.technician, "repair")
        self._sales_visit(never, SUNDAY - timedelta(days=5), self.other_sales)
        general = self._customer("General Customer", "general", last_visit=SUNDAY - timedelta(60))
        self._sales_visit(general, SUNDAY - timedelta(days=60))
        theirs = self._customer("Other's Key Account", owner=self.other_sales)
        already = self._customer("Already Planned")
        plan = self._plan(line_ids=[Command.create({"partner_id": already.id, "date": MONDAY})])

        plan.action_propose()

        proposed = plan.line_ids - self._line(plan, already)
        self.assertEqual(proposed.partner_id, overdue | at_interval | never)
        self.assertNotIn(recent, plan.line_ids.partner_id)  # due next Monday: next week's plan
        self.assertNotIn(general, plan.line_ids.partner_id)  # visited by its own cycle only
        self.assertNotIn(theirs, plan.line_ids.partner_id)
        self.assertEqual(len(self._line(plan, already)), 1)
        self.assertEqual(set(proposed.mapped("purpose")), {"Monthly key-account visit"})
        dates = {line.partner_id: line.date for line in proposed}
        self.assertEqual(dates[overdue], SUNDAY - timedelta(days=1))  # the day it falls due
        self.assertEqual(dates[at_interval], SUNDAY)
        self.assertEqual(dates[never], MONDAY)  # as early as the week allows
        plan.action_propose()  # nothing planned twice
        self.assertEqual(len(plan.line_ids), 4)

    def test_company_interval_for_key_accounts(self):
        self.company.csc_sales_visit_days_key = 14
        fortnight = self._customer("Visited 20 Days Ago")
        self._sales_visit(fortnight, SUNDAY - timedelta(days=20))
        plan = self._plan()
        plan.action_propose()
        self.assertEqual(plan.line_ids.partner_id, fortnight)

    # -- revisions of an approved itinerary -----------------------------------------------------

    def test_revision_keeps_the_calendar_in_step(self):
        kept, removed, moved, added = (
            self._customer(name, "general")
            for name in ("Kept Customer", "Removed Customer", "Moved Customer", "New Customer")
        )
        plan = self._approved_plan(
            [(kept, MONDAY), (removed, MONDAY + timedelta(1)), (moved, MONDAY + timedelta(2))]
        )
        lines = {line.partner_id: line for line in plan.line_ids}
        events = {customer: line.calendar_event_id for customer, line in lines.items()}
        visits = {customer: line.visit_id for customer, line in lines.items()}

        # The approved itinerary is locked, lines too.
        with self.assertRaisesRegex(UserError, "locked"):
            lines[moved].with_user(self.desk_user).date = MONDAY + timedelta(3)
        with self.assertRaisesRegex(UserError, "locked"):
            plan.write({"line_ids": [Command.unlink(lines[removed].id)]})

        # Only the salesperson or a manager revises it, once at a time.
        with self.assertRaises(AccessError):
            plan.with_user(self.other_sales).action_revise()
        action = plan.action_revise()
        revision = self.env["csc.visit.plan"].with_user(self.desk_user).browse(action["res_id"])
        self.assertEqual(
            (revision.state, revision.previous_id, revision.revision, revision.name),
            ("draft", plan, 1, f"{plan.name}-R1"),
        )
        self.assertEqual(revision.line_ids.partner_id, kept | removed | moved)
        with self.assertRaisesRegex(UserError, "already being revised"):
            plan.with_user(self.service_manager).action_revise()
        with self.assertRaisesRegex(UserError, "in the calendar"):
            self._line(revision, kept).partner_id = added

        revision.write(
            {
                "line_ids": [
                    Command.unlink(self._line(revision, removed).id),
                    Command.update(
                        self._line(revision, moved).id,
                        {"date": MONDAY + timedelta(3), "purpose": "Audit"},
                    ),
                    Command.create({"partner_id": added.id, "date": MONDAY + timedelta(4)}),
                ]
            }
        )
        revision.action_submit()
        # Until the revision is approved, the approved itinerary and its calendar hold.
        self.assertEqual(plan.state, "approved")
        self.assertTrue(events[removed].exists())
        self.assertEqual(events[moved].start_date, MONDAY + timedelta(2))

        revision.with_user(self.service_manager).action_approve()

        self.assertEqual((plan.state, revision.state), ("cancelled", "approved"))
        new_lines = {line.partner_id: line for line in revision.line_ids}
        self.assertEqual(new_lines[kept].calendar_event_id, events[kept])
        self.assertEqual(new_lines[kept].visit_id, visits[kept])
        # Removed line: its calendar entry is gone, its visit cancelled.
        self.assertFalse(events[removed].exists())
        self.assertEqual(visits[removed].state, "cancelled")
        # Moved line: the same entry and visit, on the new day.
        self.assertEqual(new_lines[moved].calendar_event_id, events[moved])
        self.assertEqual(events[moved].start_date, MONDAY + timedelta(3))
        self.assertIn("Audit", events[moved].description)
        self.assertEqual(visits[moved].date_planned.date(), MONDAY + timedelta(3))
        # New line: a new entry and visit.
        new_event = new_lines[added].calendar_event_id
        self.assertTrue(new_event)
        self.assertEqual(new_event.start_date, MONDAY + timedelta(4))
        self.assertEqual(new_lines[added].visit_id.partner_id, added)
        # The calendar and its meeting activities now point to the revision.
        revision_events = revision.line_ids.calendar_event_id
        self.assertEqual(len(revision_events), 3)
        self.assertEqual(set(revision_events.mapped("res_id")), {revision.id})
        self.assertEqual(revision.activity_ids.calendar_event_id, revision_events)
        self.assertFalse(plan.activity_ids.calendar_event_id)
        self.assertIn("Replaced by its revision", plan.message_ids[0].body)
        # The replaced itinerary stays as it was, locked.
        with self.assertRaisesRegex(UserError, "locked"):
            lines[kept].with_user(self.desk_user).purpose = "Edited afterwards"

        # The revision is revised in turn, by a manager this time.
        again = plan.browse(revision.with_user(self.service_manager).action_revise()["res_id"])
        self.assertEqual((again.revision, again.name), (2, f"{plan.name}-R2"))

    def test_reopened_revision_is_approved_again(self):
        customer = self._customer("Customer", "general")
        plan = self._approved_plan([(customer, MONDAY)])
        revision = plan.browse(plan.action_revise()["res_id"])
        revision.action_submit()
        revision.with_user(self.service_manager).action_approve()
        event = revision.line_ids.calendar_event_id
        revision.with_user(self.service_manager)._csc_reopen("The customer asked for Tuesday.")
        self.assertEqual(revision.state, "draft")
        revision.line_ids.date = MONDAY + timedelta(1)
        revision.action_submit()
        revision.with_user(self.service_manager).action_approve()
        self.assertEqual((plan.state, revision.state), ("cancelled", "approved"))
        self.assertEqual(revision.line_ids.calendar_event_id, event)
        self.assertEqual(event.start_date, MONDAY + timedelta(1))
        self.assertEqual(len(plan.message_ids.filtered(lambda m: "Replaced" in m.body)), 1)

    def test_visits_under_way_stay_in_the_itinerary(self):
        done, planned = self._customer("Visited Monday"), self._customer("Visited Friday")
        plan = self._approved_plan([(done, MONDAY), (planned, MONDAY + timedelta(4))])
        force(self._line(plan, done).visit_id, {"state": "done"})
        revision = plan.browse(plan.action_revise()["res_id"]).with_user(self.desk_user)
        done_line = self._line(revision, done)
        with self.assertRaisesRegex(UserError, "under way or done"):
            done_line.date = MONDAY + timedelta(1)
        with self.assertRaisesRegex(UserError, "under way or done"):
            done_line.unlink()
        # A visit carried out after the revision dropped it: the revision cannot replace the plan.
        planned_line = self._line(revision, planned)
        planned_line.unlink()
        revision.action_submit()
        force(self._line(plan, planned).visit_id, {"state": "done"})
        with self.assertRaisesRegex(UserError, "under way or done"):
            revision.with_user(self.service_manager).action_approve()
        self.assertEqual((plan.state, revision.state), ("approved", "submitted"))

    def test_one_plan_in_force_per_week(self):
        customer = self._customer("Customer", "general")
        plan = self._approved_plan([(customer, MONDAY)])
        revision = plan.browse(plan.action_revise()["res_id"])
        with self.assertRaisesRegex(UserError, "through its actions"):
            self._plan(user=self.other_sales, previous_id=plan.id)
        with self.assertRaisesRegex(UserError, "change only through its actions"):
            revision.with_user(self.desk_user).previous_id = False
        with (
            self.assertRaises(ExclusionViolation),
            mute_logger("odoo.sql_db"),
        ):
            self._plan()
            self.env.flush_all()
        # A plan cancelled no longer holds the week.
        revision.action_cancel()
        other = self._plan(user=self.other_sales)
        other.action_cancel()
        self.env.flush_all()
        self.assertTrue(self._plan(user=self.other_sales))

    # -- kinds of planned visits (R-G1, R-E8) ----------------------------------------------------

    def test_planned_visits_have_their_kind(self):
        """Cycle-due customers without a customer tour in the last year get their yearly tour;
        key accounts their key-account visit; visits are created of the planned kind."""
        toured = self._customer("Toured in January", "general", last_visit=SUNDAY - timedelta(400))
        self._sales_visit(toured, date(2026, 1, 15), self.other_sales, "tour")
        force(toured, {"csc_last_visit_date": SUNDAY - timedelta(400)})
        untoured = self._customer(
            "Toured Two Years Ago", "general", last_visit=SUNDAY - timedelta(400)
        )
        self._sales_visit(untoured, SUNDAY - timedelta(days=400), visit_type="tour")
        force(untoured, {"csc_last_visit_date": SUNDAY - timedelta(400)})
        key = self._customer("Key Account", last_visit=SUNDAY - timedelta(5))
        plan = self._plan()
        plan.action_propose()
        kinds = {line.partner_id: line.visit_type for line in plan.line_ids}
        self.assertEqual(kinds, {toured: "customer_visit", untoured: "tour", key: "key_account"})
        plan.action_submit()
        plan.with_user(self.service_manager).action_approve()
        visits = {line.partner_id: line.visit_id.visit_type for line in plan.line_ids}
        self.assertEqual(visits, kinds)
        self.assertIn("Customer Tour", self._line(plan, untoured).calendar_event_id.name)
