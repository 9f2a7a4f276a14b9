from odoo import fields
from odoo import models


class CscSatisfactionPaperEntryLine(models.TransientModel):
    _name = "csc.satisfaction.paper.entry.line"
    _description = "Paper Satisfaction Answer"

    entry_id = fields.Many2one("csc.satisfaction.paper.entry", required=True, ondelete="cascade")
    question_id = fields.Many2one("survey.question", required=True, readonly=True)
    answer_id = fields.Many2one(
        "survey.question.answer", domain="[('question_id', '=', question_id)]"
    )
