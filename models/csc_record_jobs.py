"""Background work of the addon's records: jobs, batch notifications, scheduled activities.

Background jobs (OCA queue_job) for the addon's mass work: survey invitations and reminders,
the monthly report, the reminder and escalation scans.

Work on many records is split into batches, one job per batch. A job runs in its own transaction
and commits when it ends: a job that fails leaves nothing behind, and its retry (by the job
runner, or requeued by an administrator) starts from a clean state. Each job function also skips
what is already done (an invitation sent, a reminder already given), so a batch performed twice
never notifies anyone twice.
"""

import hashlib

from markupsafe import Markup

from odoo import models

# Records per job: small enough for a job to stay well under Odoo's time limits while it mails
# and posts, large enough to keep the number of jobs low.
JOB_BATCH_SIZE = 100


class CscRecordMixin(models.AbstractModel):
    _inherit = "csc.record.mixin"

    def _csc_job_key(self, method, key, records):
        """The identity key of the job running `method` on `records` for `self`: the job
        runner queues no second job with the key of a job still waiting to run."""
        target = f"{self._name},{self.id}" if len(self) == 1 else self._name
        digest = hashlib.sha1(f"{records._name}:{records.ids}".encode()).hexdigest()[:16]
        return f"{target}:{method}:{key}:{digest}"

    def _csc_job_key_prefix(self):
        """The start of the identity keys of the jobs queued for this record."""
        self.ensure_one()
        return f"{self._name},{self.id}:"

    def _csc_delay_batches(self, method, records, *args, description, key="", batch_size=None):
        """Queue `self.method(batch, *args)` as one job per batch of `records`.

        Under the context key `queue_job__no_delay` the batches are performed at once (tests).
        Returns the number of batches."""
        size = batch_size or JOB_BATCH_SIZE
        count = 0
        for start in range(0, len(records), size):
            batch = records[start : start + size]
            delayable = self.with_delay(
                channel="root.csc",
                description=description,
                identity_key=self._csc_job_key(method, key, batch),
            )
            getattr(delayable, method)(batch, *args)
            count += 1
        return count

    def _csc_job_states(self):
        """{state: number of jobs} of the jobs queued for this record (read as the superuser:
        the job queue is an administrator's menu)."""
        self.ensure_one()
        if "queue.job" not in self.env:
            return {}
        groups = (
            self.env["queue.job"]
            .sudo()
            ._read_group(
                [("identity_key", "=like", self._csc_job_key_prefix() + "%")],
                ["state"],
                ["__count"],
            )
        )
        return dict(groups)

    def _csc_notify_batch(self, partners, template_xmlid, subject, note):
        """Tell `partners` about these records with one message per recipient and batch, queued
        in Odoo's mail queue (sent by its cron, not inside the request).

        One record: its own message rendered from the mail template, in its chatter. Several
        (a batch created or assigned in one call): a note in each record's chatter saying who
        was told (one batched insert) and a single digest to the recipients listing them (one
        message, one notification per recipient), instead of a message post per record."""
        if not self or not partners:
            return self.env["mail.message"]
        records = self.with_context(mail_notify_force_send=False)
        if len(self) == 1:
            return records.message_post_with_source(
                template_xmlid, subtype_xmlid="mail.mt_comment", partner_ids=partners.ids
            )
        records._message_log_batch(
            bodies=dict.fromkeys(self.ids, note), author_id=self.env.user.partner_id.id
        )
        base_url = self[0].get_base_url()
        items = Markup("").join(
            Markup('<li><a href="%s/mail/view?model=%s&amp;res_id=%s">%s</a></li>')
            % (base_url, self._name, record.id, record._csc_digest_line())
            for record in self
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (subject, items)
        return (
            records.env["mail.thread"]
            .sudo()
            .message_notify(
                subject=subject,
                body=body,
                partner_ids=partners.ids,
                author_id=self.env.user.partner_id.id,
                subtype_xmlid="mail.mt_comment",
            )
        )

    def _csc_digest_line(self):
        """How a record is listed in a batch notification."""
        self.ensure_one()
        return self.display_name


class CscWorkflowMixin(models.AbstractModel):
    _inherit = "csc.workflow.mixin"

    def _csc_activity_once(self, activity_type, summary, **values):
        """Schedule a `summary` activity on each record without an open one of that summary
        (a scan run twice asks once); the records that got one."""
        todo = self.filtered(lambda r: not r.activity_ids.filtered(lambda a: a.summary == summary))
        for record in todo:
            record.activity_schedule(activity_type, summary=summary, **values)
        return todo
