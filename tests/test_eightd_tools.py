"""Structured root cause on the 8D (5-Why chains, Ishikawa grid), read-across tasks, lessons
learned and the fields a customer asks for on its 8D reports (issue 23, items 4-6)."""

import subprocess
from datetime import date

from odoo import Command
from odoo import fields
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import config

from .common import ComplaintCase
from .common import force

PDF_PATH = "/work/tmp/eightd-tools-8d.pdf"


def advance(report, user, upto):
    """Fill and sign off the disciplines of `report` as `user` (a quality engineer) from the
    next one up to `upto` (at most D7): the data each discipline needs, then its sign-off."""
    report = report.with_user(user)
    values = {
        0: {"emergency_response": "Shipments stopped, stock sorted."},
        1: {
            "leader_id": user.id,
            "team_line_ids": [Command.create({"user_id": user.id, "role": "Leader"})],
        },
        2: {"problem_what": "Knocking noise", "problem_how_many": "12 of 400"},
        3: {
            "containment_line_ids": [
                Command.create({"place": "customer", "qty_checked": 400, "qty_defective": 12})
            ]
        },
        4: {
            "cause_line_ids": [
                Command.create(
                    {
                        "cause_type": "occurrence",
                        "name": "Torque program changed",
                        "verified": True,
                        "contribution": 70,
                    }
                ),
                Command.create(
                    {
                        "cause_type": "escape",
                        "name": "Noise threshold too wide",
                        "verified": True,
                        "contribution": 30,
                    }
                ),
            ]
        },
        6: {"validation": "0 defects in 3 weeks", "date_implemented": fields.Date.today()},
        7: {
            "document_line_ids": [
                Command.create({"document_type": "pfmea", "name": "PFMEA", "revision": "D"})
            ]
        },
    }
    for step in range(report._next_discipline(), upto + 1):
        if step in values and not (step == 4 and report.cause_line_ids):
            report.write(values[step])
        if step == 5 and not report.action_ids.filtered(lambda a: a.action_type == "corrective"):
            report.env["csc.action"].create(
                {
                    "name": "Lock the torque programs",
                    "action_type": "corrective",
                    "eightd_id": report.id,
                    "complaint_id": report.complaint_id.id,
                    "user_id": user.id,
                    "date_due": fields.Date.today(),
                }
            )
        if step == 6:
            report.action_ids.filtered(lambda a: a.state == "open").action_done()
        report.action_sign_off(str(step))
    return report


