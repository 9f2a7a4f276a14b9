"""Attacks on the workflow guards (`csc.workflow.mixin`, `csc.record.mixin`).

Every role that may write a model tries to change directly what only the model's own actions
change, to create a record already past its first step, to edit, delete or extend a finished
record, and to reopen it without the right or without a reason. Each attack must be refused
and leave the record as it was. Controls show that each attack value is a real change (the
documented set-up bypass `force` applies it), so that every test fails once its guard is gone.
"""

from datetime import date
from datetime import datetime
from datetime import timedelta
from itertools import count
from typing import NamedTuple

from odoo import Command
from odoo.exceptions import AccessError
from odoo.exceptions import UserError

from .common import MODULE
from .common import CscCase
from .common import force

FRIDAY_10 = datetime(2026, 3, 6, 10, 0)
MONDAY = date(2026, 3, 2)
FAR = datetime(2030, 1, 7, 12, 0)
FAR_DAY = date(2030, 1, 7)
REASON = "The customer found more parts"

# What each guard answers (part of its message).
GUARDED = "change only through its actions"
NEW = "cannot be created with"
LOCKED = "finished and locked"
UNDELETABLE = "cannot be deleted|not allowed to delete"  # our guard, or the ACL first
NO_RIGHT = "reopens a finished"
NO_REASON = "Give the reason for reopening"
NEVER_REOPENED = "cannot be reopened"
# Roles above the daily users of every model, and the superuser environment (None) without
# `install_mode`: none of them passes a guard.
MANAGERS = ("service_manager", "general_manager", None)


def _id(name):
    """The id of the record `name` of the test class, looked up when the attack runs."""
    return lambda case, _parent=None: getattr(case, name).id


def _ids(name):
    return lambda case, _parent=None: [Command.set(getattr(case, name).ids)]


# Guarded fields whose attack value also breaks a constraint of the model: not forced.
NO_CONTROL = {("csc.visit.plan", "previous_id")}


class Guard(NamedTuple):
    roles: tuple  # the daily roles writing the model (the first creates its records)
    values: dict  # guarded field: a plausible value an attacker would write


