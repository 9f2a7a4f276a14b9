"""The customer reviews the 8D on the portal (issue 23, item 6): a contact of the 8D's customer
accepts or rejects each submitted step (D3, D4, D5-D7) with a comment; a rejection reopens the
step with the comment as the reason and gives the 8D's owner an activity; another customer's
contact is refused, and no internal role writes a review."""

from odoo import http
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import HttpCase
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import MODULE
from .test_eightd_tools import advance
from .test_portal import PortalCase
from .test_portal import build_customer


def quality_engineer(env, login):
    return new_test_user(env, login=login, groups=f"base.group_user,{MODULE}.group_csc_quality")


@tagged("post_install", "-at_install")
class TestEightdReviewHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_notify_force_send=False))
        cls.a = build_customer(cls.env, "A")
        cls.b = build_customer(cls.env, "B")
        cls.engineer = quality_engineer(cls.env, "csc_review_engineer")

    def setUp(self):
        super().setUp()
        self.report = self.a["report"]
        advance(self.report, self.engineer, 4)

    def _login(self, data, index=0):
        login = data["users"][index].login
        self.authenticate(login, login)

    def _review(self, report, step, decision, comment=""):
        return self.url_open(
            f"/my/8d/{report.id}/review",
            data={
                "step": step,
                "decision": decision,
                "comment": comment,
                "csrf_token": http.Request.csrf_token(self),
            },
            allow_redirects=False,
        )

    def _follow(self, response):
        self.assertEqual(response.status_code, 303, response.text[:500])
        return self.url_open(response.headers["Location"])

    def test_customer_accepts_a_step(self):
        self._login(self.a, 1)
        page = self.url_open(self.report.access_url).text
        # D3 and D4 are submitted, D5-D7 not yet
        self.assertIn("o_csc_review_3", page)
        self.assertEqual(page.count('name="decision" value="accept"'), 2)
        page = self._follow(self._review(self.report, "3", "accept", "Sorting confirmed")).text
        self.assertIn("you accepted this step", page)
        review = self.report.review_ids
        self.assertEqual(len(review), 1)
        self.assertEqual(
            (review.step, review.decision, review.comment, review.current),
            ("3", "accepted", "Sorting confirmed", True),
        )
        self.assertEqual(review.partner_id, self.a["users"][1].partner_id)
        self.assertEqual(review.user_id, self.a["users"][1])
        self.assertTrue(review.date)
        self.assertEqual(self.report.signed_off, "4")
        self.assertIn("Sorting confirmed", self.report.message_ids[0].body)
        self.assertEqual(self.report.message_ids[0].author_id, self.a["users"][1].partner_id)
        # reviewed once: a second decision on the same step is refused
        page = self._follow(self._review(self.report, "3", "reject", "Changed my mind")).text
        self.assertIn("cannot be reviewed now", page)
        self.assertEqual(self.report.review_ids, review)
        # a step not submitted yet neither
        self._follow(self._review(self.report, "7", "accept"))
        self.assertEqual(self.report.review_ids, review)

    def test_customer_rejects_a_step_which_reopens(self):
        leader = self.report.leader_id
        self.assertEqual(leader, self.engineer)
        self._login(self.a, 0)
        # a rejection says why
        self._follow(self._review(self.report, "4", "reject", "  "))
        self.assertFalse(self.report.review_ids)
        self.assertEqual(self.report.signed_off, "4")
        reason = "The 5-Why stops at the operator: find the systemic cause"
        page = self._follow(self._review(self.report, "4", "reject", reason)).text
        self.assertIn("You rejected this step", page)
        self.report.invalidate_recordset()
        review = self.report.review_ids
        self.assertEqual((review.step, review.decision, review.comment), ("4", "rejected", reason))
        self.assertEqual(review.partner_id, self.a["users"][0].partner_id)
        # D4 is open again: its sign-off taken back, the reason in the chatter
        self.assertEqual(self.report.signed_off, "3")
        self.assertEqual(self.report.signoff_ids.mapped("discipline"), ["0", "1", "2", "3"])
        self.assertFalse(review.current)
        notes = self.report.message_ids.filtered(lambda m: "reopened" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn(reason, notes.body)
        # the owner is asked to rework it
        activity = self.report.activity_ids.filtered(lambda a: "rejected" in (a.summary or ""))
        self.assertEqual(activity.user_id, leader)
        self.assertIn(reason, str(activity.note))
        # the analysis may change again, and D4 is submitted again
        self.env["csc.eightd.why"].with_user(self.engineer).create(
            {
                "eightd_id": self.report.id,
                "chain": "systemic",
                "question": "Why could the program change?",
                "answer": "No change control on programs",
                "is_root_cause": True,
            }
        )
        advance(self.report, self.engineer, 4)
        page = self._follow(self._review(self.report, "4", "accept", "Accepted now")).text
        self.assertIn("you accepted this step", page)
        current = self.report.review_ids.filtered("current")
        self.assertEqual((current.step, current.decision), ("4", "accepted"))
        self.assertEqual(len(self.report.review_ids), 2)

    def test_another_customer_is_refused(self):
        self._login(self.b, 0)
        for decision in ("accept", "reject"):
            response = self._review(self.report, "3", decision, "Intruder")
            self.assertIn(response.status_code, (403, 404))
        response = self.url_open(self.report.access_url, allow_redirects=False)
        self.assertIn(response.status_code, (303, 403, 404))
        self.assertNotIn("o_csc_review", response.text)
        self.report.invalidate_recordset()
        self.assertFalse(self.report.review_ids)
        self.assertEqual(self.report.signed_off, "4")
        self.assertNotIn("Intruder", "".join(self.report.message_ids.mapped("body")))

    def test_public_visitor_is_refused(self):
        self.authenticate(None, None)
        response = self._review(self.report, "3", "accept")
        self.assertNotEqual(response.status_code, 200)
        self.assertFalse(self.report.review_ids)


@tagged("post_install", "-at_install")
class TestEightdReviewRules(PortalCase):
    def setUp(self):
        super().setUp()
        self.report = self.a["report"]
        advance(self.report, self.quality_user, 7)

    def test_only_the_customers_contacts_review(self):
        report = self.report.sudo()  # as the portal controller passes it
        for user in (
            self.b["users"][0],
            self.quality_user,
            self.service_manager,
            self.general_manager,
            self.desk_user,
        ):
            with self.assertRaises(AccessError):
                report._csc_portal_review(user, "7", True, "ok")
        self.assertFalse(self.report.review_ids)
        # the D5-D7 step, rejected by the customer: D5 onwards open again
        report._csc_portal_review(self.a["users"][1], "7", False, "Read-across missing")
        self.assertEqual(self.report.signed_off, "4")
        self.assertEqual(self.report.review_ids.decision, "rejected")
        with self.assertRaisesRegex(UserError, "not submitted"):
            report._csc_portal_review(self.a["users"][1], "7", True, "ok")
        with self.assertRaisesRegex(UserError, "not a step"):
            report._csc_portal_review(self.a["users"][1], "5", True, "ok")

    def test_a_closed_report_reopens_on_rejection(self):
        self.report.action_ids.write(
            {"verifier_id": self.service_manager.id, "effectiveness_note": "0 defects"}
        )
        self.report.action_ids.with_user(self.service_manager).action_verify_effective()
        self.report.with_user(self.service_manager).action_sign_off("8")
        self.assertEqual(self.report.state, "closed")
        self.report.sudo()._csc_portal_review(self.a["users"][0], "3", False, "Sorting incomplete")
        self.assertEqual(self.report.state, "open")
        self.assertEqual(self.report.signed_off, "2")
        self.assertFalse(self.report.approver_id)

    def test_no_internal_role_writes_a_review(self):
        self.report.sudo()._csc_portal_review(self.a["users"][0], "3", True, "Fine")
        review = self.report.review_ids
        Review = self.env["csc.eightd.review"]
        vals = {
            "eightd_id": self.report.id,
            "step": "4",
            "decision": "accepted",
            "partner_id": self.a["users"][0].partner_id.id,
            "date": "2026-12-01 10:00:00",
        }
        for user in (
            self.desk_user,
            self.quality_user,
            self.technician,
            self.clerk,
            self.service_manager,
            self.general_manager,
            self.outsider,
            self.accountant,
            self.salesperson,
            self.a["users"][0],
        ):
            with self.assertRaises(UserError):  # an AccessError is one too
                Review.with_user(user).create(dict(vals))
            with self.assertRaises(UserError):  # an AccessError is one too
                review.with_user(user).write({"decision": "rejected"})
            with self.assertRaises(UserError):  # an AccessError is one too
                review.with_user(user).unlink()
        # the desk and quality read them; the others do not
        self.assertEqual(review.with_user(self.desk_user).decision, "accepted")
        for user in (self.technician, self.clerk, self.outsider, self.a["users"][0]):
            with self.assertRaises(AccessError):
                review.with_user(user).read(["comment"])
        self.assertEqual((review.decision, review.comment), ("accepted", "Fine"))
        self.assertEqual(len(self.report.review_ids), 1)
