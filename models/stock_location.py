from odoo import api
from odoo import fields
from odoo import models


class StockLocation(models.Model):
    _inherit = "stock.location"

    # -- fields --------------------------------------------------------------------------------

    csc_loan_user_id = fields.Many2one(
        "res.users", "Parts Lent To", index=True, help="The technician whose loaned parts are here."
    )
    csc_quarantine = fields.Boolean("Quarantine")
    csc_quality_inspection = fields.Boolean(
        "Quality Inspection",
        help="Returned goods and returned parts wait here for the quality department's decision.",
    )

    # -- business helpers ----------------------------------------------------------------------

    @api.model
    def _csc_quality_location(self, company):
        """The company's quality-inspection location, created in its first warehouse when
        missing."""
        return self._csc_location(
            company, [("csc_quality_inspection", "=", True)], self.env._("Quality Inspection")
        )

    @api.model
    def _csc_loan_location(self, company, technician):
        """Where the parts lent to `technician` are (R-F2), created when missing."""
        return self._csc_location(
            company,
            [("csc_loan_user_id", "=", technician.id)],
            self.env._("Service Loans: %s", technician.name),
        )

    @api.model
    def _csc_location(self, company, domain, name):
        location = self.search([*domain, ("company_id", "=", company.id)], limit=1)
        if location:
            return location
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        values = {field: value for field, _operator, value in domain}
        return self.sudo().create(
            {
                "name": name,
                "usage": "internal",
                "location_id": warehouse.view_location_id.id,
                "company_id": company.id,
                **values,
            }
        )
