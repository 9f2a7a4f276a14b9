import io
import zipfile
from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import UserError

from ..models.csc_monthly_report import DueRow
from ..models.csc_monthly_report import Kpi
from ..models.csc_monthly_report import LabelCount
from ..models.csc_monthly_report import TechnicianRow
from .common import CscCase
from .common import force

MARCH = datetime(2026, 3, 10, 9, 0)
PDF = "customer_service_control.report_monthly"
XLSX = "customer_service_control.monthly_report_xlsx"
REASON = "A complaint of March was registered late"


class TestMonthlyReportIssue(CscCase):
    """An issued monthly report is frozen (R-I1): figures, PDF and spreadsheet stored and
    reprinted as issued; the dashboard reads the stored figures; reopened by a service manager
    with a reason, it is computed again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        visit = cls.env["csc.service.visit"].create(
            {
                "partner_id": cls.customer.id,
                "date_request": MARCH,
                "distance": 100,
                "technician_ids": [(6, 0, cls.technician.ids)],
            }
        )
        force(
            visit,
            {
                "state": "done",
                "date_cost_confirmed": MARCH,
                "date_arrival": datetime(2026, 3, 10, 20, 0),  # on time
                "date_end": datetime(2026, 3, 10, 22, 0),
            },
        )
        cls.complaint = cls._complaint("Noise", "assembly")
        force(cls.complaint, {"date_closed": datetime(2026, 3, 20, 9, 0)})
        cls.report = cls.env["csc.monthly.report"].create({"date_start": "2026-03-01"})

    @classmethod
    def _complaint(cls, title, cause, received=MARCH):
        return cls.env["csc.complaint"].create(
            {
                "title": title,
                "partner_id": cls.customer.id,
                "date_received": received,
                "cause_category": cause,
            }
        )

    @contextmanager
    def _rendering(self):
        """PDFs rendered by wkhtmltopdf as in production (the server sees this test's
        transaction, as in `render_pdf`)."""
        self.registry.enter_test_mode(self.cr)
        try:
            yield
        finally:
            self.registry.leave_test_mode()

    def _issue(self, report=None, user=None):
        """Issue as a service manager, the PDF printed and stored as in production."""
        report = (report or self.report).with_user(user or self.service_manager)
        with self._rendering():
            return report.with_context(force_report_rendering=True).action_issue()

    def _xlsx(self, report=None):
        content, kind = self.env["ir.actions.report"]._render_xlsx(
            XLSX, (report or self.report).ids, {}
        )
        self.assertEqual(kind, "xlsx")
        return content

    def _stored(self, extension):
        return self.report._issued_attachment(extension)

    # -- issuing ------------------------------------------------------------------------------

    def test_issue_stores_figures_and_documents(self):
        live = self.report._figures_live()
        self.assertIs(self._issue(), True)
        report = self.report
        self.assertEqual(report.state, "issued")
        self.assertEqual(report.issued_by_id, self.service_manager)
        self.assertTrue(report.date_issued)
        self.assertEqual(report._figures(), live)
        self.assertEqual(report.issued_targets["arrival_rate"], 90.0)
        pdf, xlsx = self._stored("pdf"), self._stored("xlsx")
        self.assertEqual(pdf.name, "Monthly Report 2026-03.pdf")
        self.assertEqual(pdf.mimetype, "application/pdf")
        self.assertTrue(pdf.raw.startswith(b"%PDF"))
        self.assertEqual(xlsx.name, "Monthly Report 2026-03.xlsx")
        self.assertEqual(report.message_ids[0].attachment_ids, pdf | xlsx)
        # Issuing twice is refused.
        with self.assertRaisesRegex(UserError, "cannot be issued"):
            self._issue()

    def test_issued_report_is_locked(self):
        self._issue()
        manager_report = self.report.with_user(self.service_manager)
        with self.assertRaisesRegex(UserError, "locked"):
            manager_report.write({"date_start": "2026-04-01"})
        for vals in ({"state": "draft"}, {"issued_figures": {"arrival_rate": 100.0}}):
            with self.assertRaisesRegex(UserError, "locked|only through its actions"):
                manager_report.write(vals)
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            manager_report.unlink()
        form = self.env["csc.monthly.report"].get_view(view_type="form")["arch"]
        self.assertIn('name="date_start" readonly="is_locked', form)
        self.assertIn('name="action_reopen"', form)

    def test_reprint_is_identical_after_new_data(self):
        self._issue()
        pdf = self._stored("pdf").raw
        xlsx = self._stored("xlsx").raw
        card = self.report.kpi_html
        summary = self.report.summary_html
        figures = self.report._figures()
        # A complaint of March registered after the report was issued.
        self._complaint("Late registration", "design")
        self.env.flush_all()
        self.report.invalidate_recordset()
        self.assertEqual(self.report._figures_live()["complaints_received"], 2)
        self.assertEqual(self.report._figures(), figures)
        self.assertEqual(figures["complaints_received"], 1)
        self.assertEqual(self.render_pdf(PDF, self.report.ids), (pdf, "pdf"))
        self.assertEqual(self.render_pdf(PDF, self.report.ids), (pdf, "pdf"))
        self.assertEqual(self._xlsx(), xlsx)
        self.assertEqual(self.report.kpi_html, card)
        self.assertEqual(self.report.summary_html, summary)
        # A reader prints the same files; nothing new is stored.
        desk_report = self.report.with_user(self.desk_user)
        self.assertEqual(
            self.env["ir.actions.report"]
            .with_user(self.desk_user)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(PDF, desk_report.ids)[0],
            pdf,
        )
        self.assertEqual(len(self.report._issued_attachments()), 2)

    def test_issued_spreadsheet_states_the_issue(self):
        self._issue()
        with zipfile.ZipFile(io.BytesIO(self._stored("xlsx").raw)) as book:
            strings = book.read("xl/sharedStrings.xml").decode()
        for text in ("Issued on", self.service_manager.name, "Key performance indicators"):
            self.assertIn(text, strings)

    def test_only_a_finished_month_is_issued(self):
        with freeze_time("2026-03-31 12:00:00"):
            with self.assertRaisesRegex(UserError, "not over"):
                self.report.with_user(self.service_manager).action_issue()
        self.assertEqual(self.report.state, "draft")

    # -- access -------------------------------------------------------------------------------

    def test_only_a_service_manager_issues(self):
        for user in (self.technician, self.desk_user, self.quality_user, self.clerk):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.report.with_user(user).action_issue()
        self.assertEqual(self.report.state, "draft")
        self.assertFalse(self.report._issued_attachments())
        # Nor is it issued by writing its state, even by a manager.
        with self.assertRaisesRegex(UserError, "only through its actions"):
            self.report.with_user(self.service_manager).write({"state": "issued"})
        self._issue(user=self.general_manager)
        self.assertEqual(self.report.state, "issued")

    def test_reopen_needs_a_manager_and_a_reason(self):
        self._issue()
        old_pdf = self._stored("pdf")
        for user in (self.desk_user, self.quality_user, self.technician):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.report.with_user(user)._csc_reopen(REASON)
        with self.assertRaises(AccessError):
            self.report.with_user(self.desk_user).action_reopen()
        manager_report = self.report.with_user(self.service_manager)
        for reason in ("", "  ", False):
            with self.assertRaisesRegex(UserError, "reason"):
                manager_report._csc_reopen(reason)
        self.assertEqual(self.report.state, "issued")
        action = manager_report.action_reopen()
        self.env["csc.reopen.wizard"].with_user(self.service_manager).with_context(
            **action["context"]
        ).create({"reason": REASON}).action_confirm()
        report = self.report
        self.assertEqual(report.state, "draft")
        self.assertFalse(report.issued_figures or report.issued_targets or report.date_issued)
        self.assertIn(REASON, str(report.message_ids[0].body))
        # The withdrawn documents stay in the chatter, renamed; none is reprinted any more.
        self.assertIn("(withdrawn", old_pdf.name)
        self.assertFalse(report._issued_attachments())
        # Reopened, it is computed again and reissued with its own documents.
        self._complaint("Late registration", "design")
        self.assertEqual(report._figures()["complaints_received"], 2)
        report.with_user(self.service_manager).write({"company_id": self.company.id})
        self._issue()
        self.assertEqual(report.issued_figures["complaints_received"], 2)
        new_pdf = self._stored("pdf")
        self.assertNotEqual(new_pdf, old_pdf)
        self.assertEqual(self.render_pdf(PDF, report.ids)[0], new_pdf.raw)

    # -- draft and dashboard ------------------------------------------------------------------

    def test_draft_recomputes(self):
        card = self.report.kpi_html
        self.assertEqual(self.report._figures()["complaints_received"], 1)
        complaint = self._complaint("Late registration", "design")
        force(complaint, {"date_closed": datetime(2026, 3, 31, 9, 0)})  # late: red
        self.report.invalidate_recordset()
        self.assertEqual(self.report._figures()["complaints_received"], 2)
        self.assertNotEqual(self.report.kpi_html, card)
        html = self.env["ir.actions.report"]._render_qweb_html(PDF, self.report.ids)[0].decode()
        self.assertIn("Draft: the figures are those of the moment of printing", html)
        # Printing a draft stores nothing.
        self.assertFalse(self.report._issued_attachments())

    def test_dashboard_card_reads_the_stored_figures(self):
        self._issue()
        draft = self.env["csc.monthly.report"].create({"date_start": "2026-02-01"})
        self.env.invalidate_all()
        Report = type(self.report)
        with patch.object(Report, "_figures_live", side_effect=AssertionError("recomputed")):
            cards = self.report.kpi_html
            self.assertIn("Arrival timeliness (%)", cards)
            self.assertIn("text-bg-success", cards)  # the visit was on time
            with self.assertRaisesRegex(AssertionError, "recomputed"):
                self.assertTrue(draft.kpi_html)
        # The issued card costs a read of the report, whatever the month's volume.
        self.env.invalidate_all()
        self.assertTrue(self.report.company_id.name)  # the company is read for any card
        count = self.cr.sql_log_count
        self.assertTrue(self.report.kpi_html)
        self.assertLessEqual(self.cr.sql_log_count - count, 2)
        # The targets are those in force when the report was issued.
        self.company.csc_kpi_timeliness = 99.0
        self.report.invalidate_recordset()
        kpis = {kpi.label: kpi for kpi in self.report._kpis(self.report._figures())}
        self.assertEqual(kpis["Arrival timeliness (%)"].target, 90.0)
        draft_kpis = {kpi.label: kpi for kpi in draft._kpis(draft._figures())}
        self.assertEqual(draft_kpis["Arrival timeliness (%)"].target, 99.0)

    # -- named figures ------------------------------------------------------------------------

    def test_figure_parts_return_named_values(self):
        report = self.report
        service = report._figures_service()
        self.assertEqual(service["visits"], [LabelCount(label="Field Repair", count=1)])
        self.assertEqual(service["visits"][0].label, "Field Repair")
        self.assertEqual(service["field_services"], 1)
        due = report._figures_due()
        self.assertEqual((due["arrivals"], due["arrival_rate"]), (1, 100.0))
        arrival = next(row for row in due["due"] if row.kind == "arrival")
        self.assertEqual(
            arrival,
            DueRow(
                "arrival", arrival.label, due=1, on_time=1, late_done=0, open_overdue=0, rate=100.0
            ),
        )
        complaints = report._figures_complaints()
        self.assertEqual(complaints["complaints_received"], 1)
        self.assertEqual(complaints["causes"][0].label, "Assembly")
        self.assertEqual(complaints["causes"][0].count, 1)
        self.assertEqual(report._figures_satisfaction()["service_answers"], 0)
        technicians = report._figures_technicians()["technicians"]
        self.assertEqual(
            technicians,
            [
                TechnicianRow(
                    technician=self.technician.name,
                    services=1,
                    on_time_rate=100.0,
                    satisfied_rate=0.0,  # no answer yet
                    repeat_repair_rate=0.0,
                    complaints=0,
                )
            ],
        )
        costs = report._figures_costs()
        self.assertEqual(costs["failure_cost_total"], 0)
        self.assertTrue(all(row.amount == 0 for row in costs["failure_costs"]))
        causes = report._figures_quarter_causes()
        self.assertEqual(causes["quarter"], "2026-Q1")
        self.assertEqual(causes["quarter_causes"][0].cause, "Assembly")
        self.assertEqual(causes["quarter_causes"][0].complaints, 1)
        figures = report._figures_live()
        self.assertEqual(figures["caused_by_service_rate"], 0.0)
        kpi = report._kpis(figures)[0]
        self.assertIsInstance(kpi, Kpi)
        self.assertEqual(
            (kpi.label, kpi.value, kpi.target, kpi.met),
            ("Arrival timeliness (%)", 100.0, 90.0, True),
        )
        # Stored as JSON and read back, the figures are the same named values.
        self.assertEqual(report._figures_from_json(report._figures_to_json(figures)), figures)
        sections = report._sections(figures)
        self.assertEqual(sections[0].title, "Key performance indicators")
        self.assertEqual(
            [column.kind for column in sections[0].columns], ["text", "num", "num", "text"]
        )

    # -- scheduled sending --------------------------------------------------------------------

    def test_cron_issues_and_sends_once(self):
        self.general_manager.email = "gm@example.com"
        Report = self.env["csc.monthly.report"].with_context(force_report_rendering=True)
        with freeze_time("2026-04-01 06:00:00"), self._rendering():
            Report._cron_send_last_month()
            Report._cron_send_last_month()
        self.assertEqual(self.report.state, "issued")
        self.assertTrue(self.report.date_sent)
        self.assertEqual(len(self.report._issued_attachments()), 2)
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "csc.monthly.report"), ("res_id", "=", self.report.id)])
        )
        self.assertEqual(len(mails), 1)
        self.assertIn(self.general_manager.partner_id, mails.recipient_ids)
        self.assertEqual(len(Report.search([("name", "=", "2026-03")])), 1)
        # An already issued report is sent as issued, not issued again.
        april = Report.create({"date_start": "2026-04-01"})
        self._issue(april)
        issued_on = april.date_issued
        with freeze_time("2026-05-01 06:00:00"), self._rendering():
            Report._cron_send_last_month()
        self.assertEqual((april.state, april.date_issued), ("issued", issued_on))
        self.assertTrue(april.date_sent)
