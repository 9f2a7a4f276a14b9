from odoo import api
from odoo import models
from odoo.osv import expression


class StockQuant(models.Model):
    _inherit = "stock.quant"

    # -- computes ------------------------------------------------------------------------------

    @api.depends("location_id.csc_hold")
    def _compute_available_quantity(self):
        """Nonconforming product held in quality inspection, quarantine or rework is on hand
        but never available."""
        res = super()._compute_available_quantity()
        for quant in self.filtered("location_id.csc_hold"):
            quant.available_quantity = 0.0
        return res

    # -- business helpers ----------------------------------------------------------------------

    @api.model
    def _get_gather_domain(
        self, product_id, location_id, lot_id=None, package_id=None, owner_id=None, strict=False
    ):
        """A reservation from a location above a hold (the warehouse, a parent) never takes
        held goods; only a transfer out of the hold itself, which quality's decision books,
        does."""
        domain = super()._get_gather_domain(
            product_id, location_id, lot_id, package_id, owner_id, strict
        )
        if not location_id.csc_hold:
            domain = expression.AND([domain, [("location_id.csc_hold", "=", False)]])
        return domain
