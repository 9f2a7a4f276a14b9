from . import account_payment_register
from . import csc_complaint_contact_wizard
from . import csc_complaint_meeting_wizard
from . import csc_complaint_reaction_wizard
from . import csc_record_verify
from . import csc_reopen_wizard
from . import csc_satisfaction_paper_entry
from . import csc_satisfaction_paper_entry_line
