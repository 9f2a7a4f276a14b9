from datetime import date

from odoo.exceptions import AccessError
from odoo.exceptions import UserError

from .common import MODULE
from .common import CscCase

S, F, A, C, U = "satisfied", "fairly_satisfied", "average", "acceptable", "unsatisfied"


class TestSatisfaction(CscCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env.ref(f"{MODULE}.csc_satisfaction_survey")
        # Questions 1-2 pre-service, 3-6 in-service, 7-8 after-service (see the survey data).
        cls.questions = [
            cls.env.ref(f"{MODULE}.csc_satisfaction_question_{i}") for i in range(1, 9)
        ]
        cls.customer.email = "quality@oem.example.com"
        cls.dealer = cls.env["res.partner"].create(
            {
                "name": "Test Dealer",
                "is_company": True,
                "csc_customer_type": "dealer",
                "csc_relation_class": "general",
                "csc_grade": "b",
            }
        )
        cls.dealer_contact = cls.env["res.partner"].create(
            {
                "name": "Dealer Buyer",
                "parent_id": cls.dealer.id,
                "email": "buyer@dealer.example.com",
            }
        )
        cls.no_mail = cls.env["res.partner"].create(
            {"name": "Silent Customer", "is_company": True, "csc_customer_type": "end_user"}
        )

    def _campaign(self, partners, user=None, **vals):
        Campaign = self.env["csc.satisfaction.campaign"].with_user(user or self.quality_user)
        return Campaign.create(
            dict(
                {
                    "name": "Q1 survey",
                    "period_type": "quarterly",
                    "date_start": date(2026, 1, 1),
                    "date_end": date(2026, 3, 31),
                    "partner_ids": [(6, 0, partners.ids)],
                },
                **vals,
            )
        )

    def _answer(self, user_input, levels):
        """Answer the eight items with the given levels and submit, as the survey does."""
        user_input = user_input.sudo()
        for question, level in zip(self.questions, levels, strict=True):
            choice = question.suggested_answer_ids.filtered(lambda a, lv=level: a.csc_level == lv)
            user_input._save_lines(question, choice.id)
        user_input._mark_done()
        return user_input.csc_result_ids

    def _score(self, levels):
        user_input = self.survey.sudo()._create_answer(partner=self.customer, check_attempts=False)
        return self._answer(user_input, levels)

    # Scoring rule (R-H3), hand-computed with the default settings.
    def test_all_satisfied_is_excellent(self):
        result = self._score([S] * 8)
        self.assertEqual(result.total_score, 100.0)
        self.assertEqual(result.band, "excellent")
        self.assertTrue(result.is_satisfied)
        self.assertEqual(result.partner_id, self.customer)

    def test_band_edge_90_is_qualified_and_satisfied(self):
        result = self._score([F] * 8)
        self.assertEqual(result.total_score, 90.0)
        self.assertEqual(result.band, "qualified")
        self.assertTrue(result.is_satisfied, "90 with every item at 90 is satisfied")

    def test_item_below_80_prevents_satisfied(self):
        # Price (in-service) average: in = (100 + 100 + 70 + 100) / 4 = 92.5;
        # total = 0.2 * 100 + 0.5 * 92.5 + 0.3 * 100 = 96.25.
        result = self._score([S, S, S, S, A, S, S, S])
        self.assertAlmostEqual(result.in_score, 92.5)
        self.assertAlmostEqual(result.total_score, 96.25)
        self.assertEqual(result.band, "excellent")
        self.assertEqual(result.min_item_score, 70.0)
        self.assertFalse(result.is_satisfied)
        self.assertEqual(result.price_score, 70.0)
        self.assertEqual(result.quality_score, 100.0)

    def test_band_edge_70(self):
        result = self._score([A] * 8)
        self.assertEqual(result.total_score, 70.0)
        self.assertEqual(result.band, "qualified")
        self.assertFalse(result.is_satisfied)
        # After-service (70 + 50) / 2 = 60: 0.2 * 70 + 0.5 * 70 + 0.3 * 60 = 67.
        result = self._score([A, A, A, A, A, A, A, C])
        self.assertEqual(result.total_score, 67.0)
        self.assertEqual(result.band, "unsatisfactory")

    def test_scoring_uses_company_settings(self):
        self.company.csc_score_fairly_satisfied = 80.0
        result = self._score([F] * 8)
        self.assertEqual(result.total_score, 80.0)
        self.assertFalse(result.is_satisfied)
        self.assertEqual(self._score([S, S, S, S, S, S, S, U]).after_score, 50.0)

    # Invitations and reminders through survey's own mechanism.
    def test_invitations_and_reminders_queued(self):
        campaign = self._campaign(self.customer | self.dealer | self.no_mail)
        campaign.action_start()
        self.assertEqual(campaign.state, "running")
        inputs = campaign.sudo().user_input_ids
        self.assertEqual(inputs.partner_id, self.customer | self.dealer_contact)
        mail_domain = [("model", "=", "survey.user_input"), ("res_id", "in", inputs.ids)]
        mails = self.env["mail.mail"].search(mail_domain)
        self.assertEqual(len(mails), 2)
        self.assertEqual(
            set(mails.mapped("email_to")),
            {self.customer.email_formatted, self.dealer_contact.email_formatted},
        )
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        for user_input in inputs:
            mail = mails.filtered(lambda m, ui=user_input: m.res_id == ui.id)
            self.assertIn(user_input.access_token, mail.body_html)
        self.assertIn("Silent Customer", campaign.message_ids[0].body)
        self._answer(inputs.filtered(lambda ui: ui.partner_id == self.customer), [S] * 8)
        campaign.action_send_reminders()
        reminders = self.env["mail.mail"].search(mail_domain) - mails
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.email_to, self.dealer_contact.email_formatted)

    def test_load_customers_by_class_and_grade(self):
        campaign = self._campaign(self.env["res.partner"])
        campaign.write({"select_relation_class": "general", "select_grade": "b"})
        campaign.action_load_customers()
        self.assertEqual(campaign.partner_ids, self.dealer)

    # Target comparison and quality feedback (R-H2, R-H4).
    def test_close_against_target_opens_feedbacks(self):
        self.company.csc_satisfaction_start_year = 2025
        campaign = self._campaign(self.customer | self.dealer)
        self.assertEqual(campaign.programme_year, 2)
        self.assertEqual(campaign.target_rate, 97.0)
        campaign.action_start()
        inputs = campaign.sudo().user_input_ids
        self._answer(inputs.filtered(lambda ui: ui.partner_id == self.customer), [S] * 8)
        poor = self._answer(
            inputs.filtered(lambda ui: ui.partner_id == self.dealer_contact),
            [S, S, S, S, A, S, S, S],
        )
        self.assertEqual(poor.partner_id, self.dealer)
        self.assertEqual(campaign.satisfaction_rate, 50.0)
        campaign.action_close()
        tickets = campaign.ticket_ids
        self.assertEqual(set(tickets.mapped("csc_kind")), {"quality_feedback"})
        customer_ticket = tickets.filtered("csc_satisfaction_result_id")
        self.assertEqual(customer_ticket.csc_satisfaction_result_id, poor)
        self.assertEqual(customer_ticket.partner_id, self.dealer)
        self.assertEqual(poor.ticket_id, customer_ticket)
        # Price averages (100 + 70) / 2 = 85 < 97; the other dimensions score 100.
        self.assertEqual(len(tickets), 2)
        self.assertIn("Price", (tickets - customer_ticket).name)

    # State machine.
    def test_state_machine_refusals(self):
        campaign = self._campaign(self.env["res.partner"])
        with self.assertRaises(UserError):
            campaign.action_start()
        with self.assertRaises(UserError):
            campaign.action_close()
        with self.assertRaises(UserError):
            campaign.action_send_reminders()
        campaign.partner_ids = self.customer
        campaign.action_start()
        with self.assertRaises(UserError):
            campaign.action_start()
        campaign.action_close()
        with self.assertRaises(UserError):
            campaign.action_cancel()
        other = self._campaign(self.customer)
        other.action_start()
        other.action_cancel()
        with self.assertRaises(UserError):
            other.action_draft()

    # Access.
    def test_access(self):
        campaign = self._campaign(self.customer)
        self.assertTrue(campaign.code.startswith("CSAT/"))
        campaign.action_start()
        self._answer(campaign.sudo().user_input_ids, [S] * 8)
        as_desk = campaign.with_user(self.desk_user)
        self.assertEqual(as_desk.satisfaction_rate, 100.0)
        self.assertEqual(as_desk.result_ids.total_score, 100.0)
        with self.assertRaises(AccessError):
            self._campaign(self.customer, user=self.desk_user)
        with self.assertRaises(AccessError):
            as_desk.action_close()
        with self.assertRaises(AccessError):
            campaign.with_user(self.outsider).read(["name"])
        with self.assertRaises(AccessError):
            self.env["csc.satisfaction.result"].with_user(self.outsider).search([])
        self.assertEqual(self.customer.with_user(self.desk_user).csc_satisfaction_count, 1)

    # Paper answers (Q/JL090101-C).
    def _paper_entry(self, campaign, partner, levels):
        Entry = self.env["csc.satisfaction.paper.entry"].with_user(self.quality_user)
        entry = Entry.with_context(default_campaign_id=campaign.id).create(
            {"campaign_id": campaign.id, "partner_id": partner.id}
        )
        levels_by_question = dict(zip(self.questions, levels, strict=True))
        self.assertEqual(
            entry.line_ids.question_id, self.env["survey.question"].concat(*self.questions)
        )
        for line in entry.line_ids:
            level = levels_by_question[line.question_id]
            line.answer_id = line.question_id.suggested_answer_ids.filtered(
                lambda a, lv=level: a.csc_level == lv
            )
        entry.action_confirm()
        return entry

    def test_paper_entry_scores_like_online(self):
        levels = [S, F, S, A, S, F, S, C]
        campaign = self._campaign(self.customer | self.no_mail)
        with self.assertRaises(UserError):
            self._paper_entry(campaign, self.no_mail, levels)
        campaign.action_start()
        self._paper_entry(campaign, self.no_mail, levels)
        invited = campaign.sudo().user_input_ids.filtered(lambda ui: ui.partner_id == self.customer)
        online = self._answer(invited, levels)
        paper = campaign.result_ids - online
        self.assertEqual(paper.partner_id, self.no_mail)
        fields_ = ["total_score", "pre_score", "in_score", "after_score", "quality_score"]
        fields_ += ["service_score", "price_score", "delivery_score", "min_item_score", "band"]
        self.assertEqual(paper.read(fields_)[0] | {"id": 0}, online.read(fields_)[0] | {"id": 0})
        # pre (100 + 90) / 2 = 95, in (100 + 70 + 100 + 90) / 4 = 90, after (100 + 50) / 2 = 75:
        # 0.2 * 95 + 0.5 * 90 + 0.3 * 75 = 86.5
        self.assertAlmostEqual(paper.total_score, 86.5)
        with self.assertRaises(UserError):
            self._paper_entry(campaign, self.no_mail, levels)

    def test_paper_form_pdf(self):
        campaign = self._campaign(self.customer | self.dealer)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(f"{MODULE}.csc_satisfaction_survey_form_report", campaign.ids)[0]
            .decode()
        )
        self.assertIn("Q/JL090101-C", html)
        self.assertIn("Test Dealer", html)
        self.assertIn(self.questions[4].title, html)

    def test_paper_form_renders_one_page_per_customer(self):
        """One PDF for the campaign, a page per customer (wkhtmltopdf, not only the HTML)."""
        campaign = self._campaign(self.customer | self.dealer)
        pdf, kind = self.render_pdf(f"{MODULE}.csc_satisfaction_survey_form_report", campaign.ids)
        self.assertEqual(kind, "pdf")
        self.assertGreaterEqual(pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages"), 2)
