"""Supplier recovery (issue 22, item 6; IATF 16949 10.2.5): a complaint whose responsibility is a
supplier's names the supplier and quality opens a claim on it with the parts still in quality
inspection and the complaint's external failure costs; the claim goes to the supplier with its
PDF, the supplier's contact confirms the containment and sends the 8D on the portal (seeing only
its own supplier's claims), the warehouse ships the parts back with a real delivery, quality
agrees the recovery and finance posts the vendor credit note."""

import base64

from odoo import Command
from odoo import http
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import ComplaintCase


def build_supplier(env, code):
    """A supplier (a vendor company) with a contact who is a portal user."""
    supplier = env["res.partner"].create(
        {"name": f"Supplier {code}", "is_company": True, "email": f"{code}@supplier.example.com"}
    )
    contact = env["res.partner"].create(
        {"name": f"SQE {code}", "parent_id": supplier.id, "email": f"sqe.{code}@example.com"}
    )
    user = new_test_user(
        env, login=f"csc_supplier_{code}".lower(), groups="base.group_portal", partner_id=contact.id
    )
    return supplier, contact, user


class SupplierClaimCase(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vat_in = cls.env["account.tax"].create(
            {"name": "VAT 13 % (purchases)", "amount": 13.0, "type_tax_use": "purchase"}
        )
        cls.valve = cls.env["product.product"].create(
            {
                "name": "Relief Valve",
                "is_storable": True,
                "lst_price": 90.0,
                "standard_price": 40.0,
                "supplier_taxes_id": [Command.set(cls.vat_in.ids)],
            }
        )
        cls.supplier, cls.supplier_contact, cls.supplier_user = build_supplier(cls.env, "A")
        cls.other_supplier, _contact, cls.other_user = build_supplier(cls.env, "B")
        cls.company.csc_disposition_approval_amount = 0.0

    def _complaint_with_returns(self):
        """A complaint on the supplier: 3 valves in quality inspection, 1 reworked for 200."""
        complaint = self._complaint(product_id=self.valve.id, qty_affected=4).with_env(self.env)
        Return = self.env["csc.complaint.return"].with_user(self.desk_user)
        kept, reworked = Return.create(
            [
                {"complaint_id": complaint.id, "product_id": self.valve.id, "quantity": 3},
                {"complaint_id": complaint.id, "product_id": self.valve.id, "quantity": 1},
            ]
        )
        (kept | reworked).action_create_receipt()
        (kept | reworked).action_received()
        reworked.with_user(self.quality_user).write(
            {"inspection_result": "Spring broken", "disposition": "rework"}
        )
        reworked.with_user(self.quality_user).action_dispose()
        reworked.with_user(self.quality_user).write({"rework_cost": 200.0})
        complaint.with_user(self.quality_user).write(
            {"responsibility": "supplier", "supplier_id": self.supplier.id}
        )
        return complaint

    def _open_claim(self, complaint=None):
        complaint = complaint or self._complaint_with_returns()
        complaint.with_user(self.quality_user).action_open_supplier_claim()
        return complaint.supplier_claim_ids.with_env(self.env)

    def _answer(self, claim, user=None):
        user = user or self.supplier_user
        claim.sudo()._csc_portal_acknowledge(user, "Stock at our plant sorted, 0 defects found.")
        claim.sudo()._csc_portal_submit_eightd(
            user,
            "Spring wire from a new heat lot, not tested.",
            "Incoming test of each heat lot; 100 % spring force check for 3 months.",
            "8D-A.pdf",
            b"%PDF-1.4 8D report",
        )


@tagged("post_install", "-at_install")
class TestSupplierClaim(SupplierClaimCase):
    def test_supplier_named_when_responsible(self):
        complaint = self._complaint(product_id=self.valve.id)
        with self.assertRaisesRegex(ValidationError, "name the responsible supplier"):
            complaint.with_user(self.quality_user).write({"responsibility": "supplier"})
        with self.assertRaisesRegex(ValidationError, "not the supplier"):
            complaint.with_user(self.quality_user).write(
                {"responsibility": "supplier", "supplier_id": self.customer.id}
            )
        complaint.invalidate_recordset(flush=False)  # what the refused writes left in the cache
        self.assertFalse(complaint.sudo().responsibility)
        # No claim without a supplier's responsibility, or without a supplier.
        with self.assertRaisesRegex(UserError, "supplier is named"):
            complaint.with_user(self.quality_user).action_open_supplier_claim()
        with self.assertRaisesRegex(UserError, "Name the supplier"):
            self.env["csc.supplier.claim"].with_user(self.quality_user).create(
                {"complaint_id": complaint.id}
            )
        self.assertFalse(
            self.env["csc.supplier.claim"].search([("complaint_id", "=", complaint.id)])
        )

    def test_claim_recovered_through_a_posted_vendor_credit_note(self):
        complaint = self._complaint_with_returns()
        with self.assertRaises(AccessError):
            complaint.with_user(self.desk_user).action_open_supplier_claim()
        claim = self._open_claim(complaint)
        self.assertRegex(claim.name, r"^SC/\d{4}/\d{4}$")
        self.assertEqual(complaint.supplier_claim_count, 1)
        self.assertEqual(claim.partner_id, self.supplier)
        self.assertEqual(self.supplier.supplier_rank, 1)
        # the parts still in inspection, at cost, to ship back; the complaint's failure costs
        self.assertEqual(claim.line_ids.mapped("quantity"), [3.0])
        self.assertEqual(claim.line_ids.price_unit, 40.0)
        self.assertTrue(claim.line_ids.to_return)
        self.assertEqual([(c.cost_type, c.amount) for c in claim.cost_ids], [("rework", 200.0)])
        self.assertEqual((claim.amount_parts, claim.amount_claimed), (120.0, 320.0))
        claim.contact_id = self.supplier_contact
        claim.with_user(self.quality_user).action_send()
        self.assertEqual(claim.state, "sent")
        self.assertTrue(claim.date_answer_due and claim.date_eightd_due)
        mail = claim.message_ids.filtered(lambda m: self.supplier_contact in m.partner_ids)
        self.assertTrue(mail.attachment_ids)
        self.assertTrue(claim.activity_ids)
        # The warehouse ships the parts back: a real delivery to the supplier.
        with self.assertRaises(AccessError):
            claim.with_user(self.quality_user).action_ship_return()
        claim.with_user(self.clerk).action_ship_return()
        picking = claim.picking_ids
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.partner_id, self.supplier)
        self.assertEqual(picking.location_dest_id.usage, "supplier")
        self.assertEqual(picking.move_ids.product_qty, 3.0)
        self.assertEqual(claim.return_status, "shipped")
        with self.assertRaisesRegex(UserError, "no parts left"):
            claim.with_user(self.clerk).action_ship_return()
        # The supplier answers on the portal; quality accepts and agrees the recovery.
        self._answer(claim)
        self.assertEqual(claim.state, "answered")
        self.assertTrue(claim.eightd_attachment_id)
        with self.assertRaises(AccessError):
            claim.with_user(self.desk_user).action_accept()
        claim.with_user(self.quality_user).action_accept()
        self.assertEqual(claim.state, "accepted")
        move = claim.move_ids
        self.assertEqual(move.state, "draft")
        with self.assertRaisesRegex(UserError, "posted vendor credit note"):
            claim.with_user(self.quality_user).action_close()
        with self.assertRaises(AccessError):
            move.with_user(self.quality_user).action_post()
        move.with_user(self.accountant).action_post()
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.move_type, "in_refund")
        self.assertEqual(move.partner_id, self.supplier)
        self.assertEqual(
            (move.csc_origin, move.csc_complaint_id, move.csc_supplier_claim_id),
            ("supplier_recovery", complaint, claim),
        )
        self.assertAlmostEqual(move.amount_untaxed, 320.0)
        self.assertAlmostEqual(move.amount_tax, 15.6)  # 13 % on the parts only
        self.assertAlmostEqual(move.amount_total, 335.6)
        claim.invalidate_recordset()
        self.assertEqual((claim.recovery_status, claim.amount_recovered), ("posted", 320.0))
        claim.with_user(self.quality_user).action_close()
        self.assertEqual(claim.state, "closed")
        with self.assertRaises(UserError):
            claim.with_user(self.quality_user).write({"description": "changed"})

    def test_no_recovery_before_agreement_nor_above_the_claim(self):
        claim = self._open_claim()
        claim.with_user(self.quality_user).action_send()
        early = (
            self.env["account.move"]
            .with_user(self.accountant)
            .create(
                {
                    "move_type": "in_refund",
                    "partner_id": self.supplier.id,
                    "invoice_date": "2026-03-10",
                    "csc_origin": "supplier_recovery",
                    "csc_supplier_claim_id": claim.id,
                    "invoice_line_ids": [Command.create({"name": "Recovery", "price_unit": 320.0})],
                }
            )
        )
        with self.assertRaisesRegex(UserError, "recovery agreed"):
            early.with_user(self.accountant).action_post()
        self.assertEqual(early.state, "draft")
        self._answer(claim)
        claim.with_user(self.quality_user).action_accept()
        early.invoice_line_ids.with_user(self.accountant).write({"price_unit": 10.0})
        drafted = claim.move_ids - early
        drafted.invoice_line_ids.filtered("product_id").with_user(self.accountant).write(
            {"price_unit": 50.0}
        )  # 3 x 50 + 200 = 350 > 320
        with self.assertRaisesRegex(UserError, "more than the 320.0 claimed"):
            drafted.with_user(self.accountant).action_post()
        self.assertEqual(drafted.state, "draft")
        self.assertFalse(claim.move_ids.filtered(lambda m: m.state == "posted"))
        # Lines of an agreed claim no longer change.
        with self.assertRaisesRegex(UserError, "stay as agreed"):
            claim.line_ids.with_user(self.quality_user).write({"quantity": 5})

    def test_wrong_roles_refused(self):
        complaint = self._complaint_with_returns()
        for user in (self.desk_user, self.technician, self.clerk, self.accountant):
            with self.assertRaises(AccessError):
                self.env["csc.supplier.claim"].with_user(user).create(
                    {"complaint_id": complaint.id, "partner_id": self.supplier.id}
                )
        claim = self._open_claim(complaint)
        for user in (self.desk_user, self.technician, self.clerk, self.accountant):
            with self.assertRaises(AccessError):
                claim.with_user(user).action_send()
            with self.assertRaises(AccessError):
                claim.with_user(user).write({"description": "Changed"})
            with self.assertRaises(AccessError):
                claim.line_ids.with_user(user).write({"quantity": 9})
            with self.assertRaises(AccessError):
                claim.with_user(user).unlink()
        with self.assertRaises(AccessError):
            claim.with_user(self.quality_user).unlink()  # a manager deletes a draft
        self.assertEqual((claim.state, claim.line_ids.quantity), ("draft", 3.0))
        with self.assertRaisesRegex(UserError, "change only through its actions"):
            claim.with_user(self.quality_user).write({"state": "accepted"})
        claim.with_user(self.quality_user).action_send()
        with self.assertRaisesRegex(UserError, "cannot be agreed"):
            claim.with_user(self.quality_user).action_accept()
        with self.assertRaisesRegex(UserError, "supplier and the complaint"):
            claim.with_user(self.quality_user).write({"partner_id": self.other_supplier.id})
        self.assertEqual(claim.state, "sent")

    def test_portal_supplier_sees_only_its_claims(self):
        claim = self._open_claim()
        Claim = self.env["csc.supplier.claim"]
        # a draft is not shown to the supplier yet
        self.assertFalse(Claim.with_user(self.supplier_user).search([]))
        claim.with_user(self.quality_user).action_send()
        self.assertEqual(Claim.with_user(self.supplier_user).search([]), claim)
        self.assertFalse(Claim.with_user(self.other_user).search([]))
        with self.assertRaises(AccessError):
            claim.with_user(self.other_user).read(["name"])
        data = claim.with_user(self.supplier_user).read(["name", "amount_claimed", "line_ids"])
        self.assertEqual(data[0]["amount_claimed"], 320.0)
        # never the complaint (its customer) or the owner
        for field in ("complaint_id", "user_id"):
            with self.assertRaises(AccessError):
                claim.with_user(self.supplier_user).read([field])
        with self.assertRaises(AccessError):
            claim.with_user(self.supplier_user).write({"description": "Not ours"})
        # another supplier cannot answer it, even through the portal's sudo record
        with self.assertRaises(AccessError):
            self._answer(claim, self.other_user)
        self.assertEqual(claim.state, "sent")
        with self.assertRaisesRegex(UserError, "8D report file"):
            claim.sudo()._csc_portal_submit_eightd(self.supplier_user, "Cause", "Action")
        self._answer(claim)
        self.assertEqual(claim.state, "answered")
        sent = claim.message_ids.filtered(lambda m: m.attachment_ids == claim.eightd_attachment_id)
        self.assertEqual(sent.author_id, self.supplier_user.partner_id)
        # Quality rejects the 8D with a reason: the supplier answers again.
        claim.with_user(self.quality_user)._csc_reject_answer("No verification of the actions.")
        self.assertEqual(claim.state, "sent")

    def test_overdue_marker_and_reminder(self):
        claim = self._open_claim()
        claim.with_user(self.quality_user).write({"user_id": self.quality_user.id})
        claim.with_user(self.quality_user).action_send()
        self.assertFalse(claim.is_overdue)
        claim.with_user(self.quality_user).write({"date_answer_due": "2020-01-01"})
        self.assertTrue(claim.is_overdue)
        self.assertIn(claim, self.env["csc.supplier.claim"].search([("is_overdue", "=", True)]))
        self.env["csc.supplier.claim"]._cron_overdue_claims()
        self.env["csc.supplier.claim"]._cron_overdue_claims()
        warnings = claim.activity_ids.filtered(lambda a: "Supplier late" in a.summary)
        self.assertEqual(len(warnings), 1)
        claim.sudo()._csc_portal_acknowledge(self.supplier_user, "Sorted.")
        self.assertFalse(claim.is_overdue)

    def test_claim_pdf(self):
        claim = self._open_claim()
        claim.with_user(self.quality_user).action_send()
        content, kind = self.render_pdf(
            "customer_service_control.csc_supplier_claim_report", claim.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        with open("/work/tmp/money-complaint-claim.pdf", "wb") as file:
            file.write(content)


@tagged("post_install", "-at_install")
class TestSupplierClaimPortalHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_notify_force_send=False))
        env = cls.env
        cls.supplier, _contact, cls.supplier_user = build_supplier(env, "HA")
        cls.other_supplier, _contact, cls.other_user = build_supplier(env, "HB")
        customer = env["res.partner"].create({"name": "Portal OEM", "is_company": True})
        product = env["product.product"].create({"name": "Check Valve", "standard_price": 30.0})
        quality = new_test_user(
            env,
            login="csc_claim_quality",
            groups="base.group_user,customer_service_control.group_csc_quality",
        )
        complaint = env["csc.complaint"].create(
            {
                "title": "Valve sticks",
                "partner_id": customer.id,
                "product_id": product.id,
                "responsibility": "supplier",
                "supplier_id": cls.supplier.id,
            }
        )
        claim = (
            env["csc.supplier.claim"]
            .with_user(quality)
            .create(
                {
                    "complaint_id": complaint.id,
                    "partner_id": cls.supplier.id,
                    "line_ids": [
                        Command.create({"product_id": product.id, "quantity": 2, "price_unit": 30})
                    ],
                }
            )
        )
        claim.with_user(quality).action_send()
        cls.claim = claim.with_env(env)

    def test_supplier_pages_and_8d_upload(self):
        self.authenticate(self.supplier_user.login, self.supplier_user.login)
        page = self.url_open("/my/supplier-claims")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.claim.name, page.text)
        page = self.url_open(self.claim.access_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Check Valve", page.text)
        self.assertNotIn("Portal OEM", page.text)  # the customer stays inside
        response = self.url_open(
            f"/my/supplier-claims/{self.claim.id}/eightd",
            data={
                "root_cause": "Burr on the seat",
                "actions": "Deburring step added",
                "csrf_token": http.Request.csrf_token(self),
            },
            files={"eightd_file": ("8D.pdf", b"%PDF-1.4 8D", "application/pdf")},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("message=eightd_sent", response.headers["Location"])
        self.claim.invalidate_recordset()
        self.assertEqual(self.claim.state, "answered")
        self.assertEqual(base64.b64decode(self.claim.eightd_attachment_id.datas), b"%PDF-1.4 8D")
        pdf = self.url_open(f"/my/supplier-claims/{self.claim.id}/pdf")
        self.assertEqual(pdf.status_code, 200)

    def test_other_supplier_refused(self):
        self.authenticate(self.other_user.login, self.other_user.login)
        page = self.url_open("/my/supplier-claims")
        self.assertNotIn(self.claim.name, page.text)
        for url in (self.claim.access_url, f"{self.claim.access_url}/pdf"):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
            self.assertTrue(response.headers["Location"].endswith("/my"), url)
        response = self.url_open(
            f"/my/supplier-claims/{self.claim.id}/containment",
            data={"containment": "Intruder", "csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )
        self.assertTrue(response.headers["Location"].endswith("/my"))
        self.claim.invalidate_recordset()
        self.assertFalse(self.claim.date_acknowledged)
