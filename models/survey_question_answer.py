from odoo import fields
from odoo import models


class SurveyQuestionAnswer(models.Model):
    _inherit = "survey.question.answer"

    csc_level = fields.Selection(
        [
            ("satisfied", "Satisfied"),
            ("fairly_satisfied", "Fairly Satisfied"),
            ("average", "Average"),
            ("acceptable", "Acceptable"),
            ("unsatisfied", "Unsatisfied"),
        ],
        "Satisfaction Level",
        help="Share of the item's points this answer gives, from the company settings "
        "(satisfied 100 %, fairly satisfied 90 %, average 70 %, acceptable 50 %, unsatisfied 0).",
    )