GUARDS = {
    "csc.complaint": Guard(
        ("desk_user", "quality_user"),
        {
            "state": "closed",
            "date_closed": FAR,
            "date_solved": FAR,
            "escalated": True,
            "date_meeting_deadline": FAR,
            "reaction_sent_date": FAR,
            "closed_override": True,
            "date_deadline": FAR,
            "date_resolution_deadline": FAR,
            "date_containment_deadline": FAR,
            "date_serious_deadline": FAR,
            "date_contact_deadline": FAR,
            "date_contacted": FAR,
            "contact_method": "visit",
            "date_meeting_held": FAR,
            "meeting_user_ids": _ids("service_manager"),
            "meeting_department_ids": _ids("quality_dept"),
            "meeting_conclusion": "Our company is responsible.",
            "customer_accepts": "accepted",
            "customer_reaction": "Agreed.",
            "reaction_date": FAR,
            "reaction_partner_id": _id("customer"),
            "reaction_user_id": _id("desk_user"),
            "reaction_channel": "portal",
            "cancel_reason": "Not ours.",
        },
    ),
    "csc.eightd": Guard(
        ("quality_user",),
        {
            "state": "closed",
            "signed_off": "5",
            "approver_id": _id("service_manager"),
            "date_closed": FAR,
            "date_contained": FAR,
            "date_containment_deadline": FAR,
            "date_deadline": FAR,
        },
    ),
    "csc.action": Guard(
        ("desk_user", "technician", "quality_user"),
        {
            "state": "verified",
            "date_done": FAR_DAY,
            "date_verified": FAR_DAY,
            "ineffective_count": 3,
        },
    ),
    "csc.service.visit": Guard(
        ("desk_user", "technician"),
        {
            "state": "verified",
            "date_triaged": FAR,
            "date_triage_deadline": FAR,
            "date_dispatch_deadline": FAR,
            "date_departure_deadline": FAR,
            "arrival_hours": 1.0,
            "arrival_rule": "customer",
            "departure_hours": 1.0,
            "date_departure": FAR,
            "date_return": FAR,
            "date_scheduled": FAR,
            "quote_state": "confirmed",
            "date_cost_confirmed": FAR,
            "gm_approver_id": _id("general_manager"),
            "date_gm_approved": FAR,
            "sale_order_id": lambda case, _parent=None: case.env["sale.order"]
            .create({"partner_id": case.customer.id})
            .id,
            "date_brand_notified": FAR,
            "competitor_approver_id": _id("general_manager"),
            "date_competitor_approved": FAR,
            "date_arrival": FAR,
            "date_end": FAR,
            "leave_approved_by": _id("desk_user"),
            "date_report_due": FAR,
            "date_report": FAR,
            "date_verification_due": FAR,
            "verifier_id": _id("service_manager"),
            "date_verified": FAR,
        },
    ),
    "csc.part.loan": Guard(
        ("technician", "clerk", "quality_user"),
        {
            "state": "zeroed",
            "date_loan": FAR,
            "location_id": _id("stock_location"),
            "picking_ids": _ids("picking"),
        },
    ),
    "csc.part.loan.line": Guard(
        ("technician", "clerk", "desk_user"),
        {
            "qty_issued": 2.0,
            "qty_returned": 2.0,
            "qty_consumed": 2.0,
            "qty_damaged": 2.0,
            "qty_faulty": 2.0,
            "qty_inspected": 2.0,
        },
    ),
    "csc.customer.requirement": Guard(
        ("desk_user", "quality_user"),
        {
            "state": "released",
            "date_released": FAR_DAY,
            "date_obsolete": FAR_DAY,
            "previous_id": _id("old_requirement"),
        },
    ),
    "csc.visit.plan": Guard(
        ("desk_user",),
        {
            "state": "approved",
            "approver_id": _id("service_manager"),
            "date_approved": FAR,
            "previous_id": _id("old_plan"),
            "revision": 1,
        },
    ),
    "csc.visit.plan.line": Guard(
        ("desk_user",), {"calendar_event_id": _id("event"), "visit_id": _id("visit")}
    ),
    "csc.satisfaction.campaign": Guard(("quality_user",), {"state": "closed"}),
    "csc.escalation": Guard(
        ("quality_user",),
        {
            "state": "exited",
            "entry_user_id": _id("quality_user"),
            "date_exit": FAR_DAY,
            "exit_user_id": _id("quality_user"),
            "cb_required": True,
            "cb_deadline": FAR_DAY,
            "cb_date_informed": FAR_DAY,
            "cb_informed_by_id": _id("quality_user"),
            "cancel_reason": "Duplicate",
        },
    ),
    "csc.escalation.criterion": Guard(
        ("quality_user",), {"date_met": FAR_DAY, "met_by_id": _id("quality_user")}
    ),
    "csc.complaint.return": Guard(
        ("desk_user", "clerk", "quality_user"),
        {
            "state": "disposed",
            "receipt_id": _id("picking"),
            "date_disposed": FAR,
            "picking_ids": _ids("picking"),
            "scrap_ids": _ids("scrap"),
            "defect_confirmed_by_id": _id("quality_user"),
            "date_defect_confirmed": FAR,
            "approved_by_id": _id("general_manager"),
            "date_approved": FAR,
            "analysis_stage": "load_test",
            "date_standard_test": FAR,
            "date_load_test": FAR,
            "analysed_by_id": _id("quality_user"),
            "date_analysed": FAR,
        },
    ),
}


class Lock(NamedTuple):
    model: str
    state: str
    path: object  # forced values (set-up shortcut), or the name of a method taking the real path
    reopened: object  # the state after reopening; None: never reopened from this state


