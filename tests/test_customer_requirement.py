from psycopg2.errors import CheckViolation

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import mute_logger

from .common import CscCase


class TestCustomerRequirement(CscCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quality_dept = cls.env.ref("customer_service_control.csc_department_quality")
        cls.quality_dept.manager_id = cls.quality_user

    def _requirement(self, **vals):
        return (
            self.env["csc.customer.requirement"]
            .with_user(self.desk_user)
            .create(
                {
                    "name": "Containment within 12 hours",
                    "partner_id": self.customer.id,
                    "topic": "problem_solving",
                    "description": "<p>Sort all stock within 12 hours.</p>",
                    **vals,
                }
            )
        )

    def _complete_review(self, requirement):
        requirement.with_user(self.quality_user).write(
            {
                "reviewer_id": self.quality_user.id,
                "review_date": "2026-05-04",
                "review_conclusion": "Feasible with the current organisation.",
                "department_ids": [(6, 0, self.quality_dept.ids)],
            }
        )

    def test_reference_from_sequence(self):
        first, second = self._requirement(), self._requirement()
        self.assertTrue(first.reference.startswith("CSR/"))
        self.assertNotEqual(first.reference, second.reference)
        self.assertIn(first.reference, first.display_name)

    def test_full_workflow(self):
        requirement = self._requirement()
        self.assertEqual(requirement.state, "draft")
        requirement.action_submit_review()
        self.assertEqual(requirement.state, "review")
        self._complete_review(requirement)
        requirement.with_user(self.quality_user).action_release()
        self.assertEqual(requirement.state, "released")
        self.assertTrue(requirement.date_released)
        # The department managers are informed.
        self.assertIn(self.quality_user.partner_id, requirement.message_partner_ids)
        requirement.with_user(self.quality_user).action_obsolete()
        self.assertEqual(requirement.state, "obsolete")
        self.assertTrue(requirement.date_obsolete)

    def test_submit_needs_text(self):
        requirement = self._requirement(description=False)
        with self.assertRaisesRegex(UserError, "write the requirement text"):
            requirement.action_submit_review()
        self.assertEqual(requirement.state, "draft")

    def test_refused_transitions(self):
        requirement = self._requirement()
        with self.assertRaisesRegex(UserError, "is Draft: it cannot be released"):
            requirement.with_user(self.quality_user).action_release()
        with self.assertRaisesRegex(UserError, "is Draft: it cannot be made obsolete"):
            requirement.with_user(self.quality_user).action_obsolete()
        with self.assertRaisesRegex(UserError, "is Draft: it cannot be sent back"):
            requirement.with_user(self.quality_user).action_send_back()
        requirement.action_submit_review()
        with self.assertRaisesRegex(UserError, "is Under Review: it cannot be submitted"):
            requirement.action_submit_review()
        self.assertEqual(requirement.state, "review")

    def test_release_needs_complete_review(self):
        requirement = self._requirement()
        requirement.action_submit_review()
        with self.assertRaises(UserError) as error:
            requirement.with_user(self.quality_user).action_release()
        message = str(error.exception)
        for missing in ("reviewer", "review date", "review conclusion", "departments informed"):
            self.assertIn(missing, message)
        self.assertEqual(requirement.state, "review")

    def test_send_back_to_draft(self):
        requirement = self._requirement()
        requirement.action_submit_review()
        requirement.with_user(self.quality_user).action_send_back()
        self.assertEqual(requirement.state, "draft")

    def test_only_engineering_team_releases(self):
        requirement = self._requirement()
        requirement.action_submit_review()
        self._complete_review(requirement)
        with self.assertRaisesRegex(AccessError, "engineering project team"):
            requirement.with_user(self.desk_user).action_release()
        self.assertEqual(requirement.state, "review")

    def test_released_requirement_is_locked(self):
        requirement = self._requirement()
        requirement.action_submit_review()
        self._complete_review(requirement)
        requirement.with_user(self.quality_user).action_release()
        hours = requirement.containment_hours
        with self.assertRaisesRegex(UserError, "finished and locked"):
            requirement.with_user(self.quality_user).write({"containment_hours": hours + 2})
        self.assertEqual(requirement.containment_hours, hours)
        # Training notes and attachments may still be completed.
        requirement.with_user(self.quality_user).write({"training_required": True})
        self.assertTrue(requirement.training_required)

    def test_negative_limit_refused(self):
        with (
            self.assertRaises(CheckViolation),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self._requirement(containment_hours=-1)

    def test_response_limits_override(self):
        self.company.write(
            {
                "csc_containment_hours": 24,
                "csc_eightd_days": 10,
                "csc_urgent_days": 2,
                "csc_normal_days": 7,
                "csc_resolution_days": 15,
            }
        )
        defaults = self.customer._csc_response_limits()
        self.assertEqual(
            defaults,
            {
                "containment_hours": 24,
                "eightd_days": 10,
                "urgent_days": 2,
                "normal_days": 7,
                "resolution_days": 15,
                "overridden": set(),
            },
        )
        strict = self._requirement(containment_hours=12, eightd_days=8)
        looser = self._requirement(containment_hours=16, normal_days=10)
        draft = self._requirement(urgent_days=1)
        # Only released requirements apply.
        self.assertEqual(self.customer._csc_response_limits(), defaults)
        for requirement in strict | looser:
            requirement.action_submit_review()
            self._complete_review(requirement)
            requirement.with_user(self.quality_user).action_release()
        limits = self.customer._csc_response_limits()
        self.assertEqual(limits["containment_hours"], 12)  # the strictest released override
        self.assertEqual(limits["eightd_days"], 8)
        self.assertEqual(limits["normal_days"], 10)  # a looser customer limit replaces ours
        self.assertEqual(limits["urgent_days"], 2)  # draft override ignored
        self.assertEqual(limits["resolution_days"], 15)
        self.assertEqual(limits["overridden"], {"containment_hours", "eightd_days", "normal_days"})
        # Contacts of the customer get the customer's limits.
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.customer.id})
        self.assertEqual(contact._csc_response_limits(), limits)
        strict.with_user(self.quality_user).action_obsolete()
        self.assertEqual(self.customer._csc_response_limits()["containment_hours"], 16)
        self.assertEqual(draft.state, "draft")
