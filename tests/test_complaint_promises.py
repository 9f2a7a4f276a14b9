"""Promises of the intake and complaint procedures (issue 20 points 3, 4, 5, 9).

Deadlines fixed at registration (a later change of a company setting or of the customer's
requirements leaves them; a service manager re-plans an open record with a reason); the desk
contacts the customer of a service request or consultation within 4 working hours (seed 002
7.1.3); someone is sent or written to the customer of a complaint within 48 h, or answers
within 12 h when the customer is remote or a supplier must be involved (R-B3, seed 002 3.2.2);
the responsibility meeting is met by holding it (R-C3). Each promise: its deadline, its done
time recorded by what does it, a reminder, a filter and a figure of the monthly report.
"""

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import UserError

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import ComplaintCase
from .common import force

REASON = "The customer's new requirement applies to the open cases"
DEADLINES = (
    "date_deadline",
    "date_resolution_deadline",
    "date_containment_deadline",
    "date_serious_deadline",
    "date_contact_deadline",
)
TICKET_DEADLINES = (
    "csc_date_relay_deadline",
    "csc_date_reply_deadline",
    "csc_date_investigation_deadline",
    "csc_date_contact_deadline",
)
FRIDAY_16 = datetime(2026, 3, 6, 16, 0)


def values(record, names):
    record.invalidate_recordset()
    return {name: record[name] for name in names}


class PromiseCase(ComplaintCase):
    def _ticket(self, **vals):
        return (
            self.env["helpdesk.ticket"]
            .with_user(self.desk_user)
            .create(
                {
                    "name": "Please send a technician",
                    "description": "<p>The steering gear is noisy.</p>",
                    "partner_id": self.contact.id,
                    "csc_kind": "service_request",
                    "csc_date_received": FRIDAY_16,
                    **vals,
                }
            )
        )

    def _meeting_wizard(self, complaint, user, **vals):
        return (
            self.env["csc.complaint.meeting.wizard"]
            .with_user(user)
            .create(
                {
                    "complaint_id": complaint.id,
                    "date_held": datetime(2026, 3, 9, 11, 0),
                    "user_ids": [(6, 0, self.quality_user.ids)],
                    "department_ids": [(6, 0, self.quality_dept.ids)],
                    "responsibility": "company",
                    "department_id": self.quality_dept.id,
                    "conclusion": "The press line assembled the gear wrongly.",
                    **vals,
                }
            )
        )

    def _investigating(self, **vals):
        complaint = self._complaint(user_id=self.quality_user.id, **vals)
        with freeze_time("2026-03-09 08:00:00"):
            complaint.with_user(self.quality_user).action_start_investigation()
        return complaint

    def _due(self, month="2026-03-01"):
        report = self.env["csc.monthly.report"].create({"date_start": month})
        return {row.kind: row for row in report._figures()["due"]}, report


