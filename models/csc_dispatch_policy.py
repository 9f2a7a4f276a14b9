from odoo import api
from odoo import fields
from odoo import models


class CscDispatchPolicy(models.Model):
    """Dispatch commitment by distance (R-E2): a customer up to `max_distance` km away is
    reached within `hours`; the row without a distance covers everything farther."""

    _name = "csc.dispatch.policy"
    _description = "Dispatch Commitment"
    _inherit = ["csc.record.mixin"]
    _order = "company_id, max_distance"

    # -- fields --------------------------------------------------------------------------------

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    max_distance = fields.Float("Up To (km)", help="0 for any farther distance.")
    hours = fields.Float("On Site Within (hours)", required=True)

    # -- SQL constraints -----------------------------------------------------------------------

    _sql_constraints = [
        ("hours_positive", "CHECK(hours > 0)", "The dispatch time must be positive."),
        ("distance_uniq", "unique(company_id, max_distance)", "One row per distance."),
    ]

    # -- business helpers ----------------------------------------------------------------------

    @api.model
    def _hours_for(self, company, distance):
        rows = self.search([("company_id", "=", company.id)])
        limited = rows.filtered(lambda row: row.max_distance and distance <= row.max_distance)
        row = limited[:1] or rows.filtered(lambda row: not row.max_distance)[:1]
        return row.hours
