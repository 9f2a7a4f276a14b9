"""Complaints in the less common cases of the procedure (R-B3, R-C1, R-C8, R-C10)."""

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import UserError

from .common import MODULE
from .common import ComplaintCase
from .common import force

THURSDAY_10 = datetime(2026, 3, 5, 10, 0)


class TestComplaintCases(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.production = cls.env.ref("customer_service_control.csc_department_production")
        cls.production.manager_id = cls.clerk
        cls.general_manager.company_ids = cls.company

    # R-C1: a complex problem is resolved within a calendar month, on a working moment.
    def test_complex_deadline_never_on_a_sunday(self):
        complaint = self._complaint(complexity="complex", date_received=THURSDAY_10)
        # 5 April 2026 is a Sunday: Monday 8:00, the first working moment after it.
        self.assertEqual(complaint.date_resolution_deadline, datetime(2026, 4, 6, 8, 0))
        on_a_weekday = self._complaint(
            complexity="complex", date_received=datetime(2026, 3, 3, 16, 59)
        )
        self.assertEqual(on_a_weekday.date_resolution_deadline, datetime(2026, 4, 3, 16, 59))
        self._release_csr(resolution_days=5)  # the customer's requirement still comes first
        with_csr = self._complaint(complexity="complex", date_received=THURSDAY_10)
        self.assertEqual(with_csr.date_resolution_deadline, datetime(2026, 3, 12, 10, 0))

    # R-C8: closing gates.
    def _solved(self, **vals):
        complaint = self._complaint(
            user_id=self.quality_user.id,
            responsibility="company",
            department_id=self.production.id,
            disposition="Replace the lot",
            **vals,
        )
        complaint.action_start_investigation()
        complaint.action_send_disposition()
        return complaint

    def test_rejected_disposition_blocks_closing(self):
        complaint = self._solved()
        complaint._csc_record_reaction("rejected", "Sort at our cost", "desk", self.contact)
        closer = complaint.with_user(self.quality_user)
        with self.assertRaisesRegex(UserError, "rejected the disposition"):
            closer.action_close()
        self.assertEqual(complaint.state, "solved")
        # Either a new disposition the customer accepts...
        complaint.write({"disposition": "Sorting at our cost, then replacement"})
        complaint.action_send_disposition()
        self.assertFalse(complaint.customer_accepts)
        with self.assertRaisesRegex(UserError, "only a rejection"):
            complaint.action_send_disposition()
        complaint._csc_record_reaction("accepted", "", "desk", self.contact)
        closer.action_close()
        self.assertEqual((complaint.state, complaint.closed_override), ("closed", False))

    def test_manager_closes_a_rejected_complaint_with_a_reason(self):
        complaint = self._solved()
        complaint._csc_record_reaction("rejected", "Wants a refund", "desk", self.contact)
        with self.assertRaisesRegex(AccessError, "service manager"):
            complaint.with_user(self.quality_user).action_close_override()
        action = complaint.with_user(self.service_manager).action_close_override()
        wizard = (
            self.env["csc.reopen.wizard"]
            .with_user(self.service_manager)
            .with_context(**action["context"])
            .create({"reason": "Contract excludes refunds; legal agreed"})
        )
        wizard.action_confirm()
        self.assertEqual((complaint.state, complaint.closed_override), ("closed", True))
        self.assertIn("legal agreed", complaint.message_ids[0].body)

    def test_major_complaint_needs_a_closed_8d(self):
        complaint = self._complaint(severity="major", user_id=self.quality_user.id)
        report = self.env["csc.eightd"].create({"complaint_id": complaint.id})
        with self.assertRaisesRegex(AccessError, "quality manager"):
            report.with_user(self.quality_user).action_cancel()
        with self.assertRaisesRegex(UserError, "reason"):
            report.with_user(self.service_manager)._csc_cancel(" ")
        report.with_user(self.service_manager)._csc_cancel("Opened twice")
        self.assertEqual(report.state, "cancelled")
        self.assertIn("Opened twice", report.message_ids[0].body)
        complaint.write(
            {
                "responsibility": "company",
                "department_id": self.production.id,
                "disposition": "Replace",
            }
        )
        complaint.action_start_investigation()
        with self.assertRaisesRegex(UserError, "8D report"):
            complaint.action_send_disposition()  # a cancelled 8D is no 8D
        force(complaint, {"state": "solved", "date_solved": complaint.date_received})
        complaint._csc_record_reaction("accepted", "", "desk", self.contact)
        with self.assertRaisesRegex(UserError, "closed 8D report"):
            complaint.with_user(self.quality_user).action_close()
        self.assertEqual(complaint.state, "solved")

    # R-C8: the customer's reaction goes to the departments concerned.
    def test_reaction_forwarded_to_each_department(self):
        complaint = self._solved()
        with self.assertRaisesRegex(UserError, "reaction"):
            complaint.action_forward_reaction()
        quality = self.quality_dept  # managed by the service manager
        complaint._csc_record_reaction("accepted", "Accepts the replacement", "desk", self.contact)
        complaint.reaction_department_ids = [(6, 0, quality.ids)]
        complaint.with_user(self.desk_user).action_forward_reaction()
        self.assertEqual(complaint.reaction_department_ids, quality | self.production)
        self.assertTrue(complaint.reaction_sent_date)
        message = complaint.message_ids.filtered(
            lambda m: "Accepts the replacement" in m.body and m.partner_ids
        )
        self.assertEqual(
            message.partner_ids, self.clerk.partner_id | self.service_manager.partner_id
        )
        self.assertTrue(self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)]))
        activities = complaint.activity_ids.filtered(lambda a: "reaction" in a.summary)
        self.assertEqual(activities.user_id, self.clerk | self.service_manager)

    # R-C10: repeats within the window, same customer, product and cause.
    def test_repeat_within_the_window_only(self):
        first = self._complaint(cause_category="assembly", date_received=datetime(2025, 3, 6, 10))
        inside = self._complaint(cause_category="assembly")  # 6 March 2026 10:00: 12 months on
        self.assertEqual(inside.repeat_candidate_id, first)
        inside.action_link_repeat()
        self.assertEqual(inside.repeat_of_id, first)
        later = self._complaint(cause_category="assembly")
        self.assertEqual(later.repeat_candidate_id, inside)  # the latest earlier one
        self.company.csc_repeat_complaint_months = 11  # the window is a setting
        self.assertFalse(
            self._complaint(
                cause_category="assembly", date_received=datetime(2026, 2, 7, 10)
            ).repeat_candidate_id
        )
        # The first day outside the window: 12 months and a day after.
        self._complaint(cause_category="machining", date_received=datetime(2025, 3, 5, 10))
        outside = self._complaint(cause_category="machining")
        self.assertFalse(outside.repeat_candidate_id)
        other_customer = self.env["res.partner"].create({"name": "Other OEM", "is_company": True})
        elsewhere = self._complaint(
            partner_id=other_customer.id, contact_id=False, cause_category="assembly"
        )
        self.assertFalse(elsewhere.repeat_candidate_id)
        other_cause = self._complaint(cause_category="design")
        self.assertFalse(other_cause.repeat_candidate_id)

    # R-B3: a serious problem is solved within 24 hours, or the general manager hears of it.
    def test_serious_problem_reminded_then_escalated_once(self):
        complaint = self._complaint(severity="major", user_id=self.quality_user.id)
        self.assertEqual(complaint.date_serious_deadline, datetime(2026, 3, 7, 10, 0))
        general = self._complaint(user_id=self.quality_user.id)
        self.assertFalse(general.date_serious_deadline)
        Complaint = self.env["csc.complaint"]
        with freeze_time("2026-03-07 03:59:00"):  # more than 6 hours before: nothing yet
            Complaint._cron_serious_problems()
        self.assertFalse(complaint.activity_ids.filtered(lambda a: "Serious" in a.summary))
        with freeze_time("2026-03-07 04:00:00"):
            Complaint._cron_serious_problems()
            Complaint._cron_serious_problems()
        reminders = complaint.activity_ids.filtered(lambda a: "Serious" in a.summary)
        self.assertEqual((len(reminders), reminders.user_id), (1, self.quality_user))
        with freeze_time("2026-03-07 10:00:00"):  # the last moment is still in time
            Complaint._cron_serious_problems()
        self.assertFalse(complaint.escalated)
        with freeze_time("2026-03-07 10:01:00"):
            Complaint._cron_serious_problems()
            Complaint._cron_serious_problems()
        self.assertTrue(complaint.escalated)
        escalations = complaint.activity_ids.filtered(lambda a: a.user_id == self.general_manager)
        self.assertEqual(len(escalations), 1)
        self.assertFalse(general.escalated)

    # A responsible person named at once is told like one named later.
    def test_owner_named_at_creation_is_notified(self):
        complaint = self._complaint(user_id=self.quality_user.id)
        assigned = complaint.message_ids.filtered(
            lambda m: self.quality_user.partner_id in m.partner_ids
            and complaint.name in (m.subject or m.body)
        )
        self.assertTrue(assigned)
        self.assertIn(self.quality_user.partner_id, complaint.message_partner_ids)


