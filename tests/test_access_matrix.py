"""Who may do what (R-J): the access matrix of every model of the addon, the menus of every role
and the forms every role prints.

Roles (tests/common.py): desk = Customer Service User (sales and service desk), quality = Quality
Engineer, technician = Service Technician, clerk = Spare-Parts Clerk, manager = Service Manager,
gm = General Manager, outsider = an internal user of another department (no role of the addon).

EXPECTED gives, per model and role, the operations allowed ("r" read, "w" write, "c" create,
"u" unlink: the ACL), followed by ":own" where record rules keep the role to its own records
(OWN says what "own" means for each model). Every answer is checked with Odoo's own mechanisms:
`check_access()` on the model (ACL) and on real records (ACL and record rules), made for two users
of the role ("A" and "B") and in a second company. The records are read with the companies the web
client would send: the main company only, then both companies.

A model of the addon missing from these tables fails the test: whoever adds a model decides here
who may do what with it.
"""

from datetime import date
from datetime import datetime
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import new_test_user
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval
from odoo.tools.safe_eval import time as safe_time

from .common import MODULE
from .common import CscCase
from .common import force_create

ROLES = ("desk", "quality", "technician", "clerk", "manager", "gm", "outsider")
ROLE_GROUPS = {
    "desk": f"{MODULE}.group_csc_user",
    "quality": f"{MODULE}.group_csc_quality",
    "technician": f"{MODULE}.group_csc_technician",
    "clerk": f"{MODULE}.group_csc_stock_clerk",
    "manager": f"{MODULE}.group_csc_manager",
    "gm": f"{MODULE}.group_csc_general_manager",
    "outsider": None,
}
# The users CscCase creates for each role: user "A" of the role; user "B" is made here.
ROLE_USERS = {
    "desk": "desk_user",
    "quality": "quality_user",
    "technician": "technician",
    "clerk": "clerk",
    "manager": "service_manager",
    "gm": "general_manager",
    "outsider": "outsider",
}
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}

# fmt: off
# Stored models of the addon.
EXPECTED = {
    # model                      desk        quality     technician  clerk   manager gm     outsider
    "csc.action":                ("rwc",      "rwc",      "rw:own",   "r",    "rwcu", "rwcu", ""),
    "csc.complaint":             ("rwc",      "rwc",      "r",        "r",    "rwcu", "rwcu", ""),
    "csc.complaint.return":      ("rwc",      "rwc",      "",         "rw",   "rwc",  "rwc",  ""),
    "csc.customer.requirement":  ("rwc",      "rwc",      "r",        "r",    "rwcu", "rwcu", ""),
    "csc.department":            ("r",        "r",        "r",        "r",    "rwcu", "rwcu", ""),
    "csc.dispatch.policy":       ("r",        "r",        "r",        "r",    "rwcu", "rwcu", ""),
    "csc.eightd":                ("r",        "rwc",      "",         "",     "rwc",  "rwc",  ""),
    "csc.escalation":            ("r",        "rwc",      "r",        "r",    "rwcu", "rwcu", ""),
    "csc.escalation.criterion":  ("r",        "rwcu",     "r",        "r",    "rwcu", "rwcu", ""),
    "csc.escalation.inspection": ("r",        "rwcu",     "r",        "r",    "rwcu", "rwcu", ""),
    "csc.escalation.level":      ("r",        "r",        "r",        "r",    "rwcu", "rwcu", ""),
    "csc.eightd.cause":          ("r",        "rwcu",     "",         "",     "rwcu", "rwcu", ""),
    "csc.eightd.containment":    ("r",        "rwcu",     "",         "",     "rwcu", "rwcu", ""),
    "csc.eightd.document":       ("r",        "rwcu",     "",         "",     "rwcu", "rwcu", ""),
    "csc.eightd.team":           ("r",        "rwcu",     "",         "",     "rwcu", "rwcu", ""),
    "csc.eightd.signoff":        ("r",        "r",        "",         "",     "r",    "r",    ""),
    "csc.eightd.why":            ("r",        "rwcu",     "",         "",     "rwcu", "rwcu", ""),
    "csc.eightd.ishikawa":       ("r",        "rwcu",     "",         "",     "rwcu", "rwcu", ""),
    # Written only by the customer's review on the portal.
    "csc.eightd.review":         ("r",        "r",        "",         "",     "r",    "r",    ""),
    "csc.eightd.extra.field":    ("r",        "r",        "r",        "r",    "rwcu", "rwcu", ""),
    "csc.eightd.extra.value":    ("r",        "rwcu",     "",         "",     "rwcu", "rwcu", ""),
    "csc.lesson":                ("r",        "rwc",      "",         "",     "rwcu", "rwcu", ""),
    "csc.lot.component":         ("rwcu",     "rwcu",     "r",        "rwcu", "rwcu", "rwcu", ""),
    "csc.monthly.report":        ("r",        "r",        "",         "",     "rwcu", "rwcu", ""),
    "csc.part.loan":             ("r",        "rw",       "rwc:own",  "rwc",  "rwcu", "rwcu", ""),
    "csc.part.loan.line":        ("rw",       "rw",       "rwcu:own", "rwcu", "rwcu", "rwcu", ""),
    "csc.rework.plan":           ("rwc",      "rwc",      "",         "",     "rwcu", "rwcu", ""),
    "csc.satisfaction.campaign": ("r",        "rwc",      "r",        "r",    "rwc",  "rwc",  ""),
    "csc.satisfaction.result":   ("r",        "r",        "r:own",    "r",    "r",    "r",    ""),
    "csc.service.expense":       ("rwcu",     "rwcu",     "rwcu:own", "",     "rwcu", "rwcu", ""),
    "csc.service.visit":         ("rwc",      "rwc",      "rw:own",   "r",    "rwcu", "rwcu", ""),
    "csc.service.visit.day":     ("rwcu",     "rwcu",     "rwcu:own", "",     "rwcu", "rwcu", ""),
    "csc.service.visit.line":    ("rwcu",     "rwcu",     "rwcu:own", "",     "rwcu", "rwcu", ""),
    # Quality opens and follows the claims on suppliers; the warehouse reads them to ship back.
    "csc.supplier.claim":        ("r",        "rwc",      "",         "r",    "rwcu", "rwcu", ""),
    "csc.supplier.claim.line":   ("r",        "rwcu",     "",         "r",    "rwcu", "rwcu", ""),
    "csc.supplier.claim.cost":   ("r",        "rwcu",     "",         "r",    "rwcu", "rwcu", ""),
    "csc.visit.plan":            ("rwc:own",  "rwc:own",  "",         "",     "rwcu", "rwcu", ""),
    # The lines of a salesperson's own plans only, as for the plans.
    "csc.visit.plan.line":       ("rwcu:own", "rwcu:own", "",         "",     "rwcu", "rwcu", ""),
    # Made by the system only, never changed: read by the auditors (quality and managers).
    "csc.record.seal":           ("",         "r",        "",         "",     "r",    "r",    ""),
}

