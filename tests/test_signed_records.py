"""What the customer signed stays as signed (seed 002: no altering of the customer's signature or
opinion after the service; issue 19 point 7). Once a field service is signed, on site or on the
portal, its findings, work done, cost lines, the customer's opinion, signature and signer refuse
every change, from the technician as from a manager, over the ORM and XML-RPC, until a service
manager reopens it with a reason; the reopening clears the signature and the customer signs
again. The loan slip keeps its borrower once issued."""

import xmlrpc.client

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import HttpCase
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import MODULE
from .common import CscCase
from .common import force
from .test_service_visit import SIGNATURE

OTHER_SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAE"
    "hQGAhKmMIQAAAABJRU5ErkJggg=="
)
SIGNED = "is signed"
# Each signed field and a new value for it.
CHANGES = {
    "findings": "Nothing found",
    "work_done": "Nothing done",
    "customer_opinion": "Very bad",
    "customer_signature": OTHER_SIGNATURE,
    "customer_signed_by": "Somebody Else",
}
REASON = "The technician forgot the second washer in the work done."


class SignedVisitCase:
    """A field service on site, its work and cost recorded by its technician."""

    def _on_site_visit(self, env, customer, technician, visit_type="repair"):
        visit = env["csc.service.visit"].create(
            {
                "partner_id": customer.id,
                "visit_type": visit_type,
                "technician_ids": [(6, 0, technician.ids)],
                "diagnosis": "Leak",
                "solution": "Seal kit",
            }
        )
        force(
            visit,
            {"state": "on_site", "full_check": True, "leave_approved_by": env.user.id},
        )
        visit.with_user(technician).write(
            {
                "findings": "Seal lip cut",
                "work_done": "Seal kit replaced",
                "customer_opinion": "Quick work",
                "line_ids": [
                    (0, 0, {"line_type": "labour", "name": "Labour", "price_unit": 50.0}),
                ],
            }
        )
        return visit

    def _signed_values(self, visit):
        visit.invalidate_recordset()
        return {
            **{name: visit[name] for name in CHANGES},
            "lines": [(line.name, line.quantity, line.price_unit) for line in visit.line_ids],
        }


