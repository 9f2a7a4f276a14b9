from odoo import fields
from odoo import models


class AccountMove(models.Model):
    """The money side of customer service: which visit, complaint or claim an invoice, credit
    note or vendor credit note comes from, and what it is for, so that the failure-cost and
    monthly reports count posted accounting documents, not figures typed on the visit. A credit
    note reversing one keeps them (they are copied), so that the reports net the two."""

    _inherit = "account.move"

    csc_origin = fields.Selection(
        [
            ("paid_service", "Paid Service"),
            ("brand_service", "Partner Brand Service"),
            ("refund", "Complaint Refund"),
            ("supplier_recovery", "Supplier Recovery"),
        ],
        string="Customer Service Origin",
        readonly=True,
        index="btree_not_null",
        help="What the document settles for customer service: a paid service invoiced to the "
        "customer, warranty work invoiced to the partner brand, a refund credited to the customer "
        "or costs recovered from a supplier.",
    )
    csc_service_visit_id = fields.Many2one(
        "csc.service.visit",
        string="Service Visit",
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
    csc_complaint_id = fields.Many2one(
        "csc.complaint",
        string="Complaint",
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
