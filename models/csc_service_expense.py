from odoo import fields
from odoo import models


class CscServiceExpense(models.Model):
    """An expense of the technician's trip (R-E5), with its receipt."""

    _name = "csc.service.expense"
    _description = "Trip Expense"
    _inherit = ["csc.record.mixin"]
    _csc_parent_fields = ("visit_id",)

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    visit_id = fields.Many2one("csc.service.visit", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="visit_id.company_id", store=True, index=True)
    expense_type = fields.Selection(
        [
            ("travel", "Travel"),
            ("lodging", "Lodging"),
            ("labour", "Labour"),
            ("parts", "Parts"),
            ("freight", "Freight"),
        ],
        "Type",
        required=True,
    )
    name = fields.Char("Description")
    currency_id = fields.Many2one(related="visit_id.currency_id")
    amount = fields.Monetary(required=True)
    receipt = fields.Binary(attachment=True)
    receipt_filename = fields.Char()

    _sql_constraints = [
        (
            "amount_range",
            "CHECK(amount >= 0 AND amount < 10000000)",
            "An expense lies between 0 and 10,000,000.",
        ),
    ]
