"""8D sign-offs stored per discipline (who and when): written only by the sign-off, naming the
discipline its user saw, once, even when two users press the button at the same moment; the
migration rebuilds them from the tracked history."""

from contextlib import closing
from datetime import timedelta

from psycopg2 import errors as pg_errors

from odoo import SUPERUSER_ID
from odoo import api
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tools import mute_logger

from .common import force
from .test_complaint import FRIDAY_10
from .test_complaint import ComplaintCase


class SignoffCase(ComplaintCase):
    def setUp(self):
        super().setUp()
        complaint = self._complaint(severity="major", user_id=self.quality_user.id)
        self.report = self.env["csc.eightd"].create(
            {
                "complaint_id": complaint.id,
                "emergency_response": "Stop shipments, sort stock.",
                "leader_id": self.quality_user.id,
                "team_line_ids": [(0, 0, {"user_id": self.quality_user.id, "role": "Leader"})],
                "problem_what": "Noise",
                "problem_how_many": "12 of 400",
            }
        )

    def _state(self):
        self.report.invalidate_recordset()
        lines = self.report.sudo().signoff_ids
        return self.report.signed_off, [(line.discipline, line.user_id) for line in lines]


class TestSignoff(SignoffCase):
    def test_signoff_records_who_and_when(self):
        report = self.report.with_user(self.quality_user)
        report.with_context(csc_discipline=report.discipline_to_sign).action_sign_off()
        report.action_sign_off("1")  # an RPC caller names it as the argument
        report.action_sign_off(2)  # or its number
        self.assertEqual(report.signed_off, "2")
        self.assertEqual(report.discipline_to_sign, "3")
        lines = report.signoff_ids
        self.assertEqual(lines.mapped("discipline"), ["0", "1", "2"])
        self.assertEqual(lines.user_id, self.quality_user)
        self.assertTrue(all(lines.mapped("date")))
        self.assertEqual(lines.company_id, report.company_id)

    def test_signoff_names_the_discipline_seen(self):
        report = self.report.with_user(self.quality_user)
        report.action_sign_off("0")
        before = self._state()
        refused = (
            (None, "Name the discipline you sign off"),
            ("", "Name the discipline you sign off"),
            ("9", "9 is not a discipline"),
            ("D1", "D1 is not a discipline"),
            ("0", "D0 Emergency Response is already signed off by csc_quality"),
            ("2", "D2 Problem Description cannot be signed off before D1 Team"),
        )
        for discipline, message in refused:
            with self.subTest(discipline=discipline), self.assertRaisesRegex(UserError, message):
                report.action_sign_off(discipline)
            self.assertEqual(self._state(), before)
        # A click repeated with the discipline of the form already signed: refused too.
        with self.assertRaisesRegex(UserError, "already signed off"):
            report.with_context(csc_discipline="0").action_sign_off()
        self.assertEqual(self._state(), before)

    def test_no_role_writes_a_signoff(self):
        self.report.with_user(self.quality_user).action_sign_off("0")
        line = self.report.signoff_ids
        before = self._state()
        users = (
            self.desk_user,
            self.quality_user,
            self.technician,
            self.clerk,
            self.service_manager,
            self.general_manager,
            self.outsider,
        )
        for user in users:
            model = self.env["csc.eightd.signoff"].with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):  # an AccessError (ACL) or the guard
                    model.create(
                        {"eightd_id": self.report.id, "discipline": "1", "user_id": user.id}
                    )
                with self.assertRaises(UserError):  # the guard, before the ACL
                    line.with_user(user).write({"user_id": user.id})
                with self.assertRaises(AccessError):
                    line.with_user(user).unlink()
                with self.assertRaises(UserError):  # an AccessError (ACL) or the guard
                    self.report.with_user(user).write({"signoff_ids": [(2, line.id)]})
            self.assertEqual(self._state(), before)
        # Nor any code outside the transition, whatever its rights.
        with self.assertRaisesRegex(UserError, "only through its actions"):
            line.sudo().write({"date": "2026-01-01 00:00:00"})
        with self.assertRaisesRegex(UserError, "cannot be created with"):
            self.env["csc.eightd.signoff"].sudo().create(
                {"eightd_id": self.report.id, "discipline": "1", "user_id": self.desk_user.id}
            )
        with self.assertRaisesRegex(UserError, "removed only by reopening"):
            line.sudo().unlink()
        self.assertEqual(self._state(), before)

    def test_who_reads_the_signoffs(self):
        self.report.with_user(self.quality_user).action_sign_off("0")
        line = self.report.signoff_ids
        for user in (self.desk_user, self.quality_user, self.service_manager):
            self.assertEqual(
                self.env["csc.eightd.signoff"].with_user(user).search([]), line, user.login
            )
        # The technician does not read the 8D reports (R-J), nor their sign-offs.
        with self.assertRaises(AccessError):
            self.env["csc.eightd.signoff"].with_user(self.technician).search([])
        with self.assertRaises(AccessError):
            line.with_user(self.technician).read(["user_id"])

    def test_signoffs_printed_with_name_and_date(self):
        self.report.with_user(self.quality_user).action_sign_off("0")
        force(self.report, {"signed_off": "1"})  # as an import would: no line
        rows = self.env["report.customer_service_control.report_eightd"]._signoffs(self.report)
        rows = rows[self.report.id]
        self.assertEqual(len(rows), 9)
        self.assertEqual(
            (rows[0]["done"], rows[0]["by"], rows[0]["on"]),
            (True, self.quality_user.name, self.report.signoff_ids.date),
        )
        self.assertEqual((rows[1]["done"], rows[1]["by"]), (True, ""))
        self.assertEqual((rows[2]["done"], rows[2]["by"], rows[2]["on"]), (False, "", False))


