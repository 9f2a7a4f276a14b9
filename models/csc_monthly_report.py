from collections import namedtuple
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools import format_amount
from odoo.tools import formatLang

MANAGER = "customer_service_control.group_csc_manager"
PDF_REPORT = "customer_service_control.report_monthly"
XLSX_REPORT = "customer_service_control.monthly_report_xlsx"

# Named rows of the figures. They are tuples (a table row unpacks as before) and are stored as
# JSON objects when the report is issued (`ROW_TYPES` rebuilds them).
Period = namedtuple("Period", "start end")
LabelCount = namedtuple("LabelCount", "label count")
LabelAmount = namedtuple("LabelAmount", "label amount")
CampaignRate = namedtuple("CampaignRate", "name rate target")
CauseRow = namedtuple("CauseRow", "cause department complaints repairs")
TechnicianRow = namedtuple(
    "TechnicianRow",
    "technician services on_time_rate satisfied_rate repeat_repair_rate complaints",
)
Kpi = namedtuple("Kpi", "label value target met")
# A deadline the procedures promise (`csc.monthly.report._due_kinds`): the records of `model`
# matching `domain` are due by `deadline` and done at `done`; `partner` is the path to the
# customer shown in the open-overdue list.
DueKind = namedtuple("DueKind", "key label model deadline done domain partner")
# A kind's figures for the month: the cases whose deadline fell in it, done on time, done late,
# still open past the deadline at the month's end (late as well), and the on-time rate.
DueRow = namedtuple("DueRow", "kind label due on_time late_done open_overdue rate")
OverdueRow = namedtuple("OverdueRow", "kind label reference partner deadline days_overdue")
# The customer's PPM of the month against its target (csc.ppm.report): `met` None without one.
PpmRow = namedtuple(
    "PpmRow", "customer delivered zero_km field ppm_zero_km ppm_field ppm_total target met"
)
# The field returns of a product analysed in the month (VDA): no trouble found, fault found.
NtfRow = namedtuple("NtfRow", "product analysed ntf fault rate")
Section = namedtuple("Section", "title columns rows")
Column = namedtuple("Column", "label kind")

ROW_TYPES = {
    "visits": LabelCount,
    "causes": LabelCount,
    "expenses": LabelAmount,
    "failure_costs": LabelAmount,
    "failure_recoveries": LabelAmount,
    "campaigns": CampaignRate,
    "quarter_causes": CauseRow,
    "technicians": TechnicianRow,
    "due": DueRow,
    "open_overdue": OverdueRow,
    "ppm": PpmRow,
    "ntf": NtfRow,
}
# The open overdue cases listed per kind (the count is always complete).
OVERDUE_LIST_LIMIT = 200

# The company setting holding the target of each KPI, by the figure it measures.
KPI_TARGET_FIELDS = {
    "arrival_rate": "csc_kpi_timeliness",
    "reply_rate": "csc_kpi_timeliness",
    "service_satisfied_rate": "csc_kpi_satisfaction",
    "caused_by_service_rate": "csc_kpi_service_complaints",
    "repeat_repair_rate": "csc_kpi_repeat_repairs",
    "closed_on_time_rate": "csc_kpi_closed_on_time",
    "mean_days_to_close": "csc_kpi_days_to_close",
    "repeat_rate": "csc_kpi_repeat_complaints",
}


def _rate(part, whole):
    """A percentage with one decimal; None when there is nothing to measure."""
    return round(100.0 * part / whole, 1) if whole else None


def _round(value):
    return round(value, 1) if value is not None else None