# SQL-view reports: read-only, only read is checked.
REPORTS = {
    # model                        desk quality technician clerk manager gm   outsider
    # The causes and responsible departments of complaints stay with the desk and quality.
    "csc.cause.analysis":         ("r", "r",    "",        "",   "r",    "r", ""),
    "csc.failure.cost":           ("r", "r",    "",        "",   "r",    "r", ""),
    "csc.technician.performance": ("r", "r",    "",        "",   "r",    "r", ""),
    # The customer's PPM is part of the customer file every role reads.
    "csc.ppm.report":             ("r", "r",    "r",       "r",  "r",    "r", ""),
}

# Wizards (transient: every user sees only the wizards he opened): the ACL only.
TRANSIENT = {
    # model                                desk   quality technician clerk  manager gm     outsider
    "csc.reopen.wizard":                  ("rwc", "rwc",  "rwc",     "rwc", "rwc",  "rwc", ""),
    "csc.complaint.contact.wizard":       ("rwc", "rwc",  "",        "",    "rwc",  "rwc", ""),
    "csc.complaint.meeting.wizard":       ("",    "rwc",  "",        "",    "rwc",  "rwc", ""),
    "csc.complaint.reaction.wizard":      ("rwc", "rwc",  "",        "",    "rwc",  "rwc", ""),
    "csc.satisfaction.paper.entry":       ("",    "rwcu", "",        "",    "rwcu", "rwcu", ""),
    "csc.satisfaction.paper.entry.line":  ("",    "rwcu", "",        "",    "rwcu", "rwcu", ""),
    "res.config.settings":                ("",    "",     "",        "",    "",     "",     ""),
    "csc.record.verify":                  ("",    "rwc",  "",        "",    "rwc",  "rwc",  ""),
    "csc.record.verify.line":             ("",    "rwc",  "",        "",    "rwc",  "rwc",  ""),
}

# Odoo's models the addon extends or grants access to: the ACL only (their rules are Odoo's).
# Outsiders keep the plain partner data; the product file (stock.lot) is the desk's and the
# warehouse's.
EXTENDED = {
    # model                    desk    quality technician clerk   manager gm      outsider
    "helpdesk.ticket":        ("rwc",  "rwc",  "r",       "r",    "rwc",  "rwc",  "r"),
    "helpdesk.ticket.team":   ("r",    "r",    "r",       "r",    "r",    "r",    "r"),
    "product.template":       ("r",    "r",    "r",       "r",    "r",    "r",    "r"),
    "res.partner":            ("rwcu", "rwcu", "r",       "r",    "rwcu", "rwcu", "r"),
    # (the company's customer-service settings)
    "res.company":            ("r",    "r",    "r",       "r",    "r",    "r",    "r"),
    "resource.calendar":      ("r",    "r",    "r",       "r",    "r",    "r",    "r"),
    "stock.location":         ("r",    "r",    "r",       "rw",   "rw",   "rw",   "r"),
    "stock.lot":              ("rwc",  "rwc",  "r",       "rwcu", "rwcu", "rwcu", ""),
    "stock.move":             ("",     "",     "",        "rwc",  "rwc",  "rwc",  ""),
    "stock.picking":          ("",     "",     "",        "rwcu", "rwcu", "rwcu", ""),
    "stock.scrap":            ("",     "",     "",        "rwc",  "rwc",  "rwc",  ""),
    "survey.survey":          ("r",    "r",    "r",       "r",    "r",    "r",    ""),
    "survey.question":        ("r",    "r",    "r",       "r",    "r",    "r",    ""),
    "survey.question.answer": ("r",    "r",    "r",       "r",    "r",    "r",    ""),
    "survey.user_input":      ("",     "",     "",        "",     "",     "",     ""),
}
# fmt: on

# What "own" means, per model with a ":own" role (the builders below make the records so).
OWN = {
    "csc.service.visit": "the user is one of its technicians",
    "csc.service.visit.line": "its visit is his (technician)",
    "csc.service.expense": "its visit is his (technician)",
    "csc.service.visit.day": "its visit is his (technician)",
    "csc.part.loan": "the user is its technician",
    "csc.part.loan.line": "its loan is his",
    # The main company's records are his through their visit, company B's through the owner.
    "csc.action": "the user owns it, or its visit is his",
    # The main company's records rate his visits, company B's is a campaign answer (no visit).
    "csc.satisfaction.result": "it rates one of his visits, or no visit (a campaign answer)",
    "csc.visit.plan": "the user is its salesperson",
    "csc.visit.plan.line": "its plan is his",
}