class TestSignoffMigration(SignoffCase):
    def test_signoffs_rebuilt_from_tracking(self):
        """The migration to 18.0.1.2.0 gives 8D reports signed off before their lines: who
        and when from the tracking; without tracking, the report's last writer and date."""
        self.env.cr.precommit.run()  # the report was created in an earlier transaction
        report = self.report.with_context(tracking_disable=False)
        for discipline, user in (
            ("0", self.quality_user),
            ("1", self.quality_user),
            ("2", self.service_manager),
        ):
            report.with_user(user).action_sign_off(discipline)
            self.env.cr.precommit.run()  # the tracking message of each sign-off
        expected = [(line.discipline, line.user_id, line.date) for line in report.signoff_ids]
        force(self.report, {"signed_off": "3"})  # D3 loaded without history
        with self.report._csc_transition():
            self.report.sudo().signoff_ids.unlink()
        self.assertFalse(self.report.signoff_ids)

        created = self.report._csc_signoffs_from_history()
        self.assertEqual(created.mapped("discipline"), ["0", "1", "2", "3"])
        for line, (discipline, user, date) in zip(created[:3], expected, strict=True):
            self.assertEqual((line.discipline, line.user_id), (discipline, user))
            self.assertLessEqual(abs(line.date - date), timedelta(seconds=1))
        self.assertEqual(
            (created[3].user_id, created[3].date), (self.report.write_uid, self.report.write_date)
        )
        # Run again: nothing missing, nothing added.
        self.assertFalse(self.report._csc_signoffs_from_history())

    def test_signoffs_taken_back_are_not_rebuilt(self):
        """A step back in the history (a reopened analysis) takes back the sign-offs above."""
        self.env.cr.precommit.run()  # the report was created in an earlier transaction
        report = self.report.with_context(tracking_disable=False)
        for discipline in ("0", "1", "2"):
            report.with_user(self.quality_user).action_sign_off(discipline)
            self.env.cr.precommit.run()
        with report._csc_transition():
            report.write({"signed_off": "0"})
        self.env.cr.precommit.run()
        self.assertEqual(report.signoff_ids.mapped("discipline"), ["0"])
        report.with_user(self.service_manager).action_sign_off("1")
        self.env.cr.precommit.run()
        with report._csc_transition():
            report.sudo().signoff_ids.unlink()
        created = report._csc_signoffs_from_history()
        self.assertEqual(
            [(line.discipline, line.user_id) for line in created],
            [("0", self.quality_user), ("1", self.service_manager)],
        )


