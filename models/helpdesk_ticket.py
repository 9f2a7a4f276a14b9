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
