"""The customer portal (/my): two customers, each with two contacts who are portal users.

A contact sees exactly their customer's complaints, 8D reports, returned goods and service visits
(never another customer's, whatever the URL, and never internal fields over JSON-RPC); files a
complaint through helpdesk's portal form, which opens the complaint the desk's way (deadlines
running); answers a quote and signs a service report only for their own customer, only while it
waits for them."""

import base64
from datetime import datetime

from odoo import http
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import HttpCase
from odoo.tests import JsonRpcException
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import MODULE
from .common import CscCase
from .common import force

SIGNATURE = (  # a 1x1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5E"
    "rkJggg=="
)
INTERNAL_CAUSE = "Operator skipped the torque check"
REWORK_COST = 98765.0


def build_customer(env, code):
    """A customer with two portal contacts, a complaint filed by the first (through its
    ticket, as the desk registers one) with an 8D, a returned part, a visit whose quote waits
    for the customer and a visit with the technician on site."""
    customer = env["res.partner"].create(
        {"name": f"Portal Customer {code}", "is_company": True, "email": f"{code}@example.com"}
    )
    users = env["res.users"]
    for index in (1, 2):
        contact = env["res.partner"].create(
            {
                "name": f"Contact {code}{index}",
                "parent_id": customer.id,
                "email": f"contact.{code}{index}@example.com",
            }
        )
        users |= new_test_user(
            env,
            login=f"csc_portal_{code}{index}".lower(),
            groups="base.group_portal",
            partner_id=contact.id,
        )
    product = env["product.product"].create({"name": f"Steering Gear {code}"})
    ticket = env["helpdesk.ticket"].create(
        {
            "name": f"Noise in steering {code}",
            "description": "<p>Knocking noise at low speed.</p>",
            "partner_id": users[0].partner_id.id,
            "csc_kind": "complaint",
        }
    )
    complaint = ticket._csc_create_complaints()
    complaint.write({"product_id": product.id, "qty_delivered": 100, "qty_affected": 3})
    complaint.sudo().root_cause = INTERNAL_CAUSE
    report = env["csc.eightd"].create({"complaint_id": complaint.id})
    line = env["csc.complaint.return"].create(
        {"complaint_id": complaint.id, "product_id": product.id, "quantity": 3}
    )
    line.rework_cost = REWORK_COST
    visit_values = {
        "partner_id": customer.id,
        "contact_id": users[0].partner_id.id,
        "complaint_id": complaint.id,
        "diagnosis": "Worn seal",
        "solution": "Replace the seal kit",
        "date_request": datetime(2026, 11, 2, 9),
    }
    quoted = env["csc.service.visit"].create(dict(visit_values))
    quoted.action_triage()
    quoted.line_ids = [(0, 0, {"line_type": "labour", "name": "Labour", "price_unit": 80})]
    quoted.action_send_quote()
    on_site = env["csc.service.visit"].create({**visit_values, "visit_type": "installation"})
    force(on_site, {"state": "on_site", "date_arrival": datetime(2026, 11, 3, 9)})
    return {
        "customer": customer,
        "users": users,
        "complaint": complaint,
        "report": report,
        "return": line,
        "quoted": quoted,
        "on_site": on_site,
    }


