from odoo import api
from odoo import models


class StockScrap(models.Model):
    _inherit = "stock.scrap"

    @api.model
    def _csc_scrap(self, product, quantity, location, company, origin, lot=None, move_vals=None):
        """A validated scrap order of `quantity` of `product` (and `lot`) from `location`,
        booked with the system's rights like `stock.picking._csc_transfer`; its move carries
        the unit cost, which the external failure cost (R-I3) counts, and `move_vals`."""
        scrap = self.sudo().create(
            {
                "product_id": product.id,
                "lot_id": lot.id if lot else False,
                "scrap_qty": quantity,
                "location_id": location.id,
                "company_id": company.id,
                "origin": origin,
            }
        )
        scrap.action_validate()
        scrap.move_ids.write(
            {"price_unit": product.with_company(company).standard_price, **(move_vals or {})}
        )
        return scrap
