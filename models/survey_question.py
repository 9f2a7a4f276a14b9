from odoo import fields
from odoo import models


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    # Scored satisfaction items (R-H3): each belongs to one phase and one dimension.
    csc_phase = fields.Selection(
        [("pre", "Pre-Service"), ("in", "In-Service"), ("after", "After-Service")],
        "Satisfaction Phase",
        help="Phase of the service this item rates; the phase scores are weighted by the "
        "company's phase weights (20 / 50 / 30 by default).",
    )
    csc_dimension = fields.Selection(
        [
            ("quality", "Quality"),
            ("service", "Service"),
            ("price", "Price"),
            ("delivery", "Delivery"),
        ],
        "Satisfaction Dimension",
    )
