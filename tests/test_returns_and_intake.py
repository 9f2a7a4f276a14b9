from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import UserError

from .common import FRIDAY_10
from .common import ComplaintCase


class TestReturns(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.env.ref("stock.stock_location_stock")
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.lot = cls.env["stock.lot"].create({"name": "SG-77", "product_id": cls.product.id})
        cls.spare = cls.env["stock.lot"].create({"name": "SG-78", "product_id": cls.product.id})
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.stock, 1, lot_id=cls.spare
        )

    def _qty(self, location, lot=None):
        return self.env["stock.quant"]._get_available_quantity(
            self.product, location, lot_id=lot, strict=True
        )

    def _received_return(self, disposition):
        complaint = self._complaint(lot_id=self.lot.id, qty_affected=1)
        complaint.action_add_return()
        line = complaint.return_ids
        self.assertEqual(line.receipt_id.location_id, self.customers)
        with self.assertRaisesRegex(AccessError, "receives returned goods"):
            line.with_user(self.technician).action_received()
        # The desk books the receipt without inventory rights of its own (R-D1).
        self.assertFalse(self.desk_user.has_group("stock.group_stock_user"))
        line.with_user(self.desk_user).action_received()
        self.assertEqual(line.receipt_id.state, "done")
        quality = line.receipt_id.location_dest_id
        self.assertTrue(quality.csc_quality_inspection)
        self.assertEqual(self._qty(quality, self.lot), 1)
        with self.assertRaisesRegex(AccessError, "quality department decides"):
            line.action_dispose()
        with self.assertRaisesRegex(UserError, "inspection result"):
            line.with_user(self.quality_user).action_dispose()
        line.write(
            {
                "inspection_result": "Bearing noise confirmed",
                "disposition": disposition,
                "defect_confirmed": True,
            }
        )
        line.with_user(self.quality_user).action_dispose()
        self.assertEqual(line.state, "disposed")
        return line, quality

    def test_scrap(self):
        line, quality = self._received_return("scrap")
        self.assertEqual(self._qty(quality, self.lot), 0)
        scrap_location = line.scrap_ids.scrap_location_id
        self.assertEqual(line.scrap_ids.state, "done")
        self.assertEqual(
            sum(
                self.env["stock.quant"]
                .search([("lot_id", "=", self.lot.id), ("location_id", "=", scrap_location.id)])
                .mapped("quantity")
            ),
            1,
        )

    def test_rework_into_the_rework_location(self):
        _line, quality = self._received_return("rework")
        rework = self.env["stock.location"]._csc_rework_location(self.company)
        self.assertEqual(self._qty(quality, self.lot), 0)
        # Not back in stock before its rework and re-inspection (tests/test_nonconforming_stock.py)
        self.assertEqual(self._qty(self.stock, self.lot), 0)
        self.assertEqual(self._qty(rework, self.lot), 1)

    def test_return_to_customer(self):
        line, quality = self._received_return("return")
        self.assertEqual(self._qty(quality, self.lot), 0)
        self.assertEqual(line.picking_ids.location_dest_id, self.customers)
        self.assertEqual(line.picking_ids.state, "done")

    def test_replace_ships_a_new_unit(self):
        line, quality = self._received_return("replace")
        self.assertEqual(self._qty(quality, self.lot), 0)  # the defective unit is scrapped
        self.assertEqual(self._qty(self.stock, self.spare), 0)  # the spare went to the customer
        self.assertEqual(line.picking_ids.move_line_ids.lot_id, self.spare)
        self.assertEqual(self.spare.csc_partner_id, self.customer)  # the product file follows


class TestTicketIntake(ComplaintCase):
    def _ticket(self, **vals):
        return (
            self.env["helpdesk.ticket"]
            .with_user(self.desk_user)
            .create(
                {
                    "name": "Steering gear noisy",
                    "description": "<p>Noise reported by the line.</p>",
                    "partner_id": self.contact.id,
                    "csc_kind": "complaint",
                    "csc_date_received": FRIDAY_10,
                    **vals,
                }
            )
        )

    def test_reply_commitments_on_working_calendar(self):
        with freeze_time("2026-03-06 15:00:00"):
            ticket = self._ticket()
        # Friday 10:00 + 8 working hours (Friday 6, Monday 2) = Monday 10:00
        self.assertEqual(ticket.csc_date_reply_deadline, datetime(2026, 3, 9, 10, 0))
        self.assertEqual(ticket.csc_date_investigation_deadline, datetime(2026, 3, 8, 10, 0))
        self.assertTrue(ticket.csc_relay_late)  # registered 5 working hours after receipt
        with freeze_time("2026-03-09 12:00:00"):
            overdue = self.env["helpdesk.ticket"].search(
                [("csc_date_replied", "=", False), ("csc_date_reply_deadline", "<", datetime.now())]
            )
            self.assertIn(ticket, overdue)
            ticket.message_post(
                body="We are investigating.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(ticket.csc_date_replied, datetime(2026, 3, 9, 12, 0))
        self.assertTrue(ticket.csc_reply_late)
        consultation = self._ticket(csc_kind="consultation")
        self.assertFalse(consultation.csc_date_investigation_deadline)

    def test_internal_note_is_not_a_reply(self):
        ticket = self._ticket()
        ticket.message_post(body="Internal", message_type="comment", subtype_xmlid="mail.mt_note")
        self.assertFalse(ticket.csc_date_replied)

    def test_create_complaint_from_ticket(self):
        ticket = self._ticket()
        action = ticket.action_csc_create_complaint()
        complaint = self.env["csc.complaint"].browse(action["res_id"])
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.contact_id, self.contact)
        self.assertEqual(complaint.ticket_id, ticket)
        self.assertEqual(complaint.date_received, FRIDAY_10)
        self.assertEqual(ticket.csc_complaint_count, 1)
        self.assertEqual(ticket.action_csc_create_complaint()["res_id"], complaint.id)  # no dup
        consultation = self._ticket(csc_kind="consultation")
        with self.assertRaisesRegex(UserError, "Only a complaint or a quality feedback"):
            consultation.action_csc_create_complaint()

    def test_complaint_by_email_to_team_alias(self):
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "Complaints desk", "csc_default_kind": "complaint"}
        )
        ticket = (
            self.env["helpdesk.ticket"]
            .with_context(default_team_id=team.id)
            .message_new(
                {
                    "subject": "Broken housing",
                    "body": "<p>Two housings cracked at incoming inspection.</p>",
                    "email_from": "Li Na <li.na@oem.example.com>",
                    "author_id": self.contact.id,
                    "partner_ids": [],
                },
                custom_values={"team_id": team.id, "partner_id": self.contact.id},
            )
        )
        self.assertEqual(ticket.csc_kind, "complaint")
        self.assertEqual(ticket.csc_complaint_ids.partner_id, self.customer)
