from .common import FRIDAY_10
from .common import ComplaintCase


class TestNotificationBatch(ComplaintCase):
    """Complaints created or assigned in one call: one notification per recipient and batch,
    queued in Odoo's mail queue, and a note on each complaint saying who was told."""

    def _notifications(self, since):
        return self.env["mail.notification"].sudo().search([("id", ">", since)])

    def _last_notification(self):
        return self.env["mail.notification"].sudo().search([], order="id desc", limit=1).id or 0

    def _batch(self, count, user=None, **vals):
        return (
            self.env["csc.complaint"]
            .with_user(user or self.desk_user)
            .create(
                [
                    {
                        "title": f"Batch problem {n}",
                        "partner_id": self.customer.id,
                        "date_received": FRIDAY_10,
                        **vals,
                    }
                    for n in range(count)
                ]
            )
        )

    def test_batch_creation_one_notification_per_recipient(self):
        since = self._last_notification()
        complaints = self._batch(5)
        notifications = self._notifications(since)
        quality = self.service_manager.partner_id | self.quality_user.partner_id
        self.assertEqual(notifications.res_partner_id, quality)
        for partner in quality:
            self.assertEqual(
                len(notifications.filtered(lambda n, p=partner: n.res_partner_id == p)), 1
            )
        digest = notifications.mail_message_id
        self.assertEqual(len(digest), 1)
        self.assertEqual(digest.partner_ids, quality)
        self.assertIn("5 new complaints", digest.subject)
        for complaint in complaints:
            self.assertIn(complaint.name, str(digest.body))
            # no message of its own to the department, a note saying who was told
            self.assertFalse(
                complaint.message_ids.filtered(lambda m: "New complaint" in (m.subject or ""))
            )
            self.assertIn("quality department", str(complaint.message_ids[0].body))
            self.assertIn(self.quality_user.partner_id, complaint.message_partner_ids)
        # e-mails wait in Odoo's mail queue (sent by its cron), one batch of recipients
        mails = self.env["mail.mail"].sudo().search([("mail_message_id", "=", digest.id)])
        self.assertTrue(mails)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        self.assertEqual(mails.recipient_ids, quality)

    def test_single_complaint_keeps_its_own_message(self):
        since = self._last_notification()
        complaint = self._batch(1)
        message = complaint.message_ids.filtered(lambda m: "New complaint" in (m.subject or ""))
        self.assertEqual(len(message), 1)
        self.assertEqual(self._notifications(since).mail_message_id, message)

    def test_batch_assignment_one_notification_per_owner(self):
        complaints = self._batch(4)
        other = self.general_manager
        since = self._last_notification()
        complaints[:3].with_user(self.service_manager).write({"user_id": self.quality_user.id})
        complaints[3:].with_user(self.service_manager).write({"user_id": other.id})
        # the owners' messages (followers of the complaints are told as usual besides)
        notifications = self._notifications(since).filtered(
            lambda n: n.res_partner_id in n.mail_message_id.partner_ids
        )
        # three complaints for one owner: one digest; one complaint for another: its own message
        self.assertEqual(len(notifications), 2)
        self.assertEqual(
            notifications.res_partner_id, self.quality_user.partner_id | other.partner_id
        )
        digest = notifications.filtered(
            lambda n: n.res_partner_id == self.quality_user.partner_id
        ).mail_message_id
        self.assertEqual(digest.message_type, "user_notification")
        self.assertIn("3 complaints assigned", digest.subject)
        for complaint in complaints[:3]:
            self.assertIn(complaint.name, str(digest.body))
            self.assertIn(self.quality_user.partner_id, complaint.message_partner_ids)
        single = notifications.filtered(lambda n: n.res_partner_id == other.partner_id)
        self.assertIn("assigned to you", single.mail_message_id.subject)
        self.assertEqual(single.mail_message_id.res_id, complaints[3].id)

    def test_batch_with_owners_at_creation(self):
        """Owners named at creation: each owner is told once about their complaints, and not a
        second time by Odoo's generic 'you have been assigned' message."""
        since = self._last_notification()
        self._batch(3, user_id=self.quality_user.id)
        owner = self._notifications(since).filtered(
            lambda n: n.res_partner_id == self.quality_user.partner_id
        )
        # the department's digest (the quality user is a member) and the owner's digest
        self.assertEqual(len(owner), 2)
        subjects = sorted(owner.mail_message_id.mapped("subject"))
        self.assertIn("3 complaints assigned to", subjects[0])
        self.assertEqual(subjects[1], "3 new complaints registered")

    def test_batch_creation_queries_per_record_constant(self):
        """With the chatter on (as over RPC), a complaint costs its number and its row: the
        notifications cost the same for 20 or 200 complaints."""
        Complaint = (
            self.env["csc.complaint"]
            .with_user(self.desk_user)
            .with_context(tracking_disable=False, mail_create_nolog=False)
        )

        def queries(count):
            Complaint.env.flush_all()
            start = self.cr.sql_log_count
            Complaint.create(
                [
                    {"title": f"Q {n}", "partner_id": self.customer.id, "date_received": FRIDAY_10}
                    for n in range(count)
                ]
            )
            Complaint.env.flush_all()
            return self.cr.sql_log_count - start

        queries(2)  # warm the caches
        small, large = queries(20), queries(200)
        # the sequence number (two queries) and at most one more per complaint
        self.assertLessEqual((large - small) / 180, 3, f"{small} for 20, {large} for 200")
