from odoo import models


class CscMonthlyReportXlsx(models.AbstractModel):
    _name = "report.customer_service_control.monthly_report_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Monthly Service Report (spreadsheet)"

    def generate_xlsx_report(self, workbook, data, reports):
        """One sheet per month with the PDF's tables (`csc.monthly.report._sections`)."""
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
            sheet.write(0, 0, self.env._("Monthly Service Report"), title)
            sheet.write(0, 1, report.name, title)
            sheet.write(1, 0, self.env._("Record code"))
            sheet.write(1, 1, report.company_id.csc_code_monthly_report)
            row = 3
            for section_title, columns, lines in report._sections(report._figures()):
                sheet.write(row, 0, section_title, title)
                row += 1
                for col, (label, _kind) in enumerate(columns):
                    sheet.write(row, col, label, bold)
                row += 1
                for line in lines:
                    for col, ((_label, kind), value) in enumerate(zip(columns, line, strict=True)):
                        if kind == "num" and isinstance(value, int):
                            kind = "int"
                        sheet.write(row, col, "-" if value is None else value, formats[kind])
                    row += 1
                row += 1
