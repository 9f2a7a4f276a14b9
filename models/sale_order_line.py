from odoo import api
from odoo import fields
from odoo import models

# What the customer was quoted: frozen on a visit's quotation once sent.
QUOTED_FIELDS = frozenset(
    {"product_id", "product_uom_qty", "product_uom", "price_unit", "discount", "tax_id", "name"}
)


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # -- fields --------------------------------------------------------------------------------

    csc_visit_line_id = fields.Many2one(
        "csc.service.visit.line",
        "Visit Cost Line",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )

    # -- computes ------------------------------------------------------------------------------

    @api.depends("order_id.csc_service_visit_id")
    def _compute_qty_delivered_method(self):
        """A visit's parts leave through the technician's spare-part loan, not a delivery of
        the order: what was done is entered from the visit when it is invoiced."""
        res = super()._compute_qty_delivered_method()
        for line in self.filtered("order_id.csc_service_visit_id"):
            line.qty_delivered_method = "manual"
        return res

    # -- CRUD ----------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._csc_check_lines_change()
        return lines

    def write(self, vals):
        if QUOTED_FIELDS.intersection(vals):
            self.order_id._csc_check_lines_change()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_csc_quoted(self):
        self.order_id._csc_check_lines_change()

    # -- business helpers ----------------------------------------------------------------------

    def _action_launch_stock_rule(self, previous_product_uom_qty=False):
        """No delivery for a visit's quotation: the parts installed went out on the loan's
        consumption moves (csc.part.loan)."""
        lines = self.filtered(lambda line: not line.order_id.csc_service_visit_id)
        return super(SaleOrderLine, lines)._action_launch_stock_rule(
            previous_product_uom_qty=previous_product_uom_qty
        )
