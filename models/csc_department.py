from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL


class CscDepartment(models.Model):
    """A department that owns part of the customer-service process (R-J): it is informed of
    customer-specific requirements, made responsible for complaints and owns actions."""

    _name = "csc.department"
    _description = "Customer Service Department"
    _inherit = ["csc.record.mixin"]
    _order = "sequence, name"

    # -- fields --------------------------------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    manager_id = fields.Many2one("res.users", domain=[("share", "=", False)])
    member_ids = fields.Many2many("res.users", string="Members", domain=[("share", "=", False)])
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    active = fields.Boolean(default=True)
    date_digest_sent = fields.Date(
        "Monthly Digest Sent For",
        readonly=True,
        copy=False,
        help="The month (its first day) of the last monthly digest sent to the manager: the "
        "department's complaints of that month by cause and its open actions (R-C9).",
    )

    # -- SQL constraints -----------------------------------------------------------------------

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "A department code must be unique."),
    ]

    # -- crons ---------------------------------------------------------------------------------

    @api.model
    def _cron_send_monthly_digest(self):
        """On the first days of a month: each department's manager receives last month's
        complaints of the department by cause, with its open actions (R-C9), in the background:
        one job per batch of departments. Once: a department whose digest of that month was sent
        is not queued again, and the job skips it too."""
        month = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        departments = self.search(
            [
                ("manager_id", "!=", False),
                "|",
                ("date_digest_sent", "=", False),
                ("date_digest_sent", "<", month),
            ]
        )
        self._csc_delay_batches(
            "_csc_job_monthly_digest",
            departments,
            month,
            description=self.env._(
                "Monthly complaint digest of the departments %s", month.strftime("%Y-%m")
            ),
            key=f"digest:{month}",
        )

    # -- business helpers ----------------------------------------------------------------------

    @api.model
    def _csc_job_monthly_digest(self, departments, month):
        """Job: the digest of `month` to the manager of each department of the batch, unless
        already sent (a job performed twice sends once: the rows are locked and the month sent
        checked). A department with neither complaints nor open actions gets no mail."""
        departments = departments.exists()
        if not departments:
            return 0
        self.env.cr.execute(
            SQL(
                "SELECT id FROM csc_department WHERE id IN %s FOR UPDATE NOWAIT",
                tuple(departments.ids),
            )
        )
        departments.invalidate_recordset(["date_digest_sent"])
        departments = departments.filtered(
            lambda d: d.manager_id and not (d.date_digest_sent and d.date_digest_sent >= month)
        )
        end = month + relativedelta(months=1)
        complaints = self.env["csc.complaint"].search(
            [
                ("department_id", "in", departments.ids),
                ("date_received", ">=", month),
                ("date_received", "<", end),
                ("state", "!=", "cancelled"),
            ],
            order="date_received, id",
        )
        actions = self.env["csc.action"].search(
            [("department_id", "in", departments.ids), ("state", "!=", "verified")],
            order="date_due, id",
        )
        Complaint = self.env["csc.complaint"]
        causes = dict(Complaint._fields["cause_category"]._description_selection(self.env))
        labels = {
            "csc_states": dict(Complaint._fields["state"]._description_selection(self.env)),
            "csc_action_types": dict(
                actions._fields["action_type"]._description_selection(self.env)
            ),
        }
        template = self.env.ref("customer_service_control.mail_template_csc_department_digest")
        sent = 0
        for department in departments:
            own = complaints.filtered(lambda c, d=department: c.department_id == d)
            open_actions = actions.filtered(lambda a, d=department: a.department_id == d)
            if own or open_actions:
                by_cause = [
                    (
                        causes[cause] if cause else self.env._("Not Determined"),
                        own.filtered(lambda c, cause=cause: c.cause_category == cause),
                    )
                    for cause in [*causes, False]
                ]
                template.with_context(
                    csc_month=month.strftime("%Y-%m"),
                    csc_causes=[(label, found) for label, found in by_cause if found],
                    csc_complaint_count=len(own),
                    csc_actions=open_actions,
                    **labels,
                ).send_mail(
                    department.id,
                    email_values={
                        "recipient_ids": [Command.set(department.manager_id.partner_id.ids)]
                    },
                )
                sent += 1
        departments.write({"date_digest_sent": month})
        return sent
