from odoo import fields
from odoo import models


class CscServiceVisitDay(models.Model):
    """A day of line-side service at an OEM (R-E6, 现场服务工作记录表)."""

    _name = "csc.service.visit.day"
    _description = "Line-Side Service Daily Record"
    _inherit = ["csc.record.mixin"]
    _csc_parent_fields = ("visit_id",)
    _order = "date, id"

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    visit_id = fields.Many2one("csc.service.visit", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="visit_id.company_id", store=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    user_id = fields.Many2one("res.users", "Technician", default=lambda self: self.env.user)
    work = fields.Text("Work Done", required=True)
    problems = fields.Text("Problems Found")
    hours = fields.Float()

    _sql_constraints = [
        ("hours_range", "CHECK(hours >= 0 AND hours <= 24)", "A day has 0 to 24 working hours."),
    ]
