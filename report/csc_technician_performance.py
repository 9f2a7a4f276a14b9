from odoo import fields
from odoo import models
from odoo import tools
from odoo.tools import SQL


class CscTechnicianPerformance(models.Model):
    """Technician performance (R-I4): one row per finished field service and technician, with
    the service's timeliness, the customer's satisfaction with it, whether the same unit needed
    another repair within the company's repeat-repair window, and the complaints it caused."""

    _name = "csc.technician.performance"
    _description = "Technician Performance"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "technician_id"

    technician_id = fields.Many2one("res.users", readonly=True)
    visit_id = fields.Many2one("csc.service.visit", "Service Visit", readonly=True)
    visit_type = fields.Selection(
        lambda self: self.env["csc.service.visit"]
        ._fields["visit_type"]
        ._description_selection(self.env),
        "Type",
        readonly=True,
    )
    date = fields.Date("Finished On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    on_time_rate = fields.Float(
        "On Time (%)",
        aggregator="avg",
        readonly=True,
        help="100 when the technician arrived by the promised time, 0 when late; empty "
        "when no time was promised.",
    )
    satisfaction_score = fields.Float(aggregator="avg", readonly=True, help="Empty until answered.")
    satisfied_rate = fields.Float(
        "Satisfied (%)",
        aggregator="avg",
        readonly=True,
        help="100 when the customer's answer rates the service 'satisfied', 0 otherwise; "
        "empty until answered.",
    )
    repeat_repair_rate = fields.Float(
        "Repeat Repairs (%)",
        aggregator="avg",
        readonly=True,
        help="100 when the same unit needed another field repair within the repeat-repair "
        "window after this service, 0 otherwise.",
    )
    repeat_repair_count = fields.Integer("Repeat Repairs", readonly=True)
    complaint_count = fields.Integer("Complaints Caused", readonly=True)

    # ------------------------------------------------------------
    # The view, from named pieces
    # ------------------------------------------------------------

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE VIEW %s AS (%s %s %s)",
                SQL.identifier(self._table),
                self._select(),
                self._from(),
                self._where(),
            )
        )

    def _select(self):
        """One row per finished field service and technician. Row id from the visit and the
        technician (no window function: it would keep PostgreSQL from filtering the visits
        before computing the rows)."""
        return SQL(
            """
            SELECT v.id::bigint * 16777216 + rel.%(user_col)s AS id,
                   rel.%(user_col)s AS technician_id, v.id AS visit_id, v.visit_type,
                   v.date_end::date AS date, v.company_id, v.partner_id,
                   CASE WHEN v.date_dispatch_deadline IS NULL OR v.date_arrival IS NULL
                        THEN NULL
                        WHEN v.on_time THEN 100.0 ELSE 0.0 END AS on_time_rate,
                   answer.score AS satisfaction_score,
                   answer.satisfied AS satisfied_rate,
                   CASE WHEN again.id IS NULL THEN 0.0 ELSE 100.0 END AS repeat_repair_rate,
                   CASE WHEN again.id IS NULL THEN 0 ELSE 1 END AS repeat_repair_count,
                   (SELECT COUNT(*) FROM csc_complaint c
                     WHERE c.cause_visit_id = v.id AND c.active
                        AND c.state != 'cancelled') AS complaint_count
            """,
            user_col=SQL.identifier(self._technician_field().column2),
        )

    def _from(self):
        """The visits with their technicians, their customer's answers and the repeat repair."""
        technicians = self._technician_field()
        return SQL(
            """
            FROM csc_service_visit v
            JOIN %(rel)s rel ON rel.%(visit_col)s = v.id
            JOIN res_company company ON company.id = v.company_id
            %(answer)s
            %(again)s
            """,
            rel=SQL.identifier(technicians.relation),
            visit_col=SQL.identifier(technicians.column1),
            answer=self._join_satisfaction(),
            again=self._join_repeat_repair(),
        )

    def _join_satisfaction(self):
        """The customer's answers about the service (averaged when several)."""
        return SQL(
            """
            LEFT JOIN LATERAL (
                SELECT AVG(r.total_score) AS score, AVG(r.satisfied_rate) AS satisfied
                  FROM csc_satisfaction_result r
                 WHERE r.visit_id = v.id
            ) answer ON TRUE
            """
        )

    def _join_repeat_repair(self):
        """A later field repair of the same unit within the company's repeat-repair window."""
        return SQL(
            """
            LEFT JOIN LATERAL (
                SELECT later.id
                  FROM csc_service_visit later
                 WHERE later.lot_id = v.lot_id
                   AND later.visit_type = 'repair'
                   AND later.state != 'cancelled'
                   AND later.date_request > v.date_end
                   AND later.date_request <= v.date_end
                       + make_interval(days => company.csc_repeat_repair_days)
                 LIMIT 1
            ) again ON TRUE
            """
        )

    def _where(self):
        """Field services signed off on site (and later steps)."""
        return SQL(
            """
            WHERE v.is_field_service
              AND v.state IN ('done', 'reported', 'verified')
            """
        )

    def _technician_field(self):
        return self.env["csc.service.visit"]._fields["technician_ids"]