class CscMonthlyReport(models.Model):
    """The monthly service report (R-I1, 月度服务报告): the month's figures, read with grouped
    queries from the visits, customer messages, complaints, expenses and loans. A draft shows
    them live; issuing it freezes them: the figures, the PDF and the spreadsheet are stored and
    every later print, card or e-mail shows what was issued."""

    _name = "csc.monthly.report"
    _description = "Monthly Service Report"
    _inherit = ["csc.workflow.mixin", "mail.thread"]
    _order = "date_start desc"
    _csc_guarded_fields = frozenset(
        {
            "state",
            "date_issued",
            "issued_by_id",
            "issued_figures",
            "issued_targets",
            "date_sent",
        }
    )
    _csc_locked_states = ("issued",)

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
    state = fields.Selection(
        [("draft", "Draft"), ("issued", "Issued")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    date_issued = fields.Datetime("Issued On", readonly=True, copy=False, tracking=True)
    issued_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    issued_figures = fields.Json(
        readonly=True,
        copy=False,
        help="The month's figures as computed when the report was issued.",
    )
    issued_targets = fields.Json(
        "Issued KPI Targets",
        readonly=True,
        copy=False,
        help="The KPI targets in force when the report was issued.",
    )
    date_sent = fields.Datetime(
        "Sent to Management",
        readonly=True,
        copy=False,
        tracking=True,
        help="When the issued report was e-mailed to the general manager.",
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

    @api.depends("date_start", "company_id", "state", "issued_figures", "issued_targets")
    def _compute_summary_html(self):
        """The whole report on the form (the same tables as the PDF): live while draft, as
        issued afterwards."""
        for report in self:
            ready = bool(report.date_start and report.company_id)
            report.summary_html = ready and report._render_sections(
                report._sections(report._figures())
            )

    @api.depends("date_start", "company_id", "state", "issued_figures", "issued_targets")
    def _compute_kpi_html(self):
        """The month's KPIs against their targets, on the dashboard's card: the stored figures
        of an issued report (no query on the records), computed for a draft."""
        for report in self:
            ready = bool(report.date_start and report.company_id)
            figures = ready and report._figures()
            report.kpi_html = ready and self.env["ir.qweb"]._render(
                "customer_service_control.csc_monthly_report_kpi_card",
                {
                    "kpis": report._kpis(figures),
                    "open_overdue": (
                        sum(row.open_overdue for row in figures["due"])
                        if "due" in figures
                        else None
                    ),
                },
            )

    @api.constrains("date_start")
    def _check_first_day(self):
        for report in self:
            if report.date_start.day != 1:
                raise ValidationError(
                    self.env._("A monthly report starts on the first day of the month.")
                )

    # -- actions ------------------------------------------------------------------------------

    def action_issue(self):
        """Issue the report of a finished month: its figures are computed once and stored, its
        PDF and spreadsheet printed from them and kept on it; it is then read-only and every
        reprint returns these documents."""
        self._csc_check_issue_rights()
        self._csc_check_state(("draft",), self.env._("be issued"))
        today = fields.Date.context_today(self)
        for report in self:
            if report.date_start + relativedelta(months=1) > today:
                raise UserError(
                    self.env._(
                        "The month %(month)s is not over: its report is issued from %(date)s on.",
                        month=report.name,
                        date=report.date_start + relativedelta(months=1),
                    )
                )
        for report in self:
            # The stored documents are in the company's language, whoever issues them.
            report = report.with_company(report.company_id).with_context(
                lang=report.company_id.partner_id.lang or self.env.lang
            )
            report._csc_write(
                {
                    "state": "issued",
                    "date_issued": fields.Datetime.now(),
                    "issued_by_id": self.env.uid,
                    "issued_figures": report._figures_to_json(report._figures_live()),
                    "issued_targets": report._kpi_targets(),
                }
            )
            report._store_documents()
            report.message_post(
                body=self.env._(
                    "Issued by %(user)s: the figures, the PDF and the spreadsheet are stored; "
                    "reprints show them as issued.",
                    user=self.env.user.name,
                ),
                attachment_ids=report._issued_attachments().ids,
                subtype_xmlid="mail.mt_note",
            )
        return True

    # -- workflow ------------------------------------------------------------------------------

    def _csc_check_issue_rights(self):
        if not (self.env.su or self.env.user.has_group(MANAGER)):
            raise AccessError(self.env._("Only a Service Manager issues a monthly service report."))

    def _csc_reopen_states(self):
        return ("issued",)

    def _csc_reopen_values(self):
        """A reopened report is a draft again: its figures are computed anew and it is issued
        (and sent) again."""
        return {
            "state": "draft",
            "date_issued": False,
            "issued_by_id": False,
            "issued_figures": False,
            "issued_targets": False,
            "date_sent": False,
        }

    def _csc_reopen(self, reason):
        """The documents of the withdrawn issue stay in the chatter, renamed, so that the next
        issue prints and stores its own."""
        withdrawn = fields.Date.context_today(self)
        res = super()._csc_reopen(reason)
        for attachment in self._issued_attachments():
            stem, _dot, extension = attachment.name.rpartition(".")
            attachment.name = self.env._(
                "%(name)s (withdrawn %(date)s).%(extension)s",
                name=stem,
                date=withdrawn,
                extension=extension,
            )
        return res

    # -- figures -------------------------------------------------------------------------------

    def _period(self):
        """The month, as UTC datetimes [start, end)."""
        self.ensure_one()
        start = fields.Datetime.to_datetime(self.date_start)
        return Period(start, start + relativedelta(months=1))

    def _company_domain(self):
        self.ensure_one()
        return [("company_id", "=", self.company_id.id)]

    def _month_domain(self):
        """Records dated (a date field `date`) in the month."""
        self.ensure_one()
        return [
            ("date", ">=", self.date_start),
            ("date", "<", self.date_start + relativedelta(months=1)),
        ]

    def _selection_labels(self, model, field):
        return dict(self.env[model]._fields[field]._description_selection(self.env))

    def _figures(self):
        """All figures of the month, as a dict (the PDF, the spreadsheet, the dashboard and the
        tests use it): those stored when the report was issued, else computed now."""
        self.ensure_one()
        if self.state == "issued" and self.issued_figures:
            return self._figures_from_json(self.issued_figures)
        return self._figures_live()

    def _figures_live(self):
        """The figures computed from the records now, part by part; every figure is one
        grouped query on the records it counts."""
        self.ensure_one()
        figures = {
            **self._figures_due(),
            **self._figures_service(),
            **self._figures_complaints(),
            **self._figures_satisfaction(),
            **self._figures_technicians(),
            **self._figures_costs(),
            **self._figures_quarter_causes(),
            **self._figures_ppm(),
            **self._figures_ntf(),
        }
        figures["caused_by_service_rate"] = _rate(
            figures["caused_by_service"], figures["field_services"]
        )
        return figures

    def _figures_service(self):
        """Visits requested (by type), field services finished and solved by phone, spare-part
        loans outstanding at the month's end. Cancelled visits and loans are in no count."""
        self.ensure_one()
        start, end = self._period()
        company = [*self._company_domain(), ("state", "!=", "cancelled")]
        Visit = self.env["csc.service.visit"]
        visits_by_type = Visit._read_group(
            [*company, ("date_request", ">=", start), ("date_request", "<", end)],
            ["visit_type"],
            ["__count"],
        )
        field_services = Visit.search_count(
            [
                *company,
                ("is_field_service", "=", True),
                ("date_end", ">=", start),
                ("date_end", "<", end),
            ]
        )
        phone_solved = Visit.search_count(
            [*company, ("state", "=", "phone"), ("date_end", ">=", start), ("date_end", "<", end)]
        )
        # As of the month's end: lent before it and not settled by then (the settlement is
        # dated by the loan's stock moves), whatever happened to the loan afterwards.
        loans = self.env["csc.part.loan"].search_count(
            [
                *company,
                ("date_loan", "<", end),
                "|",
                ("date_settled", "=", False),
                ("date_settled", ">=", end),
            ]
        )
        visit_types = self._selection_labels("csc.service.visit", "visit_type")
        return {
            "visits": [LabelCount(visit_types[key], count) for key, count in visits_by_type],
            "visit_total": sum(count for _key, count in visits_by_type),
            "field_services": field_services,
            "phone_solved": phone_solved,
            "loans_outstanding": loans,
        }

    # -- timeliness on what was due ------------------------------------------------------------

    def _due_kinds(self):
        """The deadlines the procedures promise, one line each: every timeliness figure of the
        report and of the dashboard is computed from this table (`_figures_due`). A new deadline
        is a new line: the records' model, their deadline and done-date fields (Date or
        Datetime), the domain of the records that count (never the cancelled ones) and the path
        to their customer."""
        not_cancelled = [("state", "!=", "cancelled")]
        tickets = [("csc_kind", "!=", False)]
        stage = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled", False)
        if stage:
            tickets.append(("stage_id", "!=", stage.id))
        live_parent = [
            "|",
            ("complaint_id", "=", False),
            ("complaint_id.state", "!=", "cancelled"),
            "|",
            ("eightd_id", "=", False),
            ("eightd_id.state", "!=", "cancelled"),
        ]
        return [
            DueKind(
                "relay",
                self.env._("Relays to the service desk (R-B1)"),
                "helpdesk.ticket",
                "csc_date_relay_deadline",
                "create_date",
                tickets,
                "partner_id",
            ),
            DueKind(
                "reply",
                self.env._("Replies to customer messages (R-B3)"),
                "helpdesk.ticket",
                "csc_date_reply_deadline",
                "csc_date_replied",
                tickets,
                "partner_id",
            ),
            DueKind(
                "contact",
                self.env._("Customers contacted after a service request (seed 002 7.1.3)"),
                "helpdesk.ticket",
                "csc_date_contact_deadline",
                "csc_date_replied",
                [*tickets, ("csc_kind", "in", ("service_request", "consultation"))],
                "partner_id",
            ),
            DueKind(
                "triage",
                self.env._("Triage of service requests (R-E1)"),
                "csc.service.visit",
                "date_triage_deadline",
                "date_triaged",
                not_cancelled,
                "partner_id",
            ),
            DueKind(
                "arrival",
                self.env._("Arrivals on site (R-E2)"),
                "csc.service.visit",
                "date_dispatch_deadline",
                "date_arrival",
                [("state", "not in", ("cancelled", "phone"))],
                "partner_id",
            ),
            DueKind(
                "trip_report",
                self.env._("Trip reports (R-E5)"),
                "csc.service.visit",
                "date_report_due",
                "date_report",
                not_cancelled,
                "partner_id",
            ),
            DueKind(
                "verification",
                self.env._("Verifications of services (R-E5)"),
                "csc.service.visit",
                "date_verification_due",
                "date_verified",
                not_cancelled,
                "partner_id",
            ),
            DueKind(
                "handling",
                self.env._("Complaint handling (R-C2)"),
                "csc.complaint",
                "date_deadline",
                "date_solved",
                not_cancelled,
                "partner_id",
            ),
            DueKind(
                "serious",
                self.env._("Serious problems solved (R-B3)"),
                "csc.complaint",
                "date_serious_deadline",
                "date_solved",
                not_cancelled,
                "partner_id",
            ),
            DueKind(
                "complaint_contact",
                self.env._("Complaint customers visited or written to (R-B3)"),
                "csc.complaint",
                "date_contact_deadline",
                "date_contacted",
                not_cancelled,
                "partner_id",
            ),
            DueKind(
                "meeting",
                self.env._("Responsibility meetings held (R-C3)"),
                "csc.complaint",
                "date_meeting_deadline",
                "date_meeting_held",
                not_cancelled,
                "partner_id",
            ),
            DueKind(
                "resolution",
                self.env._("Complaint resolution (R-C2)"),
                "csc.complaint",
                "date_resolution_deadline",
                "date_closed",
                not_cancelled,
                "partner_id",
            ),
            DueKind(
                "containment",
                self.env._("Containment, 8D D3 (R-C4)"),
                "csc.eightd",
                "date_containment_deadline",
                "date_contained",
                [*not_cancelled, ("complaint_id.state", "!=", "cancelled")],
                "partner_id",
            ),
            DueKind(
                "eightd",
                self.env._("8D reports closed (R-C6)"),
                "csc.eightd",
                "date_deadline",
                "date_closed",
                [*not_cancelled, ("complaint_id.state", "!=", "cancelled")],
                "partner_id",
            ),
            DueKind(
                "action",
                self.env._("Corrective and preventive actions (R-C7)"),
                "csc.action",
                "date_due",
                "date_done",
                live_parent,
                "complaint_id.partner_id",
            ),
            DueKind(
                "rework",
                self.env._("Rework by the customer's date (R-C11)"),
                "csc.rework.plan",
                "date_needed",
                "date_done",
                not_cancelled,
                "return_id.partner_id",
            ),
            DueKind(
                "loan",
                self.env._("Spare-part loans settled (R-F4)"),
                "csc.part.loan",
                "date_settlement_due",
                "date_settled",
                not_cancelled,
                "partner_id",
            ),
            DueKind(
                "departure",
                self.env._("Departures out of warranty (R-E2)"),
                "csc.service.visit",
                "date_departure_deadline",
                "date_departure",
                [("state", "not in", ("cancelled", "phone"))],
                "partner_id",
            ),
        ]

    def _due_moment(self):
        """The moment the month is measured at: its end, or now while it runs."""
        self.ensure_one()
        return min(self._period().end, fields.Datetime.now())

    def _due_domain(self, kind, moment):
        """The records of `kind` whose deadline fell in the month before `moment`, and the
        first moment at which being done is too late to count as done by then (a Date field is
        done by the end of its day)."""
        self.ensure_one()
        Model = self.env[kind.model]
        start = self._period().start
        if Model._fields[kind.deadline].type == "date":
            start, due_before = start.date(), moment.date()
        else:
            due_before = moment
        done_before = moment
        if Model._fields[kind.done].type == "date":
            done_before = (moment - timedelta(microseconds=1)).date() + timedelta(days=1)
        domain = [
            *self._company_domain(),
            *kind.domain,
            (kind.deadline, ">=", start),
            (kind.deadline, "<", due_before),
        ]
        return domain, done_before

    def _due_counts(self, kind, moment, groupby=None):
        """{group: (due, on time, late done)} of `kind` in the month, grouped by the field
        `groupby` (a key None without): one query."""
        Model = self.env[kind.model]
        domain, done_before = self._due_domain(kind, moment)
        query = Model._search(domain)
        deadline = Model._field_to_sql(query.table, kind.deadline, query)
        done = Model._field_to_sql(query.table, kind.done, query)
        done_in_time = SQL("%s IS NOT NULL AND %s < %s", done, done, done_before)
        if "date" in (Model._fields[kind.deadline].type, Model._fields[kind.done].type):
            deadline, done = SQL("(%s)::date", deadline), SQL("(%s)::date", done)
        counts = [
            SQL("COUNT(*)"),
            SQL("COUNT(*) FILTER (WHERE %s AND %s <= %s)", done_in_time, done, deadline),
            SQL("COUNT(*) FILTER (WHERE %s AND %s > %s)", done_in_time, done, deadline),
        ]
        if groupby:
            group = Model._read_group_groupby(groupby, query)
            sql = SQL("%s GROUP BY %s", query.select(group, *counts), group)
        else:
            sql = query.select(SQL("NULL"), *counts)
        self.env.cr.execute(sql)
        return {key: tuple(values) for key, *values in self.env.cr.fetchall()}

    def _due_open(self, kind, moment):
        """The records of `kind` due in the month and not done by `moment`, oldest deadline
        first (at most `OVERDUE_LIST_LIMIT`)."""
        domain, done_before = self._due_domain(kind, moment)
        return self.env[kind.model].search(
            [*domain, "|", (kind.done, "=", False), (kind.done, ">=", done_before)],
            order=f"{kind.deadline}, id",
            limit=OVERDUE_LIST_LIMIT,
        )

    def _overdue_row(self, kind, record, moment):
        deadline = record[kind.deadline]
        if isinstance(deadline, type(moment)):
            days = (moment - deadline).total_seconds() / 86400
            shown = fields.Datetime.context_timestamp(self, deadline).strftime("%Y-%m-%d %H:%M")
        else:
            days = (moment.date() - deadline).days
            shown = fields.Date.to_string(deadline)
        partner = record.mapped(kind.partner)[:1]
        return OverdueRow(
            kind.key,
            kind.label,
            record.display_name,
            partner.display_name or "",
            shown,
            round(days, 1),
        )

    def _figures_due(self):
        """Timeliness counted on what was due (R-I1, R-H2): for each kind of deadline, every
        case whose deadline fell in the month counts once, on time when done by its deadline,
        late when done after it, late and listed as open overdue when not done by the month's
        end (now, for the running month). One query per kind, one more per kind with open
        overdue cases to list them."""
        self.ensure_one()
        # The counts are read in SQL: write what the ORM still holds first.
        self.env.flush_all()
        moment = self._due_moment()
        rows, overdue = [], []
        for kind in self._due_kinds():
            [(due, on_time, late_done)] = self._due_counts(kind, moment).values()
            open_overdue = due - on_time - late_done
            rows.append(
                DueRow(
                    kind.key, kind.label, due, on_time, late_done, open_overdue, _rate(on_time, due)
                )
            )
            if open_overdue:
                records = self._due_open(kind, moment)
                # The customers' names in one read for the whole list, not one per row.
                records.mapped(kind.partner).mapped("display_name")
                overdue += [self._overdue_row(kind, record, moment) for record in records]
        by_kind = {row.kind: row for row in rows}
        # The field services' timeliness: the promise each one made, on site in warranty, set
        # off out of warranty (seed 002 5.2.1.5).
        promises = [by_kind[key] for key in ("arrival", "departure")]
        arrivals = sum(row.due for row in promises)
        return {
            "due": rows,
            "open_overdue": overdue,
            "arrivals": arrivals,
            "arrival_rate": _rate(sum(row.on_time for row in promises), arrivals),
            "replies": by_kind["reply"].due,
            "reply_rate": by_kind["reply"].rate,
            "closed_on_time_rate": by_kind["resolution"].rate,
        }

    def _figures_complaints(self):
        """Complaints received (repeats, caused by a service visit, top causes) and closed
        (on time, mean days to close) in the month."""
        self.ensure_one()
        start, end = self._period()
        company = self._company_domain()
        Complaint = self.env["csc.complaint"]
        received_in_month = [
            *company,
            ("state", "!=", "cancelled"),
            ("date_received", ">=", start),
            ("date_received", "<", end),
        ]
        [(received, repeats, caused_by_service)] = Complaint._read_group(
            received_in_month,
            [],
            ["__count", "repeat_of_id:count", "cause_visit_id:count"],
        )
        [(closed, closed_days)] = Complaint._read_group(
            [*company, ("date_closed", ">=", start), ("date_closed", "<", end)],
            [],
            ["__count", "days_to_close:sum"],
        )
        causes = Complaint._read_group(
            [*received_in_month, ("cause_category", "!=", False)],
            ["cause_category"],
            ["__count"],
            order="__count desc",
        )
        cause_labels = self._selection_labels("csc.complaint", "cause_category")
        Rework = self.env["csc.rework.plan"]
        done_in_month = [*company, ("date_done", ">=", start), ("date_done", "<", end)]
        rework_done = rework_on_time = rework_quantity = 0
        for on_time, count, quantity in Rework._read_group(
            done_in_month, ["on_time"], ["__count", "qty_done:sum"]
        ):
            rework_done += count
            rework_on_time += count if on_time else 0
            rework_quantity += quantity or 0.0
        # Open at the month's end: planned before it and not done by then.
        rework_open = Rework.search_count(
            [
                *company,
                ("state", "!=", "cancelled"),
                ("create_date", "<", end),
                "|",
                ("date_done", "=", False),
                ("date_done", ">=", end),
            ]
        )
        return {
            "rework_done": rework_done,
            "rework_on_time_rate": _rate(rework_on_time, rework_done),
            "rework_quantity": rework_quantity or 0.0,
            "rework_open": rework_open,
            "complaints_received": received,
            "complaints_closed": closed,
            "mean_days_to_close": round(closed_days / closed, 1) if closed else None,
            "repeat_rate": _rate(repeats, received),
            "caused_by_service": caused_by_service,
            "causes": [LabelCount(cause_labels[key], count) for key, count in causes][:5],
        }

    def _figures_satisfaction(self):
        """Answers after field service (mean score, satisfied rate) and the satisfaction
        campaigns closed in the month against their targets."""
        self.ensure_one()
        end = self._period().end
        company = self._company_domain()
        [(answers, score, satisfied)] = self.env["csc.satisfaction.result"]._read_group(
            [*company, *self._month_domain(), ("visit_id", "!=", False)],
            [],
            ["__count", "total_score:avg", "satisfied_rate:avg"],
        )
        campaigns = self.env["csc.satisfaction.campaign"].search(
            [
                *company,
                ("state", "=", "closed"),
                ("date_end", ">=", self.date_start),
                ("date_end", "<", end.date()),
            ]
        )
        return {
            "service_answers": answers,
            "service_score": round(score, 1) if answers else None,
            "service_satisfied_rate": round(satisfied, 1) if answers else None,
            "campaigns": [
                CampaignRate(
                    campaign.display_name,
                    round(campaign.satisfaction_rate, 1),
                    campaign.target_rate,
                )
                for campaign in campaigns
            ],
        }

    def _figures_technicians(self):
        """Each technician's field services finished in the month (R-I4), their arrivals on
        time among those due in the month, and the rate of repeat repairs among the services."""
        self.ensure_one()
        Performance = self.env["csc.technician.performance"]
        domain = [*self._company_domain(), *self._month_domain()]
        technicians = Performance._read_group(
            domain,
            ["technician_id"],
            [
                "__count",
                "satisfied_rate:avg",
                "repeat_repair_rate:avg",
                "complaint_count:sum",
            ],
            order="technician_id",
        )
        # A visit counts once whatever its number of technicians.
        repeat_repairs = dict(
            Performance._read_group(domain, ["repeat_repair_count"], ["visit_id:count_distinct"])
        )
        repeated = repeat_repairs.get(1, 0)
        # Their timeliness is the report's: the arrivals due in the month of the visits they
        # serve, arrived on time, late or not at all (R-I4).
        # Out of warranty the promise is the departure (seed 002 5.2.1.5).
        arrivals = {}
        for kind in self._due_kinds():
            if kind.key in ("arrival", "departure"):
                counts = self._due_counts(kind, self._due_moment(), groupby="technician_ids")
                for user_id, (due, on_time, _late) in counts.items():
                    total = arrivals.get(user_id, (0, 0))
                    arrivals[user_id] = (total[0] + due, total[1] + on_time)
        rows = []
        for user, count, satisfied, repeat, complaints in technicians:
            due, on_time = arrivals.get(user.id, (0, 0))
            rows.append(
                TechnicianRow(
                    user.display_name,
                    count,
                    _rate(on_time, due),
                    _round(satisfied),
                    round(repeat, 1),
                    int(complaints),
                )
            )
        return {
            "technicians": rows,
            "repeat_repair_rate": _rate(repeated, repeat_repairs.get(0, 0) + repeated),
        }

    def _figures_costs(self):
        """Trip expenses of the visits reported in the month, the external failure cost of the
        month (R-I3) by type, what suppliers and the partner brand paid back, the net cost, and
        the revenue of paid service (its posted invoices less their credit notes)."""
        self.ensure_one()
        start, end = self._period()
        expenses = self.env["csc.service.expense"]._read_group(
            [
                ("visit_id.company_id", "=", self.company_id.id),
                ("visit_id.date_report", ">=", start),
                ("visit_id.date_report", "<", end),
            ],
            ["expense_type"],
            ["amount:sum"],
        )
        FailureCost = self.env["csc.failure.cost"]
        failure_costs = dict(
            FailureCost._read_group(
                [*self._company_domain(), *self._month_domain()], ["cost_type"], ["amount:sum"]
            )
        )
        recovery_types = FailureCost._recovery_types()
        expense_labels = self._selection_labels("csc.service.expense", "expense_type")
        cost_labels = self._selection_labels("csc.failure.cost", "cost_type")
        # Revenue is finance's figure: read with the system's rights, for this company only.
        [[revenue]] = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    *self._company_domain(),
                    *self._month_domain(),
                    ("move_id.csc_origin", "=", "paid_service"),
                    ("parent_state", "=", "posted"),
                    ("display_type", "=", "product"),
                ],
                aggregates=["balance:sum"],
            )
        )
        gross = sum(amount for key, amount in failure_costs.items() if key not in recovery_types)
        return {
            "expenses": [LabelAmount(expense_labels[key], amount) for key, amount in expenses],
            "expense_total": sum(amount for _key, amount in expenses),
            "failure_costs": [
                LabelAmount(label, failure_costs.get(key, 0.0))
                for key, label in cost_labels.items()
                if key not in recovery_types
            ],
            "failure_recoveries": [
                LabelAmount(cost_labels[key], failure_costs.get(key, 0.0)) for key in recovery_types
            ],
            "failure_cost_gross": gross,
            "failure_cost_total": sum(failure_costs.values()),
            "paid_service_revenue": -revenue if revenue else 0.0,
        }

    def _figures_quarter_causes(self):
        """Complaints and field repairs of the quarter to date by cause and responsible
        department (R-I2), most frequent first."""
        self.ensure_one()
        end = self._period().end
        quarter_start = self.date_start.replace(month=(self.date_start.month - 1) // 3 * 3 + 1)
        groups = self.env["csc.cause.analysis"]._read_group(
            [*self._company_domain(), ("date", ">=", quarter_start), ("date", "<", end.date())],
            ["cause_category", "department_id", "source"],
            ["__count"],
        )
        by_cause = {}
        for cause, department, source, count in groups:
            row = by_cause.setdefault((cause, department), {"complaint": 0, "repair": 0})
            row[source] += count
        cause_labels = self._selection_labels("csc.cause.analysis", "cause_category")
        rows = [
            CauseRow(
                cause_labels[cause],
                department.display_name if department else "",
                counts["complaint"],
                counts["repair"],
            )
            for (cause, department), counts in by_cause.items()
        ]
        return {
            "quarter": f"{quarter_start.year}-Q{(quarter_start.month - 1) // 3 + 1}",
            "quarter_causes": sorted(rows, key=lambda row: -(row.complaints + row.repairs)),
        }

    def _figures_ppm(self):
        """Each customer's PPM of the month (all products) against its target: complained
        parts received in the month per million delivered in the month."""
        self.ensure_one()
        rows = self.env["csc.ppm.report"]._ppm_figures(
            [*self._company_domain(), ("month", "=", self.date_start)], ["partner_id"]
        )
        return {
            "ppm": [
                PpmRow(
                    row["partner_id"].display_name,
                    row["delivered"],
                    row["zero_km"],
                    row["field"],
                    _round(row["ppm_zero_km"]),
                    _round(row["ppm_field"]),
                    _round(row["ppm_total"]),
                    row["targets"]["total"] or None,
                    row["met"],
                )
                for row in sorted(rows, key=lambda row: row["partner_id"].display_name)
            ]
        }

    def _figures_ntf(self):
        """The field returns analysed in the month by product (VDA field failure analysis): no
        trouble found against all analysed, the NTF rate."""
        self.ensure_one()
        start, end = self._period()
        groups = self.env["csc.complaint.return"]._read_group(
            [
                *self._company_domain(),
                ("complaint_id.detection_stage", "=", "field"),
                ("analysis_stage", "in", ("ntf", "fault")),
                ("date_analysed", ">=", start),
                ("date_analysed", "<", end),
            ],
            ["product_id", "analysis_stage"],
            ["__count"],
        )
        by_product = {}
        for product, stage, count in groups:
            counts = by_product.setdefault(product, {"ntf": 0, "fault": 0})
            counts[stage] += count
        rows = [
            NtfRow(
                product.display_name,
                counts["ntf"] + counts["fault"],
                counts["ntf"],
                counts["fault"],
                _rate(counts["ntf"], counts["ntf"] + counts["fault"]),
            )
            for product, counts in by_product.items()
        ]
        analysed = sum(row.analysed for row in rows)
        ntf = sum(row.ntf for row in rows)
        return {
            "ntf": sorted(rows, key=lambda row: row.product),
            "ntf_rate": _rate(ntf, analysed),
        }

    @api.model
    def _figures_to_json(self, figures):
        """The figures as stored: rows as JSON objects."""
        return {
            key: [row._asdict() for row in value] if key in ROW_TYPES else value
            for key, value in figures.items()
        }

    @api.model
    def _figures_from_json(self, stored):
        """The stored figures with their named rows rebuilt."""
        return {
            key: [ROW_TYPES[key](**row) for row in value] if key in ROW_TYPES else value
            for key, value in stored.items()
        }

    # -- indicators and tables -----------------------------------------------------------------

    def _kpi_targets(self):
        """The target of each KPI, by figure: those in force when the report was issued, else
        the company's settings."""
        self.ensure_one()
        if self.state == "issued" and self.issued_targets:
            return dict(self.issued_targets)
        company = self.company_id
        return {key: company[field] for key, field in KPI_TARGET_FIELDS.items()}

    def _kpis(self, figures):
        """Each KPI of R-H2 / R-I4 against its target, as `Kpi(label, value, target, met)`;
        `met` is None when the month has nothing to measure."""
        targets = self._kpi_targets()
        # (figure, label, whether a higher value is better)
        indicators = [
            ("arrival_rate", self.env._("Arrival timeliness (%)"), True),
            ("reply_rate", self.env._("Response timeliness (%)"), True),
            ("service_satisfied_rate", self.env._("Satisfied after field service (%)"), True),
            (
                "caused_by_service_rate",
                self.env._("Complaints caused by the service (%)"),
                False,
            ),
            ("repeat_repair_rate", self.env._("Repeat repairs (%)"), False),
            ("closed_on_time_rate", self.env._("Complaints closed on time (%)"), True),
            ("mean_days_to_close", self.env._("Mean days to close a complaint"), False),
            ("repeat_rate", self.env._("Repeat complaints (%)"), False),
        ]
        result = []
        for key, label, higher_is_better in indicators:
            value, target = figures[key], targets[key]
            if value is None:
                met = None
            elif key == "caused_by_service_rate":
                # "Complaints caused by the service < 3 %" is strict, on the exact counts.
                met = figures["caused_by_service"] * 100 < target * figures["field_services"]
            else:
                met = value >= target if higher_is_better else value <= target
            result.append(Kpi(label, value, target, met))
        return result

    def _sections(self, figures):
        """The report's tables, as `Section(title, columns, rows)` with `Column(label, kind)`
        (kind: text, int, num or money) and rows of cells in the columns' order: the PDF, the
        spreadsheet and the form render the same tables."""
        self.ensure_one()

        def status(met):
            return "-" if met is None else (self.env._("Met") if met else self.env._("Missed"))

        figure_column = Column(self.env._("Figure"), "text")
        value_column = Column(self.env._("Value"), "num")
        target_column = Column(self.env._("Target"), "num")
        amount_column = Column(self.env._("Amount"), "money")
        return [
            Section(
                self.env._("Key performance indicators"),
                [
                    Column(self.env._("Indicator"), "text"),
                    value_column,
                    target_column,
                    Column(self.env._("Status"), "text"),
                ],
                [
                    (kpi.label, kpi.value, kpi.target, status(kpi.met))
                    for kpi in self._kpis(figures)
                ],
            ),
            Section(
                self.env._("Service"),
                [figure_column, value_column],
                [
                    (self.env._("Service visits requested"), figures["visit_total"]),
                    *[("· " + row.label, row.count) for row in figures["visits"]],
                    (self.env._("Field services finished"), figures["field_services"]),
                    (self.env._("· solved by phone"), figures.get("phone_solved", 0)),
                    (self.env._("Arrivals due"), figures["arrivals"]),
                    (self.env._("Arrival timeliness (%)"), figures["arrival_rate"]),
                    (self.env._("Replies due"), figures["replies"]),
                    (self.env._("Response timeliness (%)"), figures["reply_rate"]),
                    (
                        self.env._("Outstanding loans at the end of the month"),
                        figures["loans_outstanding"],
                    ),
                ],
            ),
            *self._sections_due(figures)[:1],
            Section(
                self.env._("Complaints"),
                [figure_column, value_column],
                [
                    (self.env._("Complaints received"), figures["complaints_received"]),
                    (self.env._("Complaints closed"), figures["complaints_closed"]),
                    (self.env._("Caused by the service"), figures["caused_by_service"]),
                    (self.env._("Rework plans done (R-C11)"), figures.get("rework_done", 0)),
                    (self.env._("· parts reworked"), figures.get("rework_quantity", 0.0)),
                    (
                        self.env._("· done by the customer's date (%)"),
                        figures.get("rework_on_time_rate"),
                    ),
                    (self.env._("Rework plans open"), figures.get("rework_open", 0)),
                    (self.env._("Top causes"), None),
                    *[("· " + row.label, row.count) for row in figures["causes"]],
                ],
            ),
            Section(
                self.env._("Satisfaction"),
                [figure_column, value_column, target_column],
                [
                    (self.env._("Answers after field service"), figures["service_answers"], None),
                    (self.env._("Mean score after field service"), figures["service_score"], None),
                    (
                        self.env._("Satisfied after field service (%)"),
                        figures["service_satisfied_rate"],
                        self._kpi_targets()["service_satisfied_rate"],
                    ),
                    *[
                        (self.env._("Campaign %s (%%)", row.name), row.rate, row.target)
                        for row in figures["campaigns"]
                    ],
                ],
            ),
            Section(
                self.env._("Technician performance"),
                [
                    Column(self.env._("Technician"), "text"),
                    Column(self.env._("Services"), "int"),
                    Column(self.env._("On time (%)"), "num"),
                    Column(self.env._("Satisfied (%)"), "num"),
                    Column(self.env._("Repeat repairs (%)"), "num"),
                    Column(self.env._("Complaints caused"), "int"),
                ],
                [tuple(row) for row in figures["technicians"]],
            ),
            Section(
                self.env._("External failure cost"),
                [Column(self.env._("Cost"), "text"), amount_column],
                self._failure_cost_rows(figures),
            ),
            Section(
                self.env._("Trip expenses"),
                [Column(self.env._("Expense"), "text"), amount_column],
                [
                    *[(row.label, row.amount) for row in figures["expenses"]],
                    (self.env._("Total"), figures["expense_total"]),
                ],
            ),
            Section(
                self.env._("Cause analysis, quarter to date (%s)", figures["quarter"]),
                [
                    Column(self.env._("Cause"), "text"),
                    Column(self.env._("Responsible department"), "text"),
                    Column(self.env._("Complaints"), "int"),
                    Column(self.env._("Field repairs"), "int"),
                ],
                [tuple(row) for row in figures["quarter_causes"]],
            ),
            *self._sections_quality(figures),
            *self._sections_due(figures)[1:],
        ]

    def _failure_cost_rows(self, figures):
        """The costs, their sum, what suppliers and the partner brand paid back and the net
        cost, then the revenue of paid service (apart: the customer's money is no failure
        cost). A report issued before the recoveries were counted shows its costs and total."""
        rows = [(row.label, row.amount) for row in figures["failure_costs"]]
        if "failure_recoveries" not in figures:
            return [*rows, (self.env._("Total"), figures["failure_cost_total"])]
        return [
            *rows,
            (self.env._("Gross external failure cost"), figures["failure_cost_gross"]),
            *[(row.label, row.amount) for row in figures["failure_recoveries"]],
            (self.env._("Net external failure cost"), figures["failure_cost_total"]),
            (self.env._("Revenue of paid service"), figures["paid_service_revenue"]),
        ]

    def _sections_due(self, figures):
        """The timeliness of every kind of deadline (after the service figures) and the list of
        the cases still open past their deadline at the month's end (last); none for a report
        issued before they were counted."""
        if "due" not in figures:
            return []
        listed = {}
        for row in figures["open_overdue"]:
            listed[row.kind] = listed.get(row.kind, 0) + 1
        overdue_rows = [
            (row.label, row.reference, row.partner, row.deadline, row.days_overdue)
            for row in figures["open_overdue"]
        ]
        for row in figures["due"]:
            more = row.open_overdue - listed.get(row.kind, 0)
            if more > 0:
                overdue_rows.append(
                    (row.label, self.env._("… and %s more", more), None, None, None)
                )
        return [
            Section(
                self.env._("Timeliness on what was due"),
                [
                    Column(self.env._("Promise"), "text"),
                    Column(self.env._("Cases due"), "int"),
                    Column(self.env._("On time"), "int"),
                    Column(self.env._("Done late"), "int"),
                    Column(self.env._("Open overdue"), "int"),
                    Column(self.env._("On time (%)"), "num"),
                ],
                [
                    (row.label, row.due, row.on_time, row.late_done, row.open_overdue, row.rate)
                    for row in figures["due"]
                ],
            ),
            Section(
                self.env._("Open overdue at the end of the month"),
                [
                    Column(self.env._("Promise"), "text"),
                    Column(self.env._("Record"), "text"),
                    Column(self.env._("Customer"), "text"),
                    Column(self.env._("Due"), "text"),
                    Column(self.env._("Days overdue"), "num"),
                ],
                overdue_rows,
            ),
        ]

    def _sections_quality(self, figures):
        """What the customers' quality departments measure: each customer's PPM of the month
        against its target, and the no-trouble-found rate of the field returns analysed; none
        for a report issued before they were counted."""
        if "ppm" not in figures:
            return []

        def status(met):
            return "-" if met is None else (self.env._("Met") if met else self.env._("Missed"))

        ntf_rows = [tuple(row) for row in figures["ntf"]]
        if ntf_rows:
            analysed = sum(row.analysed for row in figures["ntf"])
            ntf = sum(row.ntf for row in figures["ntf"])
            ntf_rows.append(
                (self.env._("Total"), analysed, ntf, analysed - ntf, figures["ntf_rate"])
            )
        return [
            Section(
                self.env._("Customer PPM"),
                [
                    Column(self.env._("Customer"), "text"),
                    Column(self.env._("Delivered"), "num"),
                    Column(self.env._("Rejected 0 km"), "num"),
                    Column(self.env._("Rejected field"), "num"),
                    Column(self.env._("PPM 0 km"), "num"),
                    Column(self.env._("PPM field"), "num"),
                    Column(self.env._("PPM"), "num"),
                    Column(self.env._("Target"), "num"),
                    Column(self.env._("Status"), "text"),
                ],
                [(*row[:-1], status(row.met)) for row in figures["ppm"]],
            ),
            Section(
                self.env._("Field returns: no trouble found"),
                [
                    Column(self.env._("Product"), "text"),
                    Column(self.env._("Analysed"), "int"),
                    Column(self.env._("No trouble found"), "int"),
                    Column(self.env._("Fault found"), "int"),
                    Column(self.env._("NTF rate (%)"), "num"),
                ],
                ntf_rows,
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

    # -- stored documents ----------------------------------------------------------------------

    def _document_name(self, extension):
        """The name of the stored PDF / spreadsheet; the PDF report action's `attachment`
        expression gives the same name."""
        self.ensure_one()
        return f"Monthly Report {self.name}.{extension}"

    def _issued_attachments(self):
        """The PDFs and spreadsheets stored when the reports were issued."""
        names = [report._document_name(ext) for report in self for ext in ("pdf", "xlsx")]
        return self.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids), ("name", "in", names)]
        )

    def _issued_attachment(self, extension):
        self.ensure_one()
        return self._issued_attachments().filtered(
            lambda attachment: attachment.name == self._document_name(extension)
        )[:1]

    def _store_documents(self):
        """Print the issued report as PDF and as spreadsheet once and keep both on it."""
        self.ensure_one()
        Report = self.env["ir.actions.report"]
        # The PDF action stores what it prints for an issued report (`attachment`) and returns
        # the stored file afterwards (`attachment_use`). Under the test runner, without
        # `force_report_rendering`, Odoo renders HTML instead and nothing is stored.
        Report._render_qweb_pdf(PDF_REPORT, self.ids)
        xlsx, _kind = Report._render_xlsx(XLSX_REPORT, self.ids, {})
        if not self._issued_attachment("xlsx"):
            self.env["ir.attachment"].create(
                {
                    "name": self._document_name("xlsx"),
                    "raw": xlsx,
                    "res_model": self._name,
                    "res_id": self.id,
                    "type": "binary",
                    "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                }
            )

    # -- scheduled -----------------------------------------------------------------------------

    @api.model
    def _cron_send_last_month(self):
        """On the first days of a month: last month's report of each company issued (if still a
        draft) and sent to the general managers, in the background: one job per company. Once: a
        job still waiting is not queued again, and a report already sent is neither issued nor
        sent again."""
        month = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        for company in self.env["res.company"].search([]):
            self.with_company(company).with_delay(
                channel="root.csc",
                description=self.env._(
                    "Monthly service report %(month)s of %(company)s",
                    month=month.strftime("%Y-%m"),
                    company=company.name,
                ),
                identity_key=f"{self._name}:send:{company.id}:{month}",
            )._csc_job_issue_and_send(company, month)

    @api.model
    def _csc_job_issue_and_send(self, company, month):
        """Job: the report of `company` for `month`, created if missing, issued if still a draft,
        e-mailed to the company's general managers unless already sent (a job performed twice
        sends it once: the report's row is locked and `date_sent` checked)."""
        template = self.env.ref("customer_service_control.mail_template_csc_monthly_report")
        report = self.with_company(company)
        report = report.search(
            [("company_id", "=", company.id), ("date_start", "=", month)]
        ) or report.create({"company_id": company.id, "date_start": month})
        report._csc_lock_rows()
        if report.date_sent:
            return False
        if report.state == "draft":
            report.action_issue()
        recipients = company._csc_users(
            "customer_service_control.group_csc_general_manager"
        ).filtered("email")
        if recipients:
            template.send_mail(
                report.id,
                email_values={"recipient_ids": [(6, 0, recipients.partner_id.ids)]},
            )
            report._csc_write({"date_sent": fields.Datetime.now()})
        return True