class TestReworkAndHistory(ComplaintCase):
    def _received_return(self):
        complaint = self._complaint(qty_affected=2)
        line = self.env["csc.complaint.return"].create(
            {"complaint_id": complaint.id, "product_id": self.product.id, "quantity": 2}
        )
        force(line, {"state": "received"})
        line.write({"inspection_result": "Burr on the shaft", "disposition": "rework"})
        return complaint, line

    # R-C11: the rework of returned goods, planned and followed to done.
    def test_rework_plan_followed_to_done(self):
        complaint, line = self._received_return()
        # Goods that are not serialised, waiting in the rework location.
        housing = self.env["product.product"].create({"name": "Housing", "is_storable": True})
        force(line, {"product_id": housing.id})
        rework = self.env["stock.location"]._csc_rework_location(self.company)
        self.env["stock.quant"]._update_available_quantity(housing, rework, 2)
        action = line.with_user(self.quality_user).action_plan_rework()
        plan = self.env["csc.rework.plan"].browse(action["res_id"])
        self.assertEqual(line.with_user(self.quality_user).action_plan_rework()["res_id"], plan.id)
        self.assertEqual((plan.quantity, plan.complaint_id), (2, complaint))
        self.assertEqual(complaint.rework_ids, plan)
        self.assertEqual(plan.department_id, self.env.ref(f"{MODULE}.csc_department_process"))
        with self.assertRaisesRegex(UserError, "more than the 2.0 returned"):
            plan.quantity = 3
        plan = plan.with_user(self.quality_user)
        with self.assertRaisesRegex(UserError, "rework route, the person responsible"):
            plan.action_start()
        plan.write(
            {
                "route": "Deburr, wash, 100 % test",
                "user_id": self.clerk.id,
                "date_needed": "2026-03-20",
            }
        )
        plan.action_start()
        with self.assertRaisesRegex(UserError, "quantity reworked"):
            plan.action_finish_rework()
        plan.qty_done = 2
        plan.action_finish_rework()
        plan.write({"qty_ok": 2, "release_to": "stock"})
        plan.action_reinspect()
        with freeze_time("2026-03-20 16:00:00"):
            plan.action_release()
        self.assertEqual((plan.state, plan.on_time), ("done", True))
        with self.assertRaisesRegex(UserError, "locked"):
            plan.write({"qty_done": 1})
        # ... and counted in the month's service report.
        report = self.env["csc.monthly.report"].create({"date_start": "2026-03-01"})
        figures = report._figures()
        self.assertEqual(
            (figures["rework_done"], figures["rework_quantity"], figures["rework_on_time_rate"]),
            (1, 2.0, 100.0),
        )
        self.assertIn("Rework plans done", report.summary_html)

    def test_rework_only_for_a_rework_decision(self):
        _complaint, line = self._received_return()
        line.disposition = "scrap"
        with self.assertRaisesRegex(UserError, "decided for rework"):
            line.action_plan_rework()

    # R-C10: the product failure history lists field repairs and warranty cases too.
    def test_failure_history_lists_repairs_and_returns(self):
        complaint, line = self._received_return()
        lot = self.env["stock.lot"].create({"name": "SG-7", "product_id": self.product.id})
        repair = self.env["csc.service.visit"].create(
            {"partner_id": self.customer.id, "lot_id": lot.id, "findings": "Worn bearing"}
        )
        html = (
            self.env["ir.actions.report"]
            .with_user(self.quality_user)
            ._render_qweb_html(
                f"{MODULE}.report_failure_history", self.product.product_tmpl_id.ids
            )[0]
            .decode()
        )
        for text in (complaint.name, repair.name, "Worn bearing", "Burr on the shaft"):
            self.assertIn(text, html)
