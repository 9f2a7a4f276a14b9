from datetime import timedelta

from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import float_compare
from odoo.tools import float_is_zero

CLERK = "customer_service_control.group_csc_stock_clerk"
# When the weekly outstanding-loans report was last sent (ir.config_parameter).
LOAN_REPORT_PARAM = "customer_service_control.loan_report_sent"
# What may be entered on the lines of an issued loan.
TODO_FIELDS = ("qty_returned_todo", "qty_consumed_todo", "qty_damaged_todo", "qty_faulty_todo")
SETTLEMENT_FIELDS = {*TODO_FIELDS, "inspection_result"}


class CscPartLoan(models.Model):
    """The spare-part loan slip (A/S借用单, R-F1..F5): parts leave the warehouse for a
    technician's loan location with a real transfer, and come back, are consumed at the
    customer, or go to quality inspection; the loan is zeroed (归零) when nothing is left."""

    _name = "csc.part.loan"
    _description = "Spare-Part Loan"
    _check_company_auto = True
    _inherit = ["csc.sequence.mixin", "csc.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_loan desc, id desc"
    _csc_guarded_fields = frozenset({"state", "date_loan", "location_id", "picking_ids"})
    _csc_locked_states = ("zeroed", "cancelled")
    # The slip is signed by its issue (R-F2: the technician signs out low-value parts, the clerk
    # issues the others): the borrower stays as signed; the parts, once issued, change only in
    # their settlement quantities (`_csc_check_child_change`). Parts that left the warehouse are
    # never un-issued: a reopening of a zeroed slip keeps its signature.
    _csc_signed_fields = frozenset(
        {"technician_id", "shipping", "carrier_name", "carrier_tracking_ref"}
    )

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    name = fields.Char("Number", readonly=True, copy=False, default="/")
    technician_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
    )
    visit_id = fields.Many2one(
        "csc.service.visit", "Service Visit", index=True, tracking=True, check_company=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("loaned", "Loaned"),
            ("zeroed", "Zeroed"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    date_loan = fields.Datetime(
        "Loaned On", readonly=True, copy=False, tracking=True, index="btree_not_null"
    )
    date_settlement_due = fields.Datetime(
        "Settle By",
        compute="_compute_date_settlement_due",
        store=True,
        index="btree_not_null",
        help="Within the settlement days after the service (or after the loan while the service "
        "is not finished).",
        tracking=True,
    )
    date_settled = fields.Datetime(
        "Settled On",
        compute="_compute_date_settled",
        store=True,
        help="When the last part lent came back, was installed or went to inspection: nothing "
        "left outstanding (from the done stock moves).",
    )
    line_ids = fields.One2many("csc.part.loan.line", "loan_id", "Parts", copy=True)
    picking_ids = fields.Many2many(
        "stock.picking",
        string="Transfers",
        readonly=True,
        copy=False,
        groups="stock.group_stock_user",
    )
    location_id = fields.Many2one(
        "stock.location", "Loan Location", readonly=True, copy=False, tracking=True
    )
    is_balanced = fields.Boolean("Nothing Outstanding", compute="_compute_is_balanced")
    shipping = fields.Selection(
        [("technician", "With the Technician"), ("carrier", "By Carrier to the Customer")],
        "Parts Travel",
        default="technician",
        required=True,
        tracking=True,
        help="By carrier: the parts are delivered to the customer's address with the carrier's "
        "tracking reference, for the technician to install there (R-F2).",
    )
    carrier_name = fields.Char("Carrier", tracking=True)
    carrier_tracking_ref = fields.Char("Tracking Reference", tracking=True, copy=False)

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "Loan numbers are unique."),
    ]

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("visit_id")
    def _compute_partner_id(self):
        for loan in self:
            loan.partner_id = loan.visit_id.partner_id or loan.partner_id

    @api.depends("date_loan", "visit_id.date_end", "company_id")
    def _compute_date_settlement_due(self):
        for loan in self:
            start = loan.visit_id.date_end or loan.date_loan
            loan.date_settlement_due = start and start + timedelta(
                days=loan.company_id.csc_loan_settlement_days
            )

    @api.depends("line_ids.balance", "line_ids.move_ids.state", "line_ids.move_ids.date")
    def _compute_date_settled(self):
        for loan in self:
            lines = loan.line_ids
            moves = lines.move_ids.filtered(
                lambda move: move.state == "done"
                and move.csc_loan_role in ("returned", "consumed", "faulty")
            )
            settled = (
                moves
                and any(lines.mapped("qty_issued"))
                and all(float_is_zero(line.balance, precision_digits=4) for line in lines)
            )
            loan.date_settled = settled and max(moves.mapped("date"))

    @api.depends("line_ids.balance")
    def _compute_is_balanced(self):
        for loan in self:
            loan.is_balanced = all(
                float_is_zero(line.balance, precision_digits=4) for line in loan.line_ids
            )

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_confirm(self):
        """The parts leave the warehouse. Only low-value parts may be taken on the technician's
        own signature; anything else is issued by the spare-parts clerk."""
        self._csc_check_state(("draft",), self.env._("be issued again"))
        for loan in self:
            if not loan.line_ids:
                raise UserError(self.env._("Add the parts to lend on %s.", loan.name))
            if not self.env.user.has_group(CLERK) and not all(
                loan.line_ids.product_id.mapped("csc_low_value")
            ):
                raise AccessError(
                    self.env._(
                        "%s lends parts that are not low-value: the spare-parts clerk issues it.",
                        loan.name,
                    )
                )
            if loan.shipping == "carrier" and not (loan.partner_id and loan.carrier_tracking_ref):
                raise UserError(
                    self.env._(
                        "%s goes by carrier: enter the customer and the carrier's tracking "
                        "reference first.",
                        loan.name,
                    )
                )
            warehouse = loan._warehouse()
            loan._check_available(warehouse.lot_stock_id)
            location = self.env["stock.location"]._csc_loan_location(
                loan.company_id, loan.technician_id
            )
            loan._csc_write({"location_id": location.id, "date_loan": fields.Datetime.now()})
            carrier = loan.shipping == "carrier"
            loan._transfer(
                warehouse.out_type_id if carrier else warehouse.int_type_id,
                warehouse.lot_stock_id,
                location,
                [(line, line.quantity) for line in loan.line_ids],
                "issued",
                route=loan._prepare_carrier_route() if carrier else None,
            )
            loan._csc_write({"state": "loaned"})
        return True

    def action_settle(self):
        """Book what the technician brought back and used: unused parts into quality inspection
        (back to stock at once for the low-value parts the company exempts), parts installed
        out to the customer, replaced (damaged) parts into quality inspection."""
        self._csc_check_state(("loaned",), self.env._("be settled"))
        self.line_ids._check_settlement()
        for loan in self:
            warehouse = loan._warehouse()
            customers = self.env.ref("stock.stock_location_customers")
            quality = self.env["stock.location"]._csc_quality_location(loan.company_id)
            moves = [
                ("returned", False, (warehouse.int_type_id, loan.location_id, quality)),
                (
                    "returned",
                    True,
                    (warehouse.int_type_id, loan.location_id, warehouse.lot_stock_id),
                ),
                ("consumed", None, (warehouse.out_type_id, loan.location_id, customers)),
                ("damaged", None, (warehouse.in_type_id, customers, quality)),
                ("faulty", None, (warehouse.int_type_id, loan.location_id, quality)),
            ]
            for field, exempt, (picking_type, source, destination) in moves:
                lines = [
                    (line, line[f"qty_{field}_todo"])
                    for line in loan.line_ids
                    if line[f"qty_{field}_todo"] > 0
                    and (exempt is None or line._inspection_exempt() == exempt)
                ]
                if lines:
                    loan._transfer(picking_type, source, destination, lines, field)
            loan.line_ids.write(dict.fromkeys(TODO_FIELDS, 0))
        return True

    def action_zero(self):
        """The warehouse zeroes the loan (归零) once every part is accounted for: not the
        technician who borrowed the parts."""
        if not self.env.user.has_group(CLERK):
            raise AccessError(self.env._("The spare-parts clerk zeroes the loans."))
        self._csc_check_state(("loaned",), self.env._("be zeroed"))
        for loan in self:
            loan._csc_check_not_self(loan.technician_id, self.env._("zero the loan %s", loan.name))
            if not loan.line_ids:
                raise UserError(self.env._("%s lends no part: cancel it instead.", loan.name))
            uninspected = loan.line_ids.filtered(
                lambda line: not float_is_zero(line._to_inspect(), precision_digits=4)
            )
            if uninspected:
                raise UserError(
                    self.env._(
                        "%(loan)s cannot be zeroed: quality has not inspected %(parts)s.",
                        loan=loan.name,
                        parts=", ".join(uninspected.product_id.mapped("display_name")),
                    )
                )
            open_lines = loan.line_ids.filtered(
                lambda line: not float_is_zero(line.balance, precision_digits=4)
            )
            if open_lines:
                raise UserError(
                    self.env._(
                        "%(loan)s cannot be zeroed: %(parts)s still outstanding.",
                        loan=loan.name,
                        parts=", ".join(
                            f"{line.product_id.display_name} ({line.balance:g})"
                            for line in open_lines
                        ),
                    )
                )
        self._csc_write({"state": "zeroed"})
        return True

    def action_cancel(self):
        self._csc_check_state(("draft",), self.env._("be cancelled"))
        self._csc_write({"state": "cancelled"})
        return True

    def action_apply_inspection(self):
        """Quality's inspection result moves each part waiting in inspection (replaced, faulty
        or returned unused) out of it (R-F4)."""
        if not self.env.user.has_group("customer_service_control.group_csc_quality"):
            raise AccessError(self.env._("The quality department records the inspection result."))
        self._csc_check_state(("loaned",), self.env._("get an inspection result"))
        for loan in self:
            lines = loan._check_inspection_ready()
            warehouse = loan._warehouse()
            quality = self.env["stock.location"]._csc_quality_location(loan.company_id)
            destinations = loan._prepare_inspection_destinations(warehouse)
            for line in lines:
                quantity = line._to_inspect()
                if line.inspection_result == "scrap":
                    self.env["stock.scrap"]._csc_scrap(
                        line.product_id,
                        quantity,
                        quality,
                        loan.company_id,
                        loan.name,
                        move_vals=line._move_vals("inspected"),
                    )
                else:
                    loan._transfer(
                        warehouse.int_type_id,
                        quality,
                        destinations[line.inspection_result],
                        [(line, quantity)],
                        "inspected",
                        lot=False,
                    )
        return True

    # ------------------------------------------------------------
    # Business
    # ------------------------------------------------------------

    def _check_inspection_ready(self):
        """The replaced parts waiting for inspection whose result quality recorded."""
        self.ensure_one()
        lines = self.line_ids.filtered(
            lambda line: line._to_inspect() > 0 and line.inspection_result
        )
        if not lines:
            raise UserError(self.env._("Record the inspection result of the replaced parts first."))
        return lines

    def _prepare_inspection_destinations(self, warehouse):
        """Where each inspection result sends the parts (scrapped parts go through a scrap)."""
        self.ensure_one()
        Location = self.env["stock.location"]
        return {
            "stock": warehouse.lot_stock_id,
            "quarantine": Location._csc_location(
                self.company_id, [("csc_quarantine", "=", True)], self.env._("Quarantine")
            ),
            "supplier": self.env.ref("stock.stock_location_suppliers"),
        }

    def _check_available(self, stock):
        """Nothing is lent beyond what the warehouse holds (no transfer left half-done)."""
        self.ensure_one()
        Quant = self.env["stock.quant"].sudo()
        for line in self.line_ids:
            available = Quant._get_available_quantity(
                line.product_id, stock, lot_id=line.lot_id or None, strict=bool(line.lot_id)
            )
            if float_compare(line.quantity, available, precision_digits=4) > 0:
                raise UserError(
                    self.env._(
                        "%(loan)s: %(quantity)s × %(part)s asked, %(available)s in %(stock)s.",
                        loan=self.name,
                        quantity=line.quantity,
                        part=line.product_id.display_name,
                        available=available,
                        stock=stock.display_name,
                    )
                )

    def _warehouse(self):
        return self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )

    def _prepare_carrier_route(self):
        """The delivery of parts sent by carrier: to the customer's delivery address, the
        carrier's tracking reference on the delivery. The parts stay on the loan (booked to the
        technician's loan location) until they are settled."""
        self.ensure_one()
        address = self.partner_id.address_get(["delivery"])["delivery"]
        reference = " ".join(filter(None, [self.carrier_name, self.carrier_tracking_ref]))
        return {
            "partner": self.env["res.partner"].browse(address),
            "origin": f"{self.name} ({reference})",
        }

    def _transfer(self, picking_type, source, destination, lines, role, lot=True, route=None):
        """A validated transfer of (loan line, quantity) from `source` to `destination`, each
        move booking its line's `role` (what the line's quantities are derived from)."""
        self.ensure_one()
        route = {
            "picking_type": picking_type,
            "source": source,
            "destination": destination,
            "partner": self.partner_id,
            "origin": self.name,
            **(route or {}),
        }
        picking = self.env["stock.picking"]._csc_transfer(
            route,
            [
                (line.product_id, line.lot_id if lot else None, qty, line._move_vals(role))
                for line, qty in lines
            ],
        )
        with self._csc_transition():
            self.sudo().picking_ids |= picking
        return picking

    def _csc_link_moves(self):
        """Link the done moves of loans booked before the lines read their quantities from
        their moves (migration to 18.0.1.1.0): each move's step follows from where it went."""
        customers = self.env.ref("stock.stock_location_customers")
        Move = self.env["stock.move"].sudo()
        for loan in self.sudo().filtered("location_id"):
            stock = loan._warehouse().lot_stock_id
            quality = self.env["stock.location"]._csc_quality_location(loan.company_id)
            roles = {
                (stock, loan.location_id): "issued",
                (loan.location_id, stock): "returned",
                (loan.location_id, customers): "consumed",
                (customers, quality): "damaged",
                (loan.location_id, quality): "faulty",
            }
            scraps = self.env["stock.scrap"].sudo().search([("origin", "=", loan.name)])
            moves = Move.search(
                [
                    "|",
                    ("picking_id", "in", loan.picking_ids.ids),
                    ("scrap_id", "in", scraps.ids),
                    ("state", "=", "done"),
                    ("csc_loan_line_id", "=", False),
                ]
            )
            for move in moves:
                role = roles.get((move.location_id, move.location_dest_id))
                if move.location_id == quality:
                    role = "inspected"
                line = loan.line_ids.filtered(lambda line, m=move: line.product_id == m.product_id)
                if role and line:
                    move.write(line[:1]._move_vals(role))

    def _csc_check_child_change(self, children, operation, names):
        """Once issued, the loan's parts are what left the warehouse: only the quantities to
        settle now and quality's inspection result are entered on the lines."""
        res = super()._csc_check_child_change(children, operation, names)
        issued = self.filtered(lambda loan: loan.state != "draft")
        if issued and (operation != "write" or not names <= SETTLEMENT_FIELDS):
            raise UserError(
                self.env._(
                    "%s is issued: its parts can no longer change; enter what comes back in the "
                    "settlement quantities.",
                    ", ".join(issued.mapped("name")),
                )
            )
        return res

    def _csc_is_signed(self):
        self.ensure_one()
        return bool(self.date_loan)

    def _csc_reopen_states(self):
        return ("zeroed",)

    def _csc_reopen_values(self):
        return {"state": "loaned"}

    # ------------------------------------------------------------
    # Crons and jobs
    # ------------------------------------------------------------

    @api.model
    def _cron_weekly_outstanding(self):
        """Every week the warehouse reports the outstanding loans (R-F3) to the spare-parts
        clerks and the service managers. Once a week: a second run within six days of the last
        report sends nothing and schedules no second settlement activity."""
        params = self.env["ir.config_parameter"].sudo()
        now = fields.Datetime.now()
        last = fields.Datetime.to_datetime(params.get_param(LOAN_REPORT_PARAM) or False)
        if last and last > now - timedelta(days=6):
            return
        loans = self.search([("state", "=", "loaned")])
        if not loans:
            return
        params.set_param(LOAN_REPORT_PARAM, fields.Datetime.to_string(now))
        recipients = self.env["res.users"]
        for company in loans.company_id:
            recipients |= company._csc_users(CLERK) | company._csc_users(
                "customer_service_control.group_csc_manager"
            )
        recipients = recipients.filtered("email")
        template = self.env.ref("customer_service_control.mail_template_csc_loan_outstanding")
        template.with_context(loans=loans).send_mail(
            loans[0].id,
            email_values={"recipient_ids": [Command.set(recipients.partner_id.ids)]},
        )
        overdue = loans.filtered(
            lambda loan: loan.date_settlement_due
            and loan.date_settlement_due < fields.Datetime.now()
        )
        for loan in overdue:
            loan._csc_activity_once(
                "mail.mail_activity_data_todo",
                self.env._("Settle the spare-part loan %s", loan.name),
                user_id=loan.technician_id.id,
            )
