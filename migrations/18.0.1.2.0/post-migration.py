"""8D sign-offs are stored per discipline since 18.0.1.2.0 (who and when): the 8D reports
signed off before get their lines from their tracked history (see
`csc.eightd._csc_signoffs_from_history`; where no tracking exists, the closure's approver or the
report's last writer and write date stand in)."""

from odoo import SUPERUSER_ID
from odoo import api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["csc.eightd"].with_context(active_test=False).search(
        [("signed_off", "!=", "none")]
    )._csc_signoffs_from_history()
