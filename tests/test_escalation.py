from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tools import mute_logger

from .common import MODULE
from .common import CscCase
from .common import force_create

CB_ACTIVITY = f"{MODULE}.mail_activity_type_csc_certification_body"


class EscalationCase(CscCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["csc.escalation"])
        cls.cs1 = cls.env.ref(f"{MODULE}.csc_escalation_level_cs1")
        cls.cs2 = cls.env.ref(f"{MODULE}.csc_escalation_level_cs2")
        cls.nbh = cls.env.ref(f"{MODULE}.csc_escalation_level_nbh")
        cls.service_manager.email = "quality.manager@example.com"
        cls.contact = cls.env["res.partner"].create(
            {"name": "Zhao Lei", "parent_id": cls.customer.id, "email": "zhao@oem.example.com"}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other Trucks", "is_company": True, "csc_customer_type": "oem"}
        )

    def _escalation(self, level=None, days_ago=3, criteria=("20 days without reject",), **vals):
        return (
            self.env["csc.escalation"]
            .with_user(self.quality_user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "level_id": (level or self.cs2).id,
                    "date_entry": self.today - timedelta(days=days_ago),
                    "reason": "Two escapes in a month",
                    "user_id": self.service_manager.id,
                    "criterion_ids": [(0, 0, {"name": name}) for name in criteria],
                    **vals,
                }
            )
        )

    def _entered(self, level=None, days_ago=3, **vals):
        escalation = self._escalation(level, days_ago, **vals)
        escalation.action_enter()
        return escalation

    def _cb_activities(self, escalation):
        activity_type = self.env.ref(CB_ACTIVITY)
        return escalation.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)

    def _complaint(self, partner):
        return (
            self.env["csc.complaint"]
            .with_user(self.desk_user)
            .create({"title": "Burr on the housing", "partner_id": partner.id})
        )


