from odoo.exceptions import AccessError
from odoo.exceptions import UserError

from .common import ComplaintCase


class TestEightd(ComplaintCase):
    def setUp(self):
        super().setUp()
        self.complaint = self._complaint(severity="major", user_id=self.quality_user.id)
        self.report = (
            self.env["csc.eightd"]
            .with_user(self.quality_user)
            .create({"complaint_id": self.complaint.id})
        )

    def _action(self, **vals):
        return self.env["csc.action"].create(
            {
                "name": "Poka-yoke on the press",
                "eightd_id": self.report.id,
                "complaint_id": self.complaint.id,
                "user_id": self.quality_user.id,
                "verifier_id": self.service_manager.id,
                "date_due": "2026-03-20",
                **vals,
            }
        )

    def _sign(self, expected_error=None, user=None):
        """Sign off as the form does: the button names the discipline the user sees."""
        report = self.report.with_user(user or self.quality_user)
        report = report.with_context(csc_discipline=report.discipline_to_sign)
        if expected_error:
            with self.assertRaisesRegex(UserError, expected_error):
                report.action_sign_off()
        else:
            report.action_sign_off()

    def _fill_up_to_d3(self):
        self.report.write(
            {
                "emergency_response": "Stop shipments, sort stock.",
                "leader_id": self.quality_user.id,
                "team_line_ids": [(0, 0, {"user_id": self.quality_user.id, "role": "Leader"})],
                "problem_what": "Noise",
                "problem_how_many": "12 of 400",
                "containment_line_ids": [
                    (0, 0, {"place": "customer", "qty_checked": 400, "qty_defective": 12})
                ],
            }
        )
        containment = self.env.ref("customer_service_control.mail_activity_type_csc_containment")
        self.assertIn(containment, self.report.activity_ids.activity_type_id)
        for _step in range(4):
            self.assertFalse(self.report.date_contained)
            self._sign()
        self.assertEqual(self.report.signed_off, "3")
        # D3 signed off: dated (the containment figure), its deadline activity is done, the 8D
        # one remains.
        self.assertTrue(self.report.date_contained)
        self.assertNotIn(containment, self.report.activity_ids.activity_type_id)
        self.assertEqual(len(self.report.activity_ids), 1)

    def test_deadlines_from_customer_requirement(self):
        self._release_csr(containment_hours=12, eightd_days=8)
        report = self.env["csc.eightd"].create({"complaint_id": self._complaint().id})
        self.assertEqual(str(report.date_containment_deadline), "2026-03-06 22:00:00")
        self.assertEqual(str(report.date_deadline), "2026-03-14 10:00:00")
        self.assertEqual(len(report.activity_ids), 2)
        self.assertTrue(report.name.startswith("8D/"))

    def test_disciplines_in_order(self):
        self._sign("describe the emergency response")
        self.report.emergency_response = "Stop shipments."
        self._sign()
        self._sign("name the team leader")
        self.report.write(
            {
                "leader_id": self.quality_user.id,
                "team_line_ids": [(0, 0, {"user_id": self.quality_user.id})],
            }
        )
        self._sign()
        self._sign("describe what happened")
        self.report.write({"problem_what": "Noise", "problem_how_many": "12"})
        self._sign()
        # D3 (containment) must be done before the causes (D4)
        self.report.cause_line_ids = [
            (
                0,
                0,
                {
                    "cause_type": "occurrence",
                    "name": "Worn die",
                    "verified": True,
                    "contribution": 100,
                },
            ),
        ]
        self._sign("record the containment")
        self.assertEqual(self.report.signed_off, "2")

    def test_root_cause_rules(self):
        self._fill_up_to_d3()
        self.report.cause_line_ids = [
            (
                0,
                0,
                {
                    "cause_type": "occurrence",
                    "name": "Worn die",
                    "verified": True,
                    "contribution": 70,
                },
            ),
        ]
        self._sign("occurrence cause and the escape cause")
        self.report.cause_line_ids = [
            (
                0,
                0,
                {
                    "cause_type": "escape",
                    "name": "No noise test",
                    "verified": False,
                    "contribution": 20,
                },
            ),
        ]
        self._sign("verify every cause")
        self.report.cause_line_ids.write({"verified": True})
        self._sign("add up to 90")
        self.report.cause_line_ids.filtered(lambda c: c.cause_type == "escape").contribution = 30
        self._sign()
        self.assertEqual(self.report.signed_off, "4")

    def test_closure_needs_verified_actions_and_ineffective_reopens(self):
        self._fill_up_to_d3()
        self.report.cause_line_ids = [
            (
                0,
                0,
                {"cause_type": "occurrence", "name": "Die", "verified": True, "contribution": 60},
            ),
            (0, 0, {"cause_type": "escape", "name": "Test", "verified": True, "contribution": 40}),
        ]
        self._sign()  # D4
        self._sign("at least one corrective action")
        action = self._action()
        self._sign()  # D5
        self._sign("every action must be implemented")
        action.with_user(self.quality_user).action_done()
        self._sign("implementation date")
        self.report.write({"validation": "0 defects in 2 weeks", "date_implemented": "2026-03-18"})
        self._sign()  # D6
        self._sign("documents updated")
        self.report.document_line_ids = [
            (0, 0, {"document_type": "pfmea", "name": "PFMEA steering gear", "revision": "C"})
        ]
        self._sign()  # D7
        self.assertEqual(self.report.signed_off, "7")
        # D8: a quality engineer may not approve, and nothing closes before verification.
        with self.assertRaisesRegex(AccessError, "quality manager"):
            self.report.with_user(self.quality_user).action_sign_off("8")
        with self.assertRaisesRegex(UserError, "effectiveness of"):
            self.report.with_user(self.service_manager).action_sign_off("8")
        # Not effective: the action is reopened and the analysis goes back to D4.
        action.with_user(self.service_manager).action_verify_ineffective()
        self.assertEqual(action.state, "open")
        self.assertEqual(action.ineffective_count, 1)
        self.assertEqual(self.report.signed_off, "3")
        # The sign-offs of D4 onwards are taken back with the analysis.
        self.assertEqual(self.report.signoff_ids.mapped("discipline"), ["0", "1", "2", "3"])
        for _step in range(4):  # D4 .. D7 again
            if self.report.signed_off == "5":
                action.with_user(self.quality_user).action_done()
            self._sign()
        action.effectiveness_note = "0 defects in 4 weeks"
        action.with_user(self.service_manager).action_verify_effective()
        self._sign(user=self.service_manager)
        self.assertEqual(self.report.state, "closed")
        signoffs = self.report.signoff_ids
        self.assertEqual(signoffs.mapped("discipline"), [str(step) for step in range(9)])
        self.assertEqual(signoffs[:8].user_id, self.quality_user)
        self.assertEqual(signoffs[8].user_id, self.service_manager)
        self.assertEqual(self.report.signed_off, "8")
        self.assertEqual(self.report.approver_id, self.service_manager)
        self.assertFalse(self.report.activity_ids)
        closed = self.report.message_ids.filtered(lambda m: "closed" in (m.subject or ""))
        self.assertEqual(closed.partner_ids, self.contact)  # the customer contact is told

    def test_who_may_do_what(self):
        with self.assertRaises(AccessError):
            self.report.with_user(self.technician).write({"emergency_response": "x"})
        with self.assertRaises(AccessError):
            self.report.with_user(self.desk_user).action_sign_off("0")
        self.assertEqual(self.report.with_user(self.desk_user).name, self.report.name)
        # The 8D holds the root causes: not the technicians' business (R-J).
        with self.assertRaises(AccessError):
            self.report.with_user(self.technician).read(["name"])

    def test_containment_proposed_from_stock(self):
        stock = self.env.ref("stock.stock_location_stock")
        lot = self.env["stock.lot"].create({"name": "SG-1", "product_id": self.product.id})
        self.env["stock.quant"]._update_available_quantity(self.product, stock, 1, lot_id=lot)
        self.report.action_propose_containment()
        line = self.report.containment_line_ids
        self.assertEqual((line.place, line.location_id, line.qty_to_check), ("stock", stock, 1))
        self.report.action_propose_containment()
        self.assertEqual(len(self.report.containment_line_ids), 1)

    def test_action_chased_when_overdue(self):
        action = self._action(date_due="2026-03-01")
        self.env["csc.action"]._cron_chase_overdue()
        message = action.message_ids.filtered(lambda m: "Overdue action" in (m.subject or ""))
        self.assertEqual(
            message.partner_ids, self.quality_user.partner_id | self.service_manager.partner_id
        )
        action.with_user(self.quality_user).action_done()
        action.effectiveness_note = "Checked"
        with self.assertRaisesRegex(AccessError, "Only the verifier"):
            action.with_user(self.desk_user).action_verify_effective()
