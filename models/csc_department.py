from odoo import fields
from odoo import models


class CscDepartment(models.Model):
    """A department that owns part of the customer-service process (R-J): it is informed of
    customer-specific requirements, made responsible for complaints and owns actions."""

    _name = "csc.department"
    _description = "Customer Service Department"
    _inherit = ["csc.record.mixin"]
    _order = "sequence, name"

    # -- fields --------------------------------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    manager_id = fields.Many2one("res.users", domain=[("share", "=", False)])
    member_ids = fields.Many2many("res.users", string="Members", domain=[("share", "=", False)])
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    active = fields.Boolean(default=True)

    # -- SQL constraints -----------------------------------------------------------------------

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "A department code must be unique."),
    ]
