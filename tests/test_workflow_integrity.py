"""Integrity of the records as an attacker or an integrator meets it: two users firing the same
transition at once, the same person doing and approving the work, bad input of every kind, and
every action called over XML-RPC."""

import time
import xmlrpc.client
from contextlib import closing

import psycopg2
from psycopg2 import errors as pg_errors

from odoo import SUPERUSER_ID
from odoo import api
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tests import HttpCase
from odoo.tests import new_test_user
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import FRIDAY_10
from .common import MODULE
from .common import ComplaintCase
from .common import force

ADDON = f"odoo.addons.{MODULE}."


class TestConcurrency(ComplaintCase):
    """Two database connections, as two users on two Odoo workers: exactly one effect."""

    def setUp(self):
        super().setUp()
        self.db = self.env.cr.dbname
        with closing(db_connect(self.db).cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Race Motors", "is_company": True})
            complaint = env["csc.complaint"].create(
                {
                    "title": "Race",
                    "partner_id": partner.id,
                    "user_id": SUPERUSER_ID,
                    "date_received": FRIDAY_10,
                }
            )
            cr.commit()  # pylint: disable=invalid-commit
            self.partner_id, self.complaint_id = partner.id, complaint.id
        self.addCleanup(self._drop_committed_data)

    def _drop_committed_data(self):
        with closing(db_connect(self.db).cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"install_mode": True})
            env["csc.complaint"].browse(self.complaint_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def _start(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        return env["csc.complaint"].browse(self.complaint_id).action_start_investigation()

    def _handle_activities(self, cr):
        cr.execute(
            "SELECT count(*) FROM mail_activity WHERE res_model = 'csc.complaint' AND res_id = %s",
            [self.complaint_id],
        )
        return cr.fetchone()[0]

    def test_same_transition_twice_at_once_has_one_winner(self):
        with (
            closing(db_connect(self.db).cursor()) as cr_a,
            closing(db_connect(self.db).cursor()) as cr_b,
        ):
            cr_b.execute("SET lock_timeout = '10s'")  # a test that waits fails, not hangs
            self._start(cr_a)  # A holds the row until it commits
            started = time.monotonic()
            with mute_logger("odoo.sql_db"), self.assertRaises(pg_errors.LockNotAvailable):
                self._start(cr_b)  # B fails at once: Odoo retries such a request
            # ... refused by the transition's own lock, without waiting for A.
            self.assertLess(time.monotonic() - started, 5)
            cr_b.rollback()
            cr_a.commit()
            # The retried request sees the new state and is refused with the reason.
            with self.assertRaisesRegex(UserError, "is Investigation: it cannot start"):
                self._start(cr_b)
            cr_b.rollback()
            self.assertEqual(self._handle_activities(cr_b), 1)

    def test_transition_on_a_stale_snapshot_is_refused(self):
        with (
            closing(db_connect(self.db).cursor()) as cr_a,
            closing(db_connect(self.db).cursor()) as cr_b,
        ):
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            self.assertEqual(env_b["csc.complaint"].browse(self.complaint_id).state, "draft")
            self._start(cr_a)
            cr_a.commit()
            # B read the record before A committed: its snapshot is stale, the lock fails.
            with mute_logger("odoo.sql_db"), self.assertRaises(pg_errors.SerializationFailure):
                self._start(cr_b)
            cr_b.rollback()
            self.assertEqual(self._handle_activities(cr_b), 1)


class TestLineChangesTraced(ComplaintCase):
    def test_line_edit_posted_on_its_record_past_first_step(self):
        visit = self.env["csc.service.visit"].create({"partner_id": self.customer.id})
        expense = self.env["csc.service.expense"].create(
            {"visit_id": visit.id, "expense_type": "travel", "name": "Train", "amount": 10}
        )
        expense.amount = 20  # still in its first step: nothing to tell
        self.assertFalse(visit.message_ids.filtered(lambda m: "changed" in (m.body or "")))
        force(visit, {"state": "on_site"})
        expense.with_user(self.desk_user).amount = 80
        posted = visit.message_ids.filtered(lambda m: "changed" in (m.body or ""))
        self.assertEqual(len(posted), 1)
        self.assertIn("Trip Expense Train changed: Amount: 20.0 → 80.0", posted.body)


class TestArchive(ComplaintCase):
    def test_finished_record_cannot_be_archived_out_of_the_figures(self):
        complaint = self._complaint()
        force(complaint, {"state": "closed", "date_closed": "2026-03-20 10:00:00"})
        for user in (self.quality_user, self.service_manager, self.general_manager):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "locked"):
                complaint.with_user(user).action_archive()
            self.assertTrue(complaint.active)
        self.assertIn(complaint, self.env["csc.complaint"].search([("state", "=", "closed")]))


class TestUniqueness(ComplaintCase):
    def test_one_complaint_per_ticket(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Noise",
                "description": "Noise",
                "partner_id": self.customer.id,
                "csc_kind": "complaint",
            }
        )
        first = ticket.action_csc_create_complaint()
        self.assertEqual(ticket.action_csc_create_complaint()["res_id"], first["res_id"])
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.cr.savepoint(),
        ):
            self._complaint(ticket_id=ticket.id)
        self.assertEqual(len(ticket.csc_complaint_ids), 1)

    def test_record_numbers_unique_per_company(self):
        complaint = self._complaint()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.cr.savepoint(),
        ):
            self._complaint(name=complaint.name)


