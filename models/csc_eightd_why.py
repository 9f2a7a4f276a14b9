from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

WHY_CHAINS = [
    ("occurrence", "Occurrence (why made)"),
    ("detection", "Non-Detection (why not detected)"),
    ("systemic", "Systemic (why the system allowed it)"),
]


class CscEightdWhy(models.Model):
    """One step of a 5-Why chain of the root-cause analysis (D4, 5个为什么): the question, the
    answer and its evidence. Each chain (occurrence, non-detection, systemic) ends in the root
    cause it found; the lines change only while D4 is open (they ask their 8D)."""

    _name = "csc.eightd.why"
    _description = "8D 5-Why Step"
    _inherit = ["csc.record.mixin"]
    _csc_parent_fields = ("eightd_id",)
    _order = "eightd_id, chain, sequence, id"

    eightd_id = fields.Many2one(
        "csc.eightd", "8D Report", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="eightd_id.company_id", store=True, index=True)
    chain = fields.Selection(WHY_CHAINS, required=True, default="occurrence")
    sequence = fields.Integer(default=10)
    question = fields.Char("Why?", required=True)
    answer = fields.Text("Because", required=True)
    evidence = fields.Text(help="What shows the answer is true (measurement, test, record).")
    evidence_file = fields.Binary(attachment=True)
    evidence_filename = fields.Char()
    is_root_cause = fields.Boolean(
        "Root Cause", help="The answer that ends the chain: the cause that is acted on."
    )

    # -- constraints ---------------------------------------------------------------------------

    @api.constrains("is_root_cause", "chain", "eightd_id")
    def _check_one_root_cause(self):
        """A chain ends in one root cause."""
        for line in self.filtered("is_root_cause"):
            roots = line.eightd_id.why_line_ids.filtered(
                lambda other, line=line: other.chain == line.chain and other.is_root_cause
            )
            if len(roots) > 1:
                chains = dict(self._fields["chain"]._description_selection(self.env))
                raise ValidationError(
                    self.env._(
                        "%(report)s: the %(chain)s 5-Why chain ends in one root cause; "
                        "untick the other one first.",
                        report=line.eightd_id.name,
                        chain=chains[line.chain],
                    )
                )