class TestEscalationLifecycle(EscalationCase):
    def test_entry_to_exit_with_certification_body_deadline(self):
        escalation = self._escalation(criteria=("20 days without reject", "8D accepted"))
        self.assertTrue(escalation.name.startswith("ESC/"))
        self.assertEqual(escalation.state, "draft")
        self.assertFalse(escalation.cb_deadline)

        escalation.action_enter()

        entry = self.today - timedelta(days=3)
        self.assertEqual(escalation.state, "active")
        self.assertEqual(escalation.entry_user_id, self.quality_user)
        self.assertTrue(escalation.cb_required)
        self.assertEqual(escalation.cb_deadline, entry + timedelta(days=10))
        self.assertFalse(escalation.cb_overdue)
        # The quality manager: an activity due on the deadline, and the mail in the queue.
        activity = self._cb_activities(escalation)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.service_manager)
        self.assertEqual(activity.date_deadline, escalation.cb_deadline)
        message = escalation.message_ids.filtered(
            lambda m: self.service_manager.partner_id in m.partner_ids
        )
        self.assertEqual(len(message), 1)
        self.assertIn(self.cs2.name, message.subject)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(mail.state, "outgoing")
        self.assertIn(self.service_manager.partner_id, mail.recipient_ids)

        # Exit refused while a criterion is open; nothing changes.
        first, second = escalation.criterion_ids
        first.with_user(self.quality_user).is_met = True
        self.assertEqual(first.met_by_id, self.quality_user)
        self.assertEqual(first.date_met, self.today)
        with self.assertRaisesRegex(UserError, "8D accepted"):
            escalation.with_user(self.quality_user).action_exit()
        self.assertEqual(escalation.state, "active")
        self.assertFalse(escalation.date_exit)

        # The certification body is told (the note first), the activity is done.
        with self.assertRaises(UserError):
            escalation.with_user(self.quality_user).action_certification_body_informed()
        self.assertFalse(escalation.cb_date_informed)
        escalation.with_user(self.quality_user).cb_note = "E-mail to the certification body"
        escalation.with_user(self.quality_user).action_certification_body_informed()
        self.assertEqual(escalation.cb_date_informed, self.today)
        self.assertEqual(escalation.cb_informed_by_id, self.quality_user)
        self.assertFalse(self._cb_activities(escalation))
        with self.assertRaises(UserError):  # once
            escalation.with_user(self.quality_user).action_certification_body_informed()

        second.with_user(self.quality_user).write({"is_met": True, "evidence": "Letter 12"})
        escalation.with_user(self.quality_user).action_exit()
        self.assertEqual(escalation.state, "exited")
        self.assertEqual(escalation.date_exit, self.today)
        self.assertEqual(escalation.exit_user_id, self.quality_user)
        # Exited: the record and its lines stay as they are.
        with self.assertRaises(UserError):
            escalation.with_user(self.service_manager).reason = "Rewritten"
        with self.assertRaises(UserError):
            first.with_user(self.service_manager).is_met = False
        self.assertTrue(first.is_met)

    def test_certification_body_notice_overdue(self):
        late = self._entered(self.nbh, days_ago=12)
        on_time = self._entered(self.cs2, days_ago=9)
        self.assertEqual(late.cb_deadline, self.today - timedelta(days=2))
        self.assertTrue(late.cb_overdue)
        self.assertFalse(on_time.cb_overdue)
        Escalation = self.env["csc.escalation"].with_user(self.desk_user)
        found = Escalation.search([("cb_overdue", "=", True)])
        self.assertIn(late, found)
        self.assertNotIn(on_time, found)
        self.assertIn(on_time, Escalation.search([("cb_overdue", "=", False)]))

        # The daily scan: the overdue notice asks once more, once; a removed activity returns.
        self._cb_activities(on_time).unlink()
        Model = self.env["csc.escalation"]
        Model._cron_certification_body_notice()
        Model._cron_certification_body_notice()
        self.assertEqual(len(self._cb_activities(late)), 2)
        self.assertEqual(len(self._cb_activities(on_time)), 1)

        late.with_user(self.quality_user).cb_note = "IATF database notice"
        late.with_user(self.quality_user).action_certification_body_informed()
        self.assertFalse(late.cb_overdue)
        self.assertFalse(self._cb_activities(late))
        self.assertNotIn(late, Escalation.search([("cb_overdue", "=", True)]))
        Model._cron_certification_body_notice()
        self.assertFalse(self._cb_activities(late))

    def test_level_one_is_not_reported(self):
        escalation = self._entered(self.cs1)
        self.assertFalse(escalation.cb_required)
        self.assertFalse(escalation.cb_deadline)
        self.assertFalse(self._cb_activities(escalation))
        # The quality manager still gets a to-do.
        self.assertEqual(escalation.activity_ids.user_id, self.service_manager)
        with self.assertRaises(UserError):
            escalation.with_user(self.quality_user).action_certification_body_informed()
        self.assertFalse(escalation.cb_date_informed)

    def test_registered_from_the_form(self):
        """Quality registers a status on the form: the company's quality manager by default,
        only the levels of this customer or of every customer offered."""
        form = Form(self.env["csc.escalation"].with_user(self.quality_user))
        self.assertEqual(form.user_id, self.service_manager)
        self.assertEqual(form.date_entry, self.today)
        form.partner_id = self.customer
        form.level_id = self.cs1
        form.reason = "Label missing twice"
        with form.criterion_ids.new() as criterion:
            criterion.name = "Labelling station error-proofed"
        escalation = form.save()
        escalation.action_enter()
        self.assertEqual(escalation.state, "active")
        self.assertEqual(escalation.criterion_ids.name, "Labelling station error-proofed")

    def test_entry_needs_reason_and_past_date(self):
        escalation = self._escalation(reason=False)
        with self.assertRaisesRegex(UserError, "reason"):
            escalation.action_enter()
        escalation.reason = "Escape"
        escalation.date_entry = self.today + timedelta(days=1)
        with self.assertRaisesRegex(UserError, "future"):
            escalation.action_enter()
        self.assertEqual(escalation.state, "draft")

    def test_exit_needs_criteria(self):
        escalation = self._entered(criteria=())
        with self.assertRaisesRegex(UserError, "exit criteria"):
            escalation.with_user(self.quality_user).action_exit()
        self.assertEqual(escalation.state, "active")

    def test_entered_status_keeps_customer_level_and_date(self):
        escalation = self._entered()
        for vals in (
            {"level_id": self.nbh.id},
            {"partner_id": self.other_customer.id},
            {"date_entry": self.today},
        ):
            with self.assertRaises(UserError):
                escalation.with_user(self.service_manager).write(vals)
        self.assertEqual(escalation.level_id, self.cs2)
        self.assertEqual(escalation.partner_id, self.customer)
        self.assertEqual(escalation.date_entry, self.today - timedelta(days=3))

    def test_one_active_status_per_level(self):
        self._entered(self.cs1)
        second = self._escalation(self.cs1)
        with self.assertRaises(ValidationError):
            second.action_enter()
        self.assertEqual(second.state, "draft")
        # Another level at the same time is allowed (new business hold beside controlled shipping).
        self.assertEqual(self._entered(self.nbh).state, "active")

    def test_cancel_with_reason(self):
        escalation = self._entered()
        action = escalation.with_user(self.quality_user).action_cancel()
        self.assertEqual(action["res_model"], "csc.reopen.wizard")
        self.assertEqual(escalation.state, "active")
        wizard = (
            self.env["csc.reopen.wizard"]
            .with_user(self.quality_user)
            .with_context(**action["context"])
            .create({"reason": "Registered for the wrong customer"})
        )
        wizard.action_confirm()
        self.assertEqual(escalation.state, "cancelled")
        self.assertEqual(escalation.cancel_reason, "Registered for the wrong customer")
        self.assertFalse(escalation.activity_ids)

    def test_links_and_customer_specific_levels(self):
        other_complaint = self._complaint(self.other_customer)
        with self.assertRaises(ValidationError):
            self._escalation(complaint_ids=[(6, 0, other_complaint.ids)])
        with self.assertRaises(ValidationError):
            self._escalation(partner_id=self.contact.id)
        own_name = (
            self.env["csc.escalation.level"]
            .with_user(self.service_manager)
            .create({"name": "Q1 Revocation", "code": "Q1R", "partner_id": self.other_customer.id})
        )
        self.assertFalse(own_name.notify_certification_body)  # kind "other"
        with self.assertRaises(ValidationError):
            self._escalation(own_name)
        hold = self.env["csc.escalation.level"].create({"name": "Hold", "kind": "nbh"})
        self.assertTrue(hold.notify_certification_body)
        complaint = self._complaint(self.contact)
        escalation = self._escalation(complaint_ids=[(6, 0, complaint.ids)])
        self.assertEqual(escalation.complaint_ids, complaint)


