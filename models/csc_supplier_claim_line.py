from odoo import api
from odoo import fields
from odoo import models


class CscSupplierClaimLine(models.Model):
    """A defective part claimed from the supplier, at its unit cost; the parts still in quality
    inspection are shipped back to the supplier."""

    _name = "csc.supplier.claim.line"
    _description = "Supplier Claim Part"
    _inherit = ["csc.record.mixin"]
    _check_company_auto = True
    _csc_parent_fields = ("claim_id",)

    claim_id = fields.Many2one("csc.supplier.claim", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="claim_id.company_id", store=True)
    currency_id = fields.Many2one(related="claim_id.currency_id")
    return_id = fields.Many2one(
        "csc.complaint.return", "Returned Goods", check_company=True, ondelete="set null"
    )
    product_id = fields.Many2one("product.product", required=True, check_company=True)
    lot_id = fields.Many2one(
        "stock.lot",
        "Lot/Serial",
        domain="[('product_id', '=', product_id)]",
        check_company=True,
    )
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit of Measure")
    price_unit = fields.Monetary("Unit Cost", help="What one part cost us (its cost price).")
    subtotal = fields.Monetary(compute="_compute_subtotal", store=True)
    to_return = fields.Boolean(
        "Ship Back",
        help="The part is in quality inspection and goes back to the supplier.",
    )

    _sql_constraints = [
        (
            "figures_positive",
            "CHECK(quantity > 0 AND price_unit >= 0)",
            "A claimed part has a positive quantity and a unit cost that is not negative.",
        ),
    ]

    @api.depends("quantity", "price_unit")
    def _compute_subtotal(self):
        for line in self:
            line.subtotal = line.quantity * line.price_unit

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        self._csc_check_lot_product()
