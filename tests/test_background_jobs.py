"""Background jobs (OCA queue_job): mass work split in batches, one job each; a job performed
twice, or retried after a failure, notifies nobody twice; the campaign shows its progress; the
scheduled scans are idempotent."""

from datetime import date
from datetime import datetime
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tools import mute_logger

from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import FRIDAY_10
from .common import ComplaintCase
from .common import PartLoanCase

BATCH_SIZE = "odoo.addons.customer_service_control.models.csc_record_jobs.JOB_BATCH_SIZE"


class TestBackgroundJobs(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Jobs are queued here, not performed at once as in the other test classes.
        cls.env = cls.env(context=dict(cls.env.context, queue_job__no_delay=False))
        cls.customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"Job Customer {i}",
                    "is_company": True,
                    "csc_customer_type": "oem",
                    "email": f"quality{i}@customer{i}.example.com",
                }
                for i in range(5)
            ]
        )

    def _campaign(self, partners):
        return (
            self.env["csc.satisfaction.campaign"]
            .with_user(self.quality_user)
            .create(
                {
                    "name": "Jobs survey",
                    "date_start": date(2026, 10, 1),
                    "date_end": date(2026, 12, 31),
                    "partner_ids": [(6, 0, partners.ids)],
                }
            )
        )

    def _invitation_mails(self, campaign):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "survey.user_input"),
                ("res_id", "in", campaign.sudo().user_input_ids.ids),
            ]
        )

    def _perform_stored(self, jobs):
        """Perform stored jobs as the job runner does: started, performed, done."""
        for record in jobs:
            job = Job.load(self.env, record.uuid)
            job.set_started()
            job.perform()
            job.set_done()
            job.store()

    # -- invitations -------------------------------------------------------------------------

    def test_invitations_one_job_per_batch(self):
        campaign = self._campaign(self.customers)
        with patch(BATCH_SIZE, 2), trap_jobs() as trap:
            campaign.action_start()
            # 5 customers, batches of 2: ceil(5 / 2) = 3 jobs, none performed yet.
            trap.assert_jobs_count(3, only=campaign._csc_job_invite)
            self.assertFalse(campaign.sudo().user_input_ids)
            self.assertEqual(campaign.invitation_todo_count, 5)
            trap.assert_enqueued_job(
                campaign._csc_job_invite,
                args=(self.customers[4:],),
                properties={"channel": "root.csc"},
            )
            trap.perform_enqueued_jobs()
        inputs = campaign.sudo().user_input_ids
        self.assertEqual(inputs.partner_id, self.customers)
        self.assertEqual(len(self._invitation_mails(campaign)), 5)
        self.assertEqual((campaign.invited_count, campaign.invitation_todo_count), (5, 0))

    def test_invitation_job_twice_invites_once(self):
        campaign = self._campaign(self.customers)
        with trap_jobs():
            campaign.action_start()
        campaign._csc_job_invite(self.customers[:3])
        self.assertEqual(campaign._csc_job_invite(self.customers), 2)
        self.assertEqual(campaign._csc_job_invite(self.customers), 0)
        self.assertEqual(len(campaign.sudo().user_input_ids), 5)
        self.assertEqual(len(self._invitation_mails(campaign)), 5)

    def test_invitation_job_failing_midway_then_retried(self):
        """A job failing on its third customer rolls back the two invitations it made; the
        retried job invites each customer once."""
        campaign = self._campaign(self.customers)
        with trap_jobs():
            campaign.action_start()
        UserInput = type(self.env["survey.user_input"])
        invite = UserInput._csc_invite
        calls = []

        def flaky(model, survey, contact, **values):
            calls.append(contact)
            if len(calls) == 3:
                raise ConnectionError("mail server gone")
            return invite(model, survey, contact, **values)

        with (
            patch.object(UserInput, "_csc_invite", flaky),
            self.assertRaises(ConnectionError),
            self.env.cr.savepoint(),
        ):
            campaign._csc_job_invite(self.customers)
        campaign.invalidate_recordset()
        self.assertFalse(campaign.sudo().user_input_ids)
        self.assertFalse(self._invitation_mails(campaign))
        campaign._csc_job_invite(self.customers)
        self.assertEqual(campaign.sudo().user_input_ids.partner_id, self.customers)
        self.assertEqual(len(self._invitation_mails(campaign)), 5)

    def test_invitation_job_after_cancel_sends_nothing(self):
        campaign = self._campaign(self.customers)
        with trap_jobs() as trap:
            campaign.action_start()
            campaign.action_cancel()
            trap.perform_enqueued_jobs()
        self.assertFalse(campaign.sudo().user_input_ids)

    def test_progress_from_stored_jobs(self):
        """The campaign counts its stored jobs by state; a job already waiting is not queued
        twice (identity key)."""
        campaign = self._campaign(self.customers)
        with patch(BATCH_SIZE, 2):
            campaign.action_start()
            campaign._send_invitations()  # the same batches: queued once
        jobs = self.env["queue.job"].search(
            [("identity_key", "=like", campaign._csc_job_key_prefix() + "%")], order="id"
        )
        self.assertEqual(len(jobs), 3)
        self.assertEqual(set(jobs.mapped("channel")), {"root.csc"})
        self.assertEqual(jobs.user_id, self.quality_user)
        campaign.invalidate_recordset()
        as_quality = campaign.with_user(self.quality_user)
        self.assertEqual(
            (
                as_quality.job_pending_count,
                as_quality.job_done_count,
                as_quality.invitation_todo_count,
            ),
            (3, 0, 5),
        )
        self._perform_stored(jobs[:1])
        campaign.invalidate_recordset()
        self.assertEqual(
            (as_quality.job_pending_count, as_quality.job_done_count, as_quality.invited_count),
            (2, 1, 2),
        )
        self.assertEqual(as_quality.invitation_todo_count, 3)
        self._perform_stored(jobs[1:])
        campaign.invalidate_recordset()
        self.assertEqual((as_quality.job_pending_count, as_quality.job_done_count), (0, 3))
        self.assertEqual((as_quality.invited_count, as_quality.invitation_todo_count), (5, 0))
        # The job queue itself stays an administrator's menu.
        with self.assertRaises(AccessError):
            self.env["queue.job"].with_user(self.quality_user).search([])
        action = campaign.action_view_jobs()
        self.assertEqual(self.env["queue.job"].search(action["domain"]), jobs)

    # -- reminders ----------------------------------------------------------------------------

    def test_reminder_cron_twice_reminds_once(self):
        campaign = self._campaign(self.customers)
        with trap_jobs() as trap:
            campaign.action_start()
            trap.perform_enqueued_jobs()
        invitations = self._invitation_mails(campaign)
        Campaign = self.env["csc.satisfaction.campaign"]
        with patch(BATCH_SIZE, 2), trap_jobs() as trap:
            with freeze_time("2026-11-30 06:00:00"):
                Campaign._cron_send_reminders()
            with freeze_time("2026-11-30 06:05:00"):  # the same batches, still waiting
                Campaign._cron_send_reminders()
            trap.assert_jobs_count(3, only=campaign._csc_job_remind)
            trap.perform_enqueued_jobs()
        with freeze_time("2026-12-04 06:00:00"), trap_jobs() as trap:
            Campaign._cron_send_reminders()  # reminded 4 days ago: not again this week
            trap.assert_jobs_count(0)
        reminders = self._invitation_mails(campaign) - invitations
        self.assertEqual(len(reminders), 5)
        # The same batch performed again (a requeued job) reminds nobody.
        answers = campaign.sudo().user_input_ids
        since = min(answers.mapped("csc_date_reminded"))
        self.assertEqual(campaign._csc_job_remind(answers, since), 0)
        self.assertEqual(self._invitation_mails(campaign) - invitations, reminders)

    # -- monthly report -----------------------------------------------------------------------

    def test_monthly_report_one_job_per_company_sent_once(self):
        self.general_manager.email = "gm@example.com"
        other = self.env["res.company"].create({"name": "Second Plant"})
        Report = self.env["csc.monthly.report"]
        with freeze_time("2026-04-01 06:00:00"), trap_jobs() as trap:
            Report._cron_send_last_month()
            Report._cron_send_last_month()
            trap.assert_jobs_count(
                len(self.env["res.company"].search([])), only=Report._csc_job_issue_and_send
            )
            trap.assert_enqueued_job(Report._csc_job_issue_and_send, args=(other, date(2026, 3, 1)))
            trap.perform_enqueued_jobs()
            report = Report.search([("company_id", "=", self.company.id), ("name", "=", "2026-03")])
            self.assertEqual(report.state, "issued")
            self.assertTrue(report.date_sent)
            # Performed again (requeued), the job neither issues nor sends it again.
            self.assertFalse(Report._csc_job_issue_and_send(self.company, date(2026, 3, 1)))
        mails = self.env["mail.mail"].search(
            [("model", "=", "csc.monthly.report"), ("res_id", "=", report.id)]
        )
        self.assertEqual(len(mails), 1)
        self.assertEqual(len(Report.search([("name", "=", "2026-03")])), 2)

    # -- scans --------------------------------------------------------------------------------

    def _complaints(self, count):
        return (
            self.env["csc.complaint"]
            .with_user(self.desk_user)
            .create(
                [
                    {
                        "title": f"Noise {i}",
                        "partner_id": self.customer.id,
                        "contact_id": self.contact.id,
                        "product_id": self.product.id,
                        "user_id": self.quality_user.id,
                        "date_received": FRIDAY_10,
                    }
                    for i in range(count)
                ]
            )
        )

    def _deadline_messages(self, complaints):
        return self.env["mail.message"].search(
            [
                ("model", "=", "csc.complaint"),
                ("res_id", "in", complaints.ids),
                ("subject", "ilike", "handling deadline"),
            ]
        )

    def test_deadline_scan_batches_and_idempotent(self):
        complaints = self._complaints(3)
        Complaint = self.env["csc.complaint"]
        with freeze_time("2026-03-30 08:00:00"):
            with patch(BATCH_SIZE, 2), trap_jobs() as trap:
                Complaint._cron_deadline_reminders()
                Complaint._cron_deadline_reminders()
                trap.assert_jobs_count(2, only=Complaint._csc_job_deadline_reminders)
                trap.perform_enqueued_jobs()
            self.assertEqual(len(self._deadline_messages(complaints)), 3)
            # Run again the same day: nothing to queue, nobody told twice.
            with trap_jobs() as trap:
                Complaint._cron_deadline_reminders()
                trap.assert_jobs_count(0)
            since = datetime(2026, 3, 29, 12, 0)
            self.assertEqual(Complaint._csc_job_deadline_reminders(complaints, since), 0)
        self.assertEqual(len(self._deadline_messages(complaints)), 3)
        # The next day, still late: told again, once.
        with freeze_time("2026-03-31 08:00:00"), trap_jobs() as trap:
            Complaint._cron_deadline_reminders()
            Complaint._cron_deadline_reminders()
            trap.perform_enqueued_jobs()
        self.assertEqual(len(self._deadline_messages(complaints)), 6)

    def test_stored_scan_job_not_queued_twice(self):
        """Two runs of a scan before its job ran: one stored job (same identity key)."""
        self._complaints(2)
        Complaint = self.env["csc.complaint"]
        key = "csc.complaint:_csc_job_deadline_reminders:deadline:2026-03-30:%"
        with freeze_time("2026-03-30 08:00:00"):
            Complaint._cron_deadline_reminders()
            Complaint._cron_deadline_reminders()
        jobs = self.env["queue.job"].search([("identity_key", "=like", key)])
        self.assertEqual(len(jobs), 1)
        self.assertEqual(jobs.state, "pending")

    def test_other_scans_idempotent(self):
        complaint = self._complaints(1)
        action = self.env["csc.action"].create(
            {
                "name": "Fix the fixture",
                "complaint_id": complaint.id,
                "user_id": self.quality_user.id,
                "date_due": "2026-03-01",
            }
        )
        Action = self.env["csc.action"]
        with freeze_time("2026-03-30 08:00:00"), mute_logger("odoo.addons.queue_job"):
            with trap_jobs() as trap:
                Action._cron_chase_overdue()
                Action._cron_chase_overdue()
                trap.assert_jobs_count(1, only=Action._csc_job_chase_overdue)
                trap.perform_enqueued_jobs()
            with trap_jobs() as trap:
                Action._cron_chase_overdue()
                trap.assert_jobs_count(0)
        chased = action.message_ids.filtered(lambda m: "Overdue action" in (m.subject or ""))
        self.assertEqual(len(chased), 1)
        self.assertEqual(action.date_chased, date(2026, 3, 30))


class TestLoanReportOnce(PartLoanCase):
    def test_weekly_loan_report_once_a_week(self):
        loan = self._loan()
        loan.with_user(self.clerk).action_confirm()
        Loan = self.env["csc.part.loan"]
        subject = [("subject", "=", "Outstanding spare-part loans")]
        Mail = self.env["mail.mail"].sudo()
        # Settlement long overdue: the technician is asked to settle, once.
        with freeze_time(loan.date_settlement_due + timedelta(days=30)):
            Loan._cron_weekly_outstanding()
            Loan._cron_weekly_outstanding()
            self.assertEqual(Mail.search_count(subject), 1)
            settle = loan.activity_ids.filtered(lambda a: "Settle" in (a.summary or ""))
            self.assertEqual(len(settle), 1)
        with freeze_time(loan.date_settlement_due + timedelta(days=37)):
            Loan._cron_weekly_outstanding()
        self.assertEqual(Mail.search_count(subject), 2)
        self.assertEqual(
            loan.activity_ids.filtered(lambda a: "Settle" in (a.summary or "")), settle
        )