@tagged("post_install", "-at_install")
class TestEightdTools(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["product.category"]
        cls.steering = Category.create({"name": "Steering"})
        cls.pumps = Category.create({"name": "Pumps"})
        cls.product.categ_id = cls.steering
        cls.sister = cls.env["product.product"].create(
            {"name": "Steering Gear RP-45", "categ_id": cls.steering.id}
        )
        cls.pump = cls.env["product.product"].create({"name": "HPU Pump", "categ_id": cls.pumps.id})
        cls.loose = cls.env["product.product"].create({"name": "Loose Bracket"})

    def setUp(self):
        super().setUp()
        self.complaint = self._complaint(severity="major", user_id=self.quality_user.id)
        self.report = (
            self.env["csc.eightd"]
            .with_user(self.quality_user)
            .create({"complaint_id": self.complaint.id})
        )

    def _why(self, **vals):
        return (
            self.env["csc.eightd.why"]
            .with_user(self.quality_user)
            .create(
                {
                    "eightd_id": self.report.id,
                    "chain": "occurrence",
                    "question": "Why was the bolt loose?",
                    "answer": "The torque was 18 Nm instead of 25 Nm.",
                    **vals,
                }
            )
        )

    def _ishikawa(self, **vals):
        return (
            self.env["csc.eightd.ishikawa"]
            .with_user(self.quality_user)
            .create(
                {
                    "eightd_id": self.report.id,
                    "category": "machine",
                    "name": "Nutrunner program",
                    **vals,
                }
            )
        )

    # -- 5-Why and Ishikawa ------------------------------------------------------------------

    def test_d4_needs_chains_ending_in_a_root_cause_and_checked_causes(self):
        advance(self.report, self.quality_user, 3)
        self.report.with_user(self.quality_user).write(
            {
                "why_line_ids": [
                    Command.create(
                        {
                            "chain": "occurrence",
                            "sequence": 1,
                            "question": "Why was the bolt loose?",
                            "answer": "Torque 18 Nm instead of 25 Nm.",
                            "evidence": "Torque audit of 20 columns",
                        }
                    ),
                    Command.create(
                        {
                            "chain": "occurrence",
                            "sequence": 2,
                            "question": "Why 18 Nm?",
                            "answer": "The program was changed without validation.",
                        }
                    ),
                ]
            }
        )
        unchecked = self._ishikawa(category="man", name="New operator")
        with self.assertRaisesRegex(UserError, "does not end in a root cause"):
            advance(self.report, self.quality_user, 4)
        self.assertEqual(self.report.signed_off, "3")
        second = self.report.why_line_ids.filtered(lambda why: why.sequence == 2)
        second.with_user(self.quality_user).is_root_cause = True
        # one root cause per chain
        with self.assertRaisesRegex(ValidationError, "ends in one root cause"):
            self._why(question="Why again?", is_root_cause=True)
        with self.assertRaisesRegex(UserError, "Ishikawa"):
            advance(self.report, self.quality_user, 4)
        unchecked.with_user(self.quality_user).write({"verified": "no", "evidence": "Trained"})
        advance(self.report, self.quality_user, 4)
        self.assertEqual(self.report.signed_off, "4")

    def test_tool_lines_locked_once_d4_is_signed_off(self):
        advance(self.report, self.quality_user, 3)
        why = self._why(is_root_cause=True, evidence="Audit")
        cause = self._ishikawa(verified="yes", evidence="Program log")
        # D4 still open: the quality engineer edits both
        why.with_user(self.quality_user).answer = "Torque 18 Nm."
        cause.with_user(self.quality_user).evidence = "Program log of line 2"
        advance(self.report, self.quality_user, 4)
        for user in (self.quality_user, self.service_manager, self.general_manager):
            for record, vals in ((why, {"answer": "Changed"}), (cause, {"name": "Changed"})):
                with self.assertRaisesRegex(UserError, "D4 Root Cause is signed off"):
                    record.with_user(user).write(vals)
                with self.assertRaisesRegex(UserError, "D4 Root Cause is signed off"):
                    record.with_user(user).unlink()
            # (a refused create rolls back with the request, here with the savepoint)
            with (
                self.assertRaisesRegex(UserError, "D4 Root Cause is signed off"),
                self.cr.savepoint(),
            ):
                self._why(question="Why late?")
            with (
                self.assertRaisesRegex(UserError, "D4 Root Cause is signed off"),
                self.cr.savepoint(),
            ):
                self._ishikawa(category="method", name="Work instruction")
            with self.assertRaisesRegex(UserError, "D4 Root Cause is signed off"):
                self.report.with_user(user).write({"why_line_ids": [Command.delete(why.id)]})
        self.assertEqual(why.answer, "Torque 18 Nm.")
        self.assertEqual(cause.name, "Nutrunner program")
        self.assertEqual(len(self.report.why_line_ids), 1)
        self.assertEqual(len(self.report.ishikawa_line_ids), 1)

    def test_roles_on_the_tool_lines(self):
        why = self._why()
        cause = self._ishikawa()
        for user in (self.quality_user, self.service_manager, self.general_manager):
            self.assertEqual(why.with_user(user).answer, why.answer)
            why.with_user(user).evidence = f"seen by {user.login}"
            cause.with_user(user).evidence = f"seen by {user.login}"
            self._why(question=f"Why {user.login}?").with_user(user).unlink()
        # the desk reads the analysis, does not write it
        self.assertEqual(why.with_user(self.desk_user).question, why.question)
        for record in (why, cause):
            with self.assertRaises(AccessError):
                record.with_user(self.desk_user).write({"evidence": "desk"})
            with self.assertRaises(AccessError):
                record.with_user(self.desk_user).unlink()
        with self.assertRaises(AccessError):
            self.env["csc.eightd.why"].with_user(self.desk_user).create(
                {"eightd_id": self.report.id, "question": "Why?", "answer": "Because."}
            )
        # the causes are not the technicians', the warehouse's or finance's business (R-J)
        for user in (
            self.technician,
            self.clerk,
            self.outsider,
            self.accountant,
            self.salesperson,
        ):
            for record in (why, cause):
                with self.assertRaises(AccessError):
                    record.with_user(user).read(["evidence"])
                with self.assertRaises(AccessError):
                    record.with_user(user).write({"evidence": "x"})
                with self.assertRaises(AccessError):
                    record.with_user(user).unlink()
        self.assertEqual(why.evidence, f"seen by {self.general_manager.login}")
        self.assertTrue(why.exists() and cause.exists())

    # -- read-across -------------------------------------------------------------------------

    def test_readacross_tasks_at_d7_chased_like_actions(self):
        advance(self.report, self.quality_user, 6)
        report = self.report.with_user(self.quality_user)
        with (
            self.assertRaisesRegex(ValidationError, "names the similar product"),
            self.cr.savepoint(),
        ):
            report.write(
                {
                    "readacross_ids": [
                        Command.create(
                            {
                                "name": "Check the torque programs",
                                "action_type": "readacross",
                                "user_id": self.quality_user.id,
                                "date_due": "2026-04-10",
                            }
                        )
                    ]
                }
            )
        self.assertFalse(self.report.readacross_ids)
        report.write(
            {
                "readacross_ids": [
                    Command.create(
                        {
                            "name": "Lock the torque programs of line 1",
                            "action_type": "readacross",
                            "readacross_scope": "line",
                            "readacross_target": "Assembly line 1",
                            "user_id": self.quality_user.id,
                            "verifier_id": self.service_manager.id,
                            "date_due": "2026-04-10",
                        }
                    ),
                    Command.create(
                        {
                            "name": "Same check at the Wuhu plant",
                            "action_type": "readacross",
                            "readacross_scope": "plant",
                            "readacross_target": "Wuhu plant",
                            "user_id": self.service_manager.id,
                            "date_due": fields.Date.add(date.today(), days=30),
                        }
                    ),
                ]
            }
        )
        tasks = self.report.readacross_ids
        self.assertEqual(len(tasks), 2)
        self.assertEqual(set(tasks.mapped("action_type")), {"readacross"})
        self.assertTrue(all(task.reference.startswith("CA/") for task in tasks))
        # each owner has the task in their activities, with its due date
        for task in tasks:
            self.assertEqual(task.activity_ids.user_id, task.user_id)
            self.assertEqual(task.activity_ids.date_deadline, task.date_due)
        advance(self.report, self.quality_user, 7)
        # the overdue one is chased in writing by the actions' cron, once a day
        template = self.env.ref("customer_service_control.mail_template_csc_action_overdue")
        overdue = tasks.filtered(lambda task: task.readacross_target == "Assembly line 1")
        self.env["csc.action"]._cron_chase_overdue()
        self.assertEqual(overdue.date_chased, fields.Date.context_today(overdue))
        chased = overdue.message_ids.filtered(lambda m: "Overdue action" in (m.subject or ""))
        self.assertEqual(len(chased), 1, template.name)
        self.assertFalse((tasks - overdue).date_chased)
        self.env["csc.action"]._cron_chase_overdue()
        self.assertEqual(
            len(overdue.message_ids.filtered(lambda m: "Overdue action" in (m.subject or ""))), 1
        )
        # the 8D closes only once the read-across is verified like every action
        self.report.action_ids.filtered(lambda a: a.action_type == "corrective").write(
            {"verifier_id": self.service_manager.id, "effectiveness_note": "0 defects"}
        )
        self.report.action_ids.filtered(lambda a: a.action_type == "corrective").with_user(
            self.service_manager
        ).action_verify_effective()
        with self.assertRaisesRegex(UserError, overdue.reference):
            self.report.with_user(self.general_manager).action_sign_off("8")
        self.assertEqual(self.report.state, "open")
        # the technician cannot create one, the desk may not write its verification
        with self.assertRaises(AccessError):
            self.env["csc.action"].with_user(self.technician).create(
                {
                    "name": "x",
                    "action_type": "readacross",
                    "readacross_scope": "product",
                    "readacross_target": "RP-45",
                    "eightd_id": self.report.id,
                    "user_id": self.technician.id,
                    "date_due": "2026-04-10",
                }
            )

    # -- lessons learned ---------------------------------------------------------------------

    def test_lesson_from_d7_shown_on_new_complaints_of_the_product_and_family(self):
        with self.assertRaisesRegex(UserError, "D6 signed off"):
            self.report.with_user(self.quality_user).action_create_lesson()
        advance(self.report, self.quality_user, 6)
        self.report.with_user(
            self.quality_user
        ).lessons_learned = "A torque program is a controlled document."
        self.assertFalse(self.env["csc.lesson"].search([("eightd_id", "=", self.report.id)]))
        advance(self.report, self.quality_user, 7)
        lesson = self.report.lesson_ids
        self.assertEqual(len(lesson), 1)
        self.assertEqual(lesson.product_id, self.product)
        self.assertEqual(lesson.categ_id, self.steering)
        self.assertEqual(lesson.problem, "Knocking noise")
        self.assertIn("Torque program changed", lesson.root_cause)
        self.assertEqual(lesson.lesson, "A torque program is a controlled document.")
        self.assertTrue(lesson.reference.startswith("LL/"))
        # the button opens it rather than recording a second one
        action = self.report.with_user(self.quality_user).action_create_lesson()
        self.assertEqual(action["res_id"], lesson.id)
        self.assertEqual(len(self.report.lesson_ids), 1)
        # a new complaint on the product, or on another product of its family, shows it
        seen = {}
        for product in (self.product, self.sister, self.pump, self.loose):
            complaint = self._complaint(product_id=product.id).with_user(self.desk_user)
            seen[product] = complaint.lesson_ids
            self.assertEqual(complaint.lesson_count, len(complaint.lesson_ids))
        self.assertEqual(seen[self.product], lesson)
        self.assertEqual(seen[self.sister], lesson)
        self.assertFalse(seen[self.pump])
        self.assertFalse(seen[self.loose])  # the catch-all category is no family
        action = (
            self._complaint(product_id=self.sister.id)
            .with_user(self.desk_user)
            .action_view_lessons()
        )
        self.assertEqual(self.env["csc.lesson"].search(action["domain"]), lesson)
        # an archived lesson no longer shows
        lesson.with_user(self.quality_user).active = False
        self.assertFalse(self._complaint().with_user(self.desk_user).lesson_ids)

    def test_lesson_of_an_8d_without_product_asks_for_it(self):
        complaint = self._complaint(product_id=False)
        report = (
            self.env["csc.eightd"]
            .with_user(self.quality_user)
            .create({"complaint_id": complaint.id})
        )
        advance(report, self.quality_user, 6)
        report.with_user(self.quality_user).lessons_learned = "Check the drawings first."
        advance(report, self.quality_user, 7)  # signed off, nothing to file the lesson on
        self.assertEqual(report.signed_off, "7")
        self.assertFalse(report.lesson_ids)
        action = report.with_user(self.quality_user).action_create_lesson()
        self.assertNotIn("res_id", action)
        self.assertEqual(action["context"]["default_eightd_id"], report.id)
        self.assertEqual(action["context"]["default_lesson"], "Check the drawings first.")
        self.assertFalse(report.lesson_ids)

    def test_roles_on_lessons(self):
        vals = {
            "name": "Seal orientation",
            "categ_id": self.pumps.id,
            "problem": "Leak",
            "root_cause": "Seal fitted backwards",
            "lesson": "Asymmetric seals get a poka-yoke",
        }
        Lesson = self.env["csc.lesson"]
        for user in (self.desk_user, self.technician, self.clerk, self.outsider, self.accountant):
            with self.assertRaises(AccessError):
                Lesson.with_user(user).create(dict(vals))
        lesson = Lesson.with_user(self.quality_user).create(dict(vals))
        self.assertEqual(lesson.with_user(self.desk_user).lesson, vals["lesson"])
        with self.assertRaises(AccessError):
            lesson.with_user(self.desk_user).write({"lesson": "x"})
        with self.assertRaises(AccessError):
            lesson.with_user(self.quality_user).unlink()
        for user in (self.technician, self.clerk, self.outsider, self.salesperson):
            with self.assertRaises(AccessError):
                lesson.with_user(user).read(["lesson"])
        self.assertEqual(lesson.lesson, vals["lesson"])
        with self.assertRaisesRegex(ValidationError, "product or its product family"):
            Lesson.with_user(self.quality_user).create(dict(vals, categ_id=False))
        lesson.with_user(self.service_manager).unlink()
        self.assertFalse(lesson.exists())

    # -- customer-specific 8D fields ---------------------------------------------------------

    def test_customer_fields_asked_by_the_requirement(self):
        zero_km = self.env.ref("customer_service_control.csc_eightd_extra_field_effect_0km")
        plants = self.env.ref("customer_service_control.csc_eightd_extra_field_other_plants")
        requirement = self.env["csc.customer.requirement"].create(
            {
                "name": "8D format",
                "partner_id": self.customer.id,
                "topic": "problem_solving",
                "eightd_extra_field_ids": [Command.set((zero_km | plants).ids)],
            }
        )
        # a draft requirement asks for nothing yet
        report = self.env["csc.eightd"].create({"complaint_id": self._complaint().id})
        self.assertFalse(report.extra_value_ids)
        force(requirement, {"state": "released"})
        report.with_user(self.quality_user).action_update_customer_fields()
        self.assertEqual(report.extra_value_ids.field_id, zero_km | plants)
        fresh = self.env["csc.eightd"].create({"complaint_id": self._complaint().id})
        self.assertEqual(fresh.extra_value_ids.field_id, zero_km | plants)
        other = self.env["res.partner"].create({"name": "Other OEM", "is_company": True})
        elsewhere = self.env["csc.eightd"].create(
            {"complaint_id": self._complaint(partner_id=other.id, contact_id=False).id}
        )
        self.assertFalse(elsewhere.extra_value_ids)
        # filled by quality, read by the desk, refused to the others
        line = fresh.extra_value_ids.filtered(lambda v: v.field_id == zero_km)
        line.with_user(self.quality_user).value = "Noise at the end-of-line test"
        with self.assertRaises(AccessError):
            line.with_user(self.desk_user).write({"value": "x"})
        with self.assertRaises(AccessError):
            line.with_user(self.technician).read(["value"])
        self.assertEqual(line.value, "Noise at the end-of-line test")
        # the master list is the service manager's
        with self.assertRaises(AccessError):
            self.env["csc.eightd.extra.field"].with_user(self.quality_user).create(
                {"name": "Safety relevance"}
            )
        with self.assertRaises(AccessError):
            zero_km.with_user(self.quality_user).write({"name": "x"})
        self.env["csc.eightd.extra.field"].with_user(self.service_manager).create(
            {"name": "Safety relevance"}
        )
        # closure waits for every field the customer asks for
        advance(self.report, self.quality_user, 7)
        self.report.with_user(self.quality_user).action_update_customer_fields()
        self.assertEqual(len(self.report.extra_value_ids), 2)
        self.report.action_ids.write(
            {"verifier_id": self.service_manager.id, "effectiveness_note": "0 defects"}
        )
        self.report.action_ids.with_user(self.service_manager).action_verify_effective()
        with self.assertRaisesRegex(UserError, "Other Plants Affected"):
            self.report.with_user(self.general_manager).action_sign_off("8")
        self.assertEqual(self.report.state, "open")
        for value, text in zip(self.report.extra_value_ids, ("At EOL test", "None"), strict=True):
            value.with_user(self.quality_user).value = text
        self.report.with_user(self.general_manager).action_sign_off("8")
        self.assertEqual(self.report.state, "closed")
        with self.assertRaisesRegex(UserError, "finished and locked"):
            self.report.extra_value_ids[0].with_user(self.quality_user).value = "late"

    # -- the printed 8D ----------------------------------------------------------------------

    def test_pdf_prints_whys_ishikawa_and_customer_fields(self):
        zero_km = self.env.ref("customer_service_control.csc_eightd_extra_field_effect_0km")
        field_effect = self.env.ref("customer_service_control.csc_eightd_extra_field_effect_field")
        requirement = self.env["csc.customer.requirement"].create(
            {
                "name": "8D format",
                "partner_id": self.customer.id,
                "eightd_extra_field_ids": [Command.set((zero_km | field_effect).ids)],
            }
        )
        force(requirement, {"state": "released"})
        self.report.with_user(self.quality_user).action_update_customer_fields()
        for line, text in zip(
            self.report.extra_value_ids,
            ("Knocking at the EOL noise test", "Driver hears a knock when parking"),
            strict=True,
        ):
            line.value = text
        advance(self.report, self.quality_user, 3)
        chains = {
            "occurrence": [
                ("Why was the column noisy?", "The intermediate shaft bolt was loose."),
                ("Why was the bolt loose?", "Torque 18 Nm instead of 25 Nm."),
                ("Why 18 Nm?", "The nutrunner program was changed."),
                ("Why was it changed unvalidated?", "Programs were not under change control."),
            ],
            "detection": [
                ("Why was it not detected?", "The noise threshold was 44 dB."),
                ("Why 44 dB?", "Set at launch and never reviewed."),
            ],
            "systemic": [("Why no review?", "The control plan had no review trigger.")],
        }
        commands = []
        for chain, steps in chains.items():
            for index, (question, answer) in enumerate(steps, start=1):
                commands.append(
                    Command.create(
                        {
                            "chain": chain,
                            "sequence": index,
                            "question": question,
                            "answer": answer,
                            "evidence": "Audit record" if index == 1 else False,
                            "is_root_cause": index == len(steps),
                        }
                    )
                )
        grid = [
            ("man", "New operator on night shift", "no"),
            ("machine", "Nutrunner program changed", "yes"),
            ("machine", "Worn socket", "no"),
            ("method", "No change control on programs", "yes"),
            ("material", "Bolt coating", "no"),
            ("measurement", "Noise threshold 44 dB", "yes"),
            ("environment", "Temperature of the hall", "no"),
        ]
        self.report.with_user(self.quality_user).write(
            {
                "why_line_ids": commands,
                "ishikawa_line_ids": [
                    Command.create({"category": c, "name": n, "verified": v}) for c, n, v in grid
                ],
            }
        )
        advance(self.report, self.quality_user, 4)
        report_values = self.env["report.customer_service_control.report_eightd"]
        values = report_values._get_report_values(self.report.ids)
        self.assertEqual(
            [len(steps) for _label, steps in values["why_chains"][self.report.id]], [4, 2, 1]
        )
        ishikawa = values["ishikawa"][self.report.id]
        self.assertEqual(len(ishikawa["headers"]), 6)
        self.assertEqual(len(ishikawa["rows"]), 2)  # two causes under "machine"
        self.assertEqual(ishikawa["rows"][1][1].name, "Worn socket")
        self.assertIsNone(ishikawa["rows"][1][0])
        # wkhtmltopdf fetches the styles from this test's HTTP server
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", f"http://127.0.0.1:{config['http_port']}"
        )
        pdf, _type = self.render_pdf("customer_service_control.report_eightd", self.report.ids)
        self.assertTrue(pdf.startswith(b"%PDF"))
        with open(PDF_PATH, "wb") as file:
            file.write(pdf)
        text = subprocess.run(
            ["pdftotext", "-layout", PDF_PATH, "-"], capture_output=True, check=True, text=True
        ).stdout
        for expected in (
            "5-Why: Occurrence",
            "5-Why: Non-Detection",
            "5-Why: Systemic",
            "Programs were not under change control.",
            "Ishikawa (6 M)",
            "Measurement",
            "Environment",
            "Worn socket",
            "Effect at 0 km",
            "Knocking at the EOL noise test",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("Other Plants Affected", text)  # not asked by this customer
