from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class CscPartLoanLine(models.Model):
    _name = "csc.part.loan.line"
    _description = "Spare-Part Loan Line"
    _check_company_auto = True
    _inherit = ["csc.record.mixin"]
    _csc_parent_fields = ("loan_id",)
    # Derived from the done stock moves of the line only.
    _csc_guarded_fields = frozenset(
        {"qty_issued", "qty_returned", "qty_consumed", "qty_damaged", "qty_faulty", "qty_inspected"}
    )

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    loan_id = fields.Many2one("csc.part.loan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="loan_id.company_id", store=True, index=True)
    product_id = fields.Many2one("product.product", required=True, check_company=True)
    lot_id = fields.Many2one(
        "stock.lot", "Lot/Serial", domain="[('product_id', '=', product_id)]", check_company=True
    )
    quantity = fields.Float("Loaned", required=True, default=1.0, digits="Product Unit of Measure")
    # What the done stock moves of the line booked (never typed: `stock.move.csc_loan_role`).
    move_ids = fields.One2many("stock.move", "csc_loan_line_id", "Stock Moves", readonly=True)
    qty_issued = fields.Float(
        "Issued", compute="_compute_moved", store=True, digits="Product Unit of Measure"
    )
    qty_returned = fields.Float(
        "Returned Unused", compute="_compute_moved", store=True, digits="Product Unit of Measure"
    )
    qty_consumed = fields.Float(
        "Installed", compute="_compute_moved", store=True, digits="Product Unit of Measure"
    )
    qty_damaged = fields.Float(
        "Replaced Parts Returned",
        compute="_compute_moved",
        store=True,
        digits="Product Unit of Measure",
    )
    qty_faulty = fields.Float(
        "Returned Faulty",
        compute="_compute_moved",
        store=True,
        digits="Product Unit of Measure",
        help="Loaned parts brought back faulty without being installed: to quality inspection.",
    )
    qty_returned_inspection = fields.Float(
        "Returned Unused to Inspection",
        compute="_compute_moved",
        store=True,
        digits="Product Unit of Measure",
        help="Unused parts brought back into quality inspection (not exempt by the company's "
        "setting): their inspection result moves them on.",
    )
    qty_returned_todo = fields.Float("Return Now", digits="Product Unit of Measure")
    qty_faulty_todo = fields.Float("Faulty Now", digits="Product Unit of Measure")
    qty_consumed_todo = fields.Float("Installed Now", digits="Product Unit of Measure")
    qty_damaged_todo = fields.Float("Replaced Parts Now", digits="Product Unit of Measure")
    inspection_result = fields.Selection(
        [
            ("stock", "Back to Stock"),
            ("quarantine", "Quarantine"),
            ("scrap", "Scrap"),
            ("supplier", "Return to Supplier"),
        ],
        help="Quality's decision on the replaced parts brought back.",
    )
    qty_inspected = fields.Float(
        "Inspected", compute="_compute_moved", store=True, digits="Product Unit of Measure"
    )
    balance = fields.Float(
        compute="_compute_balance",
        store=True,
        digits="Product Unit of Measure",
        help="Issued − returned − installed − returned faulty.",
    )

    _sql_constraints = [
        (
            "quantities",
            "CHECK(quantity > 0 AND qty_returned_todo >= 0 AND qty_consumed_todo >= 0 "
            "AND qty_damaged_todo >= 0 AND qty_faulty_todo >= 0)",
            "Loaned quantities must be positive and settled quantities cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends(
        "move_ids.state",
        "move_ids.quantity",
        "move_ids.csc_loan_role",
        "move_ids.location_dest_id.csc_quality_inspection",
    )
    def _compute_moved(self):
        roles = ("issued", "returned", "consumed", "damaged", "faulty", "inspected")
        for line in self:
            done = dict.fromkeys(roles, 0.0)
            to_inspection = 0.0
            for move in line.move_ids.filtered(lambda m: m.state == "done"):
                quantity = move.product_uom._compute_quantity(move.quantity, line.product_id.uom_id)
                done[move.csc_loan_role] += quantity
                if (
                    move.csc_loan_role == "returned"
                    and move.location_dest_id.csc_quality_inspection
                ):
                    to_inspection += quantity
            for role in roles:
                line[f"qty_{role}"] = done[role]
            line.qty_returned_inspection = to_inspection

    @api.depends("qty_issued", "qty_returned", "qty_consumed", "qty_faulty")
    def _compute_balance(self):
        for line in self:
            line.balance = line.qty_issued - line.qty_returned - line.qty_consumed - line.qty_faulty

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        self._csc_check_lot_product()

    # ------------------------------------------------------------
    # Business
    # ------------------------------------------------------------

    def _move_vals(self, role):
        """What a stock move booking this line's `role` carries."""
        self.ensure_one()
        return {"csc_loan_line_id": self.id, "csc_loan_role": role}

    def _to_inspect(self):
        """Parts in quality inspection not inspected yet: the replaced parts brought back from
        the customer, the loaned parts returned faulty and the unused parts returned into
        inspection."""
        self.ensure_one()
        return (
            self.qty_damaged + self.qty_faulty + self.qty_returned_inspection - self.qty_inspected
        )

    def _inspection_exempt(self):
        """Unused parts that go straight back to stock: low-value standard parts whose cost is
        at most the company's exemption (R-F4; zero exempts nothing)."""
        self.ensure_one()
        limit = self.company_id.csc_loan_inspection_exempt_cost
        product = self.product_id.with_company(self.company_id)
        return bool(
            limit > 0
            and product.csc_low_value
            and float_compare(product.standard_price, limit, precision_digits=6) <= 0
        )

    def _check_settlement(self):
        """What is settled comes from this loan's outstanding parts only, and no more replaced
        parts come back than were issued."""
        for line in self:
            settled = line.qty_returned_todo + line.qty_consumed_todo + line.qty_faulty_todo
            if float_compare(settled, line.balance, precision_digits=4) > 0:
                raise UserError(
                    self.env._(
                        "%(part)s: %(settled)s settled, but only %(balance)s outstanding on "
                        "%(loan)s.",
                        part=line.product_id.display_name,
                        settled=settled,
                        balance=line.balance,
                        loan=line.loan_id.name,
                    )
                )
            damaged = line.qty_damaged + line.qty_damaged_todo
            if float_compare(damaged, line.qty_issued, precision_digits=4) > 0:
                raise UserError(
                    self.env._(
                        "%(part)s: %(damaged)s replaced parts brought back, more than the "
                        "%(issued)s issued.",
                        part=line.product_id.display_name,
                        damaged=damaged,
                        issued=line.qty_issued,
                    )
                )
