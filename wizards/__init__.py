from . import csc_reopen_wizard
from . import csc_satisfaction_paper_entry
from . import csc_satisfaction_paper_entry_line
