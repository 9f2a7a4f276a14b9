from odoo import api
from odoo import models


class CscSequenceMixin(models.AbstractModel):
    """Numbers new records from the `ir.sequence` whose code is the model's name, in the field
    `_csc_sequence_field` (left at "/" until then)."""

    _name = "csc.sequence.mixin"
    _description = "Customer Service Numbering"
    _csc_sequence_field = "name"

    @api.model_create_multi
    def create(self, vals_list):
        field = self._csc_sequence_field
        for vals in vals_list:
            if vals.get(field, "/") == "/":
                vals[field] = self.env["ir.sequence"].next_by_code(self._name)
        return super().create(vals_list)