class TestEscalationInspections(EscalationCase):
    def _inspect(self, escalation, days_ago, checked, rejected=0.0, user=None):
        return (
            self.env["csc.escalation.inspection"]
            .with_user(user or self.quality_user)
            .create(
                {
                    "escalation_id": escalation.id,
                    "date": self.today - timedelta(days=days_ago),
                    "qty_checked": checked,
                    "qty_rejected": rejected,
                }
            )
        )

    def test_one_line_per_day_and_totals(self):
        escalation = self._entered(self.cs1)
        self._inspect(escalation, 2, 400, 3)
        self._inspect(escalation, 1, 200, 0)
        self.assertEqual(escalation.inspection_days, 2)
        self.assertEqual(escalation.qty_checked, 600)
        self.assertEqual(escalation.qty_rejected, 3)
        self.assertAlmostEqual(escalation.reject_rate, 0.5)
        self.assertEqual(escalation.inspection_ids[0].inspector_id, self.quality_user)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self._inspect(escalation, 2, 10)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self._inspect(escalation, 0, 10, 11)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._inspect(escalation, -1, 10)  # tomorrow
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._inspect(escalation, 4, 10)  # before the entry
        self.assertEqual(escalation.inspection_days, 2)
        self.assertEqual(escalation.qty_checked, 600)

    def test_inspections_only_while_active(self):
        draft = self._escalation(self.cs1)
        with self.assertRaises(UserError), self.cr.savepoint():
            self._inspect(draft, 0, 10)
        escalation = self._entered(self.cs1)
        line = self._inspect(escalation, 0, 10)
        escalation.criterion_ids.is_met = True
        escalation.action_exit()
        with self.assertRaises(UserError):
            line.with_user(self.quality_user).qty_rejected = 1
        with self.assertRaises(UserError), self.cr.savepoint():
            self._inspect(escalation, 1, 10)
        self.assertEqual(line.qty_rejected, 0)
        self.assertEqual(escalation.inspection_days, 1)

    def test_criterion_met_only_when_active(self):
        draft = self._escalation()
        with self.assertRaises(UserError):
            draft.criterion_ids.with_user(self.quality_user).is_met = True
        self.assertFalse(draft.criterion_ids.is_met)
        with self.assertRaises(UserError):
            draft.with_user(self.quality_user).write(
                {"criterion_ids": [(0, 0, {"name": "Audit passed", "is_met": True})]}
            )
        self.assertEqual(len(draft.criterion_ids), 1)


