from odoo import fields
from odoo import models

ISHIKAWA_CATEGORIES = [
    ("man", "Man"),
    ("machine", "Machine"),
    ("method", "Method"),
    ("material", "Material"),
    ("measurement", "Measurement"),
    ("environment", "Environment"),
]


class CscEightdIshikawa(models.Model):
    """A possible cause on the Ishikawa (fishbone, 鱼骨图) grid of the root-cause analysis (D4):
    its category (the 6 M), whether checking it confirmed or ruled it out, and the evidence.
    The lines change only while D4 is open (they ask their 8D)."""

    _name = "csc.eightd.ishikawa"
    _description = "8D Ishikawa Cause"
    _inherit = ["csc.record.mixin"]
    _csc_parent_fields = ("eightd_id",)
    _order = "eightd_id, category, sequence, id"

    eightd_id = fields.Many2one(
        "csc.eightd", "8D Report", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="eightd_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    category = fields.Selection(ISHIKAWA_CATEGORIES, required=True)
    name = fields.Char("Possible Cause", required=True)
    verified = fields.Selection(
        [("yes", "Yes: a cause"), ("no", "No: ruled out")],
        help="Empty while the possible cause is not checked yet.",
    )
    evidence = fields.Text()
