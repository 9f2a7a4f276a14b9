"""The responsible department and the recurrence of a problem (R-C8, R-C9, R-C10, issue 21):
the department's manager is told when a complaint is given to the department and receives the
department's complaints each month; the same problem at other customers is flagged and shares one
8D report; the quality contacts agreed on each side."""

import xmlrpc.client
from datetime import date
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import MODULE
from .common import ComplaintCase
from .common import force

SUMMARY = "Complaint given to your department: investigate and act"


class DepartmentCase(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.production = cls.env.ref(f"{MODULE}.csc_department_production")
        cls.production.manager_id = cls.clerk
        cls.assembly_manager = new_test_user(
            cls.env,
            login="csc_assembly_manager",
            groups=f"base.group_user,{MODULE}.group_csc_reader",
        )
        cls.assembly = cls.env["csc.department"].create(
            {"name": "Assembly", "code": "ASM-T", "manager_id": cls.assembly_manager.id}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Second OEM", "is_company": True, "csc_customer_type": "oem"}
        )
        cls.third_customer = cls.env["res.partner"].create(
            {"name": "Third OEM", "is_company": True, "csc_customer_type": "oem"}
        )

    def _told(self, complaint, manager):
        """The open department to-dos of `manager` on the complaint, and the queued mails of the
        complaint to the manager telling that it was given to the department they manage (a
        manager follows the complaint afterwards, like any follower)."""
        department = self.env["csc.department"].search([("manager_id", "=", manager.id)])
        activities = complaint.sudo().activity_ids.filtered(
            lambda a: a.user_id == manager and a.summary == SUMMARY
        )
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("model", "=", "csc.complaint"),
                    ("res_id", "=", complaint.id),
                    ("recipient_ids", "in", manager.partner_id.ids),
                    ("subject", "ilike", f"given to {department.name}"),
                ]
            )
        )
        return activities, mails


