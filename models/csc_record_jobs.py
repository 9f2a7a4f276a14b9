"""Background jobs (OCA queue_job) for the addon's mass work: survey invitations and reminders,
the monthly report, the reminder and escalation scans.

Work on many records is split into batches, one job per batch. A job runs in its own transaction
and commits when it ends: a job that fails leaves nothing behind, and its retry (by the job
runner, or requeued by an administrator) starts from a clean state. Each job function also skips
what is already done (an invitation sent, a reminder already given), so a batch performed twice
never notifies anyone twice.
"""

import hashlib

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
