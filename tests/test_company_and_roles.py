"""Companies side by side (calendars, time zones, company-bound links) and roles cut to the job."""

from datetime import datetime

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import new_test_user

from .common import CscCase
from .common import force

MONDAY_02_UTC = datetime(2026, 3, 2, 2, 0)  # 10:00 in Shanghai


class TestCompanies(CscCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "UTC"  # Mon-Fri 8-12, 13-17
        cls.company_b = cls.env["res.company"].create({"name": "Shanghai Works"})
        cls.company_b.resource_calendar_id = cls.company.resource_calendar_id.copy(
            {"name": "Shanghai hours", "tz": "Asia/Shanghai", "company_id": cls.company_b.id}
        )

    def _visit(self, company):
        return self.env["csc.service.visit"].create(
            {
                "partner_id": self.customer.id,
                "company_id": company.id,
                "date_request": MONDAY_02_UTC,
            }
        )

    def test_two_calendars_and_time_zones_side_by_side(self):
        """Eight working hours of triage from the same moment, on each company's own hours."""
        here, there = self._visit(self.company), self._visit(self.company_b)
        self.assertEqual(here.date_triage_deadline, datetime(2026, 3, 2, 17, 0))
        # Shanghai: Mon 10-12 and 13-17, then Tue 8-10 local time = Tue 02:00 UTC.
        self.assertEqual(there.date_triage_deadline, datetime(2026, 3, 3, 2, 0))

    def test_company_without_working_calendar(self):
        company = self.env["res.company"].create({"name": "No Calendar Ltd"})
        company.resource_calendar_id = False
        visit = self._visit(company)
        self.assertGreater(visit.date_triage_deadline, MONDAY_02_UTC)
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Question",
                "description": "Question",
                "partner_id": self.customer.id,
                "company_id": company.id,
            }
        )
        self.assertTrue(ticket.csc_date_reply_deadline)
        complaint = self.env["csc.complaint"].create(
            {
                "title": "Noise",
                "partner_id": self.customer.id,
                "company_id": company.id,
                "date_received": MONDAY_02_UTC,
            }
        )
        self.assertGreater(complaint.date_deadline, MONDAY_02_UTC)

    def test_links_stay_within_a_company(self):
        product = self.env["product.product"].create({"name": "Gear", "tracking": "serial"})
        lot_b = self.env["stock.lot"].create(
            {"name": "B-1", "product_id": product.id, "company_id": self.company_b.id}
        )
        visit_b = self._visit(self.company_b)
        complaint = self.env["csc.complaint"].create(
            {"title": "Noise", "partner_id": self.customer.id, "product_id": product.id}
        )
        for vals in ({"lot_id": lot_b.id}, {"cause_visit_id": visit_b.id}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                complaint.write(vals)
        self.assertFalse(complaint.lot_id or complaint.cause_visit_id)
        action = self.env["csc.action"].create(
            {
                "name": "Check",
                "visit_id": visit_b.id,
                "user_id": self.quality_user.id,
                "date_due": "2026-03-20",
            }
        )
        self.assertEqual(action.company_id, self.company_b)  # the company of its visit
        line = self.env["csc.service.expense"].create(
            {"visit_id": visit_b.id, "expense_type": "travel", "amount": 10}
        )
        self.assertEqual(line.company_id, self.company_b)


class TestRolesCutToTheJob(CscCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.visit = cls.env["csc.service.visit"].create(
            {"partner_id": cls.customer.id, "technician_ids": [(6, 0, cls.technician.ids)]}
        )
        cls.customer.csc_credit_status = "On hold: 90 days overdue"

    def test_technician_neither_reassigns_nor_cancels(self):
        visit = self.visit.with_user(self.technician)
        for vals in (
            {"technician_ids": [(4, self.service_manager.id)]},
            {"technician_ids": [(3, self.technician.id)]},
            {"user_id": self.technician.id},
            {"partner_id": self.env["res.partner"].create({"name": "Other"}).id},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(AccessError, "service desk"):
                visit.write(vals)
        with self.assertRaisesRegex(AccessError, "service desk"):
            visit.action_cancel()
        self.visit.invalidate_recordset()
        self.assertEqual((self.visit.technician_ids, self.visit.state), (self.technician, "draft"))
        visit.write({"findings": "Seal worn"})  # his own work he records
        self.visit.with_user(self.desk_user).write({"technician_ids": [(4, self.clerk.id)]})
        self.visit.with_user(self.desk_user).action_cancel()
        self.assertEqual(self.visit.state, "cancelled")

    def test_technician_does_not_read_causes_or_credit(self):
        complaint = self.env["csc.complaint"].create(
            {"title": "Noise", "partner_id": self.customer.id, "root_cause": "Loose bolt"}
        )
        self.assertEqual(complaint.with_user(self.technician).title, "Noise")
        for record, field in (
            (complaint, "root_cause"),
            (complaint, "responsibility"),
            (complaint, "cause_category"),
            (self.customer, "csc_credit_status"),
        ):
            with self.subTest(field=field), self.assertRaises(AccessError):
                record.with_user(self.technician).read([field])
        self.assertEqual(complaint.with_user(self.desk_user).root_cause, "Loose bolt")
        self.assertIn("On hold", self.customer.with_user(self.desk_user).csc_credit_status)

    def test_technician_sees_only_his_visits_lines(self):
        other = new_test_user(
            self.env,
            login="csc_technician_2",
            groups="customer_service_control.group_csc_technician",
        )
        theirs = self.env["csc.service.visit"].create(
            {"partner_id": self.customer.id, "technician_ids": [(6, 0, other.ids)]}
        )
        mine = self.env["csc.service.expense"].create(
            {"visit_id": self.visit.id, "expense_type": "travel", "amount": 10}
        )
        not_mine = self.env["csc.service.expense"].create(
            {"visit_id": theirs.id, "expense_type": "lodging", "amount": 99}
        )
        Expense = self.env["csc.service.expense"].with_user(self.technician)
        self.assertEqual(Expense.search([("id", "in", (mine | not_mine).ids)]), mine)
        with self.assertRaises(AccessError):
            not_mine.with_user(self.technician).read(["amount"])

    def test_technical_agreement_is_customer_file(self):
        storekeeper = new_test_user(
            self.env, login="csc_storekeeper", groups="stock.group_stock_user"
        )
        product = self.env["product.product"].create({"name": "Gear", "tracking": "serial"})
        lot = self.env["stock.lot"].create(
            {"name": "G-1", "product_id": product.id, "csc_technical_agreement": "Parts at -20 %"}
        )
        self.assertEqual(lot.with_user(storekeeper).name, "G-1")
        with self.assertRaises(AccessError):
            lot.with_user(storekeeper).read(["csc_technical_agreement"])
        self.assertIn("-20", lot.with_user(self.technician).csc_technical_agreement)

    def test_desk_and_quality_receive_returns_without_inventory_rights(self):
        product = self.env["product.product"].create({"name": "Gear", "is_storable": True})
        complaint = self.env["csc.complaint"].create(
            {"title": "Noise", "partner_id": self.customer.id, "product_id": product.id}
        )
        force(complaint, {"state": "investigation"})
        for user in (self.desk_user, self.quality_user):
            self.assertFalse(user.has_group("stock.group_stock_user"))
            action = complaint.with_user(user).action_add_return()
            line = self.env["csc.complaint.return"].browse(action["res_id"])
            self.assertEqual(line.with_user(user).receipt_name, line.sudo().receipt_id.name)
            line.with_user(user).action_received()
            self.assertEqual((line.state, line.sudo().receipt_id.state), ("received", "done"))
