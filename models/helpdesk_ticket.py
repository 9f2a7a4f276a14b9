from odoo import fields
from odoo import models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # What the customer's message is (R-B2); the intake features build on it.
    csc_kind = fields.Selection(
        [
            ("consultation", "Consultation"),
            ("suggestion", "Suggestion"),
            ("quality_feedback", "Quality Feedback"),
            ("complaint", "Complaint"),
            ("service_request", "Service Request"),
            ("return_request", "Return Request"),
        ],
        "Kind",
        tracking=True,
        index=True,
    )

    # Satisfaction below target (R-H4): the campaign and the response that raised it.
    csc_satisfaction_campaign_id = fields.Many2one(
        "csc.satisfaction.campaign", "Satisfaction Campaign", index=True, ondelete="set null"
    )
    csc_satisfaction_result_id = fields.Many2one(
        "csc.satisfaction.result", "Satisfaction Result", index=True, ondelete="set null"
    )
