"""Satisfaction campaigns in every case (R-H): the answers' deadline, late answers, the scoring
settings and the quality feedback per dimension below target."""

from datetime import date
from datetime import datetime
from types import SimpleNamespace
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from odoo.addons.survey.controllers import main as survey_main

from .common import MODULE
from .common import CscCase

S, F, A, C, U = "satisfied", "fairly_satisfied", "average", "acceptable", "unsatisfied"


class TestSatisfactionRules(CscCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env.ref(f"{MODULE}.csc_satisfaction_survey")
        cls.customer.email = "quality@oem.example.com"
        cls.dealer = cls.env["res.partner"].create(
            {"name": "Rules Dealer", "is_company": True, "csc_customer_type": "dealer"}
        )
        cls.env["res.partner"].create(
            {"name": "Dealer Buyer", "parent_id": cls.dealer.id, "email": "buyer@dealer.example"}
        )
        cls.fleet = cls.env["res.partner"].create(
            {
                "name": "Rules Fleet",
                "is_company": True,
                "csc_customer_type": "end_user",
                "email": "fleet@fleet.example",
            }
        )
        # A campaign's company time zone is its working calendar's: fixed for the tests.
        cls.company.resource_calendar_id = cls.env["resource.calendar"].create(
            {"name": "Shanghai Working Hours", "tz": "Asia/Shanghai"}
        )

    # -- helpers ------------------------------------------------------------------------------

    def _campaign(self, partners, **vals):
        return (
            self.env["csc.satisfaction.campaign"]
            .with_user(self.quality_user)
            .create(
                {
                    "name": "Rules survey",
                    "date_start": date(2026, 1, 1),
                    "date_end": date(2026, 3, 31),
                    "partner_ids": [(6, 0, partners.ids)],
                    **vals,
                }
            )
        )

    def _input(self, campaign, partner):
        return campaign.sudo().user_input_ids.filtered(
            lambda ui: ui.partner_id.commercial_partner_id == partner
        )

    def _answer(self, user_input, levels=None):
        """Answer every scored item of the questionnaire and submit, as survey does; `levels`
        gives the level per dimension (satisfied where not given)."""
        user_input = user_input.sudo()
        for question in user_input.survey_id.question_ids.filtered("csc_dimension"):
            level = (levels or {}).get(question.csc_dimension, S)
            choice = question.suggested_answer_ids.filtered(lambda a, lv=level: a.csc_level == lv)
            user_input._save_lines(question, choice.id)
        user_input._mark_done()
        return user_input.csc_result_ids

    def _validity(self, user_input, when):
        """What survey's own controller answers the customer's link at `when` (naive UTC)."""
        with (
            freeze_time(when),
            patch.object(survey_main, "request", SimpleNamespace(env=self.env)),
        ):
            return survey_main.Survey()._check_validity(
                user_input.survey_id.access_token,
                user_input.access_token,
                check_partner=False,
            )

    def _figures(self, campaign):
        """A campaign's result as it reads: results, answered, satisfied, rate, feedbacks."""
        campaign.invalidate_recordset()
        names = (
            "result_ids",
            "answered_count",
            "satisfied_count",
            "satisfaction_rate",
            "ticket_ids",
        )
        return [campaign[name] for name in names]

    def _paper_entry(self, campaign, partner):
        Entry = self.env["csc.satisfaction.paper.entry"].with_user(self.quality_user)
        entry = Entry.with_context(default_campaign_id=campaign.id).create(
            {"campaign_id": campaign.id, "partner_id": partner.id}
        )
        for line in entry.line_ids:
            line.answer_id = line.question_id.suggested_answer_ids.filtered(
                lambda a: a.csc_level == S
            )
        return entry

    # -- 9. the deadline includes the period's whole last day -----------------------------------

    def test_deadline_is_the_end_of_the_last_day_in_the_company_time_zone(self):
        campaign = self._campaign(self.customer)
        campaign.action_start()
        user_input = self._input(campaign, self.customer)
        # 31 March 23:59:59 in Shanghai (UTC+8) is 15:59:59 UTC.
        self.assertEqual(user_input.deadline, datetime(2026, 3, 31, 15, 59, 59))
        self.assertIs(self._validity(user_input, datetime(2026, 3, 31, 0, 0)), True)
        # The last minute of the last day, Shanghai time, is inside.
        self.assertIs(self._validity(user_input, datetime(2026, 3, 31, 15, 59)), True)
        self.assertIs(self._validity(user_input, datetime(2026, 3, 31, 15, 59, 59)), True)
        # The first minute after it (1 April 00:00 in Shanghai) is outside.
        self.assertEqual(
            self._validity(user_input, datetime(2026, 3, 31, 16, 0)), "answer_deadline"
        )
        # An answer submitted in the last minute is counted.
        with freeze_time(datetime(2026, 3, 31, 15, 59)):
            self.assertTrue(self._answer(user_input))
        self.assertEqual(campaign.answered_count, 1)

    def test_deadline_time_zone_falls_back_to_the_responsible_then_utc(self):
        self.company.resource_calendar_id = False
        self.quality_user.tz = "America/New_York"  # UTC-4 from 8 March 2026 (summer time)
        campaign = self._campaign(self.customer)
        self.assertEqual(campaign._csc_deadline(), datetime(2026, 4, 1, 3, 59, 59))
        self.quality_user.tz = False
        self.assertEqual(campaign._csc_deadline(), datetime(2026, 3, 31, 23, 59, 59))
        campaign.action_start()
        self.assertEqual(
            self._input(campaign, self.customer).deadline, datetime(2026, 3, 31, 23, 59, 59)
        )

    def test_deadline_follows_the_period_end_and_closing(self):
        campaign = self._campaign(self.customer | self.dealer)
        with freeze_time(datetime(2026, 2, 10, 8, 0)):
            campaign.action_start()
            answered = self._input(campaign, self.customer)
            self._answer(answered)
            pending = self._input(campaign, self.dealer)
            answered_deadline = answered.deadline
            # The period is extended: the open invitation follows.
            campaign.date_end = date(2026, 4, 30)
            self.assertEqual(pending.deadline, datetime(2026, 4, 30, 15, 59, 59))
            self.assertEqual(answered.deadline, answered_deadline)
            # Closed early: the open invitation expires at once, survey says so to the customer.
            campaign.action_close()
            self.assertEqual(pending.deadline, datetime(2026, 2, 10, 8, 0))
        self.assertEqual(self._validity(pending, datetime(2026, 2, 10, 8, 1)), "answer_deadline")
        # Reopened: it runs until the end of the period again.
        with freeze_time(datetime(2026, 2, 11, 8, 0)):
            campaign.with_user(self.service_manager)._csc_reopen("Late paper forms arrive")
        self.assertEqual(pending.deadline, datetime(2026, 4, 30, 15, 59, 59))
        self.assertIs(self._validity(pending, datetime(2026, 2, 11, 8, 1)), True)

    # -- 10. an answer after the campaign is closed never changes its result ------------------

    def test_late_answer_leaves_a_closed_campaign_unchanged(self):
        for final in ("action_cancel", "action_close"):
            with self.subTest(final=final):
                campaign = self._campaign(self.customer | self.dealer)
                campaign.action_start()
                self._answer(self._input(campaign, self.customer))
                getattr(campaign, final)()
                before = self._figures(campaign)
                self.assertEqual(before[1:4], [1, 1, 100.0])
                # The dealer's unsatisfied answer would make it 2 answers, 1 satisfied, 50 %.
                late = self._input(campaign, self.dealer)
                self.assertFalse(self._answer(late, dict.fromkeys(("quality", "service"), U)))
                self.assertEqual(late.state, "done", "survey keeps the answer")
                self.assertEqual(self._figures(campaign), before)
                self.assertEqual(
                    self.env["csc.satisfaction.result"].search_count(
                        [("user_input_id", "=", late.id)]
                    ),
                    0,
                )
                self.assertIn(
                    "arrived after the campaign ended: it is not counted",
                    campaign.message_ids[0].body,
                )
                self.assertIn("Dealer Buyer", campaign.message_ids[0].body)
        # Only reopening the closed campaign (the manager's decision, with its reason) counts it.
        campaign.with_user(self.service_manager)._csc_reopen("The dealer answered late")
        self.assertEqual(campaign.answered_count, 2)
        self.assertEqual(campaign.satisfaction_rate, 50.0)
        self.assertEqual(self._input(campaign, self.dealer).csc_result_ids.band, "unsatisfactory")

    def test_paper_answers_only_while_the_campaign_runs(self):
        draft = self._campaign(self.fleet)
        with self.assertRaisesRegex(UserError, "only be entered while the campaign is running"):
            self._paper_entry(draft, self.fleet)
        cancelled = self._campaign(self.fleet)
        cancelled.action_cancel()
        with self.assertRaisesRegex(UserError, "is Cancelled"):
            self._paper_entry(cancelled, self.fleet)
        campaign = self._campaign(self.customer | self.fleet)
        campaign.action_start()
        self._answer(self._input(campaign, self.customer))
        # The form was opened while the campaign ran; it is closed before the answers are saved.
        entry = self._paper_entry(campaign, self.fleet)
        campaign.action_close()
        with self.assertRaisesRegex(UserError, "is Closed"):
            entry.action_confirm()
        self.assertEqual(campaign.answered_count, 1)
        self.assertEqual(campaign.satisfaction_rate, 100.0)
        with self.assertRaisesRegex(UserError, "is Closed"):
            self._paper_entry(campaign, self.fleet)

    # -- 11. scoring settings ------------------------------------------------------------------

    def test_scoring_settings_are_validated(self):
        defaults = {
            "csc_score_satisfied": 100.0,
            "csc_score_fairly_satisfied": 90.0,
            "csc_score_average": 70.0,
            "csc_score_acceptable": 50.0,
            "csc_weight_pre_service": 20.0,
            "csc_weight_in_service": 50.0,
            "csc_weight_after_service": 30.0,
            "csc_band_qualified": 70.0,
            "csc_band_excellent": 90.0,
            "csc_item_minimum": 80.0,
            "csc_target_year1": 95.0,
            "csc_target_year2": 97.0,
            "csc_target_year3": 98.0,
            "csc_kpi_satisfaction": 85.0,
            "csc_kpi_service_complaints": 3.0,
        }
        level_range = "an answer level scores between 0 and 100"
        order = "answer levels score in order"
        bands = "score bands must satisfy"
        minimum = "item minimum for a satisfied customer"
        target = "a target rate lies between 0 and 100"
        cases = [
            # Answer levels: within 0-100 and in order (equal levels accepted).
            ({"csc_score_satisfied": 100.0}, None),
            ({"csc_score_satisfied": 100.01}, level_range),
            ({"csc_score_acceptable": 0.0}, None),
            ({"csc_score_acceptable": -0.01}, level_range),
            ({"csc_score_fairly_satisfied": 100.0}, None),
            ({"csc_score_satisfied": 95.0, "csc_score_fairly_satisfied": 95.01}, order),
            ({"csc_score_average": 90.0}, None),
            ({"csc_score_average": 90.01}, order),
            ({"csc_score_acceptable": 70.0}, None),
            ({"csc_score_acceptable": 70.01}, order),
            # Phase weights: not negative, adding up to 100.
            (
                {
                    "csc_weight_pre_service": 100.0,
                    "csc_weight_in_service": 0.0,
                    "csc_weight_after_service": 0.0,
                },
                None,
            ),
            (
                {"csc_weight_pre_service": -0.01, "csc_weight_in_service": 70.01},
                "phase weight cannot be negative",
            ),
            ({"csc_weight_pre_service": 20.01}, "must add up to 100"),
            # Bands: 0 <= qualified <= excellent <= 100.
            ({"csc_band_qualified": 90.0}, None),
            ({"csc_band_qualified": 90.01}, bands),
            ({"csc_band_qualified": 0.0, "csc_band_excellent": 0.0}, None),
            ({"csc_band_qualified": -0.01}, bands),
            ({"csc_band_excellent": 100.0}, None),
            ({"csc_band_excellent": 100.01}, bands),
            ({"csc_band_qualified": 95.0, "csc_band_excellent": 94.99}, bands),
            # Item minimum within 0-100.
            ({"csc_item_minimum": 100.0}, None),
            ({"csc_item_minimum": 100.01}, minimum),
            ({"csc_item_minimum": 0.0}, None),
            ({"csc_item_minimum": -0.01}, minimum),
            # Targets within 0-100.
            ({"csc_target_year1": 100.0}, None),
            ({"csc_target_year1": 100.01}, target),
            ({"csc_target_year2": 0.0}, None),
            ({"csc_target_year2": -0.01}, target),
            ({"csc_target_year3": 100.01}, target),
            ({"csc_kpi_satisfaction": 100.0}, None),
            ({"csc_kpi_service_complaints": 100.01}, target),
        ]
        for changes, error in cases:
            with self.subTest(changes=changes):
                vals = {**defaults, **changes}
                if error is None:
                    self.company.write(vals)
                    for name, value in vals.items():
                        self.assertEqual(self.company[name], value)
                else:
                    with self.assertRaisesRegex(ValidationError, error), self.env.cr.savepoint():
                        self.company.write(vals)
        self.company.write(defaults)
        # The settings form checks the same rules.
        with self.assertRaisesRegex(ValidationError, bands), self.env.cr.savepoint():
            self.env["res.config.settings"].create({"csc_band_qualified": 90.01}).execute()

    # -- 12. a quality feedback for each dimension below target --------------------------------

    def test_close_opens_a_feedback_only_for_the_dimensions_below_target(self):
        # Target 93.4 %. Price: (100 + 100 + 80.2) / 3 = 93.4 exactly (93.39999... in floating
        # point): at target. Delivery: (100 + 100 + 80.17) / 3 = 93.39: just below.
        self.company.write(
            {
                "csc_target_year1": 93.4,
                "csc_score_fairly_satisfied": 80.2,
                "csc_score_average": 80.17,
            }
        )
        campaign = self._campaign(self.customer | self.dealer | self.fleet)
        self.assertEqual(campaign.target_rate, 93.4)
        campaign.action_start()
        self._answer(self._input(campaign, self.customer))
        self._answer(self._input(campaign, self.dealer))
        third = self._answer(self._input(campaign, self.fleet), {"price": F, "delivery": A})
        self.assertEqual((third.price_score, third.delivery_score), (80.2, 80.17))
        self.assertEqual(campaign.satisfied_count, 3, "no customer below target")
        campaign.action_close()
        ticket = campaign.ticket_ids
        self.assertEqual(len(ticket), 1, ticket.mapped("name"))
        self.assertEqual(ticket.csc_kind, "quality_feedback")
        self.assertFalse(ticket.csc_satisfaction_result_id)
        self.assertIn("Delivery", ticket.name)
        for text in (ticket.name, str(ticket.description)):
            self.assertIn("93.39", text)
            self.assertIn("93.4", text.replace("93.39", ""))

    def test_close_ignores_a_dimension_the_questionnaire_does_not_rate(self):
        survey = self.survey.sudo().copy()
        survey.question_ids.filtered(lambda q: q.csc_dimension == "price").unlink()
        campaign = self._campaign(self.customer, survey_id=survey.id)
        campaign.action_start()
        result = self._answer(self._input(campaign, self.customer))
        self.assertEqual((result.total_score, result.price_score), (100.0, 0.0))
        campaign.action_close()
        self.assertFalse(campaign.ticket_ids, campaign.ticket_ids.mapped("name"))
        # Every dimension at 94.99, below the year 1 target of 95: one feedback per dimension.
        self.company.csc_score_satisfied = 94.99
        campaign = self._campaign(self.customer)
        campaign.action_start()
        self._answer(self._input(campaign, self.customer))
        campaign.action_close()
        self.assertEqual(len(campaign.ticket_ids), 4)
        for label in ("Quality", "Service", "Price", "Delivery"):
            self.assertEqual(
                len(campaign.ticket_ids.filtered(lambda t, lb=label: lb in t.name)), 1, label
            )
