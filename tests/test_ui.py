from datetime import date

from odoo.tests import HttpCase
from odoo.tests import new_test_user
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestCustomerFileTour(HttpCase):
    def test_desk_registers_customer_file(self):
        new_test_user(
            self.env,
            login="csc_tour_desk",
            groups="base.group_user,customer_service_control.group_csc_user",
            tz="UTC",
        )
        self.start_tour(
            "/odoo/action-customer_service_control.csc_customer_action",
            "csc_customer_file_tour",
            login="csc_tour_desk",
        )
        partner = self.env["res.partner"].search([("name", "=", "Tour Tractor Works")])
        self.assertEqual(partner.csc_customer_type, "oem")
        self.assertEqual(partner.csc_relation_class, "key")
        self.assertEqual(partner.csc_grade, "a")
        self.assertEqual(partner.csc_next_visit_date, date(2026, 7, 11))