class TestSignedVisit(SignedVisitCase, CscCase):
    def _sign(self, visit):
        visit.with_user(self.technician).write(
            {"customer_signature": SIGNATURE, "customer_signed_by": "Wang Jun"}
        )

    def _assert_frozen(self, visit, users):
        before = self._signed_values(visit)
        line = visit.line_ids
        for user in users:
            record = visit.with_user(user)
            for name, value in CHANGES.items():
                with self.subTest(user=user.login, field=name):
                    with self.assertRaisesRegex(UserError, SIGNED):
                        record.write({name: value})
            with self.subTest(user=user.login, lines="one2many"):
                with self.assertRaisesRegex(UserError, SIGNED):
                    record.write({"line_ids": [(1, line.id, {"quantity": 9.0})]})
                with self.assertRaisesRegex(UserError, SIGNED):
                    record.write({"line_ids": [(0, 0, {"line_type": "part", "name": "Extra"})]})
            with self.subTest(user=user.login, lines="direct"):
                with self.assertRaisesRegex(UserError, SIGNED):
                    line.with_user(user).write({"price_unit": 1.0})
                with self.assertRaisesRegex(UserError, SIGNED):
                    line.with_user(user).unlink()
                with self.assertRaises(UserError) as error:  # in a savepoint: rolled back
                    self.env["csc.service.visit.line"].with_user(user).create(
                        {"visit_id": visit.id, "line_type": "part", "name": "Extra"}
                    )
                self.assertIn(SIGNED, str(error.exception))
        self.assertEqual(self._signed_values(visit), before)

    def test_signed_on_site_then_signed_off_stays_as_signed(self):
        for visit_type in ("repair", "installation"):
            with self.subTest(visit_type=visit_type):
                visit = self._on_site_visit(
                    self.env, self.customer, self.technician, visit_type=visit_type
                )
                self._sign(visit)
                self.assertTrue(visit.is_signed)
                self._assert_frozen(visit, self.technician | self.service_manager)
                visit.with_user(self.technician).action_finish()
                self.assertEqual(visit.state, "done")
                self._assert_frozen(visit, self.technician | self.service_manager)
                # What is not signed still changes: the trip report.
                visit.with_user(self.technician).trip_report = "Done in 3 hours"
                self.assertEqual(visit.trip_report, "Done in 3 hours")

    def test_portal_signature_freezes_the_visit(self):
        contact = self.env["res.partner"].create(
            {"name": "Li Na", "parent_id": self.customer.id, "email": "li.na@example.com"}
        )
        portal_user = new_test_user(
            self.env, login="csc_signed_portal", groups="base.group_portal", partner_id=contact.id
        )
        visit = self._on_site_visit(self.env, self.customer, self.technician, "installation")
        self.assertFalse(visit.is_signed)
        visit.sudo()._csc_portal_sign(portal_user, "Li Na", SIGNATURE)
        self.assertEqual(visit.customer_signed_by, "Li Na")
        self._assert_frozen(visit, self.technician | self.service_manager | self.desk_user)

    def test_reopen_with_a_reason_then_signed_again(self):
        visit = self._on_site_visit(self.env, self.customer, self.technician)
        self._sign(visit)
        visit.with_user(self.technician).action_finish()
        self.assertTrue(visit.csc_can_reopen)
        # Not the technician, not without a reason.
        with self.assertRaises(AccessError):
            visit.with_user(self.technician)._csc_reopen(REASON)
        with self.assertRaisesRegex(UserError, "Give the reason"):
            visit.with_user(self.service_manager)._csc_reopen(" ")
        self.assertEqual((visit.state, visit.customer_signed_by), ("done", "Wang Jun"))
        visit.with_user(self.service_manager)._csc_reopen(REASON)
        self.assertEqual(visit.state, "on_site")
        self.assertFalse(visit.customer_signature or visit.customer_signed_by or visit.date_end)
        self.assertFalse(visit.is_signed)
        bodies = " ".join(visit.message_ids.mapped("body"))
        self.assertIn(REASON, bodies)
        self.assertIn("Wang Jun", bodies)
        # Corrected by the technician, signed again, signed off again.
        visit.with_user(self.technician).write(
            {
                "work_done": "Seal kit and two washers replaced",
                "line_ids": [(0, 0, {"line_type": "part", "name": "Washer", "price_unit": 2.0})],
            }
        )
        with self.assertRaisesRegex(UserError, "customer's signature"):
            visit.with_user(self.technician).action_finish()
        self._sign(visit)
        visit.with_user(self.technician).action_finish()
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.work_done, "Seal kit and two washers replaced")
        self.assertEqual(len(visit.line_ids), 2)

    def test_verified_visit_reopened_goes_back_on_site(self):
        visit = self._on_site_visit(self.env, self.customer, self.technician)
        self._sign(visit)
        visit.with_user(self.technician).action_finish()
        force(visit, {"state": "verified", "verifier_id": self.service_manager.id})
        with self.assertRaisesRegex(UserError, "finished and locked"):
            visit.with_user(self.service_manager).write({"work_done": "Changed"})
        visit.with_user(self.service_manager)._csc_reopen(REASON)
        self.assertEqual(visit.state, "on_site")
        self.assertFalse(visit.verifier_id or visit.customer_signature)
        visit.with_user(self.technician).work_done = "Changed"
        self.assertEqual(visit.work_done, "Changed")

    def test_no_signature_before_the_service(self):
        visit = self.env["csc.service.visit"].create(
            {"partner_id": self.customer.id, "technician_ids": [(6, 0, self.technician.ids)]}
        )
        for state in ("draft", "triaged", "dispatched"):
            force(visit, {"state": state})
            for user in (self.technician, self.service_manager):
                with self.subTest(state=state, user=user.login):
                    with self.assertRaisesRegex(UserError, "never before it"):
                        visit.with_user(user).write(
                            {"customer_signature": SIGNATURE, "customer_signed_by": "Wang Jun"}
                        )
        self.assertFalse(visit.customer_signature or visit.customer_signed_by)
        with self.assertRaisesRegex(UserError, "never before it"):
            self.env["csc.service.visit"].with_user(self.desk_user).create(
                {"partner_id": self.customer.id, "customer_signature": SIGNATURE}
            )

    def test_unsigned_visit_still_changes(self):
        visit = self._on_site_visit(self.env, self.customer, self.technician)
        visit.with_user(self.technician).write({"work_done": "Changed", "findings": "Other"})
        self.assertEqual((visit.work_done, visit.findings), ("Changed", "Other"))
        self.assertFalse(visit.csc_can_reopen)
        with self.assertRaisesRegex(UserError, "nothing to reopen"):
            visit.with_user(self.service_manager)._csc_reopen(REASON)


