from odoo import models


class CscMonthlyReportXlsx(models.AbstractModel):
    _name = "report.customer_service_control.monthly_report_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Monthly Service Report (spreadsheet)"

    def generate_xlsx_report(self, workbook, data, reports):
        bold = workbook.add_format({"bold": True})
        percent = workbook.add_format({"num_format": "0.0"})
        for report in reports:
            figures = report._figures()
            sheet = workbook.add_worksheet(report.name)
            sheet.set_column(0, 0, 40)
            sheet.set_column(1, 1, 16)
            rows = [
                (self.env._("Monthly Service Report"), report.name),
                (self.env._("Record code"), report.company_id.csc_code_monthly_report),
                (self.env._("Service visits"), figures["visit_total"]),
                *figures["visits"],
                (self.env._("Arrivals"), figures["arrivals"]),
                (self.env._("Arrival timeliness (%)"), figures["arrival_rate"]),
                (self.env._("Replies to customers"), figures["replies"]),
                (self.env._("Response timeliness (%)"), figures["reply_rate"]),
                (self.env._("Complaints received"), figures["complaints_received"]),
                (self.env._("Complaints closed"), figures["complaints_closed"]),
                *figures["causes"],
                (self.env._("Service costs"), figures["expense_total"]),
                *figures["expenses"],
                (self.env._("Outstanding loans"), figures["loans_outstanding"]),
            ]
            for row, (label, value) in enumerate(rows):
                sheet.write(row, 0, label, bold if row == 0 else None)
                sheet.write(row, 1, value if value is not None else "-", percent)