class TestDepartmentTold(DepartmentCase):
    def test_told_once_per_department_change(self):
        complaint = self._complaint(user_id=self.quality_user.id)
        self.assertEqual([len(r) for r in self._told(complaint, self.clerk)], [0, 0])
        # what an RPC `write` runs, as the desk user
        complaint.with_user(self.desk_user).write(
            {"responsibility": "company", "department_id": self.production.id}
        )
        activities, mails = self._told(complaint, self.clerk)
        self.assertEqual((len(activities), len(mails)), (1, 1))
        self.assertEqual(mails.state, "outgoing")  # in Odoo's mail queue
        self.assertIn(complaint.name, mails.subject)
        self.assertIn(self.production.name, mails.subject)
        # saved again with the same department, or other fields: nobody is told again
        complaint.with_user(self.desk_user).write(
            {"department_id": self.production.id, "root_cause": "Torque not checked"}
        )
        complaint.with_user(self.desk_user).write({"title": "Noise at any speed"})
        self.assertEqual([len(r) for r in self._told(complaint, self.clerk)], [1, 1])
        self.assertEqual([len(r) for r in self._told(complaint, self.assembly_manager)], [0, 0])
        # moved to another department: its manager is told, the first to-do is closed
        complaint.with_user(self.desk_user).write({"department_id": self.assembly.id})
        self.assertEqual([len(r) for r in self._told(complaint, self.assembly_manager)], [1, 1])
        activities, mails = self._told(complaint, self.clerk)
        self.assertEqual((len(activities), len(mails)), (0, 1))
        self.assertIn(self.assembly_manager.partner_id, complaint.message_partner_ids)

    def test_told_when_registered_with_the_department(self):
        complaint = self._complaint(responsibility="company", department_id=self.production.id)
        self.assertEqual([len(r) for r in self._told(complaint, self.clerk)], [1, 1])

    def test_batch_one_mail_per_manager(self):
        complaints = self._complaint() | self._complaint() | self._complaint()
        complaints.with_user(self.desk_user).write({"department_id": self.production.id})
        for complaint in complaints:
            self.assertEqual(len(self._told(complaint, self.clerk)[0]), 1)
        digest = (
            self.env["mail.message"]
            .sudo()
            .search(
                [("partner_ids", "in", self.clerk.partner_id.ids), ("subject", "ilike", "given to")]
            )
        )
        self.assertEqual(len(digest), 1)
        self.assertIn("3 complaints", digest.subject)
        for complaint in complaints:
            self.assertIn(complaint.name, str(digest.body))

    def test_meeting_decides_the_department(self):
        complaint = self._complaint(user_id=self.quality_user.id)
        quality = complaint.with_user(self.quality_user)
        with freeze_time("2026-03-09 08:00:00"):
            quality.action_start_investigation()
            quality.action_call_meeting()
            wizard = (
                self.env["csc.complaint.meeting.wizard"]
                .with_user(self.quality_user)
                .create(
                    {
                        "complaint_id": complaint.id,
                        "date_held": datetime(2026, 3, 9, 7, 0),
                        "user_ids": [(6, 0, self.quality_user.ids)],
                        "responsibility": "company",
                        "department_id": self.assembly.id,
                        "conclusion": "Assembly fitted the wrong seal.",
                    }
                )
            )
            wizard.action_confirm()
        self.assertEqual(complaint.department_id, self.assembly)
        self.assertEqual([len(r) for r in self._told(complaint, self.assembly_manager)], [1, 1])
        self.assertEqual([len(r) for r in self._told(complaint, self.clerk)], [0, 0])

    def test_department_without_manager_leaves_a_note(self):
        nobody = self.env["csc.department"].create({"name": "Design", "code": "DES-T"})
        complaint = self._complaint()
        complaint.with_user(self.desk_user).write({"department_id": nobody.id})
        self.assertIn("has no manager", str(complaint.message_ids[0].body))
        self.assertFalse(complaint.activity_ids.filtered(lambda a: a.summary == SUMMARY))

    def test_refused_for_other_roles_nothing_changed(self):
        complaint = self._complaint()
        for user in (self.technician, self.clerk, self.outsider):
            with self.assertRaises(AccessError):
                complaint.with_user(user).write({"department_id": self.production.id})
        complaint.invalidate_recordset()
        self.assertFalse(complaint.department_id)
        self.assertEqual([len(r) for r in self._told(complaint, self.clerk)], [0, 0])