LOCKS = (
    Lock("csc.complaint", "closed", {"state": "closed", "date_closed": FAR}, "investigation"),
    Lock("csc.complaint", "cancelled", "_cancel", "draft"),
    Lock(
        "csc.eightd",
        "closed",
        {
            "state": "closed",
            "signed_off": "8",
            "approver_id": _id("service_manager"),
            "date_closed": FAR,
        },
        "open",
    ),
    Lock("csc.eightd", "cancelled", "_cancel", None),
    Lock("csc.action", "verified", "_verify_action", "done"),
    Lock("csc.service.visit", "verified", {"state": "verified", "date_verified": FAR}, "reported"),
    Lock("csc.service.visit", "cancelled", "_cancel", None),
    Lock("csc.service.visit", "phone", "_solve_by_phone", None),
    Lock("csc.part.loan", "zeroed", {"state": "zeroed", "date_loan": FAR}, "loaned"),
    Lock("csc.part.loan", "cancelled", "_cancel", None),
    Lock("csc.customer.requirement", "released", "_release_requirement", None),
    Lock("csc.customer.requirement", "obsolete", "_obsolete_requirement", None),
    Lock("csc.visit.plan", "approved", "_approve_plan", "draft"),
    Lock("csc.visit.plan", "cancelled", "_cancel", None),
    Lock("csc.satisfaction.campaign", "closed", {"state": "closed"}, "running"),
    Lock("csc.satisfaction.campaign", "cancel", "_cancel", None),
    Lock("csc.complaint.return", "disposed", {"state": "disposed", "date_disposed": FAR}, None),
    Lock("csc.escalation", "exited", "_exit_escalation", "active"),
    Lock("csc.escalation", "cancelled", "_cancel", None),
)

# A field of the record's content (not guarded, not free), and a new value for it.
BUSINESS = {
    "csc.complaint": ("title", "Edited afterwards"),
    "csc.eightd": ("recognition", "Edited afterwards"),
    "csc.action": ("description", "Edited afterwards"),
    "csc.service.visit": ("findings", "Edited afterwards"),
    "csc.part.loan": ("partner_id", _id("contact")),
    "csc.customer.requirement": ("containment_hours", 6.0),
    "csc.visit.plan": ("review_note", "Edited afterwards"),
    "csc.satisfaction.campaign": ("name", "Edited afterwards"),
    "csc.complaint.return": ("inspection_result", "Edited afterwards"),
    "csc.escalation": ("reason", "Edited afterwards"),
}
# Fields a finished record may still complete.
FREE = {
    "csc.customer.requirement": {"training_note": "Train the desk on the new rule."},
    "csc.complaint.return": {"rework_cost": 25.0},
    "csc.escalation": {"cb_note": "Told by e-mail, reference 42."},
}


class Child(NamedTuple):
    model: str
    parent_field: str
    vals: dict  # a valid line, besides its parent
    change: dict  # an edit of an existing line
    role: object  # who works on such lines (None: only the system, as the superuser)


ACTION = {
    "name": "Poka-yoke on the press",
    "user_id": _id("quality_user"),
    "verifier_id": _id("service_manager"),
    "date_due": "2026-03-20",
}
CHILDREN = {
    "csc.complaint": (
        Child("csc.action", "complaint_id", ACTION, {"description": "Changed"}, "quality_user"),
        Child(
            "csc.complaint.return",
            "complaint_id",
            {"product_id": _id("product"), "quantity": 1.0},
            {"inspection_result": "Changed"},
            "desk_user",
        ),
        Child("csc.eightd", "complaint_id", {}, {"recognition": "Changed"}, "quality_user"),
    ),
    "csc.eightd": (
        Child(
            "csc.eightd.team",
            "eightd_id",
            {"user_id": _id("quality_user"), "role": "Leader"},
            {"role": "Member"},
            "quality_user",
        ),
        Child(
            "csc.eightd.containment",
            "eightd_id",
            {"place": "customer", "qty_checked": 10.0, "qty_defective": 1.0},
            {"marking": "Green dot"},
            "quality_user",
        ),
        Child(
            "csc.eightd.cause",
            "eightd_id",
            {"cause_type": "occurrence", "name": "Worn die", "contribution": 60.0},
            {"verification": "Switched on and off"},
            "quality_user",
        ),
        Child(
            "csc.eightd.document",
            "eightd_id",
            {"document_type": "pfmea", "name": "PFMEA steering gear", "revision": "B"},
            {"revision": "C"},
            "quality_user",
        ),
        Child("csc.action", "eightd_id", ACTION, {"description": "Changed"}, "quality_user"),
    ),
    "csc.service.visit": (
        Child(
            "csc.service.visit.line",
            "visit_id",
            {"line_type": "labour", "name": "Labour", "price_unit": 50.0},
            {"quantity": 3.0},
            "technician",
        ),
        Child(
            "csc.service.expense",
            "visit_id",
            {"expense_type": "travel", "name": "Train ticket", "amount": 120.0},
            {"amount": 80.0},
            "technician",
        ),
        Child(
            "csc.service.visit.day",
            "visit_id",
            {"date": "2026-03-02", "work": "Sorted 400 columns", "hours": 8.0},
            {"hours": 6.0},
            "technician",
        ),
    ),
    "csc.part.loan": (
        Child(
            "csc.part.loan.line",
            "loan_id",
            {"product_id": _id("washer"), "quantity": 2.0},
            {"qty_returned_todo": 1.0},
            "technician",
        ),
    ),
    "csc.visit.plan": (
        Child(
            "csc.visit.plan.line",
            "plan_id",
            {"partner_id": _id("customer"), "date": lambda _case, plan: plan.date_start},
            {"purpose": "Audit of the press line"},
            "desk_user",
        ),
    ),
    "csc.satisfaction.campaign": (
        Child(
            "csc.satisfaction.result",
            "campaign_id",
            {
                "user_input_id": lambda case, _parent: case._user_input().id,
                "partner_id": _id("customer"),
                "company_id": _id("company"),
                "date": "2026-01-15",
            },
            {"total_score": 50.0},
            None,
        ),
    ),
    # (firewall inspections are recorded only while the status is active: not in its first state)
    "csc.escalation": (
        Child(
            "csc.escalation.criterion",
            "escalation_id",
            {"name": "20 days without a reject"},
            {"evidence": "Changed"},
            "quality_user",
        ),
    ),
}

