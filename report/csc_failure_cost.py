from odoo import fields
from odoo import models
from odoo import tools
from odoo.tools import SQL

COST_TYPES = [
    ("warranty_parts", "Warranty Parts"),
    ("travel", "Travel"),
    ("labour", "Labour"),
    ("freight", "Freight"),
    ("rework", "Rework"),
    ("scrap", "Scrap"),
    ("refund", "Refunds to Customers"),
    ("brand_recovery", "Recovered from the Partner Brand"),
    ("supplier_recovery", "Recovered from Suppliers"),
]
# What each kind of customer-service accounting document is in the failure cost.
ACCOUNTING_COST_TYPES = {
    "refund": "refund",
    "brand_service": "brand_recovery",
    "supplier_recovery": "supplier_recovery",
}


class CscFailureCost(models.Model):
    """External failure cost (R-I3, 外部故障成本): one row per cost the complaint and field
    service features recorded, read from those records (nothing is entered twice):

    - the trip expenses of warranty repairs (travel and lodging, labour, freight, parts bought);
    - warranty parts installed from a technician's loan on a warranty repair, and replacement
      goods sent for a complaint, at the unit cost of their stock moves;
    - returned goods scrapped, at the unit cost of the scrap moves;
    - the rework cost entered when returned goods are reworked;
    - from the posted accounting documents: refunds credited to customers for complaints (a
      cost), warranty work invoiced to the partner brand and vendor credit notes of supplier
      claims (recoveries, negative amounts, so that the total is the net cost).

    A warranty repair is a field repair, or a visit made for a complaint, that is not paid by
    the customer: in warranty, or a misuse the customer was not invoiced for (a misuse the
    customer paid costs the company nothing).
    """

    _name = "csc.failure.cost"
    _description = "External Failure Cost"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "cost_type"

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    cost_type = fields.Selection(COST_TYPES, readonly=True)
    visit_id = fields.Many2one("csc.service.visit", "Service Visit", readonly=True)
    complaint_id = fields.Many2one("csc.complaint", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount = fields.Monetary(readonly=True)

    # -- view ----------------------------------------------------------------------------------

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE VIEW %s AS (WITH %s, %s %s %s)",
                SQL.identifier(self._table),
                self._with_warranty_visit(),
                self._with_costs(),
                self._select(),
                self._from(),
            )
        )

    def _with_warranty_visit(self):
        """The warranty repairs: field repairs, or visits made for a complaint, not paid by the
        customer (a misuse with a posted paid-service invoice is paid)."""
        return SQL(
            """
            warranty_visit AS (
                SELECT v.id, v.company_id, v.partner_id, v.complaint_id,
                       COALESCE(v.date_report, v.date_end, v.date_request) AS date
                  FROM csc_service_visit v
                 WHERE v.warranty_status IN ('free', 'discounted')
                   AND (v.visit_type = 'repair' OR v.complaint_id IS NOT NULL)
                   AND v.state != 'cancelled'
                   AND NOT (
                       v.warranty_status = 'discounted' AND EXISTS (
                           SELECT 1 FROM account_move paid
                            WHERE paid.csc_service_visit_id = v.id
                              AND paid.csc_origin = 'paid_service'
                              AND paid.state = 'posted'
                       )
                   )
            )
            """
        )

    def _with_costs(self):
        """Every cost, one UNION branch per source. Row ids: the source row's id times 8 plus
        the kind of source, stable across reads."""
        branches = (
            self._select_expenses(),
            self._select_loan_parts(),
            self._select_replacements(),
            self._select_scraps(),
            self._select_reworks(),
            self._select_accounting(),
        )
        return SQL("costs AS (%s)", SQL(" UNION ALL ").join(branches))

    def _select(self):
        return SQL(
            """
            SELECT costs.id, costs.date::date AS date, costs.company_id, costs.partner_id,
                   costs.visit_id, costs.complaint_id, costs.product_id, costs.cost_type,
                   company.currency_id, costs.amount
            """
        )

    def _from(self):
        return SQL("FROM costs JOIN res_company company ON company.id = costs.company_id")

    # -- one branch per source -----------------------------------------------------------------

    def _select_expenses(self):
        """The trip expenses of warranty repairs (lodging counts as travel, parts bought on the
        trip as warranty parts)."""
        return SQL(
            """
            SELECT e.id * 8 AS id, wv.date, wv.company_id, wv.partner_id,
                   wv.id AS visit_id, wv.complaint_id, NULL::integer AS product_id,
                   CASE e.expense_type
                       WHEN 'lodging' THEN 'travel'
                       WHEN 'parts' THEN 'warranty_parts'
                       ELSE e.expense_type
                   END AS cost_type,
                   e.amount
              FROM csc_service_expense e
              JOIN warranty_visit wv ON wv.id = e.visit_id
            """
        )

    def _select_loan_parts(self):
        """Parts of a technician's loan installed at the customer on a warranty repair."""
        loans, loan_col, picking_col = self._relation("csc.part.loan", "picking_ids")
        return SQL(
            """
            SELECT m.id * 8 + 1, m.date, wv.company_id, wv.partner_id, wv.id,
                   wv.complaint_id, m.product_id, 'warranty_parts',
                   m.product_qty * m.price_unit
              FROM stock_move m
              JOIN %(loans)s rel ON rel.%(picking_col)s = m.picking_id
              JOIN csc_part_loan l ON l.id = rel.%(loan_col)s
              JOIN warranty_visit wv ON wv.id = l.visit_id
              JOIN stock_location dest ON dest.id = m.location_dest_id
             WHERE m.state = 'done' AND dest.usage = 'customer'
            """,
            loans=SQL.identifier(loans),
            loan_col=SQL.identifier(loan_col),
            picking_col=SQL.identifier(picking_col),
        )

    def _select_replacements(self):
        """Replacement goods sent to the customer for a complaint."""
        returns, return_col, picking_col = self._relation("csc.complaint.return", "picking_ids")
        return SQL(
            """
            SELECT m.id * 8 + 2, m.date, c.company_id, c.partner_id, NULL, c.id,
                   m.product_id, 'warranty_parts', m.product_qty * m.price_unit
              FROM stock_move m
              JOIN %(returns)s rel ON rel.%(picking_col)s = m.picking_id
              JOIN csc_complaint_return r ON r.id = rel.%(return_col)s
              JOIN csc_complaint c ON c.id = r.complaint_id
              JOIN stock_location dest ON dest.id = m.location_dest_id
             WHERE m.state = 'done' AND r.disposition = 'replace'
               AND dest.usage = 'customer'
            """,
            returns=SQL.identifier(returns),
            return_col=SQL.identifier(return_col),
            picking_col=SQL.identifier(picking_col),
        )

    def _select_scraps(self):
        """Returned goods scrapped, at the unit cost of the scrap moves."""
        scraps, return_col, scrap_col = self._relation("csc.complaint.return", "scrap_ids")
        return SQL(
            """
            SELECT m.id * 8 + 3, m.date, c.company_id, c.partner_id, NULL, c.id,
                   m.product_id, 'scrap', m.product_qty * m.price_unit
              FROM stock_move m
              JOIN %(scraps)s rel ON rel.%(scrap_col)s = m.scrap_id
              JOIN csc_complaint_return r ON r.id = rel.%(return_col)s
              JOIN csc_complaint c ON c.id = r.complaint_id
             WHERE m.state = 'done'
            """,
            scraps=SQL.identifier(scraps),
            return_col=SQL.identifier(return_col),
            scrap_col=SQL.identifier(scrap_col),
        )

    def _select_reworks(self):
        """The rework cost entered when returned goods are reworked."""
        return SQL(
            """
            SELECT r.id * 8 + 4, r.date_disposed, c.company_id, c.partner_id, NULL,
                   c.id, r.product_id, 'rework', r.rework_cost
              FROM csc_complaint_return r
              JOIN csc_complaint c ON c.id = r.complaint_id
             WHERE r.state = 'disposed' AND r.disposition = 'rework'
               AND r.rework_cost > 0
            """
        )

    def _select_accounting(self):
        """The lines of the posted accounting documents of customer service that count in the
        failure cost, at their balance in the company's currency: a refund's credit note is a
        debit (a cost), an invoice to the partner brand or a supplier's credit note a credit (a
        recovery); a document reversing one nets it. The customer is the visit's or the
        complaint's."""
        return SQL(
            """
            SELECT line.id * 8 + 5, line.date, line.company_id,
                   COALESCE(visit.partner_id, complaint.partner_id, move.commercial_partner_id),
                   move.csc_service_visit_id, move.csc_complaint_id, line.product_id,
                   CASE move.csc_origin %(types)s END, line.balance
              FROM account_move_line line
              JOIN account_move move ON move.id = line.move_id
              LEFT JOIN csc_service_visit visit ON visit.id = move.csc_service_visit_id
              LEFT JOIN csc_complaint complaint ON complaint.id = move.csc_complaint_id
             WHERE move.state = 'posted' AND line.display_type = 'product'
               AND move.csc_origin IN %(origins)s
            """,
            types=SQL(" ").join(
                SQL("WHEN %s THEN %s", origin, cost_type)
                for origin, cost_type in ACCOUNTING_COST_TYPES.items()
            ),
            origins=tuple(ACCOUNTING_COST_TYPES),
        )

    # -- helpers -------------------------------------------------------------------------------

    def _recovery_types(self):
        """The cost types that are money recovered (negative amounts), not costs."""
        return ("brand_recovery", "supplier_recovery")

    def _relation(self, model, field):
        """Table and columns of a many2many, as the ORM named them."""
        relational = self.env[model]._fields[field]
        return relational.relation, relational.column1, relational.column2
