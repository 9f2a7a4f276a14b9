from odoo import fields
from odoo import models
from odoo import tools
from odoo.tools import SQL

from ..models.csc_complaint import CAUSE_CATEGORIES


class CscCauseAnalysis(models.Model):
    """What caused the service work (R-I2), by cause category and responsible department:
    the complaints, and the field repairs not made for a complaint (those count once, with
    their complaint). Read quarter by quarter in the pivot and in the monthly report."""

    _name = "csc.cause.analysis"
    _description = "Cause Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "cause_category"

    # -- fields --------------------------------------------------------------------------------

    source = fields.Selection(
        [("complaint", "Complaint"), ("repair", "Field Repair")], readonly=True
    )
    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    cause_category = fields.Selection(CAUSE_CATEGORIES, readonly=True)
    department_id = fields.Many2one("csc.department", "Responsible Department", readonly=True)
    complaint_id = fields.Many2one("csc.complaint", readonly=True)
    visit_id = fields.Many2one("csc.service.visit", "Service Visit", readonly=True)

    # -- view ----------------------------------------------------------------------------------

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %s AS (
                SELECT c.id * 2 AS id, 'complaint' AS source, c.date_received::date AS date,
                       c.company_id, c.partner_id, c.product_id, c.cause_category,
                       c.department_id, c.id AS complaint_id, NULL::integer AS visit_id
                  FROM csc_complaint c
                 WHERE c.cause_category IS NOT NULL AND c.active
                   AND c.state != 'cancelled'
                UNION ALL
                SELECT v.id * 2 + 1, 'repair', v.date_request::date, v.company_id,
                       v.partner_id, v.product_id, v.cause_category, v.department_id, NULL,
                       v.id
                  FROM csc_service_visit v
                 WHERE v.cause_category IS NOT NULL AND v.complaint_id IS NULL
                   AND v.visit_type = 'repair' AND v.state != 'cancelled'
            )
            """,
                SQL.identifier(self._table),
            )
        )
