from . import csc_monthly_report_xlsx
