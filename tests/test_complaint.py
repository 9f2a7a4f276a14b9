from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import UserError

from .common import FRIDAY_10
from .common import ComplaintCase


class TestComplaintDeadlines(ComplaintCase):
    def test_urgent_and_normal_on_working_calendar(self):
        urgent = self._complaint(urgency="urgent")
        # Friday 10:00 + 2 working days = Tuesday 10:00 (the weekend does not count)
        self.assertEqual(urgent.date_deadline, datetime(2026, 3, 10, 10, 0))
        normal = self._complaint(urgency="normal")
        self.assertEqual(normal.date_deadline, datetime(2026, 3, 17, 10, 0))
        # Containment runs around the clock: 24 h.
        self.assertEqual(normal.date_containment_deadline, datetime(2026, 3, 7, 10, 0))
        # General problem: 15 working days; complex: a calendar month (a working moment).
        self.assertEqual(normal.date_resolution_deadline, datetime(2026, 3, 27, 10, 0))
        normal.complexity = "complex"
        self.assertEqual(normal.date_resolution_deadline, datetime(2026, 4, 6, 10, 0))

    def test_customer_specific_requirement_overrides(self):
        self._release_csr(urgent_days=1, containment_hours=12)
        urgent = self._complaint(urgency="urgent")
        self.assertEqual(urgent.date_deadline, datetime(2026, 3, 9, 10, 0))  # Monday 10:00
        self.assertEqual(urgent.date_containment_deadline, datetime(2026, 3, 6, 22, 0))
        normal = self._complaint()
        self.assertEqual(normal.date_deadline, datetime(2026, 3, 17, 10, 0))  # not overridden

    def test_company_defaults_are_configurable(self):
        self.company.csc_normal_days = 3
        self.assertEqual(self._complaint().date_deadline, datetime(2026, 3, 11, 10, 0))

    def test_late_flag_and_filter(self):
        complaint = self._complaint(urgency="urgent")
        Complaint = self.env["csc.complaint"]
        with freeze_time("2026-03-10 09:00:00"):
            self.assertFalse(complaint.is_late)
            self.assertNotIn(complaint, Complaint.search([("is_late", "=", True)]))
        with freeze_time("2026-03-10 11:00:00"):
            self.env.invalidate_all()
            self.assertTrue(complaint.is_late)
            self.assertIn(complaint, Complaint.search([("is_late", "=", True)]))
            self.assertNotIn(complaint, Complaint.search([("is_late", "=", False)]))


