from odoo import fields
from odoo import models
from odoo import tools
from odoo.tools import SQL

from ..models.csc_complaint import CAUSE_CATEGORIES

# Field returns analysed without finding a fault keep a category of their own, apart from the
# causes found (VDA field failure analysis).
NO_TROUBLE_FOUND = "no_trouble_found"
ANALYSIS_CATEGORIES = [*CAUSE_CATEGORIES, (NO_TROUBLE_FOUND, "No Trouble Found")]


class CscCauseAnalysis(models.Model):
    """What caused the service work (R-I2), by cause category and responsible department:
    the complaints, and the field repairs not made for a complaint (those count once, with
    their complaint). Complaints whose returned parts were analysed without trouble found count
    under "No Trouble Found". Read quarter by quarter in the pivot and in the monthly report."""

    _name = "csc.cause.analysis"
    _description = "Cause Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "cause_category"
    # What the view reads: written records are flushed before it is searched.
    _depends = {
        "csc.complaint": [
            "date_received",
            "company_id",
            "partner_id",
            "product_id",
            "cause_category",
            "department_id",
            "active",
            "state",
        ],
        "csc.complaint.return": ["complaint_id", "analysis_stage", "fault_cause_category"],
        "csc.service.visit": [
            "date_request",
            "company_id",
            "partner_id",
            "product_id",
            "cause_category",
            "department_id",
            "complaint_id",
            "visit_type",
            "state",
        ],
    }

    # -- fields --------------------------------------------------------------------------------

    source = fields.Selection(
        [("complaint", "Complaint"), ("repair", "Field Repair")], readonly=True
    )
    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    cause_category = fields.Selection(ANALYSIS_CATEGORIES, readonly=True)
    department_id = fields.Many2one("csc.department", "Responsible Department", readonly=True)
    complaint_id = fields.Many2one("csc.complaint", readonly=True)
    visit_id = fields.Many2one("csc.service.visit", "Service Visit", readonly=True)

    # -- view ----------------------------------------------------------------------------------

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE VIEW %s AS (%s UNION ALL %s)",
                SQL.identifier(self._table),
                self._select_complaints(),
                self._select_repairs(),
            )
        )

    def _select_complaints(self):
        """The complaints with a cause. One whose analysed returned parts all ended in no
        trouble found counts as such, whatever cause was entered; one without a cause of its
        own takes the cause of the first fault its returned parts showed."""
        return SQL(
            """
            SELECT c.id * 2 AS id, 'complaint' AS source, c.date_received::date AS date,
                   c.company_id, c.partner_id, c.product_id, cause.category AS cause_category,
                   c.department_id, c.id AS complaint_id, NULL::integer AS visit_id
              FROM csc_complaint c
              LEFT JOIN LATERAL (
                   SELECT bool_and(r.analysis_stage = 'ntf') AS ntf_only,
                          (array_agg(r.fault_cause_category ORDER BY r.id)
                               FILTER (WHERE r.analysis_stage = 'fault'))[1] AS fault_cause
                     FROM csc_complaint_return r
                    WHERE r.complaint_id = c.id AND r.analysis_stage IN ('ntf', 'fault')
              ) analysed ON TRUE
              CROSS JOIN LATERAL (
                   SELECT CASE WHEN analysed.ntf_only THEN %s
                               ELSE COALESCE(c.cause_category, analysed.fault_cause)
                          END AS category
              ) cause
             WHERE cause.category IS NOT NULL AND c.active AND c.state != 'cancelled'
            """,
            NO_TROUBLE_FOUND,
        )

    def _select_repairs(self):
        """The field repairs with a cause, not made for a complaint."""
        return SQL(
            """
            SELECT v.id * 2 + 1, 'repair', v.date_request::date, v.company_id,
                   v.partner_id, v.product_id, v.cause_category, v.department_id, NULL,
                   v.id
              FROM csc_service_visit v
             WHERE v.cause_category IS NOT NULL AND v.complaint_id IS NULL
               AND v.visit_type = 'repair' AND v.state != 'cancelled'
            """
        )