class TestSignedLoan(CscCase):
    def test_issued_loan_keeps_its_borrower(self):
        part = self.env["product.product"].create(
            {"name": "Washer", "is_storable": True, "csc_low_value": True}
        )
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        self.env["stock.quant"]._update_available_quantity(part, warehouse.lot_stock_id, 10)
        loan = self.env["csc.part.loan"].create(
            {"technician_id": self.technician.id, "line_ids": [(0, 0, {"product_id": part.id})]}
        )
        loan.technician_id = self.service_manager  # a draft slip is not signed yet
        loan.technician_id = self.technician
        loan.with_user(self.technician).action_confirm()
        self.assertEqual(loan.state, "loaned")
        for user in (self.technician, self.clerk, self.service_manager):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(UserError, SIGNED):
                    loan.with_user(user).write({"technician_id": self.clerk.id})
        self.assertEqual(loan.technician_id, self.technician)


@tagged("post_install", "-at_install")
class TestSignedVisitOverRpc(SignedVisitCase, HttpCase):
    """The technician's and the manager's XML-RPC calls on a signed visit: refused, nothing
    changed; the manager's reopening with a reason (the wizard) lets the technician correct it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def user(login, group):
            return new_test_user(
                cls.env, login=login, password=login, groups=f"base.group_user,{MODULE}.{group}"
            )

        cls.technician = user("csc_rpc_sign_tech", "group_csc_technician")
        cls.manager = user("csc_rpc_sign_manager", "group_csc_manager")
        cls.customer = cls.env["res.partner"].create(
            {"name": "RPC Signed Motors", "is_company": True, "csc_customer_type": "oem"}
        )

    def _rpc(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs
        )

    def _refused(self, user, *call):
        with self.assertRaises(xmlrpc.client.Fault) as fault:
            self._rpc(user, *call)
        self.assertIn(SIGNED, fault.exception.faultString)

    def test_signed_fields_refused_over_rpc(self):
        visit = self._on_site_visit(self.env, self.customer, self.technician)
        self._rpc(
            self.technician,
            "csc.service.visit",
            "write",
            [visit.id],
            {"customer_signature": SIGNATURE, "customer_signed_by": "Wang Jun"},
        )
        self._rpc(self.technician, "csc.service.visit", "action_finish", [visit.id])
        before = self._signed_values(visit)
        line = visit.line_ids
        for user in (self.technician, self.manager):
            for name, value in CHANGES.items():
                with self.subTest(user=user.login, field=name):
                    self._refused(user, "csc.service.visit", "write", [visit.id], {name: value})
            with self.subTest(user=user.login, lines=True):
                self._refused(
                    user,
                    "csc.service.visit",
                    "write",
                    [visit.id],
                    {"line_ids": [(1, line.id, {"quantity": 9.0})]},
                )
                self._refused(
                    user, "csc.service.visit.line", "write", [line.id], {"price_unit": 1.0}
                )
                self._refused(user, "csc.service.visit.line", "unlink", [line.id])
        self.assertEqual(self._signed_values(visit), before)
        self.assertEqual(visit.state, "done")
        # The manager reopens it with a reason (the reopening dialog); then the technician
        # corrects the work done.
        action = self._rpc(self.manager, "csc.service.visit", "action_reopen", [visit.id])
        wizard_id = self._rpc(
            self.manager,
            "csc.reopen.wizard",
            "create",
            {"reason": REASON},
            context=action["context"],
        )
        self._rpc(self.manager, "csc.reopen.wizard", "action_confirm", [wizard_id])
        self._rpc(
            self.technician,
            "csc.service.visit",
            "write",
            [visit.id],
            {"work_done": "Seal kit and two washers replaced"},
        )
        visit.invalidate_recordset()
        self.assertEqual(visit.state, "on_site")
        self.assertFalse(visit.customer_signature)
        self.assertEqual(visit.work_done, "Seal kit and two washers replaced")
