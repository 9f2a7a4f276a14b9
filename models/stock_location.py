from odoo import api
from odoo import fields
from odoo import models


class StockLocation(models.Model):
    _inherit = "stock.location"

    csc_quality_inspection = fields.Boolean(
        "Quality Inspection",
        help="Returned goods and returned parts wait here for the quality department's decision.",
    )

    @api.model
    def _csc_quality_location(self, company):
        """The company's quality-inspection location, created in its first warehouse when
        missing."""
        location = self.search(
            [("csc_quality_inspection", "=", True), ("company_id", "=", company.id)], limit=1
        )
        if location:
            return location
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        return self.sudo().create(
            {
                "name": self.env._("Quality Inspection"),
                "usage": "internal",
                "location_id": warehouse.view_location_id.id,
                "company_id": company.id,
                "csc_quality_inspection": True,
            }
        )