class TestSeparationOfDuties(ComplaintCase):
    """Whoever approves, verifies or signs off did not do the work."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A service manager who also works as a technician, and a clerk who borrows parts.
        cls.working_manager = new_test_user(
            cls.env,
            login="csc_working_manager",
            groups=f"base.group_user,{MODULE}.group_csc_manager",
        )

    def _visit(self, state, **vals):
        visit = self.env["csc.service.visit"].create(
            {
                "partner_id": self.customer.id,
                "technician_ids": [(6, 0, self.working_manager.ids)],
                **vals,
            }
        )
        force(visit, {"state": state})
        return visit

    def test_technician_does_not_verify_his_own_visit(self):
        visit = self._visit("reported", verification_note="Customer satisfied")
        with self.assertRaisesRegex(AccessError, "may not do the work and approve it"):
            visit.with_user(self.working_manager).action_verify()
        self.assertEqual(visit.state, "reported")
        self.assertFalse(visit.verifier_id)
        visit.with_user(self.service_manager).action_verify()
        self.assertEqual((visit.state, visit.verifier_id), ("verified", self.service_manager))

    def test_technician_does_not_approve_his_own_leaving(self):
        visit = self._visit("on_site")
        with self.assertRaisesRegex(AccessError, "may not do the work"):
            visit.with_user(self.working_manager).action_approve_leave()
        self.assertFalse(visit.leave_approved_by)
        visit.with_user(self.desk_user).action_approve_leave()
        self.assertEqual(visit.leave_approved_by, self.desk_user)

    def test_owner_does_not_verify_her_own_action(self):
        complaint = self._complaint()
        action = self.env["csc.action"].create(
            {
                "name": "Fixture check",
                "complaint_id": complaint.id,
                "user_id": self.quality_user.id,
                "verifier_id": self.quality_user.id,
                "date_due": "2026-03-20",
                "effectiveness_note": "No repeat in 3 months",
            }
        )
        action.with_user(self.quality_user).action_done()
        with self.assertRaisesRegex(AccessError, "may not do the work"):
            action.with_user(self.quality_user).action_verify_effective()
        self.assertEqual(action.state, "done")
        action.with_user(self.service_manager).action_verify_effective()
        self.assertEqual(action.state, "verified")

    def test_manager_does_not_approve_his_own_visit_plan(self):
        plan = self.env["csc.visit.plan"].create(
            {
                "user_id": self.working_manager.id,
                "date_start": "2026-03-09",
                "line_ids": [(0, 0, {"partner_id": self.customer.id, "date": "2026-03-10"})],
            }
        )
        plan.with_user(self.working_manager).action_submit()
        with self.assertRaisesRegex(AccessError, "may not do the work"):
            plan.with_user(self.working_manager).action_approve()
        self.assertEqual((plan.state, plan.approver_id.id), ("submitted", False))
        plan.with_user(self.service_manager).action_approve()
        self.assertEqual(plan.state, "approved")

    def test_team_leader_does_not_approve_his_own_8d(self):
        complaint = self._complaint(severity="major", user_id=self.quality_user.id)
        report = self.env["csc.eightd"].create(
            {"complaint_id": complaint.id, "leader_id": self.working_manager.id}
        )
        force(report, {"signed_off": "7"})
        with self.assertRaisesRegex(AccessError, "may not do the work"):
            report.with_user(self.working_manager).action_sign_off("8")
        self.assertEqual((report.state, report.signed_off), ("open", "7"))
        report.with_user(self.service_manager).action_sign_off("8")
        self.assertEqual((report.state, report.approver_id), ("closed", self.service_manager))

    def test_borrower_does_not_zero_his_own_loan(self):
        loan = self.env["csc.part.loan"].create(
            {
                "technician_id": self.working_manager.id,
                "partner_id": self.customer.id,
                "line_ids": [(0, 0, {"product_id": self.product.id, "quantity": 1})],
            }
        )
        force(loan, {"state": "loaned"})
        force(loan.line_ids, {"qty_issued": 1, "qty_returned": 1})  # everything came back
        with self.assertRaisesRegex(AccessError, "may not do the work"):
            loan.with_user(self.working_manager).action_zero()
        self.assertEqual(loan.state, "loaned")
        with self.assertRaisesRegex(AccessError, "spare-parts clerk zeroes"):
            loan.with_user(self.technician).action_zero()
        loan.with_user(self.clerk).action_zero()
        self.assertEqual(loan.state, "zeroed")


class TestBadInput(ComplaintCase):
    """Each bad value gets a clear error (never a traceback) and writes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_product = cls.env["product.product"].create({"name": "Pump", "tracking": "lot"})
        cls.other_lot = cls.env["stock.lot"].create(
            {"name": "PUMP-1", "product_id": cls.other_product.id}
        )

    def _check_refused(self, model, vals, record=None, user=None):
        """`vals` written on `record` (or created) is refused, and nothing changed."""
        Model = self.env[model].with_user(user or self.quality_user)
        count = Model.sudo().search_count([])
        names = [name for name in vals if name in self.env[model]._fields]
        before = record and record.read(names)[0]
        error = None
        try:
            with mute_logger("odoo.sql_db"), self.cr.savepoint():
                if record:
                    record.with_user(user or self.quality_user).write(vals)
                else:
                    Model.create(vals)
                self.env.flush_all()  # SQL constraints are checked on flush
        except (UserError, psycopg2.IntegrityError) as refused:  # ValidationError is a UserError
            error = refused
        self.assertTrue(error, f"{vals} was accepted")
        if record:
            record.invalidate_recordset()
            self.assertEqual(record.read(names)[0], before, vals)
        self.assertEqual(Model.sudo().search_count([]), count, vals)

    def test_complaints(self):
        complaint = self._complaint(qty_delivered=5, qty_affected=2)
        for vals in (
            {"qty_affected": -1},
            {"qty_affected": 6},  # more than delivered
            {"lot_id": self.other_lot.id},  # a lot of another product
            {"date_received": "2099-01-01 00:00:00"},
            {"date_received": "1999-12-31 00:00:00"},
            {"date_received": "yesterday"},
            {"qty_delivered": "five"},
            {"qty_delivered": True},
            {"user_id": "the boss"},
            {"severity": "apocalyptic"},
            {"title": "x" * 5000},
            {"title": 42},
            {"no_such_field": 1},
        ):
            with self.subTest(vals=vals):
                self._check_refused("csc.complaint", vals, complaint)
        self._check_refused(
            "csc.complaint",
            {"title": "Bad", "partner_id": self.customer.id, "qty_affected": "-"},
        )

    def test_field_service(self):
        visit = self.env["csc.service.visit"].create({"partner_id": self.customer.id})
        for vals in (
            {"distance": -5},
            {"distance": 100000},
            {"running_hours": -1},
            {"mileage": -1},
            {"date_request": "2099-01-01 00:00:00"},
            {"visit_type": "holiday"},
            {"diagnosis": "x" * 60000},
        ):
            with self.subTest(vals=vals):
                self._check_refused("csc.service.visit", vals, visit, self.desk_user)
        for model, vals in (
            ("csc.service.expense", {"expense_type": "travel", "amount": -10}),
            ("csc.service.expense", {"expense_type": "travel", "amount": 1e12}),
            ("csc.service.visit.day", {"work": "Line support", "hours": 30}),
            ("csc.service.visit.line", {"name": "Seal", "quantity": -1}),
        ):
            with self.subTest(model=model, vals=vals):
                self._check_refused(model, {"visit_id": visit.id, **vals}, user=self.desk_user)

    def test_eightd_lines(self):
        complaint = self._complaint(severity="major")
        report = self.env["csc.eightd"].create({"complaint_id": complaint.id})
        for model, vals in (
            ("csc.eightd.cause", {"cause_type": "occurrence", "name": "X", "contribution": 150}),
            ("csc.eightd.cause", {"cause_type": "occurrence", "name": "X", "contribution": -5}),
            ("csc.eightd.containment", {"place": "stock", "qty_checked": 5, "qty_defective": 6}),
            ("csc.eightd.containment", {"place": "stock", "qty_to_check": -1}),
        ):
            with self.subTest(model=model, vals=vals):
                self._check_refused(model, {"eightd_id": report.id, **vals})
        self._check_refused("csc.eightd", {"date_implemented": "2026-03-01"}, report)

    def test_returns_loans_requirements_settings(self):
        complaint = self._complaint()
        for vals in (
            {"quantity": 0},
            {"quantity": 2, "sample_quantity": 3},
            {"quantity": 1, "rework_cost": -1},
            {"quantity": 1, "lot_id": self.other_lot.id},
        ):
            with self.subTest(vals=vals):
                self._check_refused(
                    "csc.complaint.return",
                    {"complaint_id": complaint.id, "product_id": self.product.id, **vals},
                )
        loan = self.env["csc.part.loan"].create({"technician_id": self.technician.id})
        for vals in ({"quantity": 0}, {"quantity": 1, "lot_id": self.other_lot.id}):
            with self.subTest(vals=vals):
                self._check_refused(
                    "csc.part.loan.line",
                    {"loan_id": loan.id, "product_id": self.product.id, **vals},
                    user=self.clerk,
                )
        for vals in ({"containment_hours": -1}, {"eightd_days": 99999}):
            with self.subTest(vals=vals):
                self._check_refused(
                    "csc.customer.requirement",
                    {"name": "Limits", "partner_id": self.customer.id, **vals},
                )
        for vals in (
            {"csc_misuse_part_discount": 150},
            {"csc_kpi_timeliness": 101},
            {"csc_trip_report_days": -3},
            {"csc_weight_pre_service": 60},  # weights no longer add up to 100
        ):
            with self.subTest(vals=vals):
                self._check_refused("res.company", vals, self.company, self.service_manager.sudo())