class TestEscalationShown(EscalationCase):
    def test_status_on_new_complaint_of_the_customer_only(self):
        draft = self._escalation(self.cs1)
        complaint = self._complaint(self.contact)
        self.assertFalse(complaint.customer_escalation_id)
        draft.action_enter()
        complaint.invalidate_recordset()
        self.assertEqual(complaint.customer_escalation_id, draft)
        new = self._complaint(self.contact)
        self.assertEqual(new.customer_escalation_id, draft)
        self.assertFalse(self._complaint(self.other_customer).customer_escalation_id)
        # The form shows the warning to the desk when the complaint is registered.
        form = Form(self.env["csc.complaint"].with_user(self.desk_user))
        form.title = "Scratches"
        form.partner_id = self.customer
        self.assertEqual(form.customer_escalation_id, draft)
        form.partner_id = self.other_customer
        self.assertFalse(form.customer_escalation_id)
        # The most severe active status shows, on the complaint and on the customer.
        hold = self._entered(self.nbh)
        new.invalidate_recordset()
        self.assertEqual(new.customer_escalation_id, hold)
        customer = self.customer.with_user(self.desk_user)
        self.assertEqual(customer.csc_escalation_id, hold)
        self.assertEqual(customer.csc_escalation_count, 2)
        self.assertEqual(self.contact.with_user(self.desk_user).csc_escalation_id, hold)
        action = customer.action_csc_open_escalations()
        self.assertEqual(self.env["csc.escalation"].search(action["domain"]), draft | hold)
        # Once exited, the status no longer shows; the history stays.
        hold.criterion_ids.is_met = True
        hold.action_exit()
        new.invalidate_recordset()
        customer.invalidate_recordset()
        self.assertEqual(new.customer_escalation_id, draft)
        self.assertEqual(customer.csc_escalation_id, draft)
        self.assertEqual(customer.csc_escalation_count, 2)
        self.assertFalse(self.other_customer.csc_escalation_id)