class TestDepartmentDigest(DepartmentCase):
    def _digests(self, department):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "csc.department"), ("res_id", "=", department.id)])
        )

    def test_monthly_digest_per_department_once(self):
        april = datetime(2026, 4, 10, 9, 0)
        assembly_1 = self._complaint(
            title="Seal leaks",
            cause_category="assembly",
            department_id=self.production.id,
            date_received=april,
        )
        assembly_2 = self._complaint(
            title="Bolt loose",
            cause_category="assembly",
            department_id=self.production.id,
            date_received=april,
        )
        design = self._complaint(
            title="Housing too weak",
            cause_category="design",
            department_id=self.production.id,
            date_received=april,
        )
        march = self._complaint(
            title="March noise",
            cause_category="assembly",
            department_id=self.production.id,
            date_received=datetime(2026, 3, 20, 9, 0),
        )
        other = self._complaint(
            title="Wrong label",
            cause_category="other",
            department_id=self.assembly.id,
            date_received=april,
        )
        action = self.env["csc.action"].create(
            {
                "name": "Torque check at station 4",
                "complaint_id": march.id,
                "department_id": self.production.id,
                "user_id": self.quality_user.id,
                "date_due": date(2026, 5, 15),
            }
        )
        Department = self.env["csc.department"]
        with freeze_time("2026-05-01 06:30:00"):
            Department._cron_send_monthly_digest()
            Department._cron_send_monthly_digest()
            # the job performed again (a retry) sends nothing either
            self.assertEqual(
                Department._csc_job_monthly_digest(
                    self.production | self.assembly, date(2026, 4, 1)
                ),
                0,
            )
        mail = self._digests(self.production)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.clerk.partner_id)
        self.assertEqual(mail.state, "outgoing")
        body = str(mail.body_html)
        for complaint in assembly_1 | assembly_2 | design:
            self.assertIn(complaint.name, body)
        self.assertNotIn("March noise", body)
        self.assertNotIn(other.name, body)
        self.assertIn("Assembly</strong> (2)", body)
        self.assertIn("Design</strong> (1)", body)
        self.assertIn(action.name, body)
        self.assertIn("2026-04", mail.subject)
        assembly_mail = self._digests(self.assembly)
        self.assertEqual(len(assembly_mail), 1)
        self.assertIn(other.name, str(assembly_mail.body_html))
        self.assertNotIn(assembly_1.name, str(assembly_mail.body_html))
        # nothing to say to the quality department: no mail, the month done all the same
        self.assertFalse(self._digests(self.quality_dept))
        self.assertEqual(self.production.date_digest_sent, date(2026, 4, 1))
        self.assertEqual(self.quality_dept.date_digest_sent, date(2026, 4, 1))
        # the next month: the open action again, the complaints of April not
        with freeze_time("2026-06-01 06:30:00"):
            Department._cron_send_monthly_digest()
        mails = self._digests(self.production)
        self.assertEqual(len(mails), 2)
        june = mails.filtered(lambda m: "2026-05" in m.subject)
        self.assertIn(action.name, str(june.body_html))
        self.assertNotIn(assembly_1.name, str(june.body_html))

    def test_queued_as_a_background_job_once(self):
        Department = self.env["csc.department"].with_context(queue_job__no_delay=False)
        with freeze_time("2026-05-01 06:30:00"):
            Department._cron_send_monthly_digest()
            Department._cron_send_monthly_digest()
        jobs = (
            self.env["queue.job"].sudo().search([("method_name", "=", "_csc_job_monthly_digest")])
        )
        self.assertEqual(len(jobs), 1)
        self.assertFalse(self._digests(self.production))

    def test_digest_month_not_set_by_others(self):
        with self.assertRaises(AccessError):
            self.production.with_user(self.desk_user).write({"date_digest_sent": "2026-04-01"})
        self.assertFalse(self.production.date_digest_sent)


class TestRecurrence(DepartmentCase):
    def _at(self, customer, received, cause="assembly"):
        return self._complaint(
            partner_id=customer.id, contact_id=False, cause_category=cause, date_received=received
        )

    def test_same_problem_at_other_customers_flagged(self):
        self.company.csc_repeat_complaint_months = 3
        first = self._at(self.customer, datetime(2026, 3, 6, 10, 0))
        second = self._at(self.other_customer, datetime(2026, 5, 1, 10, 0))
        outside = self._at(self.third_customer, datetime(2026, 9, 1, 10, 0))
        other_cause = self._at(self.other_customer, datetime(2026, 3, 10, 10, 0), "design")
        same_customer = self._at(self.customer, datetime(2026, 4, 1, 10, 0))
        cancelled = self._at(self.third_customer, datetime(2026, 5, 2, 10, 0))
        force(cancelled, {"state": "cancelled"})
        self.env.invalidate_all()
        self.assertEqual(first.recurrence_ids, second)
        self.assertEqual(second.recurrence_ids, first | same_customer)
        self.assertEqual(same_customer.recurrence_ids, second)
        self.assertFalse(outside.recurrence_ids)
        self.assertFalse(other_cause.recurrence_ids)
        # the same-customer repeat stays as it was
        self.assertEqual(same_customer.repeat_candidate_id, first)
        self.assertFalse(second.repeat_candidate_id)
        Complaint = self.env["csc.complaint"].with_user(self.desk_user)
        everything = first | second | outside | other_cause | same_customer | cancelled
        recurring = Complaint.search([("is_recurring", "=", True), ("id", "in", everything.ids)])
        self.assertEqual(recurring, first | second | same_customer)
        self.assertEqual(
            Complaint.search([("is_recurring", "=", False), ("id", "in", everything.ids)]),
            outside | other_cause | cancelled,
        )
        # a longer window reaches the later complaint
        self.company.csc_repeat_complaint_months = 6
        self.env.invalidate_all()
        self.assertEqual(outside.recurrence_ids, first | second | same_customer)
        self.assertIn(outside, Complaint.search([("is_recurring", "=", True)]))

    def test_recurrence_hidden_from_technicians(self):
        complaint = self._at(self.customer, datetime(2026, 3, 6, 10, 0))
        with self.assertRaises(AccessError):
            complaint.with_user(self.technician).read(["recurrence_ids"])


