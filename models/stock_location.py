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
    csc_rework = fields.Boolean(
        "Rework", help="Returned goods decided for rework wait here until re-inspected."
    )
    # Nonconforming product (IATF 16949 8.7) is held apart: an internal location outside the
    # warehouse's stock, whose quants are neither available nor reserved by any transfer
    # other than one leaving this very location (`stock.quant._get_gather_domain`).
    csc_hold = fields.Boolean(
        "Nonconforming Hold",
        compute="_compute_csc_hold",
        store=True,
        help="Quality inspection, quarantine and rework: what is here is not available and "
        "cannot be reserved until quality releases it.",
    )

    # -- computes ------------------------------------------------------------------------------

    @api.depends("csc_quarantine", "csc_quality_inspection", "csc_rework")
    def _compute_csc_hold(self):
        for location in self:
            location.csc_hold = (
                location.csc_quarantine or location.csc_quality_inspection or location.csc_rework
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
    def _csc_quarantine_location(self, company):
        """The company's quarantine location, created in its first warehouse when missing."""
        return self._csc_location(
            company, [("csc_quarantine", "=", True)], self.env._("Quarantine")
        )

    @api.model
    def _csc_rework_location(self, company):
        """Where returned goods decided for rework wait, created when missing (R-C11)."""
        return self._csc_location(company, [("csc_rework", "=", True)], self.env._("Rework"))

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