class TestComplaintWorkflow(ComplaintCase):
    def test_numbering_and_quality_department_notified(self):
        complaint = self._complaint()
        self.assertTrue(complaint.name.startswith("CC/"))
        message = complaint.message_ids.filtered(lambda m: "New complaint" in (m.subject or ""))
        self.assertEqual(len(message), 1)
        self.assertEqual(
            message.partner_ids, self.service_manager.partner_id | self.quality_user.partner_id
        )
        self.assertTrue(self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)]))

    def test_assignment_notifies_owner(self):
        complaint = self._complaint()
        complaint.user_id = self.quality_user
        message = complaint.message_ids.filtered(lambda m: "assigned to you" in (m.subject or ""))
        self.assertEqual(message.partner_ids, self.quality_user.partner_id)

    def test_full_cycle_and_refusals(self):
        complaint = self._complaint()
        with self.assertRaisesRegex(UserError, "assign an owner"):
            complaint.action_start_investigation()
        complaint.user_id = self.quality_user
        complaint.action_start_investigation()
        self.assertEqual(complaint.state, "investigation")
        self.assertEqual(complaint.activity_ids.user_id, self.quality_user)
        with self.assertRaisesRegex(UserError, "cannot start the investigation"):
            complaint.action_start_investigation()
        with self.assertRaisesRegex(UserError, "the responsibility, the disposition"):
            complaint.action_send_disposition()
        complaint.write({"responsibility": "company", "disposition": "Sort and replace."})
        with self.assertRaisesRegex(UserError, "the responsible department"):
            complaint.action_send_disposition()
        complaint.department_id = self.env.ref("customer_service_control.csc_department_production")
        complaint.action_send_disposition()
        self.assertEqual(complaint.state, "solved")
        with self.assertRaisesRegex(AccessError, "Only the quality department closes"):
            complaint.action_close()
        with self.assertRaisesRegex(UserError, "customer's reaction"):
            complaint.with_user(self.quality_user).action_close()
        complaint._csc_record_reaction("accepted", "Agreed.", "desk", self.contact)
        action = self.env["csc.action"].create(
            {
                "name": "Add torque check",
                "complaint_id": complaint.id,
                "user_id": self.quality_user.id,
                "verifier_id": self.service_manager.id,
                "date_due": "2026-03-20",
            }
        )
        with self.assertRaisesRegex(UserError, "not yet verified effective"):
            complaint.with_user(self.quality_user).action_close()
        action.with_user(self.quality_user).action_done()
        action.effectiveness_note = "No noise on 500 units."
        action.with_user(self.service_manager).action_verify_effective()
        self.assertTrue(complaint.activity_ids)
        complaint.with_user(self.quality_user).action_close()
        self.assertEqual(complaint.state, "closed")
        self.assertTrue(complaint.date_closed)
        # Nobody keeps a to-do on a closed complaint: the owner's is done, with its feedback.
        self.assertFalse(complaint.activity_ids)
        done = complaint.message_ids.filtered(lambda m: "Handle complaint" in (m.body or ""))
        self.assertIn("Complaint closed.", done.body)
        with self.assertRaisesRegex(UserError, "cannot be cancelled"):
            complaint.with_user(self.service_manager).action_cancel()
        with self.assertRaisesRegex(AccessError, "Service Manager reopens"):
            complaint.with_user(self.quality_user).action_reopen()
        complaint.with_user(self.service_manager)._csc_reopen("The customer found more parts")
        self.assertEqual(complaint.state, "investigation")
        self.assertFalse(complaint.date_closed)
        self.assertIn("The customer found more parts", complaint.message_ids[0].body)

    def test_undetermined_responsibility_meeting_and_escalation(self):
        production = self.env.ref("customer_service_control.csc_department_production")
        production.manager_id = self.clerk
        complaint = self._complaint(user_id=self.quality_user.id)
        with self.assertRaisesRegex(UserError, "cannot call a meeting"):
            complaint.action_call_meeting()
        complaint.action_start_investigation()
        with freeze_time("2026-03-06 10:00:00"):
            complaint.action_call_meeting()
        self.assertEqual(complaint.date_meeting_deadline, datetime(2026, 3, 6, 14, 0))
        meeting = self.env.ref("mail.mail_activity_data_meeting")
        invited = complaint.activity_ids.filtered(lambda a: a.activity_type_id == meeting).user_id
        self.assertEqual(invited, self.service_manager | self.clerk)
        with self.assertRaisesRegex(UserError, "a determined responsibility"):
            complaint.disposition = "Explain to the customer."
            complaint.action_send_disposition()
        complaint.action_escalate()
        self.assertTrue(complaint.escalated)
        gm_activity = complaint.activity_ids.filtered(lambda a: a.user_id == self.general_manager)
        self.assertIn("Decide the responsibility", gm_activity.summary)

    def test_repeat_complaint_linked(self):
        first = self._complaint(cause_category="assembly")
        other_cause = self._complaint(cause_category="design")
        second = self._complaint(cause_category="assembly")
        self.assertEqual(second.repeat_candidate_id, first)
        self.assertFalse(other_cause.repeat_candidate_id)
        second.action_link_repeat()
        self.assertEqual(second.repeat_of_id, first)
        self.assertEqual(first.repeat_ids, second)
        self.assertFalse(second.repeat_candidate_id)
        with self.assertRaisesRegex(UserError, "does not look like a repeat"):
            other_cause.action_link_repeat()

    def test_major_needs_eightd(self):
        complaint = self._complaint(severity="major", user_id=self.quality_user.id)
        complaint.action_start_investigation()
        supplier = self.env["res.partner"].create({"name": "Bearing Supplier", "is_company": True})
        complaint.write(
            {
                "responsibility": "supplier",
                "supplier_id": supplier.id,
                "disposition": "Supplier sorts.",
            }
        )
        with self.assertRaisesRegex(UserError, "8D report"):
            complaint.action_send_disposition()
        complaint.with_user(self.quality_user).action_create_eightd()
        complaint.action_send_disposition()
        complaint._csc_record_reaction("accepted", "", "desk", self.contact)
        with self.assertRaisesRegex(UserError, "Close the 8D report"):
            complaint.with_user(self.quality_user).action_close()

    def test_deadline_reminder_to_owner_and_managers(self):
        complaint = self._complaint(urgency="urgent", user_id=self.quality_user.id)
        with freeze_time("2026-03-09 12:00:00"):  # deadline Tuesday 10:00, within 24 h
            self.env["csc.complaint"]._cron_deadline_reminders()
        message = complaint.message_ids.filtered(lambda m: "handling deadline" in (m.subject or ""))
        self.assertEqual(len(message), 1)
        self.assertIn(self.quality_user.partner_id, message.partner_ids)
        self.assertIn(self.service_manager.partner_id, message.partner_ids)
        far = self._complaint(date_received=datetime(2026, 6, 1, 9, 0))
        self.assertFalse(
            far.message_ids.filtered(lambda m: "handling deadline" in (m.subject or ""))
        )

    def test_outsider_and_technician_access(self):
        complaint = self._complaint()
        with self.assertRaises(AccessError):
            complaint.with_user(self.outsider).read(["title"])
        with self.assertRaises(AccessError):
            complaint.with_user(self.technician).write({"title": "x"})
        self.assertEqual(complaint.with_user(self.technician).title, "Noise at low speed")

    def test_batch_create_query_count(self):
        """Creating complaints in one call costs a bounded number of queries per complaint."""
        Complaint = self.env["csc.complaint"].with_user(self.desk_user)

        def queries(count):
            vals = [
                {"title": f"Batch {n}", "partner_id": self.customer.id, "date_received": FRIDAY_10}
                for n in range(count)
            ]
            Complaint.env.flush_all()
            start = self.cr.sql_log_count
            Complaint.create(vals)
            Complaint.env.flush_all()
            return self.cr.sql_log_count - start

        queries(1)  # warm the caches
        small, large = queries(10), queries(200)
        # The quality department gets one digest per batch (not a message per complaint): the
        # sequence number and the record itself.
        self.assertLess((large - small) / 190, 3, f"{small} queries for 10, {large} for 200")
        self.quality_dept.write({"manager_id": False, "member_ids": [(5, 0, 0)]})
        small, large = queries(10), queries(200)
        # Without e-mail: the sequence number and the record itself.
        self.assertLess((large - small) / 190, 3, f"{small} queries for 10, {large} for 200")
