from odoo import fields
from odoo import models
from odoo.exceptions import UserError

# What ties a document to customer service: set when the addon makes it (or copied by a
# reversal), never changed afterwards.
ORIGIN_FIELDS = (
    "csc_origin",
    "csc_service_visit_id",
    "csc_complaint_id",
    "csc_return_id",
    "csc_supplier_claim_id",
)


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
    csc_return_id = fields.Many2one(
        "csc.complaint.return",
        string="Returned Goods",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        help="The returned goods a complaint refund credits.",
    )
    csc_supplier_claim_id = fields.Many2one(
        "csc.supplier.claim",
        string="Supplier Claim",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        help="The supplier claim whose recovery this vendor credit note books.",
    )

    # -- CRUD ----------------------------------------------------------------------------------

    def write(self, vals):
        """The reports count a document by what it settles: nobody re-labels it afterwards (a
        vendor bill made a "supplier recovery" would lower the failure cost)."""
        for name in ORIGIN_FIELDS:
            if name not in vals:
                continue
            field = self._fields[name]
            if any(
                move[name]
                != field.convert_to_record(field.convert_to_cache(vals[name], move), move)
                for move in self
            ):
                raise UserError(
                    self.env._(
                        "What an accounting document settles for customer service is set when "
                        "it is made and does not change."
                    )
                )
        return super().write(vals)

    # -- business helpers ----------------------------------------------------------------------

    def _post(self, soft=True):
        """A complaint refund or a supplier recovery is posted only while what it settles allows
        it (the refund approved, the goods back, not above the returned quantity; the claim
        agreed, not above the amount claimed), whoever posts it and however it was made."""
        # sudo: finance posts; the checks read the complaint side it has no rights on
        self.sudo().filtered("csc_return_id")._csc_check_refund_post()
        self.sudo().filtered("csc_supplier_claim_id")._csc_check_recovery_post()
        return super()._post(soft=soft)

    def _csc_check_refund_post(self):
        if any(move.move_type != "out_refund" for move in self):
            raise UserError(self.env._("Only a customer credit note refunds returned goods."))
        for line in self.csc_return_id:
            line._csc_check_refund_allowed(
                self.filtered(lambda m, line=line: m.csc_return_id == line)
            )

    def _csc_check_recovery_post(self):
        if any(move.move_type != "in_refund" for move in self):
            raise UserError(self.env._("Only a vendor credit note books a supplier recovery."))
        for claim in self.csc_supplier_claim_id:
            claim._csc_check_recovery_allowed(
                self.filtered(lambda m, claim=claim: m.csc_supplier_claim_id == claim)
            )
