from odoo import fields
from odoo import models


class CscMonthlyReportXlsx(models.AbstractModel):
    _name = "report.customer_service_control.monthly_report_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Monthly Service Report (spreadsheet)"

    def create_xlsx_report(self, docids, data):
        """An issued report prints as the spreadsheet stored when it was issued (byte for
        byte); drafts, and several reports at once, are written anew."""
        reports = self._get_objs_for_report(docids, data)
        if len(reports) == 1 and reports.state == "issued":
            stored = reports._issued_attachment("xlsx")
            if stored:
                return stored.raw, "xlsx"
        return super().create_xlsx_report(docids, data)

    def generate_xlsx_report(self, workbook, data, reports):
        """One sheet per month with the PDF's tables (`csc.monthly.report._sections`); an
        issued report's from its stored figures."""
        title = workbook.add_format({"bold": True, "font_size": 14})
        bold = workbook.add_format({"bold": True})
        formats = {
            "text": None,
            "int": workbook.add_format({"num_format": "0"}),
            "num": workbook.add_format({"num_format": "0.0"}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
        }
        for report in reports:
            sheet = workbook.add_worksheet(report.name)
            sheet.set_column(0, 0, 42)
            sheet.set_column(1, 5, 18)
            self._write_header(sheet, report, title)
            self._write_sections(sheet, report, 4, {"title": title, "bold": bold, **formats})

    def _write_header(self, sheet, report, title):
        """The report's title, record code and status."""
        sheet.write(0, 0, self.env._("Monthly Service Report"), title)
        sheet.write(0, 1, report.name, title)
        sheet.write(1, 0, self.env._("Record code"))
        sheet.write(1, 1, report.company_id.csc_code_monthly_report)
        sheet.write(2, 0, self.env._("Status"))
        sheet.write(
            2,
            1,
            self.env._(
                "Issued on %(date)s by %(user)s",
                date=fields.Datetime.context_timestamp(report, report.date_issued).strftime(
                    "%Y-%m-%d %H:%M"
                ),
                user=report.issued_by_id.name,
            )
            if report.state == "issued"
            else self.env._("Draft"),
        )

    def _write_sections(self, sheet, report, row, formats):
        """The tables of the report from `row` on, each under its title."""
        for section in report._sections(report._figures()):
            sheet.write(row, 0, section.title, formats["title"])
            row += 1
            for col, column in enumerate(section.columns):
                sheet.write(row, col, column.label, formats["bold"])
            row += 1
            for line in section.rows:
                for col, (column, value) in enumerate(zip(section.columns, line, strict=True)):
                    kind = column.kind
                    if kind == "num" and isinstance(value, int):
                        kind = "int"
                    sheet.write(row, col, "-" if value is None else value, formats[kind])
                row += 1
            row += 1
