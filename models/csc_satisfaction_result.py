from odoo import api
from odoo import fields
from odoo import models

PHASES = ("pre", "in", "after")
DIMENSIONS = ("quality", "service", "price", "delivery")


def _mean(values):
    return sum(values) / len(values) if values else 0.0


class CscSatisfactionResult(models.Model):
    _name = "csc.satisfaction.result"
    _description = "Satisfaction Result"
    _check_company_auto = True
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    _inherit = ["csc.record.mixin"]
    _csc_parent_fields = ("campaign_id",)

    # -- fields --------------------------------------------------------------------------------

    user_input_id = fields.Many2one(
        "survey.user_input", "Response", required=True, index=True, ondelete="cascade"
    )
    campaign_id = fields.Many2one(
        "csc.satisfaction.campaign", index=True, ondelete="set null", check_company=True
    )
    visit_id = fields.Many2one(
        "csc.service.visit",
        "Service Visit",
        index="btree_not_null",
        ondelete="set null",
        help="The field service this answer rates (survey after each field service).",
        check_company=True,
    )
    partner_id = fields.Many2one("res.partner", "Customer", index=True, check_company=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    date = fields.Date(required=True, index=True)
    pre_score = fields.Float("Pre-Service Score", aggregator="avg")
    in_score = fields.Float("In-Service Score", aggregator="avg")
    after_score = fields.Float("After-Service Score", aggregator="avg")
    quality_score = fields.Float(aggregator="avg")
    service_score = fields.Float(aggregator="avg")
    price_score = fields.Float(aggregator="avg")
    delivery_score = fields.Float(aggregator="avg")
    total_score = fields.Float(
        aggregator="avg",
        help="Out of 100: every item scores its answer's share of 100 points (satisfied 100, "
        "fairly satisfied 90, average 70, acceptable 50, unsatisfied 0); a phase scores the mean "
        "of its items; the total is the phase scores weighted by the phase weights.",
    )
    min_item_score = fields.Float(
        "Lowest Item Score",
        aggregator="min",
        help="The lowest item score of the response on the same 100-point scale: an item is "
        "'below 80' when its answer gives less than 80 % of its points (average, acceptable "
        "or unsatisfied with the default settings).",
    )
    band = fields.Selection(
        [
            ("unsatisfactory", "Unsatisfactory"),
            ("qualified", "Qualified"),
            ("excellent", "Excellent"),
        ],
        index=True,
        help="Total below 70: unsatisfactory; from 70 to 90 included: qualified; above 90: "
        "excellent (company settings).",
    )
    is_satisfied = fields.Boolean(
        "Satisfied",
        index=True,
        help="Satisfied only when the total is at least 90 and no item scores below the item "
        "minimum (80 points out of 100).",
    )
    satisfied_rate = fields.Float(
        "Satisfaction Rate (%)",
        aggregator="avg",
        help="100 when the customer is satisfied, 0 otherwise: its average over a group of "
        "responses is the share of satisfied customers.",
    )
    ticket_id = fields.Many2one("helpdesk.ticket", "Quality Feedback", readonly=True)

    # -- SQL constraints -----------------------------------------------------------------------

    _sql_constraints = [
        (
            "user_input_unique",
            "unique(user_input_id)",
            "A response has only one satisfaction result.",
        ),
    ]

    # -- business helpers ----------------------------------------------------------------------

    @api.model
    def _csc_compute_values(self, user_input):
        """Score one survey.user_input by the rule of R-H3 with the company's settings."""
        campaign = user_input.csc_campaign_id
        visit = user_input.csc_visit_id
        company = campaign.company_id or visit.company_id or self.env.company
        by_phase, by_dimension = self._csc_answer_scores(user_input, company)
        phase_scores = {phase: _mean(scores) for phase, scores in by_phase.items()}
        total = self._csc_total_score(company, by_phase, phase_scores)
        items = [score for scores in by_phase.values() for score in scores]
        min_item = min(items) if items else 0.0
        satisfied = bool(
            items and total >= company.csc_band_excellent and min_item >= company.csc_item_minimum
        )
        partner = user_input.partner_id.commercial_partner_id
        return {
            "user_input_id": user_input.id,
            "campaign_id": campaign.id,
            "visit_id": visit.id,
            "partner_id": partner.id,
            "company_id": company.id,
            "date": campaign.date_start
            or fields.Date.to_date(visit.date_end)
            or fields.Date.to_date(user_input.create_date)
            or fields.Date.context_today(self),
            "pre_score": phase_scores["pre"],
            "in_score": phase_scores["in"],
            "after_score": phase_scores["after"],
            "quality_score": _mean(by_dimension["quality"]),
            "service_score": _mean(by_dimension["service"]),
            "price_score": _mean(by_dimension["price"]),
            "delivery_score": _mean(by_dimension["delivery"]),
            "total_score": total,
            "min_item_score": min_item,
            "band": self._csc_band(company, total),
            "is_satisfied": satisfied,
            "satisfied_rate": 100.0 if satisfied else 0.0,
        }

    @api.model
    def _csc_answer_scores(self, user_input, company):
        """The score (percent) of each rated answer, by phase and by dimension."""
        percent = {
            "satisfied": company.csc_score_satisfied,
            "fairly_satisfied": company.csc_score_fairly_satisfied,
            "average": company.csc_score_average,
            "acceptable": company.csc_score_acceptable,
            "unsatisfied": 0.0,
        }
        by_phase = {phase: [] for phase in PHASES}
        by_dimension = {dimension: [] for dimension in DIMENSIONS}
        for line in user_input.user_input_line_ids:
            question = line.question_id
            level = line.suggested_answer_id.csc_level
            if not (question.csc_phase and question.csc_dimension and level):
                continue
            score = percent[level]
            by_phase[question.csc_phase].append(score)
            by_dimension[question.csc_dimension].append(score)
        return by_phase, by_dimension

    @api.model
    def _csc_total_score(self, company, by_phase, phase_scores):
        """The phases' scores weighted by the company's weights, over the phases answered."""
        weights = {
            "pre": company.csc_weight_pre_service,
            "in": company.csc_weight_in_service,
            "after": company.csc_weight_after_service,
        }
        answered_weight = sum(weights[phase] for phase in PHASES if by_phase[phase])
        total = (
            sum(weights[phase] * phase_scores[phase] for phase in PHASES) / answered_weight
            if answered_weight
            else 0.0
        )
        return round(total, 2)

    @api.model
    def _csc_band(self, company, total):
        if total < company.csc_band_qualified:
            return "unsatisfactory"
        if total <= company.csc_band_excellent:
            return "qualified"
        return "excellent"

    def _csc_open_service_feedback(self):
        """R-H4 after a field service: an unsatisfactory answer opens a quality feedback for the
        customer, handled like any other (the campaigns open theirs when they close)."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        for result in self:
            values = {
                "visit": result.visit_id.name,
                "score": result.total_score,
                "item": result.min_item_score,
            }
            result.ticket_id = Ticket.create(
                {
                    "name": self.env._(
                        "Unsatisfactory field service %(visit)s (%(score)s points)", **values
                    ),
                    "description": self.env._(
                        "The customer rated field service %(visit)s %(score)s points out of "
                        "100 (lowest item %(item)s): find out why and answer the customer.",
                        **values,
                    ),
                    "partner_id": result.partner_id.id,
                    "company_id": result.company_id.id,
                    "csc_kind": "quality_feedback",
                    "csc_satisfaction_result_id": result.id,
                }
            )
