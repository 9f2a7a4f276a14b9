from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount
from odoo.tools import formatLang

from .csc_service_visit import FIELD_TYPES


class CscMonthlyReport(models.Model):
    """The monthly service report (R-I1, 月度服务报告): the month's figures, read with grouped
    queries from the visits, customer messages, complaints, expenses and loans."""

    _name = "csc.monthly.report"
    _description = "Monthly Service Report"
    _inherit = ["csc.record.mixin"]
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

    summary_html = fields.Html("Report", compute="_compute_summary_html", sanitize=False)
    kpi_html = fields.Html("Indicators", compute="_compute_kpi_html", sanitize=False)

    _sql_constraints = [
        ("month_uniq", "unique(company_id, date_start)", "There is one report per month."),
    ]

    @api.depends("date_start")
    def _compute_name(self):
        for report in self:
            report.name = report.date_start and report.date_start.strftime("%Y-%m")

    @api.depends("date_start", "company_id")
    def _compute_summary_html(self):
        """The whole report, live, on the form (the same tables as the PDF)."""
        for report in self:
            ready = bool(report.date_start and report.company_id)
            report.summary_html = ready and report._render_sections(
                report._sections(report._figures())
            )

    @api.depends("date_start", "company_id")
    def _compute_kpi_html(self):
        """The month's KPIs against their targets, on the dashboard's card."""
        for report in self:
            ready = bool(report.date_start and report.company_id)
            report.kpi_html = ready and self.env["ir.qweb"]._render(
                "customer_service_control.csc_monthly_report_kpi_card",
                {"kpis": report._kpis(report._figures())},
            )

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
        """All figures of the month, as a dict (the PDF, the spreadsheet, the dashboard and the
        tests use it). Every figure is one grouped query on the records it counts."""
        self.ensure_one()
        start, end = self._period()
        month = [("date", ">=", self.date_start), ("date", "<", end.date())]
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
        field_services = Visit.search_count(
            [
                *company,
                ("visit_type", "in", FIELD_TYPES),
                ("date_end", ">=", start),
                ("date_end", "<", end),
            ]
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
        received_in_month = [*company, ("date_received", ">=", start), ("date_received", "<", end)]
        received, repeats, caused_by_service = Complaint._read_group(
            received_in_month,
            [],
            ["__count", "repeat_of_id:count", "cause_visit_id:count"],
        )[0]
        # Closed in the month, on time or late: how many and their days to close.
        closed_by_timeliness = {
            on_time: (count, days)
            for on_time, count, days in Complaint._read_group(
                [*company, ("date_closed", ">=", start), ("date_closed", "<", end)],
                ["closed_on_time"],
                ["__count", "days_to_close:sum"],
            )
        }
        closed = sum(count for count, _days in closed_by_timeliness.values())
        closed_days = sum(days for _count, days in closed_by_timeliness.values())
        causes = Complaint._read_group(
            [*received_in_month, ("cause_category", "!=", False)],
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
        failure_costs = dict(
            self.env["csc.failure.cost"]._read_group(
                [*company, *month], ["cost_type"], ["amount:sum"]
            )
        )
        Result = self.env["csc.satisfaction.result"]
        answers, service_score, service_satisfied = Result._read_group(
            [*company, *month, ("visit_id", "!=", False)],
            [],
            ["__count", "total_score:avg", "satisfied_rate:avg"],
        )[0]
        campaigns = self.env["csc.satisfaction.campaign"].search(
            [
                *company,
                ("state", "=", "closed"),
                ("date_end", ">=", self.date_start),
                ("date_end", "<", end.date()),
            ]
        )
        quarter_start = self.date_start.replace(month=(self.date_start.month - 1) // 3 * 3 + 1)
        quarter_causes = self.env["csc.cause.analysis"]._read_group(
            [*company, ("date", ">=", quarter_start), ("date", "<", end.date())],
            ["cause_category", "department_id", "source"],
            ["__count"],
        )
        technicians = self.env["csc.technician.performance"]._read_group(
            [*company, *month],
            ["technician_id"],
            [
                "__count",
                "on_time_rate:avg",
                "satisfied_rate:avg",
                "repeat_repair_rate:avg",
                "complaint_count:sum",
            ],
            order="technician_id",
        )
        # A visit counts once whatever its number of technicians.
        repeat_repairs = dict(
            self.env["csc.technician.performance"]._read_group(
                [*company, *month], ["repeat_repair_count"], ["visit_id:count_distinct"]
            )
        )
        loans = self.env["csc.part.loan"].search_count([*company, ("state", "=", "loaned")])

        def rate(part, whole):
            return round(100.0 * part / whole, 1) if whole else None

        def labels(model, field):
            return dict(self.env[model]._fields[field]._description_selection(self.env))

        cause_labels = labels("csc.complaint", "cause_category")
        cost_labels = labels("csc.failure.cost", "cost_type")
        on_time, late = arrivals.get(True, 0), arrivals.get(False, 0)
        replies_late, replies_on_time = messages.get(True, 0), messages.get(False, 0)
        by_cause = {}
        for cause, department, source, count in quarter_causes:
            row = by_cause.setdefault((cause, department), {"complaint": 0, "repair": 0})
            row[source] += count
        return {
            "visits": [
                (labels("csc.service.visit", "visit_type")[key], count)
                for key, count in visits_by_type.items()
            ],
            "visit_total": sum(visits_by_type.values()),
            "field_services": field_services,
            "arrivals": on_time + late,
            "arrival_rate": rate(on_time, on_time + late),
            "replies": replies_on_time + replies_late,
            "reply_rate": rate(replies_on_time, replies_on_time + replies_late),
            "complaints_received": received,
            "complaints_closed": closed,
            "closed_on_time_rate": rate(closed_by_timeliness.get(True, (0, 0))[0], closed),
            "mean_days_to_close": round(closed_days / closed, 1) if closed else None,
            "repeat_rate": rate(repeats, received),
            "repeat_repair_rate": rate(
                repeat_repairs.get(1, 0), repeat_repairs.get(0, 0) + repeat_repairs.get(1, 0)
            ),
            "caused_by_service": caused_by_service,
            "caused_by_service_rate": rate(caused_by_service, field_services),
            "causes": [(cause_labels[key], count) for key, count in causes][:5],
            "expenses": [
                (labels("csc.service.expense", "expense_type")[key], amount)
                for key, amount in expenses.items()
            ],
            "expense_total": sum(expenses.values()),
            "failure_costs": [
                (cost_labels[key], failure_costs.get(key, 0.0)) for key in cost_labels
            ],
            "failure_cost_total": sum(failure_costs.values()),
            "service_answers": answers,
            "service_score": round(service_score, 1) if answers else None,
            "service_satisfied_rate": round(service_satisfied, 1) if answers else None,
            "campaigns": [
                (campaign.display_name, round(campaign.satisfaction_rate, 1), campaign.target_rate)
                for campaign in campaigns
            ],
            "quarter": f"{quarter_start.year}-Q{(quarter_start.month - 1) // 3 + 1}",
            "quarter_causes": sorted(
                (
                    (
                        cause_labels[cause],
                        department.display_name if department else "",
                        counts["complaint"],
                        counts["repair"],
                    )
                    for (cause, department), counts in by_cause.items()
                ),
                key=lambda row: -(row[2] + row[3]),
            ),
            "technicians": [
                (
                    user.display_name,
                    count,
                    round(on_time_avg, 1) if on_time_avg is not None else None,
                    round(satisfied_avg, 1) if satisfied_avg is not None else None,
                    round(repeat_avg, 1),
                    int(complaints),
                )
                for user, count, on_time_avg, satisfied_avg, repeat_avg, complaints in technicians
            ],
            "loans_outstanding": loans,
        }

    def _kpis(self, figures):
        """Each KPI of R-H2 / R-I4 with its target: (label, value, target, met); `met` is None
        when the month has nothing to measure."""
        company = self.company_id
        rows = [
            (self.env._("Arrival timeliness (%)"), "arrival_rate", company.csc_kpi_timeliness, 1),
            (self.env._("Response timeliness (%)"), "reply_rate", company.csc_kpi_timeliness, 1),
            (
                self.env._("Satisfied after field service (%)"),
                "service_satisfied_rate",
                company.csc_kpi_satisfaction,
                1,
            ),
            (
                self.env._("Complaints caused by the service (%)"),
                "caused_by_service_rate",
                company.csc_kpi_service_complaints,
                -1,
            ),
            (
                self.env._("Repeat repairs (%)"),
                "repeat_repair_rate",
                company.csc_kpi_repeat_repairs,
                -1,
            ),
            (
                self.env._("Complaints closed on time (%)"),
                "closed_on_time_rate",
                company.csc_kpi_closed_on_time,
                1,
            ),
            (
                self.env._("Mean days to close a complaint"),
                "mean_days_to_close",
                company.csc_kpi_days_to_close,
                -1,
            ),
            (
                self.env._("Repeat complaints (%)"),
                "repeat_rate",
                company.csc_kpi_repeat_complaints,
                -1,
            ),
        ]
        result = []
        for label, key, target, sign in rows:
            value = figures[key]
            met = None if value is None else (value >= target if sign > 0 else value <= target)
            result.append((label, value, target, met))
        return result

    def _sections(self, figures):
        """The report's tables, as [(title, columns, rows)] with columns [(label, format)]
        (format: text, int, num or money): the PDF, the spreadsheet and the dashboard render
        the same tables."""
        self.ensure_one()
        company = self.company_id

        def status(met):
            return "-" if met is None else (self.env._("Met") if met else self.env._("Missed"))

        value_column = (self.env._("Value"), "num")

        return [
            (
                self.env._("Key performance indicators"),
                [
                    (self.env._("Indicator"), "text"),
                    value_column,
                    (self.env._("Target"), "num"),
                    (self.env._("Status"), "text"),
                ],
                [
                    (label, value, target, status(met))
                    for label, value, target, met in self._kpis(figures)
                ],
            ),
            (
                self.env._("Service"),
                [(self.env._("Figure"), "text"), value_column],
                [
                    (self.env._("Service visits requested"), figures["visit_total"]),
                    *[("· " + label, count) for label, count in figures["visits"]],
                    (self.env._("Field services finished"), figures["field_services"]),
                    (self.env._("Arrivals"), figures["arrivals"]),
                    (self.env._("Arrival timeliness (%)"), figures["arrival_rate"]),
                    (self.env._("Replies to customers"), figures["replies"]),
                    (self.env._("Response timeliness (%)"), figures["reply_rate"]),
                    (self.env._("Outstanding loans"), figures["loans_outstanding"]),
                ],
            ),
            (
                self.env._("Complaints"),
                [(self.env._("Figure"), "text"), value_column],
                [
                    (self.env._("Complaints received"), figures["complaints_received"]),
                    (self.env._("Complaints closed"), figures["complaints_closed"]),
                    (self.env._("Caused by the service"), figures["caused_by_service"]),
                    (self.env._("Top causes"), None),
                    *[("· " + label, count) for label, count in figures["causes"]],
                ],
            ),
            (
                self.env._("Satisfaction"),
                [(self.env._("Figure"), "text"), value_column, (self.env._("Target"), "num")],
                [
                    (self.env._("Answers after field service"), figures["service_answers"], None),
                    (self.env._("Mean score after field service"), figures["service_score"], None),
                    (
                        self.env._("Satisfied after field service (%)"),
                        figures["service_satisfied_rate"],
                        company.csc_kpi_satisfaction,
                    ),
                    *[
                        (self.env._("Campaign %s (%%)", name), value, target)
                        for name, value, target in figures["campaigns"]
                    ],
                ],
            ),
            (
                self.env._("Technician performance"),
                [
                    (self.env._("Technician"), "text"),
                    (self.env._("Services"), "int"),
                    (self.env._("On time (%)"), "num"),
                    (self.env._("Satisfied (%)"), "num"),
                    (self.env._("Repeat repairs (%)"), "num"),
                    (self.env._("Complaints caused"), "int"),
                ],
                figures["technicians"],
            ),
            (
                self.env._("External failure cost"),
                [(self.env._("Cost"), "text"), (self.env._("Amount"), "money")],
                [
                    *figures["failure_costs"],
                    (self.env._("Total"), figures["failure_cost_total"]),
                ],
            ),
            (
                self.env._("Trip expenses"),
                [(self.env._("Expense"), "text"), (self.env._("Amount"), "money")],
                [*figures["expenses"], (self.env._("Total"), figures["expense_total"])],
            ),
            (
                self.env._("Cause analysis, quarter to date (%s)", figures["quarter"]),
                [
                    (self.env._("Cause"), "text"),
                    (self.env._("Responsible department"), "text"),
                    (self.env._("Complaints"), "int"),
                    (self.env._("Field repairs"), "int"),
                ],
                figures["quarter_causes"],
            ),
        ]

    def _render_sections(self, sections):
        return self.env["ir.qweb"]._render(
            "customer_service_control.csc_monthly_report_tables",
            {"sections": sections, "report": self},
        )

    def _cell(self, value, kind):
        """A table cell as printed: '-' for nothing to measure, amounts in the company's
        currency, rates and means with one decimal, counts as they are."""
        if value is None:
            return "-"
        if kind == "money":
            return format_amount(self.env, value, self.company_id.currency_id)
        if kind == "num" and isinstance(value, float):
            return formatLang(self.env, value, digits=1)
        return value

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
