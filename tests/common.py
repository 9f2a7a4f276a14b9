from odoo.tests import TransactionCase
from odoo.tests import new_test_user
from odoo.tests import tagged

MODULE = "customer_service_control"


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
