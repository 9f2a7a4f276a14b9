from . import csc_satisfaction_paper_entry
from . import csc_satisfaction_paper_entry_line