class TestEscalationRights(EscalationCase):
    def test_roles(self):
        escalation = self._escalation()
        values = {
            "partner_id": self.customer.id,
            "level_id": self.cs1.id,
            "reason": "Intruder",
            "user_id": self.service_manager.id,
        }
        Escalation = self.env["csc.escalation"]
        count = Escalation.search_count([])
        for user in (
            self.desk_user,
            self.technician,
            self.clerk,
            self.outsider,
            self.accountant,
            self.salesperson,
        ):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    Escalation.with_user(user).create(values)
                with self.assertRaises(AccessError):
                    escalation.with_user(user).write({"reason": "Changed"})
                with self.assertRaises(AccessError):
                    escalation.with_user(user).unlink()
                for action in (
                    "action_enter",
                    "action_exit",
                    "action_cancel",
                    "action_certification_body_informed",
                ):
                    with self.assertRaises(AccessError):
                        getattr(escalation.with_user(user), action)()
                with self.assertRaises(AccessError):
                    self.env["csc.escalation.inspection"].with_user(user).create(
                        {"escalation_id": escalation.id, "qty_checked": 5}
                    )
                with self.assertRaises(AccessError):
                    escalation.criterion_ids.with_user(user).write({"name": "Nothing"})
        self.assertEqual(Escalation.search_count([]), count)
        self.assertEqual(escalation.state, "draft")
        self.assertEqual(escalation.reason, "Two escapes in a month")
        self.assertEqual(escalation.criterion_ids.name, "20 days without reject")
        # The desk and the technicians read it; outsiders do not.
        self.assertEqual(escalation.with_user(self.desk_user).level_id, self.cs2)
        self.assertEqual(escalation.with_user(self.technician).partner_id, self.customer)
        with self.assertRaises(AccessError):
            escalation.with_user(self.outsider).read(["reason"])

        # Quality enters and exits, but never deletes nor writes what only actions set.
        quality = escalation.with_user(self.quality_user)
        with self.assertRaises(AccessError):
            quality.unlink()
        for vals in (
            {"state": "active"},
            {"cb_date_informed": self.today},
            {"date_exit": self.today},
            {"cb_deadline": self.today},
        ):
            with self.assertRaises(UserError):
                quality.write(vals)
        with self.assertRaises(UserError):
            Escalation.with_user(self.quality_user).create({**values, "state": "active"})
        self.assertEqual(escalation.state, "draft")
        self.assertFalse(escalation.cb_deadline)
        quality.action_enter()
        # Not even a manager deletes an entered status; a draft one goes.
        with self.assertRaises(UserError):
            escalation.with_user(self.service_manager).unlink()
        self.assertTrue(escalation.exists())
        draft = self._escalation(self.cs1)
        draft.with_user(self.service_manager).unlink()
        self.assertFalse(draft.exists())
        # Reopening an exit is the service manager's, with a reason.
        escalation.criterion_ids.is_met = True
        quality.action_exit()
        with self.assertRaises(AccessError):
            quality._csc_reopen("Exited by mistake")
        escalation.with_user(self.service_manager)._csc_reopen("Exited by mistake")
        self.assertEqual(escalation.state, "active")
        self.assertFalse(escalation.date_exit)

        # The inspection days: quality records them, the others only read them.
        line = (
            self.env["csc.escalation.inspection"]
            .with_user(self.quality_user)
            .create({"escalation_id": escalation.id, "qty_checked": 50, "qty_rejected": 1})
        )
        for user in (self.desk_user, self.technician, self.clerk, self.outsider):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    line.with_user(user).write({"qty_rejected": 0})
                with self.assertRaises(AccessError):
                    line.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    escalation.criterion_ids.with_user(user).unlink()
        self.assertEqual(line.qty_rejected, 1)
        self.assertEqual(escalation.qty_rejected, 1)
        self.assertEqual(len(escalation.criterion_ids), 1)

    def test_levels_configured_by_managers(self):
        Level = self.env["csc.escalation.level"]
        for user in (self.desk_user, self.quality_user, self.technician, self.outsider):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Level.with_user(user).create({"name": "CS3"})
        with self.assertRaises(AccessError):
            self.cs1.with_user(self.quality_user).write({"name": "Renamed"})
        self.assertEqual(self.cs1.name, "Controlled Shipping Level 1")
        level = Level.with_user(self.service_manager).create({"name": "GP-12", "kind": "cs1"})
        level.with_user(self.service_manager).active = False
        self.assertNotIn(level, Level.with_user(self.desk_user).search([]))
        # A level in use is archived, never deleted.
        self._escalation(self.cs1)
        with self.assertRaises(IntegrityError), self.cr.savepoint(), mute_logger("odoo.sql_db"):
            self.cs1.with_user(self.service_manager).unlink()
        self.assertTrue(self.cs1.exists())

    def test_other_company_register_invisible(self):
        company_b = self.env["res.company"].create({"name": "Escalation Company B"})
        level_b = self.env["csc.escalation.level"].create(
            {"name": "B Hold", "kind": "nbh", "company_id": company_b.id}
        )
        escalation_b = force_create(
            self.env["csc.escalation"],
            {
                "partner_id": self.customer.id,
                "level_id": level_b.id,
                "company_id": company_b.id,
                "reason": "Company B's",
                "state": "active",
                "date_entry": self.today,
            },
        )
        line_b = force_create(
            self.env["csc.escalation.inspection"],
            {"escalation_id": escalation_b.id, "qty_checked": 10, "date": self.today},
        )
        for user in (self.quality_user, self.service_manager, self.desk_user):
            with self.subTest(user=user.login):
                self.assertFalse(
                    self.env["csc.escalation"]
                    .with_user(user)
                    .search([("id", "=", escalation_b.id)])
                )
                self.assertFalse(
                    self.env["csc.escalation.inspection"]
                    .with_user(user)
                    .search([("id", "=", line_b.id)])
                )
                self.assertNotIn(
                    level_b, self.env["csc.escalation.level"].with_user(user).search([])
                )
                with self.assertRaises(AccessError):
                    escalation_b.with_user(user).read(["reason"])
        # Company B's status shows neither on company A's complaints nor on the customer there.
        complaint = self._complaint(self.customer)
        self.assertFalse(complaint.customer_escalation_id)
        self.assertFalse(self.customer.with_user(self.desk_user).csc_escalation_id)
