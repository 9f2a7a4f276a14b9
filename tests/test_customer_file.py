from datetime import date
from datetime import timedelta

from freezegun import freeze_time

from .common import CscCase


class TestCustomerFile(CscCase):
    def test_visit_interval_follows_class_and_company_defaults(self):
        self.company.write({"csc_visit_days_key": 180, "csc_visit_days_general": 400})
        partner = self.env["res.partner"].create(
            {"name": "Key Account", "csc_customer_type": "dealer", "csc_relation_class": "key"}
        )
        self.assertEqual(partner.csc_visit_interval, 180)
        partner.csc_relation_class = "general"
        self.assertEqual(partner.csc_visit_interval, 400)
        # A customer's own interval is kept until the class changes again.
        partner.csc_visit_interval = 90
        self.assertEqual(partner.csc_visit_interval, 90)

    def test_next_visit_due_from_last_visit(self):
        self.customer.write({"csc_visit_interval": 182, "csc_last_visit_date": "2026-01-10"})
        self.assertEqual(self.customer.csc_next_visit_date, date(2026, 7, 11))
        self.customer.csc_visit_interval = 30
        self.assertEqual(self.customer.csc_next_visit_date, date(2026, 2, 9))

    def test_never_visited_customer_counts_from_creation(self):
        self.assertFalse(self.customer.csc_last_visit_date)
        created = self.customer.create_date.date()
        self.assertEqual(
            self.customer.csc_next_visit_date,
            created + timedelta(days=self.customer.csc_visit_interval),
        )

    def test_no_cycle_without_interval_or_type(self):
        self.customer.write({"csc_visit_interval": 0, "csc_last_visit_date": "2026-01-10"})
        self.assertFalse(self.customer.csc_next_visit_date)
        contact = self.env["res.partner"].create(
            {"name": "Somebody", "csc_last_visit_date": "2026-01-10"}
        )
        self.assertFalse(contact.csc_next_visit_date)
        self.assertFalse(contact.csc_visit_overdue)

    def test_overdue_flag_and_filter(self):
        Partner = self.env["res.partner"]
        self.customer.write({"csc_visit_interval": 30, "csc_last_visit_date": "2026-03-01"})
        recent = Partner.create(
            {
                "name": "Recently Visited",
                "csc_customer_type": "dealer",
                "csc_visit_interval": 30,
                "csc_last_visit_date": "2026-03-20",
            }
        )
        with freeze_time("2026-04-05"):
            self.assertTrue(self.customer.csc_visit_overdue)
            self.assertFalse(recent.csc_visit_overdue)
            overdue = Partner.search([("csc_visit_overdue", "=", True)])
            not_overdue = Partner.search([("csc_visit_overdue", "=", False)])
            self.assertIn(self.customer, overdue)
            self.assertNotIn(recent, overdue)
            self.assertIn(recent, not_overdue)
            self.assertNotIn(self.customer, not_overdue)
            self.assertEqual(Partner.search([("csc_visit_overdue", "!=", False)]), overdue)
        # On the due date itself the visit is not yet overdue.
        with freeze_time("2026-03-31"):
            self.env.invalidate_all()  # "overdue" depends on the day: a new request recomputes it
            self.assertEqual(self.customer.csc_next_visit_date, date(2026, 3, 31))
            self.assertFalse(self.customer.csc_visit_overdue)
            self.assertNotIn(self.customer, Partner.search([("csc_visit_overdue", "=", True)]))

    def test_smart_button_counts_and_actions(self):
        self.env["csc.customer.requirement"].create(
            [
                {"name": "Label per VDA 4902", "partner_id": self.customer.id},
                {"name": "8D in 8 days", "partner_id": self.customer.id},
            ]
        )
        self.assertEqual(self.customer.csc_requirement_count, 2)
        self.assertEqual(self.customer.csc_lot_count, 0)
        action = self.customer.action_csc_open_requirements()
        self.assertEqual(
            self.env[action["res_model"]].search(action["domain"]),
            self.customer.csc_requirement_ids,
        )
        action = self.customer.action_csc_open_installed_base()
        self.assertEqual(action["res_model"], "stock.lot")
        self.assertEqual(action["context"]["default_csc_partner_id"], self.customer.id)