@tagged("post_install", "-at_install")
class TestXmlRpc(HttpCase):
    """An integrator's view: every public action of the addon over XML-RPC gives True, an action
    or a clear refusal (a warning or an access error), never a server traceback."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="csc_rpc_manager",
            password="csc_rpc_manager",
            groups=f"base.group_user,{MODULE}.group_csc_general_manager",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "RPC Motors", "is_company": True, "csc_customer_type": "oem"}
        )

    def _rpc(self, model, method, *args, user=None, **kwargs):
        user = user or self.manager
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs
        )

    def _refused(self, *call, user=None, code=2):
        with self.assertRaises(xmlrpc.client.Fault) as fault:
            self._rpc(*call, user=user)
        self.assertEqual(fault.exception.faultCode, code, fault.exception.faultString[-300:])
        return fault.exception.faultString

    def test_create_and_unlink_refused_over_xmlrpc(self):
        """What a button may not do, an integrator may not do either, as any non-admin user."""
        technician = new_test_user(
            self.env,
            login="csc_rpc_technician",
            password="csc_rpc_technician",
            groups=f"base.group_user,{MODULE}.group_csc_technician",
        )
        Complaint = self.env["csc.complaint"]
        count = Complaint.search_count([])
        message = self._refused(
            "csc.complaint",
            "create",
            [{"title": "Forged", "partner_id": self.customer.id, "state": "closed"}],
        )
        self.assertIn("cannot be created with", message)
        self.assertEqual(Complaint.search_count([]), count)
        complaint = Complaint.create(
            {"title": "RPC", "partner_id": self.customer.id, "user_id": self.manager.id}
        )
        self._rpc("csc.complaint", "action_start_investigation", [complaint.id])
        self.assertIn("cannot be deleted", self._refused("csc.complaint", "unlink", [complaint.id]))
        self.assertTrue(complaint.exists())
        visit = self.env["csc.service.visit"].create(
            {"partner_id": self.customer.id, "technician_ids": [(6, 0, technician.ids)]}
        )
        message = self._refused(
            "csc.service.visit",
            "write",
            [visit.id],
            {"technician_ids": [(6, 0, self.manager.ids)]},
            user=technician,
            code=4,
        )
        self.assertIn("service desk", message)
        self._refused("csc.service.visit", "action_cancel", [visit.id], user=technician, code=4)
        visit.invalidate_recordset()
        self.assertEqual((visit.technician_ids, visit.state), (technician, "draft"))

    def _fresh_records(self):
        env = self.env
        complaint = env["csc.complaint"].create(
            {"title": "RPC", "partner_id": self.customer.id, "user_id": self.manager.id}
        )
        return {
            "csc.complaint": complaint,
            "csc.eightd": env["csc.eightd"].create({"complaint_id": complaint.id}),
            "csc.action": env["csc.action"].create(
                {
                    "name": "RPC action",
                    "complaint_id": complaint.id,
                    "user_id": self.manager.id,
                    "date_due": "2026-12-31",
                }
            ),
            "csc.complaint.return": env["csc.complaint.return"].create(
                {
                    "complaint_id": complaint.id,
                    "product_id": env["product.product"].create({"name": "RPC part"}).id,
                }
            ),
            "csc.service.visit": env["csc.service.visit"].create(
                {"partner_id": self.customer.id, "diagnosis": "Leak", "solution": "Seal"}
            ),
            "csc.part.loan": env["csc.part.loan"].create({"technician_id": self.manager.id}),
            "csc.customer.requirement": env["csc.customer.requirement"].create(
                {"name": "RPC CSR", "partner_id": self.customer.id, "description": "<p>x</p>"}
            ),
            "csc.visit.plan": env["csc.visit.plan"].create({"user_id": self.manager.id}),
            "csc.satisfaction.campaign": env["csc.satisfaction.campaign"].create(
                {"name": "RPC", "date_start": "2026-01-01", "date_end": "2026-03-31"}
            ),
            "csc.escalation": env["csc.escalation"].create(
                {
                    "partner_id": self.customer.id,
                    "level_id": env.ref(f"{MODULE}.csc_escalation_level_cs2").id,
                    "complaint_ids": [(6, 0, complaint.ids)],
                }
            ),
        }

    def test_every_action_answers_over_xmlrpc(self):
        records = self._fresh_records()
        called, problems = 0, []
        for model, record in records.items():
            actions = sorted(
                name
                for name in dir(type(record))
                if name.startswith("action_")
                and getattr(type(record), name).__module__.startswith(ADDON)
            )
            for name in actions:
                called += 1
                try:
                    result = self._rpc(model, name, [record.id])
                except xmlrpc.client.Fault as fault:
                    # 2: a warning (UserError), 4: an access error; 1 is a server traceback.
                    if fault.faultCode not in (2, 4):
                        problems.append(f"{model}.{name}: {fault.faultString.splitlines()[-1]}")
                else:
                    if not (result is True or isinstance(result, dict)):
                        problems.append(f"{model}.{name} returned {result!r}")
        self.assertEqual(problems, [], "\n".join(problems))
        self.assertGreater(called, 50)

    def test_guarded_fields_refused_over_xmlrpc_whatever_the_context(self):
        complaint = self.env["csc.complaint"].create(
            {"title": "RPC", "partner_id": self.customer.id, "user_id": self.manager.id}
        )
        for context in ({}, {"install_mode": True}):
            with self.subTest(context=context):
                with self.assertRaises(xmlrpc.client.Fault) as fault:
                    self._rpc(
                        "csc.complaint",
                        "write",
                        [complaint.id],
                        {"state": "closed"},
                        context=context,
                    )
                self.assertEqual(fault.exception.faultCode, 2)
                self.assertIn("change only through its actions", fault.exception.faultString)
        with self.assertRaises(xmlrpc.client.Fault) as fault:
            self._rpc("csc.complaint", "write", [complaint.id], {"qty_affected": "many"})
        self.assertEqual(fault.exception.faultCode, 2)
        complaint.invalidate_recordset()
        self.assertEqual((complaint.state, complaint.qty_affected), ("draft", 0))
        self.assertEqual(
            self._rpc("csc.complaint", "action_start_investigation", [complaint.id]), True
        )
        self.assertEqual(
            self._rpc("csc.complaint", "read", [complaint.id], ["state"])[0]["state"],
            "investigation",
        )
