"""Sealed records (IATF 16949 7.5.3): finished records are sealed in a hash chain with their
printed form, the verification names what a database edit changed, and sealed records and their
files are kept for the company's retention period."""

import hashlib
from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import SQL

from .common import MODULE
from .common import SIGNATURE
from .common import ComplaintCase
from .common import force
from .test_signed_records import SignedVisitCase

REASON = "The customer sent new measurements."
KEPT = "kept until"


class TestRecordSeal(SignedVisitCase, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Seal = cls.env["csc.record.seal"]
        cls.production = cls.env.ref(f"{MODULE}.csc_department_production")
        cls.production.manager_id = cls.clerk
        cls.stock = cls.env.ref("stock.stock_location_stock")
        cls.kit = cls.env["product.product"].create({"name": "Seal kit", "is_storable": True})
        cls.env["stock.quant"]._update_available_quantity(cls.kit, cls.stock, 10)
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.groups_id |= cls.env.ref(f"{MODULE}.group_csc_general_manager")

    # -- finished records of each kind ---------------------------------------------------------

    def _closed_complaint(self, **vals):
        complaint = self._complaint(
            user_id=self.quality_user.id,
            responsibility="company",
            department_id=self.production.id,
            disposition="Replace the lot",
            **vals,
        )
        complaint.action_start_investigation()
        complaint.action_send_disposition()
        complaint._csc_record_reaction("accepted", "", "desk", self.contact)
        complaint.with_user(self.quality_user).action_close()
        return complaint

    def _closed_eightd(self):
        complaint = self._complaint(severity="major", user_id=self.quality_user.id)
        report = (
            self.env["csc.eightd"]
            .with_user(self.quality_user)
            .create({"complaint_id": complaint.id})
        )

        def sign(user=self.quality_user):
            signer = report.with_user(user)
            signer.with_context(csc_discipline=signer.discipline_to_sign).action_sign_off()

        report.write(
            {
                "emergency_response": "Stop shipments, sort stock.",
                "leader_id": self.quality_user.id,
                "team_line_ids": [(0, 0, {"user_id": self.quality_user.id, "role": "Leader"})],
                "problem_what": "Noise",
                "problem_how_many": "12 of 400",
                "containment_line_ids": [
                    (0, 0, {"place": "customer", "qty_checked": 400, "qty_defective": 12})
                ],
            }
        )
        for _step in range(4):  # D0 .. D3
            sign()
        report.cause_line_ids = [
            (0, 0, {"cause_type": cause, "name": name, "verified": True, "contribution": share})
            for cause, name, share in (("occurrence", "Die", 60), ("escape", "Test", 40))
        ]
        sign()  # D4
        action = self.env["csc.action"].create(
            {
                "name": "Poka-yoke on the press",
                "eightd_id": report.id,
                "complaint_id": complaint.id,
                "user_id": self.quality_user.id,
                "verifier_id": self.service_manager.id,
                "date_due": "2026-03-20",
            }
        )
        sign()  # D5
        action.with_user(self.quality_user).action_done()
        report.write({"validation": "0 defects in 2 weeks", "date_implemented": "2026-03-18"})
        sign()  # D6
        report.document_line_ids = [
            (0, 0, {"document_type": "pfmea", "name": "PFMEA steering gear", "revision": "C"})
        ]
        sign()  # D7
        action.effectiveness_note = "0 defects in 4 weeks"
        action.with_user(self.service_manager).action_verify_effective()
        sign(self.service_manager)  # D8
        self.assertEqual(report.state, "closed")
        return report

    def _signed_off_visit(self):
        visit = self._on_site_visit(self.env, self.customer, self.technician)
        visit.with_user(self.technician).write(
            {"customer_signature": SIGNATURE, "customer_signed_by": "Wang Jun"}
        )
        visit.with_user(self.technician).action_finish()
        self.assertEqual(visit.state, "done")
        return visit

    def _zeroed_loan(self):
        loan = (
            self.env["csc.part.loan"]
            .with_user(self.technician)
            .create(
                {
                    "technician_id": self.technician.id,
                    "partner_id": self.customer.id,
                    "line_ids": [(0, 0, {"product_id": self.kit.id, "quantity": 2})],
                }
            )
        )
        loan.with_user(self.clerk).action_confirm()
        loan.line_ids.with_user(self.technician).write({"qty_returned_todo": 2})
        loan.with_user(self.technician).action_settle()
        loan.line_ids.with_user(self.quality_user).write({"inspection_result": "stock"})
        loan.with_user(self.quality_user).action_apply_inspection()
        loan.with_user(self.clerk).action_zero()
        self.assertEqual(loan.state, "zeroed")
        return loan

    def _released_plan(self):
        complaint = self._complaint(qty_affected=2)
        housing = self.env["product.product"].create({"name": "Housing", "is_storable": True})
        line = self.env["csc.complaint.return"].create(
            {"complaint_id": complaint.id, "product_id": housing.id, "quantity": 2}
        )
        force(line, {"state": "received"})
        line.write({"inspection_result": "Burr on the shaft", "disposition": "rework"})
        rework = self.env["stock.location"]._csc_rework_location(self.company)
        self.env["stock.quant"]._update_available_quantity(housing, rework, 2)
        action = line.with_user(self.quality_user).action_plan_rework()
        plan = self.env["csc.rework.plan"].browse(action["res_id"]).with_user(self.quality_user)
        plan.write(
            {"route": "Deburr, wash, test", "user_id": self.clerk.id, "date_needed": "2026-03-20"}
        )
        plan.action_start()
        plan.qty_done = 2
        plan.action_finish_rework()
        plan.write({"qty_ok": 2, "release_to": "stock"})
        plan.action_reinspect()
        plan.action_release()
        self.assertEqual(plan.state, "done")
        return plan.with_env(self.env)

    def _issued_report(self):
        report = self.env["csc.monthly.report"].create({"date_start": "2026-03-01"})
        report.with_user(self.service_manager).action_issue()
        self.assertEqual(report.state, "issued")
        return report

    # -- helpers -------------------------------------------------------------------------------

    def _commit_point(self):
        """What a commit does first: the records finished in the transaction are sealed."""
        self.env.cr.flush()

    def _seals(self, record):
        return self.Seal.search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)], order="sequence"
        )

    def _sql(self, query, *args):
        self.env.flush_all()
        self.env.cr.execute(SQL(query, *args))
        self.env.invalidate_all()

    def _verify(self):
        return self.Seal._csc_verify(company=self.company)

    def _age_seals(self, record, years=6):
        """Move the seals of a record back beyond the retention period (set-up only)."""
        self._sql(
            "UPDATE csc_record_seal SET date_sealed = date_sealed - %s "
            "WHERE res_model = %s AND res_id = %s",
            timedelta(days=366 * years),
            record._name,
            record.id,
        )

    # -- sealing -------------------------------------------------------------------------------

    def test_finishing_each_kind_seals_it_with_its_printed_form(self):
        makers = {
            "csc.complaint": self._closed_complaint,
            "csc.eightd": self._closed_eightd,
            "csc.service.visit": self._signed_off_visit,
            "csc.part.loan": self._zeroed_loan,
            "csc.rework.plan": self._released_plan,
            "csc.monthly.report": self._issued_report,
        }
        for model, make in makers.items():
            with self.subTest(kind=model):
                record = make()
                self.assertFalse(self._seals(record), "sealed when the transaction commits")
                self._commit_point()
                seal = self._seals(record)
                self.assertEqual(len(seal), 1)
                self.assertEqual((seal.event, seal.version, seal.res_model), ("seal", 1, model))
                self.assertEqual(seal.company_id, self.company)
                self.assertEqual(seal.content_hash, record._csc_seal_hash())
                self.assertEqual(seal.date_retention.year, seal.date_sealed.year + 5)
                # The chain: each seal follows the one before it in its company and kind.
                before = self.Seal.search(
                    [
                        ("company_id", "=", self.company.id),
                        ("res_model", "=", model),
                        ("sequence", "=", seal.sequence - 1),
                    ]
                )
                self.assertEqual(seal.previous_hash, before.chain_hash or "")
                # The printed form, stored on the record with its checksum.
                attachment = seal.attachment_id
                self.assertEqual((attachment.res_model, attachment.res_id), (model, record.id))
                self.assertTrue(attachment.raw)
                self.assertEqual(
                    seal.attachment_checksum, hashlib.sha256(attachment.raw).hexdigest()
                )
        # Two complaints closed: the second links to the first.
        first = self._closed_complaint(title="First")
        second = self._closed_complaint(title="Second")
        self._commit_point()
        self.assertEqual(self._seals(second).previous_hash, self._seals(first).chain_hash)
        self.assertEqual(self._seals(second).sequence, self._seals(first).sequence + 1)
        self.assertEqual(self._verify(), [])

    def test_open_records_and_other_visits_are_not_sealed(self):
        complaint = self._complaint(user_id=self.quality_user.id)
        complaint.action_start_investigation()
        sales_visit = self.env["csc.service.visit"].create(
            {"partner_id": self.customer.id, "visit_type": "customer_visit"}
        )
        sales_visit.action_visit_done()
        self._commit_point()
        self.assertFalse(self._seals(complaint) | self._seals(sales_visit))

    def test_printed_form_is_the_pdf_of_the_record(self):
        """As in production: the rework plan's own form, printed by wkhtmltopdf."""
        plan = self._released_plan()
        self.registry.enter_test_mode(self.cr)
        try:
            self.Seal.with_context(force_report_rendering=True)._csc_seal_pending()
        finally:
            self.registry.leave_test_mode()
        attachment = self._seals(plan).attachment_id
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertTrue(attachment.raw.startswith(b"%PDF"))
        self.assertIn(plan.name, attachment.name)
        with open("/work/tmp/seal-rework-plan.pdf", "wb") as file:
            file.write(attachment.raw)

    # -- verification --------------------------------------------------------------------------

    def test_record_altered_in_the_database_is_named(self):
        altered = {
            "csc.complaint": (self._closed_complaint, "date_closed", "2020-01-01 00:00:00"),
            "csc.eightd": (self._closed_eightd, "problem_what", "Nothing"),
            "csc.service.visit": (self._signed_off_visit, "customer_signed_by", "Nobody"),
            "csc.rework.plan": (self._released_plan, "qty_ok", 1),
            "csc.monthly.report": (self._issued_report, "issued_targets", '{"a": 1}'),
        }
        records = {model: make() for model, (make, _column, _value) in altered.items()}
        loan = self._zeroed_loan()
        self._commit_point()
        self.assertEqual(self._verify(), [])
        for model, (_make, column, value) in altered.items():
            record = records[model]
            with self.subTest(kind=model):
                self.env.cr.execute("SAVEPOINT csc_altered")
                self._sql(
                    "UPDATE %s SET %s = %s WHERE id = %s",
                    SQL.identifier(record._table),
                    SQL.identifier(column),
                    value,
                    record.id,
                )
                problems = self._verify()
                self.assertEqual(len(problems), 1, problems)
                self.assertEqual(problems[0]["seal"], self._seals(record))
                self.assertEqual(
                    problems[0]["record"], f"{model},{record.id} {record.display_name}"
                )
                self.assertIn("no longer matches its seal", problems[0]["problem"])
                self.env.cr.execute("ROLLBACK TO SAVEPOINT csc_altered")
                self.env.invalidate_all()
        self.assertEqual(self._verify(), [])
        # A line of a sealed record (the loan's parts) is part of its content.
        self._sql("UPDATE csc_part_loan_line SET quantity = 5 WHERE id = %s", loan.line_ids[0].id)
        self.assertEqual(
            [p["record"] for p in self._verify()], [f"csc.part.loan,{loan.id} {loan.display_name}"]
        )

    def test_chain_tampering_is_detected(self):
        first, second, third = (self._closed_complaint(title=t) for t in ("A", "B", "C"))
        self._commit_point()
        seals = [self._seals(record) for record in (first, second, third)]
        self.assertEqual([seal.sequence for seal in seals], [1, 2, 3])  # sealed in their order
        self.assertEqual(self._verify(), [])
        # The seal's own data rewritten (its content hash, to match an altered record).
        self._sql(
            "UPDATE csc_record_seal SET content_hash = %s WHERE id = %s", "0" * 64, seals[0].id
        )
        problems = self._verify()
        self.assertEqual(problems[0]["seal"], seals[0])
        self.assertIn("seal itself was altered", problems[0]["problem"])
        # ... and its chain hash rewritten as well: the next link breaks.
        self._sql("UPDATE csc_record_seal SET chain_hash = %s WHERE id = %s", "1" * 64, seals[0].id)
        problems = self._verify()
        self.assertIn(seals[1], [p["seal"] for p in problems])
        self.assertIn("chain is broken", " ".join(p["problem"] for p in problems))

    def test_removed_seal_and_altered_printed_form_are_detected(self):
        first, second = (self._closed_complaint(title=t) for t in ("A", "B"))
        other = self._closed_complaint(title="Other")
        self._commit_point()
        seal_first, seal_second = self._seals(first), self._seals(second)
        # The printed form replaced by another file behind the application's back.
        self._sql(
            "UPDATE ir_attachment SET store_fname = %s, db_datas = %s WHERE id = %s",
            self._seals(other).attachment_id.store_fname,
            self._seals(other).attachment_id.db_datas or None,
            seal_first.attachment_id.id,
        )
        problems = self._verify()
        self.assertEqual(len(problems), 1)
        self.assertEqual(problems[0]["seal"], seal_first)
        self.assertIn("printed form was altered", problems[0]["problem"])
        # A seal removed from the chain: the next one no longer links, the record is unsealed.
        self._sql("DELETE FROM csc_record_seal WHERE id = %s", seal_first.id)
        problems = self._verify()
        texts = {p["problem"] for p in problems}
        self.assertTrue(any("removed" in text for text in texts), texts)
        self.assertIn(seal_second, [p["seal"] for p in problems])
        self.assertIn(
            f"csc.complaint,{first.id} {first.display_name}", [p["record"] for p in problems]
        )

    def test_reopen_then_finish_again_seals_a_new_version(self):
        complaint = self._closed_complaint()
        self._commit_point()
        first = self._seals(complaint)
        complaint.with_user(self.service_manager)._csc_reopen(REASON)
        self._commit_point()
        reopened = self._seals(complaint) - first
        self.assertEqual((reopened.event, reopened.version), ("reopen", 1))
        self.assertEqual(reopened.previous_hash, first.chain_hash)
        self.assertFalse(reopened.attachment_id)
        # Corrected while reopened: nothing to report, the old seal is kept as it was.
        complaint.write({"disposition": "Replace the lot and sort the stock"})
        self.assertEqual(self._verify(), [])
        complaint.action_send_disposition()  # the customer had accepted it
        complaint.with_user(self.quality_user).action_close()
        self._commit_point()
        seals = self._seals(complaint)
        self.assertEqual(seals.mapped("event"), ["seal", "reopen", "seal"])
        self.assertEqual(seals.mapped("version"), [1, 1, 2])
        self.assertEqual(seals[2].previous_hash, seals[1].chain_hash)
        self.assertEqual(seals[2].content_hash, complaint._csc_seal_hash())
        self.assertNotEqual(seals[2].content_hash, seals[0].content_hash)
        self.assertNotEqual(seals[2].attachment_id, seals[0].attachment_id)
        self.assertTrue(seals[0].attachment_id.exists())
        self.assertEqual(self._verify(), [])

    def test_change_by_the_application_seals_a_new_version(self):
        """A transition that changes a finished record (the data loader's, here) seals the new
        content as the next version: only a change outside the application is reported."""
        plan = self._released_plan()
        self._commit_point()
        force(plan, {"effectiveness_note": "Defect removed on every part"})
        self._commit_point()
        seals = self._seals(plan)
        self.assertEqual(seals.mapped("version"), [1, 2])
        self.assertEqual(seals[1].content_hash, plan._csc_seal_hash())
        self.assertEqual(self._verify(), [])
        # A change the seal does not cover (the chatter) seals nothing.
        plan.message_post(body="Photos of the reworked parts")
        force(plan, {"activity_ids": [(5, 0, 0)]})
        self._commit_point()
        self.assertEqual(len(self._seals(plan)), 2)

    def test_seal_is_verified_against_what_it_covered(self):
        """A later version of the addon may seal other fields: the seals made before keep
        being verified on the fields they covered, and an upgrade seals nothing again."""
        complaint = self._closed_complaint()
        self._commit_point()
        seal = self._seals(complaint)
        self.assertIn("disposition", seal.content_fields["fields"])
        self.assertNotIn("message_ids", seal.content_fields["fields"])
        narrower = frozenset({"active", "disposition"})
        with patch.object(type(complaint), "_csc_seal_excluded_fields", narrower):
            self.assertNotEqual(complaint._csc_seal_hash(), seal.content_hash)
            self.assertEqual(self._verify(), [])
            self.Seal._csc_seal_missing()
        self.assertEqual(self._seals(complaint), seal)

    def test_records_finished_before_sealing_are_sealed_by_jobs(self):
        """An installation or upgrade seals the finished records that have no seal in
        background jobs (rendering years of printed forms would hold the upgrade up); a job
        performed twice seals nothing twice."""
        issued = self._issued_report()
        self._sql("DELETE FROM csc_record_seal WHERE res_model = %s", issued._name)
        Job = self.env["queue.job"].sudo()
        jobs = Job.search([])
        self.Seal.with_context(queue_job__no_delay=False)._csc_seal_missing()
        self.assertFalse(self._seals(issued), "sealed while upgrading")
        job = Job.search([]) - jobs
        self.assertEqual(len(job), 1)
        self.assertEqual(job.method_name, "_csc_seal_first")
        self.assertIn(issued, job.args[0])
        # The job performed (twice): one seal with its printed form, the chain verifies.
        for _run in range(2):
            issued._csc_seal_first(issued)
        seal = self._seals(issued)
        self.assertEqual((len(seal), seal.version), (1, 1))
        self.assertTrue(seal.attachment_id.raw)
        self.assertEqual(self._verify(), [])

    def test_state_forged_in_the_database_is_named(self):
        complaint = self._closed_complaint()
        self._commit_point()
        complaint.with_user(self.service_manager)._csc_reopen(REASON)
        self._commit_point()
        # Closed again behind the application's back, with another disposition: no seal.
        self._sql(
            "UPDATE csc_complaint SET state = 'closed', disposition = 'Nothing' WHERE id = %s",
            complaint.id,
        )
        problems = self._verify()
        self.assertEqual(len(problems), 1)
        self.assertEqual(problems[0]["record"], f"csc.complaint,{complaint.id} {complaint.name}")
        self.assertIn("never sealed", problems[0]["problem"])
        # Reopened in the database to be edited: its latest seal still holds.
        other = self._closed_complaint(title="Other")
        self._commit_point()
        self._sql(
            "UPDATE csc_complaint SET state = 'investigation', disposition = 'x' WHERE id = %s",
            other.id,
        )
        self.assertIn(
            f"csc.complaint,{other.id} {other.name}", [p["record"] for p in self._verify()]
        )

    # -- append-only seals ---------------------------------------------------------------------

    def test_seals_are_never_written_deleted_or_made_by_hand(self):
        complaint = self._closed_complaint()
        self._commit_point()
        seal = self._seals(complaint)
        before = seal.read(["content_hash", "chain_hash", "date_sealed", "attachment_id"])
        for env in (
            self.env(user=self.quality_user),
            self.env(user=self.service_manager),
            self.env(user=self.admin),
            self.env(su=True),
        ):
            as_user = seal.with_env(env)
            with self.subTest(user=env.user.login, su=env.su):
                with self.assertRaises(UserError):
                    as_user.write({"content_hash": "0" * 64})
                with self.assertRaises(UserError):
                    as_user.unlink()
                with self.assertRaises(UserError):
                    env["csc.record.seal"].create(
                        {
                            "company_id": self.company.id,
                            "res_model": "csc.complaint",
                            "res_id": complaint.id,
                            "event": "seal",
                        }
                    )
        with self.assertRaisesRegex(UserError, "never changes"):
            seal.sudo().write({"version": 9})
        with self.assertRaisesRegex(UserError, "never deleted"):
            seal.sudo().unlink()
        with self.assertRaisesRegex(UserError, "made by the system"):
            self.Seal.sudo().create({"res_model": "csc.complaint", "res_id": 1, "event": "seal"})
        self.assertEqual(
            seal.read(["content_hash", "chain_hash", "date_sealed", "attachment_id"]), before
        )
        # Auditors read the seals; the desk does not.
        self.assertTrue(seal.with_user(self.quality_user).chain_hash)
        with self.assertRaises(AccessError):
            seal.with_user(self.desk_user).read(["chain_hash"])

    # -- retention -----------------------------------------------------------------------------

    def _everyone(self):
        return (self.service_manager, self.general_manager, self.admin)

    def test_sealed_record_not_deleted_inside_its_retention(self):
        # Reopened to a draft: the workflow alone would let a manager delete it.
        report = self._issued_report()
        self._commit_point()
        report.with_user(self.service_manager)._csc_reopen(REASON)
        self._commit_point()
        self.assertEqual(report.state, "draft")
        for user in self._everyone():
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(UserError, KEPT):
                    report.with_user(user).unlink()
        with self.assertRaisesRegex(UserError, KEPT):
            report.sudo().unlink()
        self.assertTrue(report.exists())
        # Once the retention period is over, the record may go; its seals stay, and the
        # verification knows it was deleted in time.
        self._age_seals(report)
        report.with_user(self.service_manager).unlink()
        self.assertFalse(report.exists())
        self.assertTrue(self._seals(report))
        # (the seals' dates moved back by the set-up break their chain hash, not the deletion)
        problems = " ".join(p["problem"] for p in self._verify())
        self.assertNotIn("deleted inside its retention", problems)

    def test_sealed_record_not_archived_inside_its_retention(self):
        complaint = self._closed_complaint()
        self._commit_point()
        for user in (self.quality_user, *self._everyone()):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(UserError, KEPT):
                    complaint.with_user(user).action_archive()
        # Reopened (no longer locked), it is still kept.
        complaint.with_user(self.service_manager)._csc_reopen(REASON)
        self._commit_point()
        for user in (self.quality_user, *self._everyone()):
            with self.subTest(user=user.login, reopened=True):
                with self.assertRaisesRegex(UserError, KEPT):
                    complaint.with_user(user).write({"active": False})
        with self.assertRaisesRegex(UserError, KEPT):
            complaint.sudo().action_archive()
        self.assertTrue(complaint.active)
        self._age_seals(complaint)
        complaint.with_user(self.quality_user).action_archive()
        self.assertFalse(complaint.active)

    def test_attachments_of_sealed_records_are_kept(self):
        complaint = self._closed_complaint()
        self._commit_point()
        printed = self._seals(complaint).attachment_id
        photo = self.env["ir.attachment"].create(
            {
                "name": "photo.png",
                "raw": b"photo",
                "res_model": complaint._name,
                "res_id": complaint.id,
            }
        )
        raw = printed.raw
        for user in (self.quality_user, *self._everyone()):
            for attachment in printed | photo:
                with self.subTest(user=user.login, attachment=attachment.name):
                    as_user = attachment.with_user(user)
                    with self.assertRaisesRegex(UserError, KEPT):
                        as_user.unlink()
                    with self.assertRaises(UserError):
                        as_user.write({"raw": b"other"})
                    with self.assertRaises(UserError):
                        as_user.write({"res_id": self._complaint().id})
        with self.assertRaisesRegex(UserError, KEPT):
            printed.sudo().unlink()
        self.assertEqual(printed.raw, raw)
        self.assertEqual(printed.res_id, complaint.id)
        printed.sudo().write({"name": "renamed.pdf"})  # the name is not what is kept
        self.assertEqual(self._verify(), [])
        self._age_seals(complaint)
        photo.with_user(self.quality_user).unlink()
        self.assertFalse(photo.exists())

    def test_retention_period_is_a_company_setting(self):
        self.assertEqual(self.company.csc_retention_years, 5)
        settings = self.env["res.config.settings"].create({"csc_retention_years": 7})
        settings.execute()
        self.assertEqual(self.company.csc_retention_years, 7)
        complaint = self._closed_complaint()
        self._commit_point()
        seal = self._seals(complaint)
        self.assertEqual(seal.date_retention.year, seal.date_sealed.year + 7)
        with self.assertRaisesRegex(UserError, "one year at least"):
            self.company.csc_retention_years = 0

    # -- Verify Records ------------------------------------------------------------------------

    def test_verify_records_wizard_and_report(self):
        complaint = self._closed_complaint()
        self._zeroed_loan()
        self._commit_point()
        with self.assertRaises(AccessError):
            self.env["csc.record.verify"].with_user(self.desk_user).create({}).action_verify()
        wizard = self.env["csc.record.verify"].with_user(self.quality_user).create({})
        wizard.action_verify()
        self.assertEqual(wizard.state, "intact")
        self.assertEqual((wizard.chain_count, wizard.seal_count), (2, 2))
        self.assertFalse(wizard.line_ids)
        self._sql("UPDATE csc_complaint SET disposition = 'Nothing' WHERE id = %s", complaint.id)
        broken = self.env["csc.record.verify"].with_user(self.quality_user).create({})
        broken.action_verify()
        self.assertEqual(broken.state, "broken")
        self.assertEqual(broken.line_ids.seal_id, self._seals(complaint))
        self.assertIn(complaint.name, broken.first_problem)
        for name, verification in (("intact", wizard), ("broken", broken)):
            content, kind = self.render_pdf(f"{MODULE}.csc_record_verify_report", verification.ids)
            self.assertEqual(kind, "pdf")
            self.assertTrue(content.startswith(b"%PDF"))
            with open(f"/work/tmp/seal-verify-{name}.pdf", "wb") as file:
                file.write(content)
        self.assertEqual(broken.action_print()["report_name"], f"{MODULE}.report_record_verify")
