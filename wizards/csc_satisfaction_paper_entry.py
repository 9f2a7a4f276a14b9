from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class CscSatisfactionPaperEntry(models.TransientModel):
    _name = "csc.satisfaction.paper.entry"
    _description = "Paper Satisfaction Answers"

    # -- fields --------------------------------------------------------------------------------

    campaign_id = fields.Many2one("csc.satisfaction.campaign", required=True)
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        domain="[('id', 'in', allowed_partner_ids)]",
    )
    allowed_partner_ids = fields.Many2many(related="campaign_id.partner_ids")
    line_ids = fields.One2many("csc.satisfaction.paper.entry.line", "entry_id", "Answers")

    # -- CRUD ----------------------------------------------------------------------------------

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        campaign_id = values.get("campaign_id") or self.env.context.get("default_campaign_id")
        campaign = self.env["csc.satisfaction.campaign"].browse(campaign_id)
        if campaign:
            self._check_campaign_running(campaign)
        if campaign and "line_ids" in fields_list:
            values["line_ids"] = [
                (0, 0, {"question_id": q.id}) for q in campaign._scored_questions()
            ]
        return values

    # -- actions -------------------------------------------------------------------------------

    def action_confirm(self):
        """Record the paper answers as the customer's survey response, scored like online ones."""
        self.ensure_one()
        campaign = self.campaign_id
        campaign.check_access("write")
        # Locked like an online answer being scored: a campaign closing meanwhile waits.
        campaign._csc_lock_for_answers()
        self._check_campaign_running(campaign)
        answered = self.line_ids.filtered("answer_id").question_id
        if campaign._scored_questions() - answered:
            raise UserError(self.env._("Enter the customer's answer to every question."))
        inputs = campaign.sudo().user_input_ids.filtered(
            lambda ui: ui.partner_id.commercial_partner_id == self.partner_id
        )
        if inputs.filtered(lambda ui: ui.state == "done"):
            raise UserError(
                self.env._("%s has already answered this campaign.", self.partner_id.display_name)
            )
        user_input = inputs[:1] or campaign.survey_id.sudo()._create_answer(
            partner=self.partner_id, check_attempts=False, csc_campaign_id=campaign.id
        )
        for line in self.line_ids:
            user_input._save_lines(line.question_id, line.answer_id.id)
        user_input._mark_done()
        campaign.message_post(
            body=self.env._("Paper answers of %s entered.", self.partner_id.display_name)
        )
        return campaign.action_view_results()

    # -- business helpers ----------------------------------------------------------------------

    @api.model
    def _check_campaign_running(self, campaign):
        """Paper answers are entered only while the campaign runs: before, nobody was invited;
        once it is closed or cancelled, its results no longer change."""
        if campaign.state != "running":
            states = dict(campaign._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Paper answers can only be entered while the campaign is running: "
                    "%(campaign)s is %(state)s.",
                    campaign=campaign.display_name,
                    state=states[campaign.state],
                )
            )
