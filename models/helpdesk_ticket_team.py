from odoo import fields
from odoo import models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    csc_default_kind = fields.Selection(
        lambda self: self.env["helpdesk.ticket"]
        ._fields["csc_kind"]
        ._description_selection(self.env),
        "Default Kind",
        help="Kind of the tickets this team receives, e.g. by e-mail to its alias. Complaints "
        "and quality feedback received by e-mail open their complaint at once.",
    )
