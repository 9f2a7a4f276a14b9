from . import csc_cause_analysis
from . import csc_eightd_report
from . import csc_failure_cost
from . import csc_monthly_report_xlsx
from . import csc_ppm_report
from . import csc_technician_performance