# Menus that fail to open today, per menu and role: the error expected (the test fails once
# they open, so that the entry is removed).
# Menu actions expected to fail, per role (none).
KNOWN_MENU_ERRORS = {}

# A person may hold several roles (README): the technician's rules then add to the other role's.
# Per pair of roles and model kept to the technician's own records: whether the person reads
# the records of others too (True) or only his own (False).
COMBINED = {
    ("desk", "technician"): dict.fromkeys(
        (
            "csc.action",
            "csc.part.loan",
            "csc.part.loan.line",
            "csc.satisfaction.result",
            "csc.service.expense",
            "csc.service.visit",
            "csc.service.visit.day",
            "csc.service.visit.line",
        ),
        True,
    ),
    ("clerk", "technician"): {
        "csc.action": True,
        "csc.part.loan": True,
        "csc.part.loan.line": True,
        "csc.satisfaction.result": True,
        "csc.service.expense": False,
        "csc.service.visit": True,  # for the loan slips
        "csc.service.visit.day": False,
        "csc.service.visit.line": False,
    },
}

# Field of each printed model whose value the printed form shows (besides "name").
PRINTED_LABEL = {
    "csc.action": "reference",
    "csc.satisfaction.campaign": "code",
    "csc.complaint.return": "display_name",
    "csc.record.verify": "display_name",
}
SEARCH_DEFAULT = "search_default_"


def _parse(spec):
    """Split a table entry: "rwc:own" -> ("rwc", True)."""
    operations, _sep, scope = spec.partition(":")
    return operations, scope == "own"


def _mismatches(case, results):
    """The (what, expected, got) results that differ, as lines of the failure message."""
    return [
        f"{case} / {what}: expected {expected}, got {got}"
        for what, expected, got in results
        if expected != got
    ]


def _top_fields(node):
    """The field nodes of a view, without those of the sub-views of x2many fields."""
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "field":
            yield child
        else:
            yield from _top_fields(child)