class TestDeadlinesFixedAtRegistration(PromiseCase):
    def test_company_settings_changed_later_leave_the_deadlines(self):
        complaint = self._complaint(severity="major")
        before = values(complaint, DEADLINES)
        self.assertTrue(all(before.values()))
        self.company.write(
            {
                "csc_normal_days": 3,
                "csc_resolution_days": 5,
                "csc_containment_hours": 6.0,
                "csc_serious_solve_hours": 12.0,
                "csc_investigation_hours": 24.0,
            }
        )
        self.env.flush_all()
        self.assertEqual(values(complaint, DEADLINES), before)
        # A later change of the complaint that does not govern a deadline leaves them too.
        complaint.with_user(self.desk_user).write({"qty_affected": 3.0, "title": "Noise, worse"})
        self.env.flush_all()
        self.assertEqual(values(complaint, DEADLINES), before)
        # A new complaint is planned with the new settings.
        new = self._complaint(severity="major")
        self.assertEqual(new.date_deadline, datetime(2026, 3, 11, 10, 0))  # 3 working days
        self.assertEqual(new.date_resolution_deadline, datetime(2026, 3, 13, 10, 0))
        self.assertEqual(new.date_containment_deadline, datetime(2026, 3, 6, 16, 0))
        self.assertEqual(new.date_serious_deadline, datetime(2026, 3, 6, 22, 0))
        self.assertEqual(new.date_contact_deadline, datetime(2026, 3, 7, 10, 0))

    def test_customer_requirement_released_later_leaves_the_deadlines(self):
        complaint = self._complaint(urgency="urgent")
        before = values(complaint, DEADLINES)
        self._release_csr(urgent_days=1, containment_hours=12)
        self.env.flush_all()
        self.assertEqual(values(complaint, DEADLINES), before)
        new = self._complaint(urgency="urgent")
        self.assertEqual(new.date_deadline, datetime(2026, 3, 9, 10, 0))
        self.assertEqual(new.date_containment_deadline, datetime(2026, 3, 6, 22, 0))

    def test_a_reclassification_replans_only_its_own_deadline(self):
        complaint = self._complaint()
        before = values(complaint, DEADLINES)
        self.company.csc_normal_days = 3
        complaint.with_user(self.quality_user).complexity = "complex"
        self.env.flush_all()
        after = values(complaint, DEADLINES)
        self.assertEqual(after["date_resolution_deadline"], datetime(2026, 4, 6, 10, 0))
        del before["date_resolution_deadline"], after["date_resolution_deadline"]
        self.assertEqual(after, before)  # the handling deadline kept its 7 days

    def test_ticket_settings_changed_later_leave_the_deadlines(self):
        ticket = self._ticket()
        complaint_ticket = self._ticket(csc_kind="complaint")
        before = values(ticket, TICKET_DEADLINES)
        before_complaint = values(complaint_ticket, TICKET_DEADLINES)
        self.company.write(
            {
                "csc_relay_hours": 1.0,
                "csc_reply_hours": 2.0,
                "csc_contact_hours": 1.0,
                "csc_investigation_hours": 12.0,
            }
        )
        # The reply (the ticket's own data changing) does not re-plan with the new settings.
        with freeze_time("2026-03-09 10:00:00"):
            ticket.with_user(self.desk_user).message_post(
                body="A technician comes tomorrow.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.env.flush_all()
        self.assertEqual(ticket.csc_date_replied, datetime(2026, 3, 9, 10, 0))
        self.assertEqual(values(ticket, TICKET_DEADLINES), before)
        self.assertEqual(values(complaint_ticket, TICKET_DEADLINES), before_complaint)
        self.assertEqual(self._ticket().csc_date_contact_deadline, datetime(2026, 3, 6, 17, 0))

    def test_manager_replans_an_open_complaint_with_a_reason(self):
        complaint = self._complaint()
        self.company.csc_normal_days = 3
        wizard = self.env["csc.reopen.wizard"].with_user(self.service_manager)
        action = complaint.with_user(self.service_manager).action_replan()
        self.assertEqual(action["context"]["default_method"], "_csc_replan")
        wizard.create(
            {
                "res_model": "csc.complaint",
                "res_ids": str(complaint.ids),
                "method": "_csc_replan",
                "reason": REASON,
            }
        ).action_confirm()
        self.assertEqual(complaint.date_deadline, datetime(2026, 3, 11, 10, 0))
        note = complaint.message_ids.filtered(lambda m: REASON in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("2026-03-17 10:00:00 → 2026-03-11 10:00:00", note.body)

    def test_replan_refused_to_others_without_reason_and_when_finished(self):
        complaint = self._complaint()
        self.company.csc_normal_days = 3
        before = values(complaint, DEADLINES)
        for user in (self.desk_user, self.quality_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                complaint.with_user(user)._csc_replan(REASON)
            with self.assertRaises(AccessError):
                complaint.with_user(user).action_replan()
        with self.assertRaisesRegex(UserError, "Give the reason"):
            complaint.with_user(self.service_manager)._csc_replan("  ")
        self.assertEqual(values(complaint, DEADLINES), before)
        for state in ("cancelled", "solved", "closed"):
            force(complaint, {"state": state})
            with self.subTest(state=state), self.assertRaisesRegex(UserError, "re-planned"):
                complaint.with_user(self.service_manager)._csc_replan(REASON)
            self.assertEqual(values(complaint, DEADLINES), before)
        # A deadline is never written directly, whoever writes.
        force(complaint, {"state": "investigation"})
        for user in (self.desk_user, self.quality_user, self.service_manager):
            with self.assertRaisesRegex(UserError, "change only through its actions"):
                complaint.with_user(user).write({"date_deadline": datetime(2027, 1, 1)})
        self.assertEqual(values(complaint, DEADLINES), before)

    def test_manager_replans_an_open_ticket(self):
        ticket = self._ticket()
        before = values(ticket, TICKET_DEADLINES)
        self.company.csc_contact_hours = 2.0
        for user in (self.desk_user, self.quality_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                ticket.with_user(user)._csc_replan(REASON)
        self.assertEqual(values(ticket, TICKET_DEADLINES), before)
        ticket.with_user(self.service_manager)._csc_replan(REASON)
        self.assertEqual(ticket.csc_date_contact_deadline, datetime(2026, 3, 9, 9, 0))
        self.assertEqual(ticket.csc_date_reply_deadline, before["csc_date_reply_deadline"])
        closed = self.env["helpdesk.ticket.stage"].search([("closed", "=", True)], limit=1)
        ticket.stage_id = closed
        with self.assertRaisesRegex(UserError, "is closed"):
            ticket.with_user(self.service_manager)._csc_replan(REASON)


class TestServiceRequestContact(PromiseCase):
    def test_contact_deadline_on_working_hours_for_requests_and_consultations(self):
        # Friday 16:00 + 4 working hours (Friday 1, Monday 3) = Monday 11:00
        self.assertEqual(self._ticket().csc_date_contact_deadline, datetime(2026, 3, 9, 11, 0))
        consultation = self._ticket(csc_kind="consultation")
        self.assertEqual(consultation.csc_date_contact_deadline, datetime(2026, 3, 9, 11, 0))
        for kind in ("complaint", "suggestion", "return_request"):
            self.assertFalse(self._ticket(csc_kind=kind).csc_date_contact_deadline)

    def test_customer_contacted_by_phone(self):
        ticket = self._ticket()
        with self.assertRaises(AccessError):
            ticket.with_user(self.technician).action_csc_customer_contacted()
        self.assertFalse(ticket.csc_date_replied)
        with freeze_time("2026-03-09 10:30:00"):
            ticket.with_user(self.desk_user).action_csc_customer_contacted()
        self.assertEqual(ticket.csc_date_replied, datetime(2026, 3, 9, 10, 30))
        self.assertIn("by phone", ticket.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "was contacted on"):
            ticket.with_user(self.desk_user).action_csc_customer_contacted()
        self.assertEqual(ticket.csc_date_replied, datetime(2026, 3, 9, 10, 30))

    def test_reminder_to_the_assignee_once_and_done_by_the_contact(self):
        ticket = self._ticket(user_id=self.desk_user.id)
        unassigned = self._ticket(user_id=False)
        self.assertFalse(unassigned.user_id | unassigned.team_id.user_id)
        later = self._ticket(csc_date_received=datetime(2026, 3, 10, 9, 0))
        Ticket = self.env["helpdesk.ticket"]
        with freeze_time("2026-03-09 10:00:00"):
            Ticket._cron_csc_contact_reminders()
            Ticket._cron_csc_contact_reminders()
        summary = ticket._csc_contact_summary()
        todo = ticket.activity_ids.filtered(lambda a: a.summary == summary)
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.user_id, self.desk_user)
        self.assertEqual(
            unassigned.activity_ids.filtered(lambda a: a.summary == summary).user_id,
            self.service_manager,
        )
        self.assertFalse(later.activity_ids)  # its deadline is not near
        with freeze_time("2026-03-09 10:30:00"):
            ticket.with_user(self.desk_user).message_post(
                body="We come on Tuesday.", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertFalse(todo.exists())

    def test_filter_and_figure(self):
        on_time = self._ticket()
        late = self._ticket()
        open_overdue = self._ticket()
        self._ticket(csc_date_received=datetime(2026, 4, 6, 9, 0))  # due in April
        force(on_time, {"csc_date_replied": datetime(2026, 3, 9, 10, 0)})
        force(late, {"csc_date_replied": datetime(2026, 3, 9, 14, 0)})
        with freeze_time("2026-03-10 09:00:00"):
            overdue = self.env["helpdesk.ticket"].search(
                [
                    ("csc_date_replied", "=", False),
                    ("csc_date_contact_deadline", "<", datetime.now()),
                ]
            )
        self.assertIn(open_overdue, overdue)
        self.assertNotIn(on_time, overdue)
        self.assertNotIn(late, overdue)
        with freeze_time("2026-04-02 09:00:00"):
            rows, report = self._due()
            row = rows["contact"]
            self.assertEqual(
                (row.due, row.on_time, row.late_done, row.open_overdue, row.rate),
                (3, 1, 1, 1, 33.3),
            )
            listed = [r for r in report._figures()["open_overdue"] if r.kind == "contact"]
            self.assertEqual([r.reference for r in listed], [open_overdue.display_name])


class TestComplaintContact(PromiseCase):
    def test_48_hours_or_12_when_remote_or_a_supplier_is_involved(self):
        self.assertEqual(self._complaint().date_contact_deadline, datetime(2026, 3, 8, 10, 0))
        near = self._complaint(distance=100.0)
        self.assertEqual(near.date_contact_deadline, datetime(2026, 3, 8, 10, 0))
        remote = self._complaint(distance=150.0)
        self.assertEqual(remote.date_contact_deadline, datetime(2026, 3, 6, 22, 0))
        supplier = self._complaint(supplier_involved=True)
        self.assertEqual(supplier.date_contact_deadline, datetime(2026, 3, 6, 22, 0))

    def test_distance_from_the_customers_latest_field_service(self):
        Visit = self.env["csc.service.visit"]
        Visit.create(
            {"partner_id": self.customer.id, "date_request": datetime(2026, 2, 2), "distance": 40}
        )
        Visit.create(
            {"partner_id": self.contact.id, "date_request": datetime(2026, 3, 2), "distance": 250}
        )
        remote = self._complaint()
        self.assertEqual(remote.distance, 250.0)
        self.assertEqual(remote.date_contact_deadline, datetime(2026, 3, 6, 22, 0))
        told = self._complaint(distance=30.0)
        self.assertEqual(told.date_contact_deadline, datetime(2026, 3, 8, 10, 0))
        other = self.env["res.partner"].create({"name": "Other OEM", "is_company": True})
        self.assertFalse(self._complaint(partner_id=other.id, contact_id=False).distance)

    def test_customer_contacted_recorded_by_the_action(self):
        complaint = self._complaint()
        Wizard = self.env["csc.complaint.contact.wizard"]
        vals = {"complaint_id": complaint.id, "method": "visit", "note": "Wang Wei went."}
        with self.assertRaises(AccessError):
            complaint.with_user(self.technician).action_record_contact()
        with self.assertRaises(AccessError):
            Wizard.with_user(self.technician).create(vals)
        with self.assertRaises(AccessError):
            complaint.with_user(self.technician)._csc_record_contact(
                datetime(2026, 3, 7, 9, 0), "visit"
            )
        # Never written directly (only the action records it).
        with self.assertRaisesRegex(UserError, "change only through its actions"):
            complaint.with_user(self.desk_user).write({"date_contacted": datetime(2026, 3, 7)})
        with freeze_time("2026-03-07 12:00:00"):
            for date, error in (
                (datetime(2026, 3, 8, 9, 0), "future"),
                (datetime(2026, 3, 5, 9, 0), "before the complaint was received"),
            ):
                wizard = Wizard.with_user(self.desk_user).create({**vals, "date_contacted": date})
                with self.assertRaisesRegex(UserError, error):
                    wizard.action_confirm()
            self.assertFalse(complaint.date_contacted)
            action = complaint.with_user(self.desk_user).action_record_contact()
            self.assertEqual(action["res_model"], "csc.complaint.contact.wizard")
            Wizard.with_user(self.desk_user).create(
                {**vals, "date_contacted": datetime(2026, 3, 7, 9, 0)}
            ).action_confirm()
        self.assertEqual(complaint.date_contacted, datetime(2026, 3, 7, 9, 0))
        self.assertEqual(complaint.contact_method, "visit")
        self.assertIn("Wang Wei went.", complaint.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "was recorded on"):
            complaint.with_user(self.quality_user)._csc_record_contact(
                datetime(2026, 3, 7, 10, 0), "letter"
            )
        self.assertEqual(complaint.contact_method, "visit")

    def test_quality_records_it_but_not_on_a_cancelled_complaint(self):
        complaint = self._complaint()
        complaint.with_user(self.service_manager)._csc_cancel("Not ours")
        with self.assertRaisesRegex(UserError, "cannot record the customer contact"):
            complaint.with_user(self.quality_user)._csc_record_contact(
                datetime(2026, 3, 7, 9, 0), "letter"
            )
        self.assertFalse(complaint.date_contacted)
        other = self._complaint()
        with freeze_time("2026-03-07 12:00:00"):
            other.with_user(self.quality_user)._csc_record_contact(
                datetime(2026, 3, 7, 11, 0), "letter"
            )
        self.assertEqual(other.contact_method, "letter")

    def test_an_email_to_the_customer_is_the_written_contact(self):
        complaint = self._complaint()
        with freeze_time("2026-03-07 09:00:00"):
            complaint.with_user(self.desk_user).message_post(
                body="Internal remark", message_type="comment", subtype_xmlid="mail.mt_note"
            )
            complaint.with_user(self.desk_user).message_post(
                body="To the quality engineer",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.quality_user.partner_id.ids,
            )
        self.assertFalse(complaint.date_contacted)
        with freeze_time("2026-03-07 10:00:00"):
            complaint.with_user(self.desk_user).message_post(
                body="We investigate your complaint.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.contact.ids,
            )
        self.assertEqual(complaint.date_contacted, datetime(2026, 3, 7, 10, 0))
        self.assertEqual(complaint.contact_method, "email")

    def test_reminder_to_the_owner_once_and_done_by_the_contact(self):
        complaint = self._complaint(user_id=self.quality_user.id)
        unowned = self._complaint()
        later = self._complaint(date_received=datetime(2026, 3, 9, 10, 0))
        Complaint = self.env["csc.complaint"]
        with freeze_time("2026-03-08 06:00:00"):
            Complaint._cron_promise_reminders()
            Complaint._cron_promise_reminders()
        summary = complaint._csc_contact_summary()
        todo = complaint.activity_ids.filtered(lambda a: a.summary == summary)
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.user_id, self.quality_user)
        self.assertEqual(str(todo.date_deadline), "2026-03-08")
        self.assertEqual(
            unowned.activity_ids.filtered(lambda a: a.summary == summary).user_id,
            self.service_manager,
        )
        self.assertFalse(later.activity_ids.filtered(lambda a: a.summary == summary))
        with freeze_time("2026-03-08 07:00:00"):
            complaint.with_user(self.quality_user)._csc_record_contact(
                datetime(2026, 3, 8, 7, 0), "email"
            )
        self.assertFalse(todo.exists())

    def test_reminders_queued_in_batches_once_per_hour(self):
        complaints = self._complaint(user_id=self.quality_user.id) | self._complaint()
        Complaint = self.env["csc.complaint"].with_context(queue_job__no_delay=False)
        with freeze_time("2026-03-08 06:00:00"), trap_jobs() as trap:
            Complaint._cron_promise_reminders()
            trap.assert_jobs_count(1, only=Complaint._csc_job_promise_reminders)
            self.assertFalse(complaints.activity_ids)  # nothing done in the scan itself
            trap.perform_enqueued_jobs()
        summary = Complaint._csc_contact_summary()
        todos = complaints.activity_ids.filtered(lambda a: a.summary == summary)
        self.assertEqual(len(todos), 2)
        # A batch performed twice reminds once.
        now = datetime(2026, 3, 8, 7, 0)
        self.assertEqual(Complaint._csc_job_promise_reminders(complaints, now), 0)
        self.assertEqual(complaints.activity_ids.filtered(lambda a: a.summary == summary), todos)

    def test_filter_and_figure(self):
        on_time = self._complaint()
        late = self._complaint()
        open_overdue = self._complaint(distance=300.0)
        cancelled = self._complaint()
        cancelled.with_user(self.service_manager)._csc_cancel("Not ours")
        with freeze_time("2026-03-09 12:00:00"):
            on_time.with_user(self.desk_user)._csc_record_contact(
                datetime(2026, 3, 7, 9, 0), "visit"
            )
            late.with_user(self.desk_user)._csc_record_contact(datetime(2026, 3, 9, 9), "letter")
            overdue = self.env["csc.complaint"].search(
                [
                    ("state", "in", ("draft", "investigation")),
                    ("date_contacted", "=", False),
                    ("date_contact_deadline", "<", datetime.now()),
                ]
            )
        self.assertEqual(overdue, open_overdue)
        with freeze_time("2026-04-02 09:00:00"):
            rows, report = self._due()
            row = rows["complaint_contact"]
            self.assertEqual(
                (row.due, row.on_time, row.late_done, row.open_overdue, row.rate),
                (3, 1, 1, 1, 33.3),
            )
            listed = [r for r in report._figures()["open_overdue"] if r.kind == "complaint_contact"]
            self.assertEqual([r.reference for r in listed], [open_overdue.display_name])


class TestResponsibilityMeeting(PromiseCase):
    def test_meeting_recorded_by_quality_with_attendees_and_conclusion(self):
        complaint = self._investigating()
        with self.assertRaisesRegex(UserError, "Call the responsibility meeting"):
            complaint.with_user(self.quality_user).action_record_meeting()
        with freeze_time("2026-03-09 09:00:00"):
            complaint.with_user(self.desk_user).action_call_meeting()
        self.assertEqual(complaint.date_meeting_deadline, datetime(2026, 3, 9, 13, 0))
        # Calling it again does not move the deadline.
        with freeze_time("2026-03-09 12:00:00"), self.assertRaisesRegex(UserError, "was called"):
            complaint.with_user(self.quality_user).action_call_meeting()
        self.assertEqual(complaint.date_meeting_deadline, datetime(2026, 3, 9, 13, 0))
        invitations = complaint.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_meeting")
        )
        self.assertTrue(invitations)
        # The desk plans the meeting, the quality department records it.
        with self.assertRaises(AccessError):
            complaint.with_user(self.desk_user).action_record_meeting()
        with self.assertRaises(AccessError):
            self._meeting_wizard(complaint, self.desk_user)
        with self.assertRaises(AccessError):
            complaint.with_user(self.desk_user)._csc_record_meeting(
                {"date_held": datetime(2026, 3, 9, 11, 0), "conclusion": "x"}
            )
        # Never written directly.
        for user in (self.quality_user, self.service_manager):
            with self.assertRaisesRegex(UserError, "change only through its actions"):
                complaint.with_user(user).write({"date_meeting_held": datetime(2026, 3, 9, 11)})
        self.assertFalse(complaint.date_meeting_held)
        with freeze_time("2026-03-09 12:00:00"):
            wizard = self._meeting_wizard(
                complaint, self.quality_user, user_ids=[], department_ids=[]
            )
            with self.assertRaisesRegex(UserError, "who attended"):
                wizard.action_confirm()
            wizard = self._meeting_wizard(complaint, self.quality_user, department_id=False)
            with self.assertRaisesRegex(UserError, "the responsible department"):
                wizard.action_confirm()
            self.assertFalse(complaint.date_meeting_held)
            self._meeting_wizard(complaint, self.quality_user).action_confirm()
        self.assertEqual(complaint.date_meeting_held, datetime(2026, 3, 9, 11, 0))
        self.assertEqual(complaint.meeting_user_ids, self.quality_user)
        self.assertEqual(complaint.meeting_department_ids, self.quality_dept)
        self.assertEqual(complaint.responsibility, "company")
        self.assertEqual(complaint.department_id, self.quality_dept)
        self.assertIn("assembled the gear wrongly", complaint.meeting_conclusion)
        self.assertFalse(invitations.exists())  # the invitations are done
        with self.assertRaisesRegex(UserError, "was recorded"):
            complaint.with_user(self.service_manager).action_record_meeting()

    def test_meeting_reminder_and_figure(self):
        held = self._investigating()
        held_late = self._investigating()
        not_held = self._investigating()
        cancelled = self._investigating()
        with freeze_time("2026-03-09 09:00:00"):
            (held | held_late | not_held | cancelled).with_user(
                self.desk_user
            ).action_call_meeting()
        cancelled.with_user(self.service_manager)._csc_cancel("Not ours")
        with freeze_time("2026-03-09 10:00:00"):
            self.env["csc.complaint"]._cron_promise_reminders()
        summary = held._csc_meeting_summary()
        for complaint in held | held_late | not_held:
            todo = complaint.activity_ids.filtered(lambda a: a.summary == summary)
            self.assertEqual(todo.user_id, self.quality_user)
        self.assertFalse(cancelled.activity_ids.filtered(lambda a: a.summary == summary))
        with freeze_time("2026-03-09 18:00:00"):
            self._meeting_wizard(held, self.quality_user).action_confirm()
            self._meeting_wizard(
                held_late, self.quality_user, date_held=datetime(2026, 3, 9, 16, 0)
            ).action_confirm()
            overdue = self.env["csc.complaint"].search(
                [
                    ("state", "=", "investigation"),
                    ("date_meeting_held", "=", False),
                    ("date_meeting_deadline", "<", datetime.now()),
                ]
            )
        self.assertEqual(overdue, not_held)
        self.assertFalse(held.activity_ids.filtered(lambda a: a.summary == summary))
        with freeze_time("2026-04-02 09:00:00"):
            rows, _report = self._due()
        row = rows["meeting"]
        self.assertEqual(
            (row.due, row.on_time, row.late_done, row.open_overdue, row.rate), (3, 1, 1, 1, 33.3)
        )
