from datetime import datetime

from odoo import fields
from odoo.tools import convert_file

from .common import MODULE
from .common import CscCase

DEMO_FILES = (
    "demo/csc_customer_demo.xml",
    "demo/csc_complaint_demo.xml",
    "demo/csc_service_demo.xml",
    "demo/csc_satisfaction_demo.xml",
    "demo/csc_kpi_demo.xml",
    "demo/csc_escalation_demo.xml",
    "demo/csc_money_complaint_demo.xml",
)
ROLES = {
    "desk": "group_csc_user",
    "quality": "group_csc_quality",
    "technician": "group_csc_technician",
    "clerk": "group_csc_stock_clerk",
    "manager": "group_csc_manager",
    "gm": "group_csc_general_manager",
    "sales": "group_csc_user",
}


class TestDemoData(CscCase):
    """The demo data tells the procedure's story. The test database has no demo data: the files
    are loaded here the way Odoo loads them (superuser, install mode, each transition run as the
    person of the role); on a database installed with demo data the loaded records are checked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref(f"{MODULE}.demo_partner_oem", raise_if_not_found=False):
            idref = {}
            for demo_file in DEMO_FILES:
                convert_file(
                    cls.env, MODULE, demo_file, idref, mode="init", noupdate=True, kind="demo"
                )

    def demo(self, xmlid):
        return self.env.ref(f"{MODULE}.{xmlid}")

    def test_demo_data_loads_and_delivers(self):
        """Its real deliveries fill the product file; each main path is complete."""
        oem = self.demo("demo_partner_oem")
        self.assertEqual(oem.csc_lot_count, 3)
        lot = self.demo("demo_lot_eps_1")
        self.assertEqual(lot.csc_partner_id, oem)
        self.assertTrue(lot.csc_warranty_end)
        self.assertEqual(len(lot.csc_component_ids), 2)
        csr = self.demo("demo_csr_oem_8d")
        self.assertEqual(csr.state, "released")
        self.assertEqual(oem._csc_response_limits()["containment_hours"], 12)
        hpu = self.demo("demo_lot_hpu_1")
        self.assertFalse(hpu.csc_under_warranty)
        # A major complaint with its closed 8D, every action verified effective.
        noise = self.demo("demo_complaint_oem_noise")
        report = self.demo("demo_eightd_oem_noise")
        self.assertEqual(
            (noise.severity, noise.state, noise.customer_accepts), ("major", "closed", "accepted")
        )
        self.assertEqual((report.state, report.signed_off), ("closed", "8"))
        # Each discipline signed off by its person, on the day of the story (D8: the approval).
        signoffs = report.signoff_ids
        self.assertEqual(signoffs.mapped("discipline"), [str(step) for step in range(9)])
        self.assertEqual(signoffs[:8].user_id, self.demo("demo_user_quality"))
        self.assertEqual(signoffs[8].user_id, self.demo("demo_user_manager"))
        self.assertEqual(signoffs[8].date, report.date_closed)
        self.assertTrue(all(line.date < report.date_closed for line in signoffs[:8]))
        self.assertEqual(set(noise.action_ids.mapped("state")), {"verified"})
        self.assertTrue(noise.reaction_sent_date)
        # A warranty repair, free, on time, verified; its complaint closed.
        visit = self.demo("demo_visit_dealer_leak")
        self.assertEqual(
            (visit.state, visit.warranty_status, visit.on_time), ("verified", "free", True)
        )
        self.assertEqual(visit.complaint_id.state, "closed")
        # A paid repair: the quote confirmed before the dispatch, then done and verified.
        quoted = self.demo("demo_visit_end_user")
        self.assertEqual(
            (quoted.state, quoted.warranty_status, quoted.quote_state, quoted.on_time),
            ("verified", "paid", "confirmed", True),
        )
        # Its quotation signed on the portal, its invoice posted and paid in cash on site.
        order = quoted.sudo().sale_order_id
        self.assertEqual((order.state, bool(order.signature)), ("sale", True))
        invoice = quoted.sudo().invoice_ids
        self.assertEqual(
            (invoice.csc_origin, invoice.state, invoice.invoice_origin),
            ("paid_service", "posted", quoted.name),
        )
        self.assertAlmostEqual(invoice.amount_untaxed, 6 * 280 + 2600)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        payment = self.env["account.payment"].search([("csc_collected_by_id", "!=", False)])
        self.assertIn(invoice, payment.reconciled_invoice_ids)
        self.assertEqual(payment.csc_collection_method, "cash")
        # The loan settled: installed, returned, the replaced seal and the unused parts
        # inspected, zeroed.
        loan = self.demo("demo_loan_dealer_leak")
        self.assertEqual(loan.state, "zeroed")
        self.assertTrue(all(line.balance == 0 for line in loan.line_ids))
        self.assertEqual(sum(loan.line_ids.mapped("qty_consumed")), 3)
        self.assertEqual(sum(loan.line_ids.mapped("qty_inspected")), 4)
        # The campaign closed with a miss: below target, the feedback tickets opened.
        campaign = self.demo("demo_satisfaction_campaign_q1")
        self.assertEqual(campaign.state, "closed")
        self.assertLess(campaign.satisfaction_rate, campaign.target_rate)
        dealer = self.demo("demo_partner_dealer")
        self.assertIn(dealer, campaign.ticket_ids.partner_id.commercial_partner_id)
        # Open work for the screens: a complaint with its return on the way, a new request.
        label = self.demo("demo_complaint_oem_label")
        self.assertEqual(label.return_ids.receipt_id.state, "assigned")
        self.assertEqual(self.demo("demo_visit_oem_request").state, "draft")
        self.assertEqual(self.demo("demo_loan_oem_maintenance").state, "loaned")
        plan = self.demo("demo_visit_plan")
        self.assertIn(oem, plan.line_ids.partner_id)  # its visit is overdue
        # The finished services: the OEM's maintenance sent its survey, the dealer answered.
        maintenance = self.demo("demo_visit_oem_maintenance")
        self.assertEqual((maintenance.state, maintenance.on_time), ("reported", True))
        contact = self.demo("demo_partner_oem_contact")
        self.assertEqual(maintenance.sudo().survey_input_ids.partner_id, contact)
        earlier = self.demo("demo_visit_dealer_earlier")
        result = earlier.satisfaction_result_ids
        # 0.2 x 90 + 0.5 x (100 + 100 + 90) / 3 + 0.3 x (70 + 90) / 2 = 90.33: excellent, but
        # not "satisfied" with an item at 70.
        self.assertEqual((result.total_score, result.band), (90.33, "excellent"))
        self.assertFalse(result.is_satisfied)

    def test_demo_company_is_a_chinese_manufacturer(self):
        """In China, planning on a calendar in Asia/Shanghai that keeps the 2026 public
        holidays: a deadline of one working day from the eve of National Day falls after the
        holiday. (Its currency is its chart of accounts': accounting's demo entries are posted
        in it before these records load.)"""
        company = self.env.ref("base.main_company")
        calendar = self.demo("demo_calendar")
        self.assertEqual(company.country_id, self.env.ref("base.cn"))
        self.assertEqual(company.resource_calendar_id, calendar)
        self.assertEqual(calendar.tz, "Asia/Shanghai")
        holidays = calendar.global_leave_ids
        self.assertEqual(len(holidays), 7)
        self.assertTrue(all(h.date_from.year == 2026 or h.date_to.year == 2026 for h in holidays))
        # 2026-09-30 17:00 Beijing time (09:00 UTC) + 8 working hours.
        due = calendar._csc_plan_hours_batch([(datetime(2026, 9, 30, 9, 0), 8.0)])[0]
        self.assertGreaterEqual(due, datetime(2026, 10, 8, 0, 0))  # 08:00 Beijing, 8 October

    def test_demo_roles_are_distinct_people(self):
        """One person per role, who logs in with the documented password and acted in the story
        as that role: nobody approves or verifies his own work."""
        users = {login: self.demo(f"demo_user_{login}") for login in ROLES}
        self.assertEqual(len(set(users.values())), len(ROLES))
        for login, user in users.items():
            self.assertEqual(user.login, login)
            self.assertTrue(user.has_group(f"{MODULE}.{ROLES[login]}"), login)
            self.assertEqual(user.tz, "Asia/Shanghai")
            user.with_user(user)._check_credentials(
                {"type": "password", "password": login}, {"interactive": False}
            )
        # Each role only what it is: the desk is no quality engineer, the technician no clerk...
        self.assertFalse(users["desk"].has_group(f"{MODULE}.group_csc_quality"))
        self.assertFalse(users["sales"].has_group(f"{MODULE}.group_csc_quality"))
        self.assertFalse(users["technician"].has_group(f"{MODULE}.group_csc_stock_clerk"))
        self.assertFalse(users["clerk"].has_group(f"{MODULE}.group_csc_technician"))
        self.assertFalse(users["quality"].has_group(f"{MODULE}.group_csc_manager"))
        self.assertFalse(users["manager"].has_group(f"{MODULE}.group_csc_general_manager"))
        report = self.demo("demo_eightd_oem_noise")
        self.assertEqual(report.leader_id, users["quality"])
        self.assertEqual(report.approver_id, users["manager"])
        actions = self.demo("demo_complaint_oem_noise").action_ids
        self.assertEqual(actions.user_id, users["quality"])
        self.assertEqual(actions.verifier_id, users["manager"])
        for xmlid in ("demo_visit_dealer_leak", "demo_visit_end_user"):
            visit = self.demo(xmlid)
            self.assertEqual(visit.technician_ids, users["technician"])
            self.assertEqual(visit.leave_approved_by, users["desk"])
            self.assertEqual(visit.verifier_id, users["manager"])
        loan = self.demo("demo_loan_dealer_leak")
        self.assertEqual(loan.technician_id, users["technician"])
        inspected = loan.picking_ids.filtered(
            lambda picking: set(picking.move_ids.mapped("csc_loan_role")) == {"inspected"}
        )
        self.assertEqual((loan.picking_ids - inspected).create_uid, users["clerk"])
        self.assertEqual(inspected.create_uid, users["quality"])
        oem = self.demo("demo_partner_oem")
        self.assertEqual(
            (oem.csc_sales_user_id, oem.csc_service_user_id), (users["sales"], users["desk"])
        )
        self.assertEqual(self.demo("demo_visit_plan").user_id, users["sales"])
        # Each record was created by the person of its role: the desk registers, quality
        # writes the 8D, the technician asks for his parts, the salesperson plans his week.
        for xmlid, login in (
            ("demo_complaint_oem_noise", "desk"),
            ("demo_visit_end_user", "desk"),
            ("demo_eightd_oem_noise", "quality"),
            ("demo_satisfaction_campaign_q1", "quality"),
            ("demo_loan_dealer_leak", "technician"),
            ("demo_visit_plan", "sales"),
            ("demo_csr_oem_8d", "sales"),
        ):
            self.assertEqual(self.demo(xmlid).create_uid, users[login], xmlid)

    def test_demo_story_dates_in_order(self):
        """Delivery → complaint → 8D → actions → verification → closing, and each service from
        request to verification, all in the past."""
        now = fields.Datetime.now()
        noise = self.demo("demo_complaint_oem_noise")
        report = self.demo("demo_eightd_oem_noise")
        delivered = fields.Datetime.to_datetime(noise.lot_id.csc_delivery_date)
        done = max(noise.action_ids.mapped("date_done"))
        verified = max(noise.action_ids.mapped("date_verified"))
        self.assertLess(delivered, noise.date_received)
        self.assertLess(noise.date_received, noise.date_solved)
        self.assertLessEqual(
            (noise.date_solved - noise.date_received).total_seconds(),
            noise.company_id.csc_serious_solve_hours * 3600,
        )  # a major problem: the disposition within the serious-problem hours
        self.assertLess(noise.date_received, report.date_containment_deadline)
        self.assertLess(noise.date_received.date(), report.date_implemented)
        self.assertLessEqual(report.date_implemented, done)
        self.assertLess(done, verified)
        self.assertLessEqual(verified, report.date_closed.date())
        self.assertLess(report.date_closed, noise.reaction_sent_date)
        self.assertLessEqual(noise.reaction_sent_date, noise.date_closed)
        self.assertLess(noise.date_closed, now)
        for xmlid in ("demo_visit_dealer_leak", "demo_visit_end_user", "demo_visit_dealer_earlier"):
            visit = self.demo(xmlid)
            steps = [
                fields.Datetime.to_datetime(visit.lot_id.csc_delivery_date),
                visit.date_request,
                visit.date_triaged,
                visit.date_cost_confirmed or visit.date_triaged,
                visit.date_arrival,
                visit.date_end,
                visit.date_report,
                visit.date_verified,
                now,
            ]
            self.assertEqual(steps, sorted(steps), xmlid)
        leak = self.demo("demo_visit_dealer_leak")
        complaint = leak.complaint_id
        loan = self.demo("demo_loan_dealer_leak")
        self.assertLess(complaint.date_received, leak.date_request)
        self.assertLess(leak.date_request, loan.date_loan)
        self.assertLess(loan.date_loan, leak.date_arrival)
        self.assertLess(leak.date_end, complaint.date_solved)
        self.assertLess(complaint.date_solved, complaint.date_closed)
        campaign = self.demo("demo_satisfaction_campaign_q1")
        self.assertLess(campaign.date_end, now.date())

    def test_demo_escalation_controlled_shipping(self):
        """The OEM keeps us in controlled shipping level 1: entered by quality after its two
        complaints, the quality manager told, a firewall inspection each day since."""
        escalation = self.demo("demo_escalation_oem_cs1")
        oem = self.demo("demo_partner_oem")
        self.assertEqual(escalation.state, "active")
        self.assertEqual(escalation.level_id.kind, "cs1")
        self.assertEqual(escalation.entry_user_id, self.demo("demo_user_quality"))
        self.assertIn(self.demo("demo_user_manager").partner_id, escalation.message_partner_ids)
        self.assertEqual(escalation.inspection_days, 3)
        self.assertEqual(escalation.qty_checked, 1500)
        self.assertEqual(escalation.qty_rejected, 2)
        self.assertTrue(escalation.criteria_open)
        self.assertEqual(oem.csc_escalation_id, escalation)
        self.assertEqual(self.demo("demo_complaint_oem_label").customer_escalation_id, escalation)
        self.assertFalse(self.demo("demo_partner_dealer").csc_escalation_id)

    def test_demo_refund_credited_and_supplier_claim_recovered(self):
        """The money of complaints: a refund credited at the invoiced price after the general
        manager's approval, and a supplier claim recovered with a posted vendor credit note."""
        line = self.demo("demo_return_refund")
        refund = line.refund_move_ids
        self.assertEqual(line.approved_by_id, self.demo("demo_user_gm"))
        self.assertEqual(
            (refund.move_type, refund.state, refund.csc_origin), ("out_refund", "posted", "refund")
        )
        self.assertEqual(refund.invoice_line_ids.quantity, 5.0)
        self.assertEqual(refund.invoice_line_ids.price_unit, 300.0)
        self.assertEqual(refund.reversed_entry_id, self.demo("demo_sale_tie_rod").invoice_ids)
        claim = self.demo("demo_complaint_supplier").supplier_claim_ids
        self.assertEqual(claim.state, "closed")
        self.assertEqual(claim.partner_id, self.demo("demo_partner_supplier_valve"))
        self.assertEqual(claim.create_uid, self.demo("demo_user_quality"))
        self.assertEqual(claim.picking_ids.state, "done")
        self.assertTrue(claim.eightd_attachment_id)
        recovery = claim.move_ids
        self.assertEqual((recovery.move_type, recovery.state), ("in_refund", "posted"))
        self.assertEqual(recovery.csc_origin, "supplier_recovery")
        self.assertAlmostEqual(recovery.amount_untaxed, claim.amount_claimed)
        self.assertEqual(claim.line_ids.quantity, 6.0)
        self.assertEqual(claim.cost_ids.cost_type, "scrap")