class AccessCase(CscCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        both = [(6, 0, (cls.company | cls.company_b).ids)]
        cls.users = {}
        for role in ROLES:
            user_a = getattr(cls, ROLE_USERS[role])
            user_a.write({"company_ids": both, "company_id": cls.company.id})
            groups = ",".join(filter(None, ("base.group_user", ROLE_GROUPS[role])))
            user_b = new_test_user(
                cls.env,
                login=f"csc_acl_{role}_b",
                groups=groups,
                company_id=cls.company.id,
                company_ids=both,
            )
            cls.users[role] = (user_a, user_b)
        cls.combined_users = {
            roles: new_test_user(
                cls.env,
                login="csc_acl_" + "_".join(roles),
                groups=",".join(["base.group_user", *(ROLE_GROUPS[role] for role in roles)]),
            )
            for roles in COMBINED
        }
        # Owner of the records of the roles that see everything: none of the role users.
        cls.someone = new_test_user(cls.env, login="csc_acl_someone", company_ids=both)
        cls.product = cls.env["product.product"].create(
            {"name": "ACL Steering Gear", "tracking": "serial", "csc_warranty_months": 24}
        )
        cls.survey = cls.env.ref(f"{MODULE}.csc_satisfaction_survey")
        cls._serial = 0
        cls._build_records()
        cls._build_report_rows()
        cls.env.flush_all()

    # -- records for the matrix ------------------------------------------------------------

    @classmethod
    def _build_records(cls):
        """For each model: records of users A and B and a record of company B, owned by user A
        (for each role kept to its own records), or by someone else (shared by the others)."""
        cls.records = {}
        for model, row in EXPECTED.items():
            own_roles = [role for role, spec in zip(ROLES, row, strict=True) if _parse(spec)[1]]
            for role in [None, *own_roles]:
                owner_a, owner_b = cls.users[role] if role else (cls.someone, cls.someone)
                cls.records[model, role] = (
                    cls._build(model, owner_a, cls.company),
                    cls._build(model, owner_b, cls.company),
                    cls._build(model, owner_a, cls.company_b),
                )

    def _records(self, model, role):
        return self.records.get((model, role)) or self.records[model, None]

    @classmethod
    def _build(cls, model, owner, company):
        cls._serial += 1
        builder = getattr(cls, "_build_" + model.removeprefix("csc.").replace(".", "_"))
        return builder(owner, company, f"ACL-{cls._serial:04d}")

    @classmethod
    def _create(cls, model, vals):
        return cls.env[model].create(vals)

    @classmethod
    def _build_complaint(cls, owner, company, tag):
        return cls._create(
            "csc.complaint",
            {
                "title": tag,
                "partner_id": cls.customer.id,
                "company_id": company.id,
                "product_id": cls.product.id,
            },
        )

    @classmethod
    def _build_complaint_return(cls, owner, company, tag):
        complaint = cls._build_complaint(owner, company, tag)
        return cls._create(
            "csc.complaint.return", {"complaint_id": complaint.id, "product_id": cls.product.id}
        )

    @classmethod
    def _build_supplier_claim(cls, owner, company, tag):
        complaint = cls._build_complaint(owner, company, tag)
        supplier = cls.env["res.partner"].create({"name": f"Supplier {tag}", "is_company": True})
        return cls._create(
            "csc.supplier.claim",
            {"complaint_id": complaint.id, "company_id": company.id, "partner_id": supplier.id},
        )

    @classmethod
    def _build_supplier_claim_line(cls, owner, company, tag):
        claim = cls._build_supplier_claim(owner, company, tag)
        return cls._create(
            "csc.supplier.claim.line", {"claim_id": claim.id, "product_id": cls.product.id}
        )

    @classmethod
    def _build_supplier_claim_cost(cls, owner, company, tag):
        claim = cls._build_supplier_claim(owner, company, tag)
        return cls._create(
            "csc.supplier.claim.cost", {"claim_id": claim.id, "cost_type": "rework", "amount": 1}
        )

    @classmethod
    def _build_eightd(cls, owner, company, tag):
        complaint = cls._build_complaint(owner, company, tag)
        return cls._create("csc.eightd", {"complaint_id": complaint.id})

    @classmethod
    def _build_eightd_line(cls, model, owner, company, tag, vals):
        eightd = cls._build_eightd(owner, company, tag)
        return cls._create(model, {"eightd_id": eightd.id, **vals})

    @classmethod
    def _build_eightd_team(cls, owner, company, tag):
        vals = {"user_id": cls.quality_user.id, "role": tag}
        return cls._build_eightd_line("csc.eightd.team", owner, company, tag, vals)

    @classmethod
    def _build_eightd_containment(cls, owner, company, tag):
        vals = {"place": "customer", "marking": tag}
        return cls._build_eightd_line("csc.eightd.containment", owner, company, tag, vals)

    @classmethod
    def _build_eightd_cause(cls, owner, company, tag):
        vals = {"cause_type": "occurrence", "name": tag}
        return cls._build_eightd_line("csc.eightd.cause", owner, company, tag, vals)

    @classmethod
    def _build_eightd_signoff(cls, owner, company, tag):
        """Written only by the sign-off (no role creates one): made as the data loader would."""
        eightd = cls._build_eightd(owner, company, tag)
        vals = {"eightd_id": eightd.id, "discipline": "0", "user_id": owner.id}
        return force_create(cls.env["csc.eightd.signoff"], {**vals, "date": "2026-03-10 10:00"})

    @classmethod
    def _build_eightd_why(cls, owner, company, tag):
        vals = {"chain": "occurrence", "question": tag, "answer": tag}
        return cls._build_eightd_line("csc.eightd.why", owner, company, tag, vals)

    @classmethod
    def _build_eightd_ishikawa(cls, owner, company, tag):
        vals = {"category": "machine", "name": tag}
        return cls._build_eightd_line("csc.eightd.ishikawa", owner, company, tag, vals)

    @classmethod
    def _build_eightd_review(cls, owner, company, tag):
        """Written only by the customer's review (no role creates one): made as the data loader
        would."""
        eightd = cls._build_eightd(owner, company, tag)
        vals = {"eightd_id": eightd.id, "step": "3", "decision": "accepted", "comment": tag}
        return force_create(
            cls.env["csc.eightd.review"],
            {**vals, "partner_id": cls.customer.id, "date": "2026-03-10 10:00"},
        )

    @classmethod
    def _build_eightd_extra_field(cls, owner, company, tag):
        return cls._create("csc.eightd.extra.field", {"name": tag, "company_id": company.id})

    @classmethod
    def _build_eightd_extra_value(cls, owner, company, tag):
        field = cls._build_eightd_extra_field(owner, company, tag)
        vals = {"field_id": field.id, "value": tag}
        return cls._build_eightd_line("csc.eightd.extra.value", owner, company, tag, vals)

    @classmethod
    def _build_lesson(cls, owner, company, tag):
        return cls._create(
            "csc.lesson",
            {
                "name": tag,
                "company_id": company.id,
                "product_id": cls.product.id,
                "problem": tag,
                "root_cause": tag,
                "lesson": tag,
            },
        )

    @classmethod
    def _build_eightd_document(cls, owner, company, tag):
        vals = {"document_type": "pfmea", "name": tag, "revision": "B"}
        return cls._build_eightd_line("csc.eightd.document", owner, company, tag, vals)

    @classmethod
    def _build_action(cls, owner, company, tag):
        vals = {"name": tag, "date_due": date.today() + timedelta(days=10)}
        if company == cls.company:  # his through the visit
            visit = cls._build_service_visit(owner, company, tag)
            vals.update(visit_id=visit.id, user_id=cls.someone.id)
        else:  # his as its owner
            complaint = cls._build_complaint(owner, company, tag)
            vals.update(complaint_id=complaint.id, user_id=owner.id)
        return cls._create("csc.action", vals)

    @classmethod
    def _build_customer_requirement(cls, owner, company, tag):
        return cls._create(
            "csc.customer.requirement",
            {"name": tag, "partner_id": cls.customer.id, "company_id": company.id},
        )

    @classmethod
    def _build_department(cls, owner, company, tag):
        return cls._create("csc.department", {"name": tag, "code": tag, "company_id": company.id})

    @classmethod
    def _build_dispatch_policy(cls, owner, company, tag):
        return cls._create(
            "csc.dispatch.policy",
            {"company_id": company.id, "max_distance": 5000 + cls._serial, "hours": 96},
        )

    @classmethod
    def _build_escalation_level(cls, owner, company, tag):
        return cls._create(
            "csc.escalation.level", {"name": tag, "code": tag, "company_id": company.id}
        )

    @classmethod
    def _build_escalation(cls, owner, company, tag, **vals):
        level = cls._build_escalation_level(owner, company, tag)
        return cls._create(
            "csc.escalation",
            {
                "partner_id": cls.customer.id,
                "level_id": level.id,
                "company_id": company.id,
                "reason": tag,
                **vals,
            },
        )

    @classmethod
    def _build_escalation_criterion(cls, owner, company, tag):
        escalation = cls._build_escalation(owner, company, tag)
        return cls._create(
            "csc.escalation.criterion", {"escalation_id": escalation.id, "name": tag}
        )

    @classmethod
    def _build_escalation_inspection(cls, owner, company, tag):
        """Recorded while the status is active: the status is made active as the data loader
        would."""
        level = cls._build_escalation_level(owner, company, tag)
        escalation = force_create(
            cls.env["csc.escalation"],
            {
                "partner_id": cls.customer.id,
                "level_id": level.id,
                "company_id": company.id,
                "reason": tag,
                "state": "active",
                "date_entry": date.today(),
            },
        )
        return cls._create(
            "csc.escalation.inspection",
            {"escalation_id": escalation.id, "qty_checked": 1.0, "date": date.today()},
        )

    @classmethod
    def _build_lot(cls, company, tag, **vals):
        return cls._create(
            "stock.lot",
            {"name": tag, "product_id": cls.product.id, "company_id": company.id, **vals},
        )

    @classmethod
    def _build_lot_component(cls, owner, company, tag):
        lot = cls._build_lot(company, tag)
        return cls._create("csc.lot.component", {"lot_id": lot.id, "name": tag})

    @classmethod
    def _build_monthly_report(cls, owner, company, tag):
        month = date(2020, 1, 1) + relativedelta(months=cls._serial)
        return cls._create("csc.monthly.report", {"company_id": company.id, "date_start": month})

    @classmethod
    def _build_record_seal(cls, owner, company, tag):
        complaint = cls._build_complaint(owner, company, tag)
        return cls.env["csc.record.seal"]._csc_append(complaint, "reopen", 1)

    @classmethod
    def _build_part_loan(cls, owner, company, tag):
        return cls._create(
            "csc.part.loan",
            {"technician_id": owner.id, "partner_id": cls.customer.id, "company_id": company.id},
        )

    @classmethod
    def _build_part_loan_line(cls, owner, company, tag):
        loan = cls._build_part_loan(owner, company, tag)
        return cls._create("csc.part.loan.line", {"loan_id": loan.id, "product_id": cls.product.id})

    @classmethod
    def _build_rework_plan(cls, owner, company, tag):
        returned = cls._build_complaint_return(owner, company, tag)
        return cls._create(
            "csc.rework.plan",
            {"return_id": returned.id, "quantity": 1.0, "date_needed": date(2026, 6, 30)},
        )

    @classmethod
    def _build_satisfaction_campaign(cls, owner, company, tag):
        return cls._create(
            "csc.satisfaction.campaign",
            {
                "name": tag,
                "company_id": company.id,
                "date_start": date(2026, 1, 1),
                "date_end": date(2026, 3, 31),
            },
        )

    @classmethod
    def _build_satisfaction_result(cls, owner, company, tag):
        answer = cls.survey.sudo()._create_answer(partner=cls.customer, check_attempts=False)
        vals = {
            "user_input_id": answer.id,
            "partner_id": cls.customer.id,
            "company_id": company.id,
            "date": date(2026, 3, 1),
            "total_score": 95.0,
        }
        if company == cls.company:  # rates his visit; company B's is a campaign answer
            vals["visit_id"] = cls._build_service_visit(owner, company, tag).id
        return cls._create("csc.satisfaction.result", vals)

    @classmethod
    def _build_service_visit(cls, owner, company, tag, **vals):
        return cls._create(
            "csc.service.visit",
            {
                "partner_id": cls.customer.id,
                "company_id": company.id,
                "technician_ids": [(6, 0, owner.ids)],
                "diagnosis": tag,
                **vals,
            },
        )

    @classmethod
    def _build_service_visit_line(cls, owner, company, tag):
        visit = cls._build_service_visit(owner, company, tag)
        return cls._create("csc.service.visit.line", {"visit_id": visit.id, "name": tag})

    @classmethod
    def _build_service_expense(cls, owner, company, tag):
        visit = cls._build_service_visit(owner, company, tag)
        return cls._create(
            "csc.service.expense",
            {"visit_id": visit.id, "expense_type": "travel", "amount": 10.0, "name": tag},
        )

    @classmethod
    def _build_service_visit_day(cls, owner, company, tag):
        visit = cls._build_service_visit(owner, company, tag)
        return cls._create("csc.service.visit.day", {"visit_id": visit.id, "work": tag})

    @classmethod
    def _build_visit_plan(cls, owner, company, tag):
        monday = date(2026, 3, 2) + timedelta(weeks=cls._serial)
        return cls._create(
            "csc.visit.plan",
            {"user_id": owner.id, "company_id": company.id, "date_start": monday},
        )

    @classmethod
    def _build_visit_plan_line(cls, owner, company, tag):
        plan = cls._build_visit_plan(owner, company, tag)
        return cls._create(
            "csc.visit.plan.line",
            {
                "plan_id": plan.id,
                "partner_id": cls.customer.id,
                "date": plan.date_start,
                "purpose": tag,
            },
        )

    # -- rows of the SQL-view reports -------------------------------------------------------

    @classmethod
    def _build_report_rows(cls):
        """A row of each report in each company: a complaint with its cause (cause analysis), a
        warranty repair with a trip expense (failure cost), a finished repair (performance)."""
        cls.report_rows = {model: [] for model in REPORTS}
        for company in (cls.company, cls.company_b):
            tag = f"ACL-ROW-{company.id}"
            complaint = cls._build_complaint(cls.someone, company, tag)
            complaint.cause_category = "assembly"
            complaint.qty_affected = 1  # a PPM row of the company
            lot = cls._build_lot(company, tag, csc_delivery_date=date.today() - timedelta(days=30))
            repair = cls._build_service_visit(cls.someone, company, tag, lot_id=lot.id)
            expense = cls._create(
                "csc.service.expense",
                {"visit_id": repair.id, "expense_type": "travel", "amount": 50.0},
            )
            finished = force_create(
                cls.env["csc.service.visit"],
                {
                    "partner_id": cls.customer.id,
                    "company_id": company.id,
                    "technician_ids": [(6, 0, cls.someone.ids)],
                    "state": "done",
                    "date_arrival": datetime.now() - timedelta(hours=3),
                    "date_end": datetime.now() - timedelta(hours=1),
                },
            )
            cls.env.flush_all()
            for model, field, record in (
                ("csc.cause.analysis", "complaint_id", complaint),
                ("csc.failure.cost", "visit_id", repair),
                ("csc.technician.performance", "visit_id", finished),
                ("csc.ppm.report", "company_id", company),
            ):
                row = cls.env[model].search([(field, "=", record.id)])
                assert len(row) == 1, (model, company.name, expense)
                cls.report_rows[model].append(row)

    # -- checks -----------------------------------------------------------------------------

    def _as(self, user, model, *companies):
        """The model as the user, with these companies allowed (as the web client sends)."""
        companies = companies or (self.company,)
        return (
            self.env[model]
            .with_user(user)
            .with_context(allowed_company_ids=[company.id for company in companies])
        )

    @staticmethod
    def _allowed(record, model, operation):
        """Whether check_access() lets the user of `model` do the operation on the record."""
        try:
            record.with_env(model.env).check_access(operation)
        except AccessError:
            return False
        return True

    @staticmethod
    def _visible(model, records):
        """The records the user of `model` finds, or "AccessError"."""
        try:
            return set(model.search([("id", "in", records.ids)]).ids)
        except AccessError:
            return "AccessError"

    def _module_ids(self, model):
        return (
            self.env["ir.model.data"]
            .search([("module", "=", MODULE), ("model", "=", model)])
            .mapped("res_id")
        )

    def _menus_of(self, user):
        """The addon's menus the user reaches: visible, under visible parents (load_menus)."""
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

        def reachable(menu):
            while menu:
                if menu.id not in visible:
                    return False
                menu = menu.parent_id
            return True

        return self.env["ir.ui.menu"].browse(self._module_ids("ir.ui.menu")).filtered(reachable)

    def _can_read(self, model, role):
        row = EXPECTED.get(model) or REPORTS.get(model) or EXTENDED.get(model)
        row = row or TRANSIENT[model]
        return "r" in _parse(row[ROLES.index(role)])[0]


class TestAccessMatrix(AccessCase):
    def test_every_model_has_its_row(self):
        """A model of the addon without a row fails: its access was never decided."""
        registry = self.env.registry
        models = {
            name
            for name, model in registry.items()
            if (model._original_module == MODULE or name.startswith("csc.")) and not model._abstract
        }
        tables = {**EXPECTED, **REPORTS, **TRANSIENT, **EXTENDED}
        self.assertEqual(sorted(models - tables.keys()), [], "models without a row")
        self.assertEqual(sorted(tables.keys() - set(registry)), [], "rows of unknown models")
        for name in EXPECTED:
            self.assertFalse(registry[name]._transient or not registry[name]._auto, name)
            self.assertIn("company_id", registry[name]._fields, name)
        for name in REPORTS:
            self.assertFalse(registry[name]._auto, name)
        for name in TRANSIENT:
            self.assertTrue(registry[name]._transient, name)
        for name, rows in tables.items():
            self.assertEqual(len(rows), len(ROLES), name)
            for spec in rows:
                operations, _own = _parse(spec)
                self.assertTrue(set(operations) <= set(OPERATIONS), (name, spec))
                self.assertTrue(not _own or name in OWN, (name, spec))

    def test_access_matrix(self):
        errors = self._matrix_errors()
        self.assertFalse(errors, "\n" + "\n".join(errors))

    def test_sql_view_reports_are_read_only_and_per_company(self):
        errors = self._report_errors()
        self.assertFalse(errors, "\n" + "\n".join(errors))

    def test_wizards_and_extended_models_acl(self):
        errors = self._acl_only_errors()
        self.assertFalse(errors, "\n" + "\n".join(errors))

    def _matrix_errors(self):
        errors = []
        for model, row in EXPECTED.items():
            for role, spec in zip(ROLES, row, strict=True):
                with self.subTest(model=model, role=role):
                    errors += self._check_model(model, role, spec)
        return errors

    def _check_model(self, model, role, spec):
        operations, own = _parse(spec)
        user_a, user_b = self.users[role]
        rec_a, rec_b, rec_other_company = self._records(model, role)
        main = self._as(user_a, model)
        both = self._as(user_a, model, self.company, self.company_b)
        results = []
        for letter, operation in OPERATIONS.items():
            allowed = letter in operations
            results += [
                (f"ACL {operation}", allowed, main.has_access(operation)),
                (f"{operation} A's record", allowed, self._allowed(rec_a, main, operation)),
                (
                    f"{operation} B's record",
                    allowed and not own,
                    self._allowed(rec_b, main, operation),
                ),
                (
                    f"{operation} company B's record, main company only",
                    False,
                    self._allowed(rec_other_company, main, operation),
                ),
                (
                    f"{operation} company B's record, both companies",
                    allowed,
                    self._allowed(rec_other_company, both, operation),
                ),
            ]
        records = rec_a | rec_b | rec_other_company
        readable = "r" in operations
        results += [
            (
                "A searches, main company",
                set((rec_a if own else rec_a | rec_b).ids) if readable else "AccessError",
                self._visible(main, records),
            ),
            (
                "A searches, both companies",
                set((rec_a | rec_other_company if own else records).ids)
                if readable
                else "AccessError",
                self._visible(both, records),
            ),
            (
                "B searches, main company",
                set((rec_b if own else rec_a | rec_b).ids) if readable else "AccessError",
                self._visible(self._as(user_b, model), records),
            ),
        ]
        return _mismatches(f"{model} / {role}", results)

    def _report_errors(self):
        errors = []
        for model, row in REPORTS.items():
            row_main, row_b = self.report_rows[model]
            for role, spec in zip(ROLES, row, strict=True):
                readable = spec == "r"
                user = self.users[role][0]
                main = self._as(user, model)
                both = self._as(user, model, self.company, self.company_b)
                results = [
                    (f"ACL {op}", readable and op == "read", main.has_access(op))
                    for op in OPERATIONS.values()
                ]
                results += [
                    (
                        "search, main company",
                        set(row_main.ids) if readable else "AccessError",
                        self._visible(main, row_main | row_b),
                    ),
                    (
                        "search, both companies",
                        set((row_main | row_b).ids) if readable else "AccessError",
                        self._visible(both, row_main | row_b),
                    ),
                    ("read company B's row", False, self._allowed(row_b, main, "read")),
                ]
                errors += _mismatches(f"{model} / {role}", results)
        return errors

    def _acl_only_errors(self):
        errors = []
        for model, row in {**TRANSIENT, **EXTENDED}.items():
            for role, spec in zip(ROLES, row, strict=True):
                Model = self._as(self.users[role][0], model)
                results = [
                    (f"ACL {operation}", letter in spec, Model.has_access(operation))
                    for letter, operation in OPERATIONS.items()
                ]
                errors += _mismatches(f"{model} / {role}", results)
        return errors

    def test_roles_held_together_add_up(self):
        errors = self._combined_errors()
        self.assertFalse(errors, "\n" + "\n".join(errors))

    def _combined_errors(self):
        errors = []
        for roles, models in COMBINED.items():
            user = self.combined_users[roles]
            for model, others in models.items():
                rec_a, rec_b, _rec_other_company = self._records(model, None)
                expected = set((rec_a | rec_b).ids) if others else set()
                got = self._visible(self._as(user, model), rec_a | rec_b)
                errors += _mismatches(f"{model} / {'+'.join(roles)}", [("search", expected, got)])
        return errors

    def test_outsider_sees_nothing_of_the_addon(self):
        outsider = self.users["outsider"][0]
        for model in (*EXPECTED, *REPORTS):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self._as(outsider, model).search([])
        self.assertFalse(self._menus_of(outsider))


class TestMenusAndPrints(AccessCase):
    """Every menu a role sees opens for it (views, list, form, analysis) and every form it may
    print renders for it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # What the lists show besides the matrix's records: a message, the installed base.
        cls.env["helpdesk.ticket"].create(
            {
                "name": "ACL question",
                "description": "Which grease?",
                "partner_id": cls.customer.id,
                "csc_kind": "suggestion",
            }
        )
        cls._build_lot(cls.company, "ACL-INSTALLED", csc_partner_id=cls.customer.id)

    # -- menus ------------------------------------------------------------------------------

    def test_every_menu_of_every_role_opens(self):
        errors, opened = [], 0
        for role in ROLES:
            user = self.users[role][0]
            for menu in self._menus_of(user).filtered("action"):
                action = menu.action
                if action._name != "ir.actions.act_window":
                    self.assertTrue(action.exists(), menu.complete_name)
                    continue
                with self.subTest(role=role, menu=menu.complete_name):
                    error = self._open_error(user, action)
                    known = KNOWN_MENU_ERRORS.get(menu.get_external_id()[menu.id], {}).get(role)
                    if known and known not in (error or ""):
                        error = f"expected {known} (KNOWN_MENU_ERRORS), got {error}"
                    elif known:
                        error = None
                    if error:
                        errors.append(f"{role} / {menu.complete_name}: {error}")
                    opened += 1
        self.assertFalse(errors, "\n" + "\n".join(errors))
        self.assertGreater(opened, 50)

    def _open_error(self, user, action):
        try:
            with self.env.cr.savepoint():
                self._open_action(user, action)
        except Exception as error:  # noqa: BLE001 - every failure is reported
            return repr(error)
        return None

    def _eval_context(self, user):
        today = date.today()
        return {
            "uid": user.id,
            "user": user,
            "context_today": lambda: today,
            "current_date": today.isoformat(),
            "datetime": safe_datetime,
            "time": safe_time,
            "relativedelta": relativedelta,
            "allowed_company_ids": [self.company.id],
            "active_id": False,
            "active_ids": [],
        }

    def _open_action(self, user, action):
        """What the web client does when the user clicks the menu: load the views, search
        with the action's domain and default filters, read the list, open a record's form
        (and a new one, for those who create), run the analysis views."""
        eval_context = self._eval_context(user)
        context = safe_eval(action.context or "{}", eval_context)
        Model = self._as(user, action.res_model).with_context(**context)
        views = [(view_id or False, mode) for view_id, mode in action.views]
        result = Model.get_views(
            [*views, (action.search_view_id.id or False, "search")],
            {"toolbar": True, "load_filters": True, "action_id": action.id},
        )
        fields_info = result["models"]
        search = etree.fromstring(result["views"]["search"]["arch"])
        domain = safe_eval(action.domain or "[]", eval_context)
        domain, groupby = self._apply_default_filters(search, context, eval_context, domain)
        for _view_id, mode in views:
            arch = etree.fromstring(result["views"][mode]["arch"])
            spec = self._spec(arch, action.res_model, fields_info)
            if mode in ("list", "kanban", "calendar"):
                self._read_list(Model, arch, domain, spec, groupby)
            elif mode == "form":
                self._read_form(Model, domain, spec)
            elif mode in ("pivot", "graph"):
                self._read_analysis(Model, arch, domain)
        for node in search.iter("filter"):  # every filter of the search panel
            if node.get("domain"):
                Model.search_count(domain + safe_eval(node.get("domain"), eval_context))
        if "form" in result["views"] and Model.has_access("create"):  # "New"
            arch = etree.fromstring(result["views"]["form"]["arch"])
            Model.onchange({}, [], self._spec(arch, action.res_model, fields_info))

    @staticmethod
    def _apply_default_filters(search, context, eval_context, domain):
        groupby = []
        for key, value in context.items():
            if not (key.startswith(SEARCH_DEFAULT) and value):
                continue
            name = key.removeprefix(SEARCH_DEFAULT)
            for node in search.iter("filter"):
                if node.get("name") != name:
                    continue
                if node.get("domain"):
                    domain = domain + safe_eval(node.get("domain"), eval_context)
                if node.get("context"):
                    groupby += [safe_eval(node.get("context"), eval_context).get("group_by")]
        return domain, [group for group in groupby if group]

    def _spec(self, arch, model, fields_info):
        """The web client's specification of the fields a view reads."""
        fields = fields_info[model]["fields"]
        spec = {}
        for attribute in ("date_start", "date_stop", "color"):  # calendar
            if arch.get(attribute) in fields:
                spec[arch.get(attribute)] = {}
        for node in _top_fields(arch):
            name = node.get("name")
            field = fields.get(name)
            if not field:
                continue
            if field["type"] in ("many2one", "reference"):
                spec[name] = {"fields": {"display_name": {}}}
            elif field["type"] in ("one2many", "many2many"):
                subviews = [child for child in node if child.tag in ("list", "kanban")]
                subspec = (
                    self._spec(subviews[0], field["relation"], fields_info)
                    if subviews and field["relation"] in fields_info
                    else {"display_name": {}}
                )
                spec[name] = {"fields": subspec, "limit": 40}
            else:
                spec.setdefault(name, {})
        return spec

    @staticmethod
    def _read_list(Model, arch, domain, spec, groupby):
        Model.web_search_read(domain, spec, limit=80)
        if groupby and arch.tag == "list":
            Model.web_read_group(domain, list(spec), groupby[:1])

    @staticmethod
    def _read_form(Model, domain, spec):
        record = Model.search(domain, limit=1)
        if record:
            record.web_read(spec)

    @staticmethod
    def _read_analysis(Model, arch, domain):
        measures, groupby = [], []
        for node in _top_fields(arch):
            name = node.get("name")
            if node.get("type") == "measure":
                measures.append(name)
            else:
                groupby.append(name + (f":{node.get('interval')}" if node.get("interval") else ""))
        Model.read_group(domain, measures or ["__count"], groupby[:2], lazy=False)

    # -- printed forms ----------------------------------------------------------------------

    def test_every_form_prints_for_its_readers(self):
        """Every PDF form renders (as HTML) for each role that reads its model and may print it
        (the report's groups: the product failure history, which shows complaint causes, is
        for the desk and quality)."""
        reports = self.env["ir.actions.report"].browse(self._module_ids("ir.actions.report"))
        self.assertTrue(reports.filtered(lambda report: report.model.startswith("csc.")))
        errors, printed = [], 0
        for report in reports:
            if report.report_type not in ("qweb-pdf", "qweb-html"):
                continue  # the spreadsheet export is tested with the monthly report
            for role in ROLES:
                user = self.users[role][0]
                if not self._can_read(report.model, role) or (
                    report.groups_id and not report.groups_id & user.groups_id
                ):
                    continue
                record = self._printable(report.model, role)
                with self.subTest(report=report.report_name, role=role):
                    error = self._print_error(report, user, record)
                    if error:
                        errors.append(f"{report.name} / {role}: {error}")
                    printed += 1
        self.assertFalse(errors, "\n" + "\n".join(errors))
        self.assertGreater(printed, 50)

    def _printable(self, model, role):
        if model == "res.partner":
            return self.customer
        if model == "product.template":
            return self.product.product_tmpl_id
        if model == "csc.record.verify":  # a verification, made by whoever prints it
            return self.env[model].with_user(self.users[role][0]).create({})
        return self._records(model, role)[0]

    def _print_error(self, report, user, record):
        label = record[PRINTED_LABEL.get(record._name, "name")]
        try:
            with self.env.cr.savepoint():
                html, _format = (
                    self.env["ir.actions.report"]
                    .with_user(user)
                    .with_context(allowed_company_ids=[self.company.id])
                    ._render_qweb_html(report.report_name, record.ids)
                )
        except Exception as error:  # noqa: BLE001 - every failure is reported
            return repr(error.__cause__ or error)
        if label not in html.decode():
            return f"{label!r} not printed"
        return None

    def test_clerk_prints_the_loan_slip_of_a_visit(self):
        visit = self._build_service_visit(self.technician, self.company, "ACL-SLIP")
        loan = self._create(
            "csc.part.loan", {"technician_id": self.technician.id, "visit_id": visit.id}
        )
        loan.line_ids = [(0, 0, {"product_id": self.product.id, "quantity": 2})]
        html, _format = (
            self.env["ir.actions.report"]
            .with_user(self.clerk)
            .with_context(allowed_company_ids=[self.company.id])
            ._render_qweb_html("customer_service_control.report_loan_slip", loan.ids)
        )
        html = html.decode()
        self.assertIn(loan.name, html)
        self.assertIn(visit.name, html)
        self.assertIn(self.product.name, html)
