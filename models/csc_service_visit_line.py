from odoo import api
from odoo import fields
from odoo import models


class CscServiceVisitLine(models.Model):
    """A cost line of a service visit (labour, travel, parts): priced for the customer by the
    warranty rule (R-D3) and the agreed pricelist (R-D4)."""

    _name = "csc.service.visit.line"
    _description = "Service Visit Cost Line"
    _check_company_auto = True
    _inherit = ["csc.record.mixin"]
    _csc_parent_fields = ("visit_id",)

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    visit_id = fields.Many2one("csc.service.visit", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="visit_id.company_id", store=True, index=True)
    line_type = fields.Selection(
        [("labour", "Labour"), ("travel", "Travel"), ("part", "Part")],
        "Type",
        required=True,
        default="part",
    )
    product_id = fields.Many2one("product.product", check_company=True)
    name = fields.Char("Description", required=True)
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    price_unit = fields.Float(
        "Unit Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        digits="Product Price",
    )
    currency_id = fields.Many2one(related="visit_id.currency_id")
    amount = fields.Monetary("Charged", compute="_compute_amount", store=True)

    _sql_constraints = [
        (
            "figures_positive",
            "CHECK(quantity >= 0 AND price_unit >= 0)",
            "Quantities and prices cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("product_id", "quantity", "visit_id.partner_id")
    def _compute_price_unit(self):
        for line in self:
            if not line.product_id:
                continue
            visit = line.visit_id
            pricelist = visit.partner_id.commercial_partner_id.sudo().csc_pricelist_id
            price = (
                pricelist._get_product_price(line.product_id, line.quantity or 1.0)
                if pricelist
                else line.product_id.lst_price
            )
            if line.product_id.csc_origin == "partner":
                price *= 1 + visit.company_id.csc_partner_brand_uplift / 100
            line.price_unit = price

    @api.depends("price_unit", "quantity", "line_type", "visit_id.warranty_status")
    def _compute_amount(self):
        for line in self:
            status = line.visit_id.warranty_status
            company = line.visit_id.company_id
            gross = line.price_unit * line.quantity
            if status == "free":
                line.amount = 0.0
            elif status == "discounted" and line.line_type == "part":
                line.amount = gross * (1 - company.csc_misuse_part_discount / 100)
            else:
                line.amount = gross