class TestSignoffRace(ComplaintCase):
    """Two users pressing "Sign Off" on the same discipline at the same moment, on two
    database connections (two Odoo workers): one signs, the other is refused."""

    def setUp(self):
        super().setUp()
        self.db = self.env.cr.dbname
        with closing(db_connect(self.db).cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Race Sign-off", "is_company": True})
            complaint = env["csc.complaint"].create(
                {
                    "title": "Race",
                    "partner_id": partner.id,
                    "user_id": SUPERUSER_ID,
                    "date_received": FRIDAY_10,
                }
            )
            report = env["csc.eightd"].create(
                {
                    "complaint_id": complaint.id,
                    "emergency_response": "Stop shipments.",
                    "leader_id": SUPERUSER_ID,
                    "team_line_ids": [(0, 0, {"user_id": SUPERUSER_ID})],
                }
            )
            cr.commit()  # pylint: disable=invalid-commit
            self.race_ids = partner.id, complaint.id, report.id
        self.addCleanup(self._drop_committed_data)

    def _drop_committed_data(self):
        partner_id, complaint_id, report_id = self.race_ids
        with closing(db_connect(self.db).cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"install_mode": True}, su=True)
            report = env["csc.eightd"].browse(report_id)
            report.signoff_ids.unlink()
            report.unlink()
            env["csc.complaint"].browse(complaint_id).unlink()
            env["res.partner"].browse(partner_id).unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def _sign(self, cr, discipline):
        env = api.Environment(cr, SUPERUSER_ID, {})
        return env["csc.eightd"].browse(self.race_ids[2]).action_sign_off(discipline)

    def _committed(self):
        with closing(db_connect(self.db).cursor()) as cr:
            cr.execute("SELECT signed_off FROM csc_eightd WHERE id = %s", [self.race_ids[2]])
            signed_off = cr.fetchone()[0]
            cr.execute(
                "SELECT discipline FROM csc_eightd_signoff WHERE eightd_id = %s ORDER BY id",
                [self.race_ids[2]],
            )
            return signed_off, [row[0] for row in cr.fetchall()]

    def _retry_refused(self):
        """Odoo retries the loser's request in a new transaction: it sees the sign-off and is
        refused, instead of signing the next discipline nobody looked at."""
        with closing(db_connect(self.db).cursor()) as cr:
            with self.assertRaisesRegex(UserError, "D0 Emergency Response is already signed off"):
                self._sign(cr, "0")
            cr.rollback()

    def test_second_click_while_first_runs(self):
        with (
            closing(db_connect(self.db).cursor()) as cr_a,
            closing(db_connect(self.db).cursor()) as cr_b,
        ):
            cr_b.execute("SET lock_timeout = '10s'")  # a test that waits fails, not hangs
            self._sign(cr_a, "0")  # A holds the row until it commits
            with mute_logger("odoo.sql_db"), self.assertRaises(pg_errors.LockNotAvailable):
                self._sign(cr_b, "0")
            cr_b.rollback()
            cr_a.commit()
        self._retry_refused()
        self.assertEqual(self._committed(), ("0", ["0"]))

    def test_second_click_on_a_stale_snapshot(self):
        with (
            closing(db_connect(self.db).cursor()) as cr_a,
            closing(db_connect(self.db).cursor()) as cr_b,
        ):
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            self.assertEqual(env_b["csc.eightd"].browse(self.race_ids[2]).signed_off, "none")
            self._sign(cr_a, "0")
            cr_a.commit()
            # B read the report before A committed: its lock fails, Odoo retries it.
            with mute_logger("odoo.sql_db"), self.assertRaises(pg_errors.SerializationFailure):
                self._sign(cr_b, "0")
            cr_b.rollback()
        self._retry_refused()
        self.assertEqual(self._committed(), ("0", ["0"]))
