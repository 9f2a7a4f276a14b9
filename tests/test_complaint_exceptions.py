"""Complaint exceptions (R-C8, seeds 000, 001, 004): the disposition mailed to the customer's
contact in their language with the complaint form (and the approved 8D) attached, through the
mail queue; the customer's reaction recorded from the portal, from a reply to the mail or by the
desk, only through those doors; a complaint that cannot be handled cancelled by the quality
manager only, with a reason mailed to the customer and kept in the chatter."""

from datetime import datetime

from odoo import http
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import HttpCase
from odoo.tests import JsonRpcException
from odoo.tests import tagged

from .common import ComplaintCase
from .common import force
from .test_portal import build_customer

CHINESE_DISPOSITION = "<p>尊敬的客户，这是我们对投诉的处置：<t t-out='object.disposition'/></p>"
CHINESE_CANCEL = "<p>您的投诉已取消，原因：<t t-out='object.cancel_reason'/></p>"


class ExceptionCase(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.production = cls.env.ref("customer_service_control.csc_department_production")
        cls.production.manager_id = cls.clerk

    def _investigating(self, **vals):
        complaint = self._complaint(
            user_id=self.quality_user.id,
            responsibility="company",
            department_id=self.production.id,
            disposition="Sort the lot and replace the noisy gears.",
            **vals,
        )
        complaint.action_start_investigation()
        return complaint

    def _mails_to(self, complaint, partner):
        """The mails queued from the complaint's messages for `partner`."""
        return (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("model", "=", "csc.complaint"),
                    ("res_id", "=", complaint.id),
                    ("recipient_ids", "in", partner.ids),
                ]
            )
        )

    def _send_printed(self, complaint):
        """Send the disposition with its documents printed as PDF (the server that renders them
        sees this test's transaction)."""
        self.registry.enter_test_mode(self.cr)
        try:
            complaint.with_context(force_report_rendering=True).action_send_disposition()
        finally:
            self.registry.leave_test_mode()

    def _chinese_contact(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        return self.env["res.partner"].create(
            {
                "name": "Wang Fang",
                "parent_id": self.customer.id,
                "email": "wang.fang@oem.example.com",
                "lang": "zh_CN",
            }
        )


@tagged("post_install", "-at_install")
class TestDispositionMail(ExceptionCase):
    def test_disposition_queued_to_the_contact_with_the_form(self):
        complaint = self._investigating()
        self._send_printed(complaint.with_user(self.desk_user))
        self.assertEqual(complaint.state, "solved")
        mail = self._mails_to(complaint, self.contact)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")  # queued, not sent in the request
        self.assertIn("Sort the lot and replace the noisy gears.", mail.body_html)
        self.assertIn(complaint.name, mail.subject)
        self.assertEqual(mail.attachment_ids.mapped("name"), [f"Complaint - {complaint.name}.pdf"])
        self.assertEqual(mail.attachment_ids.mimetype, "application/pdf")
        self.assertTrue(mail.attachment_ids.raw.startswith(b"%PDF"))
        # The message stays in the chatter with its attachment, addressed to the contact.
        message = mail.mail_message_id
        self.assertEqual(message.partner_ids, self.contact)
        self.assertEqual(message.attachment_ids, mail.attachment_ids)
        # Without a contact, the customer receives it.
        without_contact = self._investigating(contact_id=False)
        without_contact.action_send_disposition()
        self.assertEqual(len(self._mails_to(without_contact, self.customer)), 1)

    def test_approved_8d_attached_in_the_contacts_language(self):
        contact = self._chinese_contact()
        template = self.env.ref("customer_service_control.mail_template_csc_complaint_disposition")
        template.with_context(lang="zh_CN").body_html = CHINESE_DISPOSITION
        complaint = self._investigating(severity="major", contact_id=contact.id)
        report = self.env["csc.eightd"].create({"complaint_id": complaint.id})
        complaint.action_send_disposition()
        first = self._mails_to(complaint, contact)
        self.assertIn("尊敬的客户", first.body_html)
        self.assertIn("Sort the lot", first.body_html)
        self.assertNotIn("Dear", first.body_html)
        # An open 8D is not sent: only the form.
        self.assertEqual(len(first.attachment_ids), 1)
        # The customer rejects; once the 8D is approved (closed) it goes with the new one.
        complaint.with_user(self.desk_user)._csc_record_reaction(
            "rejected", "Wants the 8D first", "desk", contact
        )
        force(
            report,
            {
                "state": "closed",
                "signed_off": "8",
                "approver_id": self.service_manager.id,
                "date_closed": datetime(2026, 3, 20, 9, 0),
            },
        )
        self._send_printed(complaint)
        second = self._mails_to(complaint, contact) - first
        self.assertEqual(len(second), 1)
        self.assertEqual(
            sorted(second.attachment_ids.mapped("name")),
            [f"8D - {report.name}.pdf", f"Complaint - {complaint.name}.pdf"],
        )
        self.assertEqual(set(second.attachment_ids.mapped("mimetype")), {"application/pdf"})
        self.assertIn("尊敬的客户", second.body_html)
        self.assertFalse(complaint.customer_accepts)  # the new disposition awaits the reaction


@tagged("post_install", "-at_install")
class TestReaction(ExceptionCase):
    def _reply(self, complaint, partner, text):
        """The customer's contact replies to the disposition mail."""
        sent = complaint.message_ids.filtered(lambda m: partner in m.partner_ids)[:1]
        self.assertTrue(sent, "the disposition was mailed")
        raw = (
            f"From: {partner.name} <{partner.email}>\r\n"
            f"To: catchall@example.com\r\n"
            f"Subject: Re: {complaint.name}\r\n"
            f"Message-ID: <reply-{complaint.id}@oem.example.com>\r\n"
            f"In-Reply-To: {sent.message_id}\r\n"
            f"References: {sent.message_id}\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            f"{text}\r\n"
        )
        self.env["mail.thread"].sudo().message_process(False, raw.encode())

    def test_reply_by_mail_recorded_by_the_desk(self):
        complaint = self._investigating()
        complaint.action_send_disposition()
        self._reply(complaint, self.contact, "We reject: sorting is not enough, replace all.")
        reply = complaint.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(reply.author_id, self.contact)
        self.assertIn("replace all", reply.body)
        action = complaint.with_user(self.desk_user).action_record_reaction()
        self.assertEqual(action["context"]["default_channel"], "mail")
        self.assertEqual(action["context"]["default_partner_id"], self.contact.id)
        wizard = (
            self.env["csc.complaint.reaction.wizard"]
            .with_user(self.desk_user)
            .with_context(**action["context"])
            .create({"verdict": "rejected"})
        )
        self.assertIn("replace all", wizard.reaction)
        wizard.action_confirm()
        self.assertEqual(
            (
                complaint.customer_accepts,
                complaint.reaction_channel,
                complaint.reaction_partner_id,
                complaint.reaction_user_id,
                complaint.reaction_date,
            ),
            ("rejected", "mail", self.contact, self.desk_user, reply.date),
        )
        self.assertIn("replace all", complaint.customer_reaction)
        self.assertIn("rejected the disposition", complaint.message_ids[0].body)

    def test_reaction_only_through_its_doors(self):
        complaint = self._investigating()
        with self.assertRaisesRegex(UserError, "cannot get the customer's reaction"):
            complaint._csc_record_reaction("accepted", "", "desk", self.contact)
        complaint.action_send_disposition()
        for field, value in (
            ("customer_accepts", "accepted"),
            ("customer_reaction", "Fine"),
            ("reaction_channel", "portal"),
            ("reaction_partner_id", self.contact.id),
        ):
            with self.assertRaises(UserError, msg=field):
                complaint.with_user(self.service_manager).write({field: value})
        for user in (self.technician, self.clerk, self.outsider):
            with self.assertRaises(AccessError, msg=user.login):
                complaint.with_user(user)._csc_record_reaction(
                    "accepted", "Fine", "desk", self.contact
                )
        other = self.env["res.partner"].create({"name": "Someone Else", "email": "x@example.com"})
        refusals = (
            (("rejected", " ", "desk", self.contact), "Say why"),
            (("accepted", "", "portal", self.contact), "how the customer answered"),
            (("maybe", "", "desk", self.contact), "whether the customer accepts"),
            (("accepted", "", "desk", other), "does not speak for"),
            (("accepted", "", "desk", self.contact, datetime(2026, 3, 6, 9)), "before"),
        )
        for args, message in refusals:
            with self.assertRaisesRegex(UserError, message):
                complaint.with_user(self.desk_user)._csc_record_reaction(*args)
        self.assertFalse(complaint.customer_accepts or complaint.reaction_date)
        complaint.with_user(self.quality_user)._csc_record_reaction(
            "accepted", "", "desk", self.contact
        )
        self.assertEqual(
            (complaint.customer_accepts, complaint.reaction_channel), ("accepted", "desk")
        )
        with self.assertRaisesRegex(UserError, "is recorded"):
            complaint.with_user(self.desk_user)._csc_record_reaction(
                "rejected", "Changed my mind", "desk", self.contact
            )
        self.assertEqual(complaint.customer_accepts, "accepted")


@tagged("post_install", "-at_install")
class TestCancel(ExceptionCase):
    def test_only_the_quality_manager_cancels(self):
        complaint = self._investigating()
        for user in (self.desk_user, self.quality_user, self.technician, self.clerk):
            with self.assertRaisesRegex(AccessError, "quality manager", msg=user.login):
                complaint.with_user(user).action_cancel()
            with self.assertRaisesRegex(AccessError, "quality manager", msg=user.login):
                complaint.with_user(user)._csc_cancel("Not ours")
        with self.assertRaisesRegex(UserError, "reason"):
            complaint.with_user(self.service_manager)._csc_cancel("  ")
        with self.assertRaises(UserError):
            complaint.with_user(self.service_manager).write({"state": "cancelled"})
        self.assertEqual(complaint.state, "investigation")
        self.assertFalse(complaint.cancel_reason)
        self.assertFalse(self._mails_to(complaint, self.contact))

    def test_reason_mailed_to_the_customer_in_their_language(self):
        contact = self._chinese_contact()
        template = self.env.ref("customer_service_control.mail_template_csc_complaint_cancelled")
        template.with_context(lang="zh_CN").body_html = CHINESE_CANCEL
        complaint = self._complaint(contact_id=contact.id)
        action = complaint.with_user(self.service_manager).action_cancel()
        self.assertEqual(complaint.state, "draft")  # nothing before the reason is given
        wizard = (
            self.env["csc.reopen.wizard"]
            .with_user(self.service_manager)
            .with_context(**action["context"])
            .create({"reason": "The parts were bought from another supplier."})
        )
        wizard.action_confirm()
        self.assertEqual(complaint.state, "cancelled")
        self.assertEqual(complaint.cancel_reason, "The parts were bought from another supplier.")
        note = complaint.message_ids.filtered(lambda m: "Cancelled by" in (m.body or ""))
        self.assertIn("another supplier", note.body)
        mail = self._mails_to(complaint, contact)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertIn("您的投诉已取消", mail.body_html)
        self.assertIn("another supplier", mail.body_html)
        self.assertIn(mail.mail_message_id, complaint.message_ids)
        # A cancelled complaint is locked; the service manager reopens it with a reason.
        with self.assertRaisesRegex(UserError, "cannot be cancelled"):
            complaint.with_user(self.service_manager)._csc_cancel("Again")
        complaint.with_user(self.service_manager)._csc_reopen("The supplier was ours after all")
        self.assertEqual((complaint.state, complaint.cancel_reason), ("draft", False))

    def test_english_contact_gets_the_english_reason(self):
        complaint = self._investigating()
        complaint.with_user(self.service_manager)._csc_cancel("Customer withdrew the claim")
        mail = self._mails_to(complaint, self.contact)
        self.assertIn("We cannot handle your complaint", mail.body_html)
        self.assertIn("Customer withdrew the claim", mail.body_html)


@tagged("post_install", "-at_install")
class TestPortalReaction(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_notify_force_send=False))
        cls.a = build_customer(cls.env, "A")
        cls.b = build_customer(cls.env, "B")
        for data in (cls.a, cls.b):
            force(
                data["complaint"],
                {
                    "state": "solved",
                    "disposition": "Replace the seal kit free of charge.",
                    "date_solved": data["complaint"].date_received,
                },
            )

    def _post(self, complaint, **data):
        return self.url_open(
            f"/my/complaints/{complaint.id}/reaction",
            data={**data, "csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )

    def test_contact_accepts_on_the_portal(self):
        user = self.a["users"][1]
        self.authenticate(user.login, user.login)
        complaint = self.a["complaint"]
        page = self.url_open(complaint.access_url).text
        self.assertIn("Accept the Disposition", page)
        response = self._post(complaint, decision="accept", comment="OK for us")
        self.assertTrue(response.headers["Location"].endswith("message=reaction_accept"))
        complaint.invalidate_recordset()
        self.assertEqual(
            (
                complaint.customer_accepts,
                complaint.reaction_channel,
                complaint.reaction_partner_id,
                complaint.reaction_user_id,
                complaint.customer_reaction,
            ),
            ("accepted", "portal", user.partner_id, user, "OK for us"),
        )
        self.assertTrue(complaint.reaction_date)
        said = complaint.message_ids.filtered(
            lambda m: "accepted the disposition" in (m.body or "")
        )
        self.assertEqual(said.author_id, user.partner_id)
        self.assertIn("OK for us", said.body)
        page = self.url_open(f"{complaint.access_url}?message=reaction_accept").text
        self.assertIn("you accepted our disposition", page)
        self.assertNotIn("Accept the Disposition", page)
        # Answered once: a second answer changes nothing.
        response = self._post(complaint, decision="reject", comment="Changed my mind")
        self.assertTrue(response.headers["Location"].endswith("message=reaction_error"))
        complaint.invalidate_recordset()
        self.assertEqual(complaint.customer_accepts, "accepted")

    def test_rejection_needs_a_comment(self):
        user = self.a["users"][0]
        self.authenticate(user.login, user.login)
        complaint = self.a["complaint"]
        response = self._post(complaint, decision="reject", comment=" ")
        self.assertTrue(response.headers["Location"].endswith("message=reaction_error"))
        complaint.invalidate_recordset()
        self.assertFalse(complaint.customer_accepts)
        self._post(complaint, decision="reject", comment="We want new gears, not sorting.")
        complaint.invalidate_recordset()
        self.assertEqual(
            (complaint.customer_accepts, complaint.reaction_channel), ("rejected", "portal")
        )

    def test_another_customer_changes_nothing(self):
        user = self.a["users"][0]
        self.authenticate(user.login, user.login)
        target = self.b["complaint"]
        for decision in ("accept", "reject"):
            response = self._post(target, decision=decision, comment="Intruder")
            self.assertEqual(response.status_code, 303)
            self.assertTrue(response.headers["Location"].endswith("/my"))
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/csc.complaint/write",
                {
                    "model": "csc.complaint",
                    "method": "write",
                    "args": [self.a["complaint"].ids, {"customer_accepts": "accepted"}],
                    "kwargs": {},
                },
            )
        (target | self.a["complaint"]).invalidate_recordset()
        self.assertFalse(target.customer_accepts or target.reaction_date)
        self.assertFalse(self.a["complaint"].customer_accepts)
        self.assertNotIn("Intruder", "".join(target.message_ids.mapped("body")))
        # The model checks the customer too, whatever calls it.
        with self.assertRaises(AccessError):
            target.sudo()._csc_portal_react(user, True)
        self.assertFalse(target.customer_accepts)