class TestSharedEightd(DepartmentCase):
    def _major(self, customer):
        complaint = self._complaint(
            partner_id=customer.id,
            contact_id=False,
            severity="major",
            cause_category="assembly",
            user_id=self.quality_user.id,
            responsibility="supplier",
            supplier_id=self.env["res.partner"].create({"name": "Supplier", "is_company": True}).id,
            disposition="The supplier sorts the lot.",
        )
        complaint.action_start_investigation()
        return complaint

    def test_complaints_share_one_eightd(self):
        first = self._major(self.customer)
        first.with_user(self.quality_user).action_create_eightd()
        report = first.eightd_ids
        second = self._major(self.other_customer)
        self.assertEqual(second.eightd_candidate_id, report)
        self.assertFalse(first.eightd_candidate_id)  # it has its own
        # the desk does not decide it, by the button or by a write
        with self.assertRaises(AccessError):
            second.with_user(self.desk_user).action_link_eightd()
        with self.assertRaises(AccessError):
            second.with_user(self.desk_user).write({"eightd_id": report.id})
        second.invalidate_recordset()
        self.assertFalse(second.eightd_id)
        second.with_user(self.quality_user).action_link_eightd()
        self.assertEqual(second.eightd_id, report)
        self.assertEqual(report.shared_complaint_ids, second)
        # the 8D button opens the shared report
        action = second.with_user(self.quality_user).action_create_eightd()
        self.assertEqual(action["res_id"], report.id)
        self.assertFalse(second.eightd_ids)
        # the shared 8D counts for the disposition of a major problem, and gates its closing
        second.action_send_disposition()
        second._csc_record_reaction("accepted", "", "desk", second.partner_id)
        with self.assertRaisesRegex(UserError, "Close the 8D report"):
            second.with_user(self.quality_user).action_close()
        self.assertEqual(second.state, "solved")
        force(report, {"state": "cancelled"})
        with self.assertRaisesRegex(UserError, "closed 8D report"):
            second.with_user(self.quality_user).action_close()
        force(report, {"state": "closed"})
        second.with_user(self.quality_user).action_close()
        self.assertEqual(second.state, "closed")
        # a closed complaint keeps its link
        with self.assertRaises(UserError):
            second.with_user(self.quality_user).write({"eightd_id": False})
        self.assertEqual(second.eightd_id, report)

    def test_bad_links_refused(self):
        first = self._major(self.customer)
        first.with_user(self.quality_user).action_create_eightd()
        report = first.eightd_ids
        quality = first.with_user(self.quality_user)
        with self.assertRaises(ValidationError) as caught:
            quality.write({"eightd_id": report.id})
        self.assertIn("own 8D report", str(caught.exception))
        second = self._major(self.other_customer)
        second.with_user(self.quality_user).action_create_eightd()
        with self.assertRaises(ValidationError) as caught:
            second.with_user(self.quality_user).write({"eightd_id": report.id})
        self.assertIn("8D report of its own", str(caught.exception))
        third = self._major(self.third_customer)
        force(report, {"state": "cancelled"})
        with self.assertRaises(ValidationError) as caught:
            third.with_user(self.quality_user).write({"eightd_id": report.id})
        self.assertIn("cancelled", str(caught.exception))
        # the live 8D of the same problem is offered instead; another cause has none
        self.assertEqual(third.eightd_candidate_id, second.eightd_ids)
        unrelated = self._complaint(cause_category="design")
        with self.assertRaisesRegex(UserError, "no 8D report of the same problem"):
            unrelated.with_user(self.quality_user).action_link_eightd()
        (first | second | third | unrelated).invalidate_recordset()
        self.assertFalse((first | second | third | unrelated).eightd_id)


