from odoo import api
from odoo import fields
from odoo import models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    # -- fields --------------------------------------------------------------------------------

    csc_campaign_id = fields.Many2one(
        "csc.satisfaction.campaign", "Satisfaction Campaign", index=True, ondelete="set null"
    )
    csc_visit_id = fields.Many2one(
        "csc.service.visit", "Service Visit", index="btree_not_null", ondelete="set null"
    )
    csc_result_ids = fields.One2many("csc.satisfaction.result", "user_input_id")
    csc_date_reminded = fields.Datetime(
        "Last Reminded",
        readonly=True,
        copy=False,
        help="When the customer was last reminded to answer the satisfaction campaign.",
    )

    # -- business helpers ----------------------------------------------------------------------

    @api.model
    def _csc_invite(self, survey, contact, **values):
        """An answer of `survey` (with its token) for `contact`, and survey's own invitation
        queued to them: how campaigns and the survey after a field service invite."""
        answer = survey.sudo()._create_answer(partner=contact, check_attempts=False, **values)
        answer._csc_send_invitation()
        return answer

    def _csc_send_invitation(self):
        """Queue survey's invitation mail, with the answer's link, for each answer (the
        invitation itself and the campaigns' reminders)."""
        template = self.env.ref("survey.mail_template_user_input_invite").sudo()
        for answer in self:
            template.send_mail(answer.id, email_layout_xmlid="mail.mail_notification_light")

    def _mark_done(self):
        res = super()._mark_done()
        self._csc_score()
        return res

    def _csc_score(self):
        """Create or refresh the satisfaction result of every response holding scored items.

        The one place where R-H3 scoring happens: campaigns, paper entries and the survey
        after a field service all go through it.
        """
        Result = self.env["csc.satisfaction.result"].sudo()
        scored = self.filtered(
            lambda ui: not ui.test_entry
            and any(q.csc_phase and q.csc_dimension for q in ui.survey_id.question_ids)
        )
        # An answer that arrives once its campaign is closed or cancelled is kept in survey but
        # never counted: the campaign's results, and so its rate and feedbacks, stay as closed
        # (the campaign is told in its chatter). A reopened campaign counts answers again.
        scored.csc_campaign_id._csc_lock_for_answers()
        late = scored.filtered(lambda ui: ui.csc_campaign_id.state in ("closed", "cancel"))
        for user_input in late:
            user_input.csc_campaign_id.sudo().message_post(
                body=self.env._(
                    "An answer of %s arrived after the campaign ended: it is not counted.",
                    user_input.partner_id.display_name or user_input.email or "-",
                ),
                subtype_xmlid="mail.mt_note",
            )
        scored -= late
        existing = Result.search([("user_input_id", "in", scored.ids)])
        by_input = {result.user_input_id.id: result for result in existing}
        to_create = []
        for user_input in scored:
            vals = Result._csc_compute_values(user_input)
            if user_input.id in by_input:
                by_input[user_input.id].write(vals)
            else:
                to_create.append(vals)
        results = existing | Result.create(to_create)
        results.filtered(
            lambda r: r.visit_id and r.band == "unsatisfactory" and not r.ticket_id
        )._csc_open_service_feedback()
        return results