class PortalCase(CscCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a = build_customer(cls.env, "A")
        cls.b = build_customer(cls.env, "B")


@tagged("post_install", "-at_install")
class TestPortalRecords(PortalCase):
    def test_each_contact_sees_exactly_their_customer(self):
        for data in (self.a, self.b):
            for user in data["users"]:
                for model, key in (
                    ("csc.complaint", "complaint"),
                    ("csc.eightd", "report"),
                    ("csc.complaint.return", "return"),
                ):
                    self.assertEqual(
                        self.env[model].with_user(user).search([]).ids, data[key].ids, model
                    )
                self.assertEqual(
                    set(self.env["csc.service.visit"].with_user(user).search([]).ids),
                    {data["quoted"].id, data["on_site"].id},
                )

    def test_another_customer_is_refused(self):
        user = self.a["users"][1]
        for key in ("complaint", "report", "return", "quoted"):
            with self.assertRaises(AccessError, msg=key):
                self.b[key].with_user(user).check_access("read")

    def test_portal_reads_only_the_shown_fields(self):
        user = self.a["users"][0]
        complaints = self.env["csc.complaint"].with_user(user)
        row = complaints.search_read([], [])[0]
        self.assertIn("title", row)
        for internal in ("user_id", "root_cause", "responsibility", "department_id", "repeat_ids"):
            self.assertNotIn(internal, row)
        with self.assertRaises(AccessError):
            complaints.search_read([], ["user_id"])
        with self.assertRaises(AccessError):
            self.env["csc.complaint.return"].with_user(user).search_count(
                [("rework_cost", ">", 1000)]
            )
        with self.assertRaises(AccessError):
            complaints.search_count(["|", ("user_id", "=", 2), ("root_cause", "ilike", "torque")])
        with self.assertRaises(AccessError):
            self.env["csc.complaint.return"].with_user(user).search_read([], ["rework_cost"])
        with self.assertRaises(AccessError):
            self.env["csc.service.visit"].with_user(user).search_read([], ["expense_line_ids"])
        with self.assertRaises(AccessError):
            self.env["csc.eightd"].with_user(user).search_read([], ["team_line_ids"])
        for model in ("csc.eightd.cause", "csc.eightd.team", "csc.action", "csc.service.expense"):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(user).search_read([], ["id"])

    def test_portal_changes_nothing_directly(self):
        user = self.a["users"][0]
        complaint = self.a["complaint"].with_user(user)
        with self.assertRaises(AccessError):
            complaint.write({"title": "Changed"})
        with self.assertRaises(AccessError):
            complaint.action_cancel()
        with self.assertRaises(AccessError):
            self.a["quoted"].with_user(user).action_customer_confirms()
        with self.assertRaises(AccessError):
            self.env["csc.complaint"].with_user(user).create(
                {"title": "Mine", "partner_id": self.a["customer"].id}
            )
        self.assertEqual(self.a["complaint"].title, "Noise in steering A")
        self.assertEqual(self.a["complaint"].state, "draft")
        self.assertEqual(self.a["quoted"].quote_state, "sent")

    def test_quote_answered_by_its_customer_only(self):
        visit = self.a["quoted"].sudo()
        with self.assertRaises(AccessError):
            visit._csc_portal_answer_quote(self.b["users"][0], True)
        self.assertEqual(visit.quote_state, "sent")
        # Accepted only with the signature of the quotation (sale's portal page).
        with self.assertRaisesRegex(UserError, "sign the quotation"):
            visit._csc_portal_answer_quote(self.a["users"][1], True)
        self.assertEqual(visit.quote_state, "sent")
        self.assertFalse(visit.date_cost_confirmed)
        visit._csc_portal_answer_quote(self.a["users"][1], False)
        self.assertEqual(visit.quote_state, "refused")
        self.assertEqual(visit.sale_order_id.state, "cancel")
        with self.assertRaisesRegex(UserError, "Send the quote"):
            visit._csc_portal_answer_quote(self.a["users"][1], True)
        self.assertEqual(visit.quote_state, "refused")

    def test_remote_signature_checked(self):
        visit = self.a["on_site"].sudo()
        with self.assertRaises(AccessError):
            visit._csc_portal_sign(self.b["users"][0], "Intruder", SIGNATURE)
        with self.assertRaises(UserError):
            visit._csc_portal_sign(self.a["users"][0], "Li Na", "not base64 !")
        with self.assertRaises(UserError):
            self.a["quoted"].sudo()._csc_portal_sign(self.a["users"][0], "Li Na", SIGNATURE)
        self.assertFalse(visit.customer_signature)
        visit._csc_portal_sign(self.a["users"][0], "Li Na", SIGNATURE)
        self.assertEqual(visit.customer_signed_by, "Li Na")
        self.assertTrue(visit.customer_signature)
        self.assertIn("Installation acceptance signed", visit.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "already signed"):
            visit._csc_portal_sign(self.a["users"][1], "Wang Wei", SIGNATURE)
        self.assertEqual(visit.customer_signed_by, "Li Na")

    def test_staff_messages_stay_with_the_staff(self):
        complaint = self.a["complaint"]
        contact = self.a["users"][0]
        complaint.message_subscribe(partner_ids=contact.partner_id.ids)
        internal = complaint.with_user(self.desk_user).message_post(
            body="Escalated: the assembly department decides",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.service_manager.partner_id.ids,
        )
        reply = complaint.with_user(self.desk_user).message_post(
            body="We replace the three gears this week",
            subtype_xmlid="mail.mt_comment",
            partner_ids=contact.partner_id.ids,
        )
        # The follower is not mailed the staff's message; the reply addressed to them is.
        self.assertNotIn(contact.partner_id, internal.notification_ids.res_partner_id)
        self.assertIn(contact.partner_id, reply.notification_ids.res_partner_id)
        Message = self.env["mail.message"].with_user(self.a["users"][1])
        found = Message.search([("model", "=", "csc.complaint"), ("res_id", "=", complaint.id)])
        self.assertIn(reply, found)
        self.assertNotIn(internal, found)
        self.assertNotIn(internal, complaint.with_user(self.a["users"][1]).website_message_ids)
        with self.assertRaises(AccessError):
            internal.with_user(self.a["users"][1]).read(["body"])
        self.assertEqual(reply.with_user(self.a["users"][1]).read(["body"])[0]["id"], reply.id)
        with self.assertRaises(AccessError):
            reply.with_user(self.b["users"][0]).read(["body"])

    def test_finished_record_gets_its_portal_link(self):
        report = self.a["report"]
        force(report, {"state": "closed"})
        report.message_post(body="8D closed", partner_ids=self.a["users"][0].partner_id.ids)
        self.assertTrue(report.access_token)

    def test_notifications_link_to_the_portal(self):
        user = self.a["users"][1]
        for key, prefix in (
            ("complaint", "/my/complaints/"),
            ("report", "/my/8d/"),
            ("return", "/my/returns/"),
            ("quoted", "/my/service_visits/"),
        ):
            record = self.a[key]
            self.assertEqual(record.access_url, f"{prefix}{record.id}")
            action = record.with_user(user)._get_access_action()
            self.assertEqual(action["type"], "ir.actions.act_url")
            self.assertTrue(action["url"].startswith(f"{prefix}{record.id}"), action["url"])


@tagged("post_install", "-at_install")
class TestPortalHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_notify_force_send=False))
        cls.a = build_customer(cls.env, "A")
        cls.b = build_customer(cls.env, "B")

    def _login(self, data, index=0):
        login = data["users"][index].login
        self.authenticate(login, login)

    def _assert_refused(self, url, **kwargs):
        response = self.url_open(url, allow_redirects=False, **kwargs)
        self.assertIn(response.status_code, (303, 403, 404), url)
        if response.status_code == 303:
            self.assertTrue(response.headers["Location"].endswith("/my"), url)

    def test_pages_of_own_customer(self):
        self._login(self.a, 1)
        complaint = self.a["complaint"]
        pages = {
            "/my/complaints": complaint.name,
            complaint.access_url: "Knocking noise",
            self.a["report"].access_url: self.a["report"].name,
            "/my/returns": complaint.name,
            self.a["return"].access_url: "Steering Gear A",
            "/my/service_visits": self.a["quoted"].name,
            self.a["quoted"].access_url: "Review, Accept and Sign the Quotation",
            self.a["on_site"].access_url: "Installation acceptance",
        }
        for url, text in pages.items():
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn(text, response.text, url)
            for secret in (INTERNAL_CAUSE, "98,765", "98765", self.b["complaint"].name):
                self.assertNotIn(secret, response.text, url)
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "csc.complaint",
                "thread_id": complaint.id,
                "post_data": {"body": "When do you send the 8D?", "message_type": "comment"},
                "pid": self.a["users"][1].partner_id.id,
                "hash": complaint._sign_token(self.a["users"][1].partner_id.id),
            },
        )
        self.assertIn("When do you send the 8D?", complaint.message_ids[0].body)
        self.assertEqual(complaint.message_ids[0].author_id, self.a["users"][1].partner_id)
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {"counters": ["csc_complaint_count", "csc_return_count", "csc_visit_count"]},
        )
        self.assertEqual(
            counters, {"csc_complaint_count": 1, "csc_return_count": 1, "csc_visit_count": 2}
        )

    def test_eightd_page_dates_each_signoff(self):
        """The customer sees when each discipline was signed off (from the stored sign-offs),
        not who signed it off inside."""
        report = self.a["report"]
        report.emergency_response = "Shipments stopped."
        signer = new_test_user(
            self.env,
            login="csc_portal_signer",
            name="Zhang Qianming",
            groups=f"base.group_user,{MODULE}.group_csc_quality",
        )
        report.with_user(signer).action_sign_off("0")
        line = report.signoff_ids
        self._login(self.a, 1)
        page = self.url_open(report.access_url).text
        table = page[page.index("o_csc_signoffs") :]
        self.assertIn("D0 Emergency Response", table)
        self.assertIn(line.date.strftime("%m/%d/%Y"), table)
        self.assertNotIn("D1 Team", table)
        self.assertNotIn(signer.name, page)

    def test_surveys_sent_to_the_contact(self):
        survey = self.env["survey.survey"].create({"title": "Service satisfaction"})
        answer = survey._create_answer(partner=self.a["users"][1].partner_id, check_attempts=False)
        self._login(self.a, 1)
        page = self.url_open("/my/surveys").text
        self.assertIn("Service satisfaction", page)
        self.assertIn(answer.access_token, page)
        self._login(self.a, 0)
        self.assertNotIn(answer.access_token, self.url_open("/my/surveys").text)

    def test_another_customer_answers_nothing_whatever_the_url(self):
        self._login(self.a)
        b = self.b
        for url in (
            b["complaint"].access_url,
            b["report"].access_url,
            b["return"].access_url,
            b["quoted"].access_url,
            f"{b['complaint'].access_url}?access_token=forged",
            "/my/complaints/999999",
        ):
            self._assert_refused(url)
        csrf = http.Request.csrf_token(self)
        for decision in ("confirm", "refuse"):
            self._assert_refused(
                f"/my/service_visits/{b['quoted'].id}/quote",
                data={"decision": decision, "csrf_token": csrf},
            )
        result = self.make_jsonrpc_request(
            f"/my/service_visits/{b['on_site'].id}/sign",
            {"name": "Intruder", "signature": SIGNATURE},
        )
        self.assertIn("error", result)
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "csc.complaint",
                    "thread_id": b["complaint"].id,
                    "post_data": {"body": "Intruder", "message_type": "comment"},
                    "pid": self.a["users"][0].partner_id.id,
                    "hash": "forged",
                },
            )
        self.assertNotIn("Intruder", "".join(b["complaint"].message_ids.mapped("body")))
        b["quoted"].invalidate_recordset()
        b["on_site"].invalidate_recordset()
        self.assertEqual(b["quoted"].quote_state, "sent")
        self.assertFalse(b["on_site"].customer_signature)

    def test_jsonrpc_reads_own_records_and_shown_fields_only(self):
        self._login(self.a, 1)

        def call(model, method, *args, **kwargs):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            )

        rows = call("csc.complaint", "search_read", [])
        self.assertEqual([row["id"] for row in rows], self.a["complaint"].ids)
        self.assertNotIn("root_cause", rows[0])
        self.assertNotIn("user_id", rows[0])
        self.assertEqual(
            {row["id"] for row in call("csc.service.visit", "search_read", [], fields=["name"])},
            {self.a["quoted"].id, self.a["on_site"].id},
        )
        refused = (
            ("csc.complaint", "read", [self.b["complaint"].id], ["name"]),
            ("csc.complaint.return", "search_read", [], ["rework_cost"]),
            ("csc.complaint", "search_read", [], ["root_cause"]),
            ("csc.eightd.cause", "search_read", [], ["name"]),
            ("csc.complaint", "write", [self.a["complaint"].id], {"title": "x"}),
            ("csc.service.visit", "action_customer_confirms", [self.a["quoted"].id]),
        )
        for model, method, *args in refused:
            with self.assertRaises(JsonRpcException, msg=f"{model}.{method}"):
                call(model, method, *args)
        self.a["quoted"].invalidate_recordset()
        self.assertEqual(self.a["quoted"].quote_state, "sent")

    def test_quote_and_signature_of_own_visits(self):
        self._login(self.a, 1)
        visit = self.a["quoted"]
        # Confirming without signing the quotation is refused: the signature confirms it.
        response = self.url_open(
            f"/my/service_visits/{visit.id}/quote",
            data={"decision": "confirm", "csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("can no longer be answered", response.text)
        visit.invalidate_recordset()
        self.assertEqual(visit.quote_state, "sent")
        # The visit's page leads to the quotation, accepted and signed on sale's portal page.
        order = visit.sale_order_id
        self.assertIn(order.get_portal_url(), self.url_open(visit.access_url).text)
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {"access_token": order.access_token, "name": "Contact A2", "signature": SIGNATURE},
        )
        self.assertNotIn("error", result)
        visit.invalidate_recordset()
        self.assertEqual((order.state, order.signed_by), ("sale", "Contact A2"))
        self.assertEqual(visit.quote_state, "confirmed")
        result = self.make_jsonrpc_request(
            f"/my/service_visits/{self.a['on_site'].id}/sign",
            {"name": "Contact A2", "signature": SIGNATURE},
        )
        self.assertTrue(result.get("force_refresh"), result)
        self.a["on_site"].invalidate_recordset()
        self.assertEqual(self.a["on_site"].customer_signed_by, "Contact A2")

    def test_file_a_complaint_with_photos(self):
        self._login(self.b, 1)
        response = self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "csc_kind": "quality_feedback",
                "subject": "Scratched housings",
                "description": "Three housings scratched on arrival.",
                "attachment": "1",
            },
            files={"attachment": ("housing.png", base64.b64decode(SIGNATURE), "image/png")},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        complaint = self.env["csc.complaint"].search([("title", "=", "Scratched housings")])
        self.assertEqual(len(complaint), 1)
        self.assertTrue(response.headers["Location"].endswith(complaint.access_url))
        self.assertEqual(complaint.kind, "quality_feedback")
        self.assertEqual(complaint.partner_id, self.b["customer"])
        self.assertEqual(complaint.contact_id, self.b["users"][1].partner_id)
        self.assertEqual(complaint.ticket_id.csc_kind, "quality_feedback")
        self.assertTrue(complaint.date_deadline and complaint.date_containment_deadline)
        self.assertTrue(complaint.ticket_id.csc_date_investigation_deadline)
        self.assertEqual(complaint.ticket_id.attachment_ids.mapped("name"), ["housing.png"])
        page = self.url_open(complaint.access_url)
        self.assertIn("housing.png", page.text)
        # The other customer's contacts do not see it.
        self._login(self.a)
        self._assert_refused(complaint.access_url)

    def test_customer_files_and_follows_a_complaint_tour(self):
        self.start_tour("/my", "csc_portal_complaint_tour", login=self.a["users"][1].login)
        complaint = self.env["csc.complaint"].search([("title", "=", "Steering wheel vibrates")])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.kind, "complaint")
        self.assertEqual(complaint.contact_id, self.a["users"][1].partner_id)
        self.assertTrue(complaint.date_deadline)
        self.assertTrue(
            any("Is the containment done" in body for body in complaint.message_ids.mapped("body"))
        )
