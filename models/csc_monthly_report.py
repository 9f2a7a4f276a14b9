from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class CscMonthlyReport(models.Model):
    """The monthly service report (R-I1, 月度服务报告): the month's figures, read with grouped
    queries from the visits, customer messages, complaints, expenses and loans."""

    _name = "csc.monthly.report"
    _description = "Monthly Service Report"
    _order = "date_start desc"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date_start = fields.Date(
        "Month",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1)
        - relativedelta(months=1),
    )

    _sql_constraints = [
        ("month_uniq", "unique(company_id, date_start)", "There is one report per month."),
    ]

    @api.depends("date_start")
    def _compute_name(self):
        for report in self:
            report.name = report.date_start and report.date_start.strftime("%Y-%m")

    @api.constrains("date_start")
    def _check_first_day(self):
        for report in self:
            if report.date_start.day != 1:
                raise ValidationError(
                    self.env._("A monthly report starts on the first day of the month.")
                )

    def _period(self):
        self.ensure_one()
        start = fields.Datetime.to_datetime(self.date_start)
        return start, start + relativedelta(months=1)

    def _figures(self):
        """All figures of the month, as a dict (the PDF, the spreadsheet and the tests use it)."""
        self.ensure_one()
        start, end = self._period()
        company = [("company_id", "=", self.company_id.id)]
        Visit = self.env["csc.service.visit"]
        visits_by_type = dict(
            Visit._read_group(
                [*company, ("date_request", ">=", start), ("date_request", "<", end)],
                ["visit_type"],
                ["__count"],
            )
        )
        arrivals = dict(
            Visit._read_group(
                [*company, ("date_arrival", ">=", start), ("date_arrival", "<", end)],
                ["on_time"],
                ["__count"],
            )
        )
        messages = dict(
            self.env["helpdesk.ticket"]._read_group(
                [
                    *company,
                    ("csc_kind", "!=", False),
                    ("csc_date_replied", ">=", start),
                    ("csc_date_replied", "<", end),
                ],
                ["csc_reply_late"],
                ["__count"],
            )
        )
        Complaint = self.env["csc.complaint"]
        received = Complaint.search_count(
            [*company, ("date_received", ">=", start), ("date_received", "<", end)]
        )
        closed = Complaint.search_count(
            [*company, ("date_closed", ">=", start), ("date_closed", "<", end)]
        )
        causes = Complaint._read_group(
            [
                *company,
                ("date_received", ">=", start),
                ("date_received", "<", end),
                ("cause_category", "!=", False),
            ],
            ["cause_category"],
            ["__count"],
            order="__count desc",
        )
        expenses = dict(
            self.env["csc.service.expense"]._read_group(
                [
                    ("visit_id.company_id", "=", self.company_id.id),
                    ("visit_id.date_report", ">=", start),
                    ("visit_id.date_report", "<", end),
                ],
                ["expense_type"],
                ["amount:sum"],
            )
        )
        loans = self.env["csc.part.loan"].search_count([*company, ("state", "=", "loaned")])

        def rate(on_time, late):
            return round(100.0 * on_time / (on_time + late), 1) if on_time + late else None

        cause_labels = dict(Complaint._fields["cause_category"]._description_selection(self.env))
        type_labels = dict(Visit._fields["visit_type"]._description_selection(self.env))
        expense_labels = dict(
            self.env["csc.service.expense"]._fields["expense_type"]._description_selection(self.env)
        )
        return {
            "visits": [(type_labels[key], count) for key, count in visits_by_type.items()],
            "visit_total": sum(visits_by_type.values()),
            "arrivals": arrivals.get(True, 0) + arrivals.get(False, 0),
            "arrival_rate": rate(arrivals.get(True, 0), arrivals.get(False, 0)),
            "replies": messages.get(True, 0) + messages.get(False, 0),
            "reply_rate": rate(messages.get(False, 0), messages.get(True, 0)),
            "complaints_received": received,
            "complaints_closed": closed,
            "causes": [(cause_labels[key], count) for key, count in causes][:5],
            "expenses": [(expense_labels[key], amount) for key, amount in expenses.items()],
            "expense_total": sum(expenses.values()),
            "loans_outstanding": loans,
        }

    @api.model
    def _cron_send_last_month(self):
        """On the first days of a month: last month's report to the service managers."""
        month = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        template = self.env.ref("customer_service_control.mail_template_csc_monthly_report")
        managers = self.env.ref("customer_service_control.group_csc_general_manager").users
        for company in self.env["res.company"].search([]):
            report = self.search(
                [("company_id", "=", company.id), ("date_start", "=", month)]
            ) or self.create({"company_id": company.id, "date_start": month})
            recipients = managers.filtered(
                lambda user, company=company: company in user.company_ids
                and not user._is_superuser()
                and user.email
            )
            if recipients:
                template.send_mail(
                    report.id,
                    email_values={"recipient_ids": [(6, 0, recipients.partner_id.ids)]},
                )
