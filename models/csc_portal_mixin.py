"""What a customer's contact reaches through the portal (/my).

A portal user reads, with the ACLs and record rules of `base.group_portal`, only the records of
their own commercial partner, and of those only the fields the model lists in
`_csc_portal_fields`: whatever door the read comes through (the portal pages render sudo records
chosen by the controller; JSON-RPC `read` / `search_read` / `web_read` are refused on any other
field). Internal costs, causes assigned to people or departments, owners and notes stay inside.
"""

from odoo import api
from odoo import models
from odoo.exceptions import AccessError

# Fields every portal-exposed record may show: its identity, its link and its public chatter.
PORTAL_COMMON_FIELDS = frozenset(
    {
        "id",
        "display_name",
        "name",
        "active",
        "state",
        "company_id",
        "partner_id",
        "access_url",
        "access_warning",
        "message_ids",
        "website_message_ids",
        "message_follower_ids",
        "message_partner_ids",
        "message_is_follower",
        "message_attachment_count",
        "message_main_attachment_id",
        "has_message",
    }
)


class CscPortalMixin(models.AbstractModel):
    _name = "csc.portal.mixin"
    _description = "Customer Service Portal Record"
    _inherit = ["portal.mixin"]

    # The fields a portal user may read besides PORTAL_COMMON_FIELDS.
    _csc_portal_fields = frozenset()

    # -- CRUD ----------------------------------------------------------------------------------

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        """Nor does a portal user search on a field they may not read (which would tell its
        value: costs above a figure, an owner, a cause)."""
        if not self.env.su and self.env.user.share:
            names = {
                leaf[0].split(".", 1)[0]
                for leaf in domain
                if isinstance(leaf, list | tuple) and len(leaf) == 3 and isinstance(leaf[0], str)
            }
            self._csc_check_portal_fields(names)
        return super()._search(domain, offset=offset, limit=limit, order=order)

    # -- business helpers ----------------------------------------------------------------------

    @api.model
    def check_field_access_rights(self, operation, field_names):
        if self.env.su or not self.env.user.share:
            return super().check_field_access_rights(operation, field_names)
        allowed = self._csc_portal_allowed_fields()
        if not field_names:
            field_names = [
                name
                for name, field in self._fields.items()
                if name in allowed and field.is_accessible(self.env)
            ]
        self._csc_check_portal_fields(field_names)
        return super().check_field_access_rights(operation, field_names)

    @api.model
    def _csc_portal_allowed_fields(self):
        return PORTAL_COMMON_FIELDS | self._csc_portal_fields

    @api.model
    def _csc_check_portal_fields(self, names):
        allowed = self._csc_portal_allowed_fields()
        refused = [name for name in names if name in self._fields and name not in allowed]
        if refused:
            raise AccessError(
                self.env._(
                    "A customer's contact cannot read %(fields)s of %(model)s.",
                    fields=", ".join(sorted(refused)),
                    model=self._description,
                )
            )

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        """What the staff write on these records (owner assigned, escalations, meetings, the
        reaction forwarded to departments, reminders) stays with the staff: a customer's
        contact who follows the record (they do once they wrote on it) receives a message of
        an employee only when it is addressed to them."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        author = message.author_id
        if not author or author.partner_share:
            return recipients
        addressed = set((msg_vals or {}).get("partner_ids") or message.partner_ids.ids)
        return [data for data in recipients if not data["share"] or data["id"] in addressed]

    def _csc_customer_message_ids(self):
        """The messages of the record that are the correspondence with the customer: written
        by a customer's contact or addressed to one. The portal's chatter shows only these."""
        self.ensure_one()
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", self._name), ("res_id", "=", self.id)])
        )
        return messages.filtered(lambda message: message._csc_is_customer_correspondence()).ids

    def _csc_check_portal_customer(self, user):
        """`user` is a contact of the records' customer: the portal's own check, on top of the
        record rules, before a portal user changes something through a sudo record."""
        commercial = user.partner_id.commercial_partner_id
        for record in self:
            if record.partner_id.commercial_partner_id != commercial:
                raise AccessError(
                    self.env._("%s belongs to another customer.", record.display_name)
                )