class TestQualityContacts(DepartmentCase):
    def test_agreed_contacts_on_the_customer_and_the_complaint(self):
        self.customer.with_user(self.desk_user).write(
            {
                "csc_quality_contact_id": self.contact.id,
                "csc_quality_user_id": self.quality_user.id,
            }
        )
        complaint = self._complaint()
        self.assertEqual(complaint.partner_quality_contact_id, self.contact)
        self.assertEqual(complaint.quality_user_id, self.quality_user)
        # read by every customer-service role, changed on the customer file only
        seen = complaint.with_user(self.technician)
        self.assertEqual(seen.partner_quality_contact_id, self.contact)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(f"{MODULE}.report_complaint_form", complaint.ids)[0]
            .decode()
        )
        self.assertIn("Our Quality Contact", html)
        self.assertIn(self.contact.name, html)
        self.assertIn(self.quality_user.name, html)

    def test_contact_of_another_customer_refused(self):
        stranger = self.env["res.partner"].create(
            {"name": "Wang Wei", "parent_id": self.other_customer.id}
        )
        with self.assertRaises(ValidationError) as caught:
            self.customer.with_user(self.desk_user).write({"csc_quality_contact_id": stranger.id})
        self.assertIn("not a contact of", str(caught.exception))
        self.customer.invalidate_recordset()
        self.assertFalse(self.customer.csc_quality_contact_id)
        with self.assertRaises(AccessError):
            self.customer.with_user(self.outsider).write({"csc_quality_user_id": self.outsider.id})
        self.customer.invalidate_recordset()
        self.assertFalse(self.customer.csc_quality_user_id)


@tagged("post_install", "-at_install")
class TestDepartmentToldOverXmlRpc(HttpCase):
    """An integrator setting the responsible department over XML-RPC tells its manager like the
    form does, once; a role that may not set it is refused and nothing changes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def user(login, group):
            return new_test_user(
                cls.env, login=login, password=login, groups=f"base.group_user,{MODULE}.{group}"
            )

        cls.desk = user("csc_rpc_desk", "group_csc_user")
        cls.technician = user("csc_rpc_tech", "group_csc_technician")
        cls.manager = user("csc_rpc_dept_manager", "group_csc_reader")
        cls.department = cls.env["csc.department"].create(
            {"name": "Machining", "code": "MAC-RPC", "manager_id": cls.manager.id}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "RPC Motors", "is_company": True, "csc_customer_type": "oem"}
        )

    def _rpc(self, user, model, method, *args):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, list(args), {}
        )

    def _told(self, complaint):
        activities = complaint.activity_ids.filtered(
            lambda a: a.user_id == self.manager and a.summary == SUMMARY
        )
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("model", "=", "csc.complaint"),
                    ("res_id", "=", complaint.id),
                    ("recipient_ids", "in", self.manager.partner_id.ids),
                ]
            )
        )
        return [len(activities), len(mails)]

    def test_write_over_xmlrpc(self):
        complaint_id = self._rpc(
            self.desk,
            "csc.complaint",
            "create",
            {"title": "Burr on the shaft", "partner_id": self.customer.id},
        )
        complaint = self.env["csc.complaint"].browse(complaint_id)
        self.assertEqual(self._told(complaint), [0, 0])
        with self.assertRaises(xmlrpc.client.Fault):
            self._rpc(
                self.technician,
                "csc.complaint",
                "write",
                [complaint_id],
                {"department_id": self.department.id},
            )
        self.env.invalidate_all()
        self.assertFalse(complaint.department_id)
        self.assertEqual(self._told(complaint), [0, 0])
        values = {"responsibility": "company", "department_id": self.department.id}
        self._rpc(self.desk, "csc.complaint", "write", [complaint_id], values)
        self.env.invalidate_all()
        self.assertEqual(complaint.department_id, self.department)
        self.assertEqual(self._told(complaint), [1, 1])
        self._rpc(self.desk, "csc.complaint", "write", [complaint_id], values)
        self.env.invalidate_all()
        self.assertEqual(self._told(complaint), [1, 1])
