from datetime import date
from datetime import datetime

from odoo.tests import TransactionCase
from odoo.tests import new_test_user
from odoo.tests import tagged

MODULE = "customer_service_control"

FRIDAY_10 = datetime(2026, 3, 6, 10, 0)
MONDAY = date(2026, 3, 2)
MONDAY_9 = datetime(2026, 3, 2, 9, 0)
SIGNATURE = (  # a 1x1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5E"
    "rkJggg=="
)


def force(record, vals):
    """Put a record in a given state for a test's set-up, the way the module's data files may
    (superuser + install_mode); no user or RPC call can do this."""
    record.sudo().with_context(install_mode=True).write(vals)


def force_create(model, vals):
    """Create records already past their first step (dates of a finished history), for a test's
    set-up, like `force`."""
    return model.sudo().with_context(install_mode=True).create(vals).with_env(model.env)


@tagged("post_install", "-at_install")
class CscCase(TransactionCase):
    """Users for every role and a customer, built by each test class (no demo data).

    Run after the installation (as under pytest-odoo), when the HTTP server that renders the
    PDFs is up; mails stay in Odoo's queue instead of being sent during the test, under either
    runner; background jobs run at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Background jobs (queue_job) are performed at once, inside the test's transaction;
        # tests/test_background_jobs.py checks how they are queued.
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=True,
                mail_notify_force_send=False,
                queue_job__no_delay=True,
            )
        )
        cls.company = cls.env.company

        def user(login, *groups):
            return new_test_user(
                cls.env, login=login, groups=",".join(("base.group_user",) + groups)
            )

        cls.desk_user = user("csc_desk", f"{MODULE}.group_csc_user")
        cls.quality_user = user("csc_quality", f"{MODULE}.group_csc_quality")
        cls.technician = user("csc_technician", f"{MODULE}.group_csc_technician")
        cls.clerk = user("csc_clerk", f"{MODULE}.group_csc_stock_clerk")
        cls.service_manager = user("csc_manager", f"{MODULE}.group_csc_manager")
        cls.general_manager = user("csc_gm", f"{MODULE}.group_csc_general_manager")
        cls.outsider = user("csc_outsider")
        # The rest of the company: finance posts invoices and credit notes, sales sends quotes.
        cls.accountant = user("csc_accountant", "account.group_account_invoice")
        cls.salesperson = user("csc_salesperson", "sales_team.group_sale_salesman")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Test OEM Motors",
                "is_company": True,
                "csc_customer_type": "oem",
                "csc_relation_class": "key",
                "csc_grade": "a",
            }
        )

    def render_pdf(self, report, ids):
        """A report rendered to PDF as a user prints it: wkhtmltopdf fetches its styles from the
        running server, which must see this test's transaction (as in an HttpCase)."""
        self.registry.enter_test_mode(self.cr)
        try:
            return (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(report, ids)
            )
        finally:
            self.registry.leave_test_mode()


class ComplaintCase(CscCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "UTC"  # Mon-Fri 8-12, 13-17
        cls.quality_dept = cls.env.ref("customer_service_control.csc_department_quality")
        cls.quality_dept.write(
            {"manager_id": cls.service_manager.id, "member_ids": [(6, 0, cls.quality_user.ids)]}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Steering Gear", "is_storable": True, "tracking": "serial"}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Li Na", "parent_id": cls.customer.id, "email": "li.na@oem.example.com"}
        )

    def _complaint(self, user=None, **vals):
        return (
            self.env["csc.complaint"]
            .with_user(user or self.desk_user)
            .create(
                {
                    "title": "Noise at low speed",
                    "partner_id": self.customer.id,
                    "contact_id": self.contact.id,
                    "product_id": self.product.id,
                    "date_received": FRIDAY_10,
                    **vals,
                }
            )
        )

    def _release_csr(self, **limits):
        requirement = self.env["csc.customer.requirement"].create(
            {"name": "Customer limits", "partner_id": self.customer.id, **limits}
        )
        force(requirement, {"state": "released"})
        return requirement


class ServiceVisitCase(CscCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "UTC"
        cls.env["csc.dispatch.policy"].search([("company_id", "=", cls.company.id)]).unlink()
        cls.env["csc.dispatch.policy"].create(
            [
                {"max_distance": 300, "hours": 24},
                {"max_distance": 1000, "hours": 48},
                {"max_distance": 0, "hours": 72},
            ]
        )
        cls.product = cls.env["product.product"].create(
            {"name": "EPS Column", "tracking": "serial", "csc_warranty_months": 12}
        )
        cls.lot = cls.env["stock.lot"].create(
            {"name": "EPS-1", "product_id": cls.product.id, "csc_delivery_date": "2025-06-01"}
        )
        cls.part = cls.env["product.product"].create({"name": "Seal kit", "lst_price": 100.0})
        cls.partner_part = cls.env["product.product"].create(
            {"name": "HPU pump", "lst_price": 200.0, "csc_origin": "partner"}
        )

    def _visit(self, **vals):
        return (
            self.env["csc.service.visit"]
            .with_user(self.desk_user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "lot_id": self.lot.id,
                    "date_request": MONDAY_9,
                    **vals,
                }
            )
        )


class PartLoanCase(CscCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.env.ref("stock.stock_location_stock")
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.seal = cls.env["product.product"].create({"name": "Seal kit", "is_storable": True})
        cls.washer = cls.env["product.product"].create(
            {"name": "Washer", "is_storable": True, "csc_low_value": True}
        )
        for product in cls.seal | cls.washer:
            cls.env["stock.quant"]._update_available_quantity(product, cls.stock, 10)
        cls.clerk.email = "clerk@example.com"
        cls.service_manager.email = "manager@example.com"

    def _qty(self, product, location):
        quants = self.env["stock.quant"].search(
            [("product_id", "=", product.id), ("location_id", "=", location.id)]
        )
        return sum(quants.mapped("quantity"))

    def _loan(self, product=None, quantity=3):
        return (
            self.env["csc.part.loan"]
            .with_user(self.technician)
            .create(
                {
                    "technician_id": self.technician.id,
                    "partner_id": self.customer.id,
                    "line_ids": [
                        (0, 0, {"product_id": (product or self.seal).id, "quantity": quantity})
                    ],
                }
            )
        )


class VisitPlanCase(CscCase):
    """A visit plan of the week starting on MONDAY."""

    def _plan(self, user=None, **vals):
        user = user or self.desk_user
        return (
            self.env["csc.visit.plan"]
            .with_user(user)
            .create({"date_start": MONDAY, "user_id": user.id, **vals})
        )
