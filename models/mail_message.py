from odoo import api
from odoo import models
from odoo.exceptions import AccessError

# The addon's records a customer's contact reads on the portal.
PORTAL_MODELS = (
    "csc.complaint",
    "csc.eightd",
    "csc.complaint.return",
    "csc.service.visit",
    "csc.supplier.claim",
)
# Correspondence with the customer: written by a customer's contact or addressed to one.
CUSTOMER_CORRESPONDENCE = [
    "|",
    ("author_id.partner_share", "=", True),
    ("partner_ids.partner_share", "=", True),
]


class MailMessage(models.Model):
    _inherit = "mail.message"

    # -- CRUD ----------------------------------------------------------------------------------

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        """A portal user finds, on the addon's records, the correspondence with the customer
        only: never the staff's messages about it (escalations, meetings, reminders, the
        reaction forwarded to departments), whether through the portal's chatter or
        JSON-RPC."""
        if not self.env.su and self.env.user.share:
            domain = ["|", ("model", "not in", PORTAL_MODELS), *CUSTOMER_CORRESPONDENCE, *domain]
        return super()._search(domain, offset=offset, limit=limit, order=order)

    # -- business helpers ----------------------------------------------------------------------

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self.env.su or not self.env.user.share:
            return result
        hidden = self.sudo().filtered(
            lambda message: message.model in PORTAL_MODELS
            and not message._csc_is_customer_correspondence()
        )
        if not hidden:
            return None
        forbidden = self.browse(hidden.ids)
        return forbidden, lambda: AccessError(
            self.env._("This message is internal to the customer service.")
        )

    def _csc_is_customer_correspondence(self):
        self.ensure_one()
        return bool(self.author_id.partner_share or any(self.partner_ids.mapped("partner_share")))
