from odoo import fields
from odoo import models
from odoo.exceptions import UserError

from .csc_record_mixin import _TRANSITION_KEY


class SaleOrder(models.Model):
    """The quotation of a paid field service (R-D3): built from the visit's cost lines, sent with
    Odoo's quotation mail and signed by the customer on the portal. Its confirmation is the
    customer's confirmation of the cost, its cancellation the refusal; the visit follows."""

    _inherit = "sale.order"

    # -- fields --------------------------------------------------------------------------------

    csc_service_visit_id = fields.Many2one(
        "csc.service.visit",
        "Service Visit",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        help="The field service this quotation prices: its confirmation confirms the visit's "
        "cost, its cancellation refuses it.",
    )

    # -- CRUD ----------------------------------------------------------------------------------

    def write(self, vals):
        """The state of a visit's quotation moves the visit's quote: sent, confirmed (with the
        competitor rules checked again), refused. A refused or replaced quotation never goes
        back to draft: a service manager revises the visit's quote instead."""
        visit_orders = self.filtered("csc_service_visit_id")
        state = vals.get("state")
        if visit_orders and state:
            if state == "draft" and not self.env.cr.cache.get(_TRANSITION_KEY):
                raise UserError(
                    self.env._(
                        "%s prices a service visit: a service manager revises the visit's "
                        "quote, which replaces the quotation.",
                        ", ".join(visit_orders.mapped("name")),
                    )
                )
            if state in ("sent", "sale"):
                for order in visit_orders:
                    order.csc_service_visit_id.sudo()._csc_check_quote_rules()
        res = super().write(vals)
        if visit_orders and state in ("sent", "sale", "cancel"):
            for order in visit_orders:
                order.csc_service_visit_id.sudo()._csc_quotation_state_changed(order)
        return res

    # -- business helpers ----------------------------------------------------------------------

    def _csc_is_frozen(self):
        """A visit's quotation sent to the customer keeps its lines as sent."""
        self.ensure_one()
        return bool(self.csc_service_visit_id) and self.state != "draft"

    def _csc_check_lines_change(self):
        """The lines of a visit's quotation sent to the customer stay as sent; a service
        manager revises the visit's quote instead (the module's own transitions pass)."""
        if self.env.cr.cache.get(_TRANSITION_KEY):
            return
        frozen = self.filtered(lambda order: order._csc_is_frozen())
        if frozen:
            raise UserError(
                self.env._(
                    "%s was sent to the customer for a service visit: its lines stay as "
                    "quoted. A service manager revises the visit's quote to change them.",
                    ", ".join(frozen.mapped("name")),
                )
            )
