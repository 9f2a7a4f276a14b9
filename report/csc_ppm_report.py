from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
from odoo.tools import SQL

# Parts per million.
MILLION = 1_000_000.0
# The PPM figures and the rejected quantity each one counts, over the delivered quantity.
PPM_FIELDS = {
    "ppm_zero_km": "rejected_zero_km",
    "ppm_field": "rejected_field",
    "ppm_total": "rejected_qty",
}


class CscPpmReport(models.Model):
    """The customer's PPM scorecard: per customer, product and month, the quantity complained
    (rejected) against the quantity delivered to that customer, in parts per million, split by
    where the customer found the problem (0 km: its incoming inspection or line; field: in
    service), against the PPM targets of its released specific requirements.

    - Delivered: the done stock moves into a customer location whose transfer goes to the
      customer (or one of its contacts), in the month of the transfer's date. Goods coming back
      from the customer are no delivery; nor are the customer service's own shipments (returned
      goods sent back, replacements, spare parts of a technician's loan), which replace or
      repair what was already delivered.
    - Rejected: the quantity affected of the complaints received in the month (not quality
      feedback, not cancelled nor archived), by the complaint's "Found At".
    - Target: the strictest positive target of the customer's released requirements, in force
      now; `met` when every target set is kept (a month with complaints and no delivery misses
      it).

    In the pivot and the graph, a PPM of several rows is recomputed from their sums
    (`_read_group_select`), never added up.
    """

    _name = "csc.ppm.report"
    _description = "Customer PPM"
    _auto = False
    _order = "month desc, partner_id, product_id"
    _rec_name = "month"
    # What the view reads: written records are flushed before it is searched.
    _depends = {
        "stock.move": [
            "state",
            "date",
            "company_id",
            "product_id",
            "product_qty",
            "location_id",
            "location_dest_id",
            "picking_id",
            "partner_id",
        ],
        "stock.picking": ["partner_id", "date_done"],
        "csc.complaint": [
            "kind",
            "state",
            "active",
            "company_id",
            "partner_id",
            "product_id",
            "date_received",
            "qty_affected",
            "detection_stage",
        ],
        "csc.customer.requirement": [
            "state",
            "active",
            "company_id",
            "partner_id",
            "ppm_target",
            "ppm_target_zero_km",
            "ppm_target_field",
        ],
        "res.partner": ["commercial_partner_id"],
    }

    # -- fields --------------------------------------------------------------------------------

    month = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    delivered_qty = fields.Float("Delivered", digits="Product Unit of Measure", readonly=True)
    rejected_zero_km = fields.Float(
        "Rejected 0 km", digits="Product Unit of Measure", readonly=True
    )
    rejected_field = fields.Float(digits="Product Unit of Measure", readonly=True)
    rejected_qty = fields.Float("Rejected", digits="Product Unit of Measure", readonly=True)
    ppm_zero_km = fields.Float("PPM 0 km", digits=(16, 1), readonly=True)
    ppm_field = fields.Float("PPM Field", digits=(16, 1), readonly=True)
    ppm_total = fields.Float("PPM", digits=(16, 1), readonly=True)
    ppm_target = fields.Float("PPM Target", digits=(16, 1), readonly=True, aggregator="max")
    ppm_target_zero_km = fields.Float(
        "PPM Target 0 km", digits=(16, 1), readonly=True, aggregator="max"
    )
    ppm_target_field = fields.Float(
        "PPM Target Field", digits=(16, 1), readonly=True, aggregator="max"
    )
    has_target = fields.Boolean("Target Set", readonly=True, aggregator="bool_or")
    met = fields.Boolean("Target Met", readonly=True, aggregator="bool_and")

    # -- view ----------------------------------------------------------------------------------

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE VIEW %s AS (WITH %s, %s, %s, %s %s %s)",
                SQL.identifier(self._table),
                self._with_deliveries(),
                self._with_rejections(),
                self._with_keys(),
                self._with_targets(),
                self._select(),
                self._from(),
            )
        )

    def _with_deliveries(self):
        """Quantities delivered to each customer (its commercial partner) by product and month."""
        service_transfers = SQL(" UNION ").join(
            SQL(
                "SELECT %(picking_col)s FROM %(relation)s",
                picking_col=SQL.identifier(picking_col),
                relation=SQL.identifier(relation),
            )
            for relation, _owner_col, picking_col in (
                self._relation("csc.complaint.return", "picking_ids"),
                self._relation("csc.part.loan", "picking_ids"),
            )
        )
        return SQL(
            """
            deliveries AS (
                SELECT m.company_id,
                       COALESCE(p.commercial_partner_id, p.id) AS partner_id,
                       m.product_id,
                       date_trunc('month', COALESCE(pk.date_done, m.date))::date AS month,
                       SUM(m.product_qty) AS qty
                  FROM stock_move m
                  JOIN stock_location dest ON dest.id = m.location_dest_id
                  JOIN stock_location src ON src.id = m.location_id
                  LEFT JOIN stock_picking pk ON pk.id = m.picking_id
                  JOIN res_partner p ON p.id = COALESCE(pk.partner_id, m.partner_id)
                 WHERE %(where)s
                   AND (m.picking_id IS NULL OR m.picking_id NOT IN (%(service)s))
                 GROUP BY 1, 2, 3, 4
            )
            """,
            where=self._where_deliveries(),
            service=service_transfers,
        )

    def _where_deliveries(self):
        """A delivery: a done move into a customer location from anywhere but a customer."""
        return SQL("m.state = 'done' AND dest.usage = 'customer' AND src.usage != 'customer'")

    def _with_rejections(self):
        """Quantities complained by each customer by product and month, 0 km and field."""
        return SQL(
            """
            rejections AS (
                SELECT c.company_id,
                       COALESCE(p.commercial_partner_id, p.id) AS partner_id,
                       c.product_id,
                       date_trunc('month', c.date_received)::date AS month,
                       SUM(CASE WHEN c.detection_stage = 'field' THEN 0 ELSE c.qty_affected END)
                           AS zero_km,
                       SUM(CASE WHEN c.detection_stage = 'field' THEN c.qty_affected ELSE 0 END)
                           AS field
                  FROM csc_complaint c
                  JOIN res_partner p ON p.id = c.partner_id
                 WHERE %s
                 GROUP BY 1, 2, 3, 4
            )
            """,
            self._where_rejections(),
        )

    def _where_rejections(self):
        """A rejection: a complaint (not a quality feedback) with a product and a quantity,
        neither cancelled nor archived."""
        return SQL(
            "c.kind = 'complaint' AND c.state != 'cancelled' AND c.active "
            "AND c.product_id IS NOT NULL AND c.qty_affected > 0"
        )

    def _with_keys(self):
        """Every customer, product and month with a delivery or a complaint."""
        return SQL(
            """
            ppm_keys AS (
                SELECT company_id, partner_id, product_id, month FROM deliveries
                 UNION
                SELECT company_id, partner_id, product_id, month FROM rejections
            )
            """
        )

    def _with_targets(self):
        """The strictest positive targets of each customer's released requirements."""
        return SQL(
            """
            targets AS (
                SELECT r.company_id,
                       COALESCE(p.commercial_partner_id, p.id) AS partner_id,
                       MIN(NULLIF(r.ppm_target, 0)) AS total,
                       MIN(NULLIF(r.ppm_target_zero_km, 0)) AS zero_km,
                       MIN(NULLIF(r.ppm_target_field, 0)) AS field
                  FROM csc_customer_requirement r
                  JOIN res_partner p ON p.id = r.partner_id
                 WHERE r.state = 'released' AND r.active
                 GROUP BY 1, 2
            )
            """
        )

    def _select(self):
        delivered = SQL("COALESCE(d.qty, 0)")
        zero_km = SQL("COALESCE(r.zero_km, 0)")
        field = SQL("COALESCE(r.field, 0)")
        total = SQL("(COALESCE(r.zero_km, 0) + COALESCE(r.field, 0))")

        def ppm(rejected):
            return SQL("CASE WHEN d.qty > 0 THEN %s * %s / d.qty END", rejected, MILLION)

        def kept(target, rejected):
            return SQL(
                "(%s IS NULL OR %s * %s <= %s * %s)", target, rejected, MILLION, target, delivered
            )

        return SQL(
            """
            SELECT row_number() OVER (
                       ORDER BY k.month, k.company_id, k.partner_id, k.product_id
                   ) AS id,
                   k.month, k.company_id, k.partner_id, k.product_id,
                   %(delivered)s AS delivered_qty,
                   %(zero_km)s AS rejected_zero_km,
                   %(field)s AS rejected_field,
                   %(total)s AS rejected_qty,
                   %(ppm_zero_km)s AS ppm_zero_km,
                   %(ppm_field)s AS ppm_field,
                   %(ppm_total)s AS ppm_total,
                   COALESCE(t.total, 0) AS ppm_target,
                   COALESCE(t.zero_km, 0) AS ppm_target_zero_km,
                   COALESCE(t.field, 0) AS ppm_target_field,
                   %(has_target)s AS has_target,
                   %(has_target)s AND %(met)s AS met
            """,
            delivered=delivered,
            zero_km=zero_km,
            field=field,
            total=total,
            ppm_zero_km=ppm(zero_km),
            ppm_field=ppm(field),
            ppm_total=ppm(total),
            has_target=SQL("(t.total IS NOT NULL OR t.zero_km IS NOT NULL OR t.field IS NOT NULL)"),
            met=SQL(
                "%s AND %s AND %s",
                kept(SQL("t.total"), total),
                kept(SQL("t.zero_km"), zero_km),
                kept(SQL("t.field"), field),
            ),
        )

    def _from(self):
        return SQL(
            """
            FROM ppm_keys k
            LEFT JOIN deliveries d
                   ON d.company_id = k.company_id AND d.partner_id = k.partner_id
                  AND d.product_id = k.product_id AND d.month = k.month
            LEFT JOIN rejections r
                   ON r.company_id = k.company_id AND r.partner_id = k.partner_id
                  AND r.product_id = k.product_id AND r.month = k.month
            LEFT JOIN targets t ON t.company_id = k.company_id AND t.partner_id = k.partner_id
            """
        )

    # -- grouped figures -----------------------------------------------------------------------

    def _read_group_select(self, aggregate_spec, query):
        """The PPM of a group is its rejected quantity over its delivered quantity, whatever
        aggregate the view asks for."""
        fname = aggregate_spec.split(":", 1)[0]
        if fname in PPM_FIELDS:
            return SQL(
                "SUM(%s) * %s / NULLIF(SUM(%s), 0)",
                self._field_to_sql(self._table, PPM_FIELDS[fname], query),
                MILLION,
                self._field_to_sql(self._table, "delivered_qty", query),
            )
        return super()._read_group_select(aggregate_spec, query)

    # -- business helpers ----------------------------------------------------------------------

    @api.model
    def _ppm(self, rejected, delivered):
        """Parts per million, None when nothing was delivered."""
        return rejected * MILLION / delivered if delivered else None

    @api.model
    def _ppm_met(self, delivered, zero_km, field, targets):
        """Whether the quantities keep the `targets` (dict total / zero_km / field, 0: none),
        the way the view's `met` decides; None when no target is set."""
        rejected = {"total": zero_km + field, "zero_km": zero_km, "field": field}
        set_targets = {key: value for key, value in targets.items() if value}
        if not set_targets:
            return None
        return all(
            rejected[key] * MILLION <= target * delivered for key, target in set_targets.items()
        )

    @api.model
    def _ppm_figures(self, domain, groupby):
        """[{group values..., delivered, zero_km, field, ppm_zero_km, ppm_field, ppm_total,
        targets, met}] of the rows matching `domain` grouped by `groupby`: one grouped query."""
        aggregates = [
            "delivered_qty:sum",
            "rejected_zero_km:sum",
            "rejected_field:sum",
            "ppm_target:max",
            "ppm_target_zero_km:max",
            "ppm_target_field:max",
        ]
        result = []
        for row in self._read_group(domain, groupby, aggregates):
            keys, values = row[: len(groupby)], row[len(groupby) :]
            delivered, zero_km, field, total, target_zero_km, target_field = (
                value or 0.0 for value in values
            )
            targets = {"total": total, "zero_km": target_zero_km, "field": target_field}
            result.append(
                {
                    **dict(zip(groupby, keys, strict=True)),
                    "delivered": delivered,
                    "zero_km": zero_km,
                    "field": field,
                    "ppm_zero_km": self._ppm(zero_km, delivered),
                    "ppm_field": self._ppm(field, delivered),
                    "ppm_total": self._ppm(zero_km + field, delivered),
                    "targets": targets,
                    "met": self._ppm_met(delivered, zero_km, field, targets),
                }
            )
        return result

    def _relation(self, model, field):
        """Table and columns of a many2many, as the ORM named them."""
        relational = self.env[model]._fields[field]
        return relational.relation, relational.column1, relational.column2
