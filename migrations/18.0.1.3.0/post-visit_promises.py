"""Since 18.0.1.3.0 a field service's promise is fixed when it is registered (the on-site and
departure hours are stored on the visit) and, out of warranty, it is on the departure. The
field services not yet on site get their terms from the settings in force at the upgrade and
their clock deadlines from them (an open paid service's promise moves to its departure); the
visits already on site or finished keep the deadlines they were measured against."""

from odoo import SUPERUSER_ID
from odoo import api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    visits = env["csc.service.visit"].search(
        [
            ("is_field_service", "=", True),
            ("state", "in", ("draft", "triaged", "dispatched")),
            ("date_arrival", "=", False),
        ]
    )
    for visit in visits:
        visit._csc_write(visit._csc_promise_terms())
    visits._csc_fix_clock_deadlines()