# Who may delete a record of the model in its first state (None: nobody but the superuser),
# and the real step that takes it further.
DELETES = {
    "csc.complaint": ("service_manager", "_start_investigation"),
    "csc.eightd": (None, "_cancel"),
    "csc.action": ("service_manager", "_report_done"),
    "csc.service.visit": ("service_manager", "_triage"),
    "csc.part.loan": ("service_manager", "_issue_loan"),
    "csc.customer.requirement": ("service_manager", "_submit_requirement"),
    "csc.visit.plan": ("service_manager", "_submit_plan"),
    "csc.satisfaction.campaign": (None, "_start_campaign"),
    "csc.complaint.return": (None, "_receive_return"),
    "csc.escalation": ("service_manager", "_enter_escalation"),
}


class TestWorkflowGuards(CscCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.product = Product.create({"name": "Steering Gear", "is_storable": True})
        cls.washer = Product.create({"name": "Washer", "is_storable": True, "csc_low_value": True})
        cls.stock_location = cls.env.ref("stock.stock_location_stock")
        cls.env["stock.quant"]._update_available_quantity(cls.washer, cls.stock_location, 100)
        cls.contact = cls.env["res.partner"].create({"name": "Li Na", "parent_id": cls.customer.id})
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "location_id": cls.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": cls.stock_location.id,
            }
        )
        cls.scrap = cls.env["stock.scrap"].create({"product_id": cls.product.id, "scrap_qty": 1})
        cls.event = cls.env["calendar.event"].create(
            {"name": "Customer visit", "start": FAR, "stop": FAR + timedelta(hours=2)}
        )
        cls.visit = cls.env["csc.service.visit"].create({"partner_id": cls.customer.id})
        cls.old_requirement = cls.env["csc.customer.requirement"].create(
            {"name": "Earlier rule", "partner_id": cls.customer.id}
        )
        cls.old_plan = cls.env["csc.visit.plan"].create(
            {"user_id": cls.desk_user.id, "date_start": MONDAY - timedelta(weeks=4)}
        )
        cls.quality_dept = cls.env.ref(f"{MODULE}.csc_department_quality")
        cls.survey = cls.env.ref(f"{MODULE}.csc_satisfaction_survey")

    def setUp(self):
        super().setUp()
        self.weeks = count()  # a salesperson has one visit plan per week

    # -- records in their first state -----------------------------------------------------------

    def _vals(self, model):
        """Valid values of a new record in its first state (with a new parent for a line)."""
        return getattr(self, "_vals_" + model.replace(".", "_"))()

    def _make(self, model):
        return self.env[model].create(self._vals(model))

    def _vals_csc_complaint(self):
        return {
            "title": "Noise at low speed",
            "partner_id": self.customer.id,
            "product_id": self.product.id,
            "date_received": FRIDAY_10,
        }

    def _vals_csc_eightd(self):
        return {"complaint_id": self._make("csc.complaint").id}

    def _vals_csc_action(self):
        return self._resolve(ACTION)

    def _vals_csc_service_visit(self):
        return {
            "partner_id": self.customer.id,
            "date_request": FRIDAY_10,
            "technician_ids": [Command.set(self.technician.ids)],
        }

    def _vals_csc_part_loan(self):
        return {"technician_id": self.technician.id, "partner_id": self.customer.id}

    def _vals_csc_part_loan_line(self):
        loan = self._make("csc.part.loan")
        return {"loan_id": loan.id, "product_id": self.washer.id, "quantity": 3.0}

    def _vals_csc_customer_requirement(self):
        return {
            "name": "Containment within 12 hours",
            "partner_id": self.customer.id,
            "topic": "problem_solving",
            "description": "<p>Sort all stock within 12 hours.</p>",
        }

    def _vals_csc_visit_plan(self):
        return {
            "user_id": self.desk_user.id,
            "date_start": MONDAY + timedelta(weeks=next(self.weeks)),
        }

    def _vals_csc_visit_plan_line(self):
        plan = self._make("csc.visit.plan")
        return {"plan_id": plan.id, "partner_id": self.customer.id, "date": plan.date_start}

    def _vals_csc_satisfaction_campaign(self):
        return {
            "name": "Q1 survey",
            "date_start": date(2026, 1, 1),
            "date_end": date(2026, 3, 31),
            "partner_ids": [Command.set(self.customer.ids)],
        }

    def _vals_csc_complaint_return(self):
        complaint = self._make("csc.complaint")
        return {"complaint_id": complaint.id, "product_id": self.product.id, "quantity": 1.0}

    def _vals_csc_escalation(self):
        # A level of its own: one active status per customer and level.
        level = self.env["csc.escalation.level"].create({"name": "Hold", "kind": "cs2"})
        return {
            "partner_id": self.customer.id,
            "level_id": level.id,
            "reason": "Two escapes in a month",
            "user_id": self.service_manager.id,
        }

    def _vals_csc_escalation_criterion(self):
        return {"escalation_id": self._make("csc.escalation").id, "name": "8D accepted"}

    def _user_input(self):
        return self.survey.sudo()._create_answer(partner=self.customer, check_attempts=False)

    def _lines(self, record):
        """One line of each kind on `record` (in its first state)."""
        return {
            child.model: self.env[child.model].create(self._line_vals(record, child))
            for child in CHILDREN.get(record._name, ())
        }

    def _line_vals(self, parent, child):
        return {child.parent_field: parent.id, **self._resolve(child.vals, parent)}

    # -- real paths -----------------------------------------------------------------------------

    def _cancel(self, record):
        if record._name in ("csc.eightd", "csc.complaint", "csc.escalation"):
            # the quality manager's decision, with a reason
            record.with_user(self.service_manager)._csc_cancel("Duplicate report")
            return
        record.with_user(getattr(self, GUARDS[record._name].roles[0])).action_cancel()

    def _report_done(self, action):
        action.with_user(self.quality_user).action_done()

    def _verify_action(self, action):
        self._report_done(action)
        action.effectiveness_note = "No noise on 500 units."
        action.with_user(self.service_manager).action_verify_effective()

    def _start_investigation(self, complaint):
        complaint.user_id = self.quality_user
        complaint.with_user(self.quality_user).action_start_investigation()

    def _solve_by_phone(self, visit):
        visit.write({"diagnosis": "Valve set too low", "solution": "Reset by phone"})
        visit.with_user(self.desk_user).action_solved_by_phone()

    def _triage(self, visit):
        visit = visit.with_user(self.desk_user)
        visit.write({"diagnosis": "Loose bolt", "solution": "Re-torque"})
        visit.action_triage()

    def _issue_loan(self, loan):
        if not loan.line_ids:
            self._lines(loan)
        loan.with_user(self.technician).action_confirm()  # low-value parts: no clerk needed

    def _submit_requirement(self, requirement):
        requirement.with_user(self.desk_user).action_submit_review()

    def _release_requirement(self, requirement):
        self._submit_requirement(requirement)
        requirement = requirement.with_user(self.quality_user)
        requirement.write(
            {
                "reviewer_id": self.quality_user.id,
                "review_date": "2026-05-04",
                "review_conclusion": "Feasible with the current organisation.",
                "department_ids": [Command.set(self.quality_dept.ids)],
            }
        )
        requirement.action_release()

    def _obsolete_requirement(self, requirement):
        self._release_requirement(requirement)
        requirement.with_user(self.quality_user).action_obsolete()

    def _submit_plan(self, plan):
        if not plan.line_ids:
            self._lines(plan)
        plan.with_user(self.desk_user).action_submit()

    def _approve_plan(self, plan):
        self._submit_plan(plan)
        plan.with_user(self.service_manager).action_approve()

    def _start_campaign(self, campaign):
        campaign.with_user(self.quality_user).action_start()

    def _enter_escalation(self, escalation):
        escalation.with_user(self.quality_user).action_enter()

    def _exit_escalation(self, escalation):
        self._enter_escalation(escalation)
        escalation.criterion_ids.with_user(self.quality_user).write({"is_met": True})
        escalation.with_user(self.quality_user).action_exit()

    def _receive_return(self, line):
        line.action_create_receipt()

    def _locked(self, lock):
        """A record of `lock.model` with a line of each kind, then finished in `lock.state`."""
        record = self._make(lock.model)
        lines = self._lines(record)
        if isinstance(lock.path, dict):
            force(record, self._resolve(lock.path))
        else:
            getattr(self, lock.path)(record)
        self.assertEqual(self._read(record, "state"), lock.state)
        return record, lines

    # -- attacks --------------------------------------------------------------------------------

    def _resolve(self, vals, parent=None):
        return {
            name: value(self, parent) if callable(value) else value for name, value in vals.items()
        }

    def _as(self, records, role):
        """`records` as the user of `role`, or in the superuser environment (None)."""
        return records.with_user(getattr(self, role)) if role else records.with_env(self.env)

    def _read(self, record, name):
        """The stored value, read anew."""
        record.invalidate_recordset()
        return record.with_env(self.env)[name]

    def _written(self, record, names):
        """The stored values of `names`, as `write()` takes them."""
        record = record.with_env(self.env)
        record.invalidate_recordset()
        return {name: record._fields[name].convert_to_write(record[name], record) for name in names}

    def _refused(self, pattern, call, *args, error=UserError):
        """`call(*args)` raises `error` with `pattern` in its message; what it did is undone."""
        with self.assertRaisesRegex(error, pattern), self.env.cr.savepoint():
            call(*args)
        self.env.invalidate_all()

    def _check_write_refused(self, record, vals, pattern, roles):
        before = {name: self._read(record, name) for name in vals}
        for role in roles:
            with self.subTest(role=role or "superuser"):
                self._refused(pattern, self._as(record, role).write, vals)
                self.assertEqual({name: self._read(record, name) for name in vals}, before)
        return before

    def _check_lines_frozen(self, parent, child, line, pattern, change=None):
        """No line of `parent` can be added, edited or removed, by its role or the system."""
        Line = self.env[child.model]
        domain = [(child.parent_field, "=", parent.id)]
        lines = Line.search(domain)
        vals = self._line_vals(parent, child)
        change = change or child.change
        for role in dict.fromkeys((child.role, None)):
            with self.subTest(line=child.model, role=role or "superuser"):
                self._refused(pattern, self._as(Line, role).create, dict(vals))
                self.assertEqual(Line.search(domain), lines)
                self._check_write_refused(line, change, pattern, [role])
                # (a role without the right to delete such lines is refused by the ACL first)
                self._refused(f"{pattern}|not allowed to delete", self._as(line, role).unlink)
                self.assertTrue(line.exists())

    def _check_line_editable(self, child, line, change=None):
        change = change or child.change
        self._as(line, child.role).write(change)
        self.assertEqual(self._written(line, change), change)

    # -- 1. guarded fields ----------------------------------------------------------------------

    def test_guard_tables_match_the_models(self):
        """A guard removed from a model (or added without a test) fails here."""
        for model, guard in GUARDS.items():
            with self.subTest(model=model):
                self.assertEqual(set(self.env[model]._csc_guarded_fields), set(guard.values))
        for model in BUSINESS:
            with self.subTest(model=model):
                locked = {lock.state for lock in LOCKS if lock.model == model}
                self.assertEqual(set(self.env[model]._csc_locked_states), locked)
        for model, children in CHILDREN.items():
            for child in children:
                with self.subTest(line=child.model, parent=model):
                    self.assertIn(child.parent_field, self.env[child.model]._csc_parent_fields)

    def test_guarded_fields_refused_to_every_role(self):
        for model, guard in GUARDS.items():
            for name, value in guard.values.items():
                with self.subTest(model=model, field=name):
                    record = self._make(model)
                    vals = self._resolve({name: value})
                    before = self._check_write_refused(
                        record, vals, GUARDED, guard.roles + MANAGERS
                    )
                    # A context that looks like the data loader or a transition opens nothing.
                    forged = self._as(record, guard.roles[0]).with_context(
                        install_mode=True, csc_transition_depth=1
                    )
                    self._refused(GUARDED, forged.write, vals)
                    self.assertEqual(self._read(record, name), before[name])
                    # Control: the value is a real change, which the set-up bypass applies
                    # (a revision link to another week is also refused by its constraint).
                    if (model, name) not in NO_CONTROL:
                        force(record, vals)
                        self.assertNotEqual(self._read(record, name), before[name])

    # -- 2. creation past the first step --------------------------------------------------------

    def test_new_records_start_in_their_first_state(self):
        for model, guard in GUARDS.items():
            Model = self.env[model]
            vals = self._vals(model)
            existing = Model.search([])
            for name, value in guard.values.items():
                for role in (guard.roles[0], None):
                    with self.subTest(model=model, field=name, role=role or "superuser"):
                        attack = {**vals, **self._resolve({name: value})}
                        self._refused(NEW, self._as(Model, role).create, attack)
                        self.assertEqual(Model.search([]), existing)
            # Control: without the guarded field, the same values make a record.
            with self.subTest(model=model, control=True):
                self._as(Model, guard.roles[0]).create(dict(vals))
                self.assertEqual(len(Model.search([]) - existing), 1)

    # -- 3. finished records --------------------------------------------------------------------

    def test_finished_records_are_read_only(self):
        for lock in LOCKS:
            with self.subTest(model=lock.model, state=lock.state):
                record, lines = self._locked(lock)
                name, value = BUSINESS[lock.model]
                vals = self._resolve({name: value})
                roles = GUARDS[lock.model].roles
                before = self._check_write_refused(record, vals, LOCKED, roles + MANAGERS)
                for role in ("service_manager", None):
                    self._refused(UNDELETABLE, self._as(record, role).unlink)
                    self.assertTrue(record.exists())
                for child in CHILDREN.get(lock.model, ()):
                    self._check_lines_frozen(record, child, lines[child.model], LOCKED)
                # The chatter and the fields meant to be completed later stay open.
                free = FREE.get(lock.model)
                if free:
                    self._as(record, roles[0]).write(free)
                    self.assertEqual(self._written(record, free), free)
                self._as(record, roles[0]).message_post(body="Noted after the end.")
                self.assertEqual(self._read(record, "state"), lock.state)
                # Control: the refused edit is a real change.
                force(record, vals)
                self.assertNotEqual(self._read(record, name), before[name])

    def test_reopening_needs_the_role_and_a_reason(self):
        for lock in LOCKS:
            with self.subTest(model=lock.model, state=lock.state):
                record, _lines = self._locked(lock)
                for role in GUARDS[lock.model].roles:
                    with self.subTest(role=role):
                        user_record = self._as(record, role)
                        self._refused(NO_RIGHT, user_record.action_reopen, error=AccessError)
                        self._refused(NO_RIGHT, user_record._csc_reopen, REASON, error=AccessError)
                        self.assertEqual(self._read(record, "state"), lock.state)
                if lock.reopened:
                    self._check_reopen(record, lock)
                else:
                    manager_record = self._as(record, "service_manager")
                    self._refused(NEVER_REOPENED, manager_record._csc_reopen, REASON)
                    self.assertEqual(self._read(record, "state"), lock.state)
                    self.assertNotIn(REASON, "".join(map(str, record.message_ids.mapped("body"))))

    def _check_reopen(self, record, lock):
        manager_record = self._as(record, "service_manager")
        action = manager_record.action_reopen()
        self.assertEqual(action["res_model"], "csc.reopen.wizard")
        for reason in ("", "  ", False):
            self._refused(NO_REASON, manager_record._csc_reopen, reason)
            self.assertEqual(self._read(record, "state"), lock.state)
        wizard = (
            self.env["csc.reopen.wizard"]
            .with_user(self.service_manager)
            .with_context(**action["context"])
            .create({"reason": REASON})
        )
        wizard.action_confirm()
        self.assertEqual(self._read(record, "state"), lock.reopened)
        self.assertIn(REASON, str(record.message_ids[0].body))
        # Reopened, the record can be edited again by its daily role.
        name, value = BUSINESS[lock.model]
        vals = self._resolve({name: value})
        self._as(record, GUARDS[lock.model].roles[0]).write(vals)
        self.assertEqual(self._written(record, vals), vals)

    # -- 4. deletion ----------------------------------------------------------------------------

    def test_only_a_record_in_its_first_state_is_deleted(self):
        for model, (role, start) in DELETES.items():
            with self.subTest(model=model):
                draft = self._make(model)
                self._as(draft, role).unlink()
                self.assertFalse(draft.exists())
                record = self._make(model)
                getattr(self, start)(record)
                self.assertNotEqual(self._read(record, "state"), record._csc_initial_state())
                for attacker in dict.fromkeys((role, None)):
                    with self.subTest(role=attacker or "superuser"):
                        self._refused(UNDELETABLE, self._as(record, attacker).unlink)
                        self.assertTrue(record.exists())

    # -- lines frozen by the step of their record -----------------------------------------------

    def test_visit_lines_frozen_by_step(self):
        visit = self._make("csc.service.visit")
        lines = self._lines(visit)
        children = CHILDREN["csc.service.visit"]
        cost, expense, day = (child.model for child in children)
        steps = (
            ({"state": "triaged", "quote_state": "sent"}, {cost}),
            ({"state": "done", "quote_state": "confirmed"}, {cost, day}),
            ({"state": "reported"}, {cost, day, expense}),
        )
        for vals, frozen in steps:
            force(visit, vals)
            for child in children:
                with self.subTest(step=vals["state"], line=child.model):
                    line = lines[child.model]
                    if child.model in frozen:
                        self._check_lines_frozen(visit, child, line, "no longer change at this")
                    else:
                        self._check_line_editable(child, line)

    def test_issued_loan_lines_take_only_the_settlement(self):
        loan = self._make("csc.part.loan")
        (child,) = CHILDREN["csc.part.loan"]
        line = self._lines(loan)[child.model]
        self._issue_loan(loan)
        self.assertEqual(loan.state, "loaned")
        for change in ({"quantity": 5.0}, {"product_id": self.product.id}):
            self._check_lines_frozen(loan, child, line, "is issued", change=change)
        self._check_line_editable(
            child, line, change={"qty_returned_todo": 1.0, "inspection_result": "scrap"}
        )

    def test_signed_off_disciplines_are_read_only(self):
        report = self._make("csc.eightd")
        lines = self._lines(report)
        force(report, {"signed_off": "3"})  # D0 .. D3 signed off
        children = {child.model: child for child in CHILDREN["csc.eightd"]}
        for model in ("csc.eightd.team", "csc.eightd.containment"):
            self._check_lines_frozen(report, children[model], lines[model], "is signed off")
        for model in ("csc.eightd.cause", "csc.eightd.document"):
            self._check_line_editable(children[model], lines[model])
        signed = {
            "emergency_response": "Stop shipments.",
            "leader_id": self.service_manager.id,
            "problem_what": "Noise at high speed",
            "team_line_ids": [Command.clear()],
        }
        for name, value in signed.items():
            with self.subTest(field=name):
                self._check_write_refused(
                    report, {name: value}, "is signed off", ("quality_user", *MANAGERS)
                )
        report.with_user(self.quality_user).write({"rollout": "Plant 2", "validation": "0 ppm"})
        self.assertEqual(self._read(report, "rollout"), "Plant 2")
