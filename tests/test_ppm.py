"""The customer's PPM scorecard (issue 23, item 1): complained parts per million delivered, per
customer, product and month, 0 km and field, against the targets of the customer's released
requirements; computed from validated deliveries and registered complaints, on the customer
form, in the monthly report (PDF and spreadsheet) and on the customer's portal (their own
figures only)."""

import io
from datetime import datetime

import openpyxl
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import HttpCase
from odoo.tests import new_test_user
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CscCase
from .common import force
from .test_report_pdf import pdf_pages

MARCH = datetime(2026, 3, 10, 9, 0)
APRIL = datetime(2026, 4, 8, 9, 0)


def build_ppm_data(env):
    """Two customers with validated deliveries in March and complaints received in March:

    - customer A, through its own address and a delivery contact: 600 + 400 gears delivered,
      2 rejected at 0 km and 1 in the field (3000 PPM; 2000 at 0 km, 1000 field), plus 1000
      pumps without complaint; target 5000 PPM (met);
    - customer B: 500 gears delivered, 1 rejected at 0 km (2000 PPM); target 1000 (missed).

    Not counted: a cancelled delivery, one still waiting, goods the customer sent back, a
    quality feedback, a cancelled complaint, B's deliveries for A."""
    Partner = env["res.partner"]
    stock = env.ref("stock.stock_location_stock")
    customers = env.ref("stock.stock_location_customers")
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    customer_a = Partner.create(
        {"name": "PPM Motors A", "is_company": True, "csc_customer_type": "oem"}
    )
    dock_a = Partner.create(
        {"name": "Plant 2 receiving", "parent_id": customer_a.id, "type": "delivery"}
    )
    customer_b = Partner.create(
        {"name": "PPM Trucks B", "is_company": True, "csc_customer_type": "oem"}
    )
    Product = env["product.product"]
    gear = Product.create({"name": "PPM Steering Gear", "is_storable": True})
    pump = Product.create({"name": "PPM Pump", "is_storable": True})
    for product in gear | pump:
        env["stock.quant"]._update_available_quantity(product, stock, 10000)

    def picking(partner, product, qty, source, destination, picking_type):
        record = env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": partner.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "product_uom": product.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                        },
                    )
                ],
            }
        )
        record.action_confirm()
        record.action_assign()
        return record

    def deliver(partner, product, qty, when, picking_type=None, source=stock, dest=customers):
        with freeze_time(when):
            record = picking(
                partner, product, qty, source, dest, picking_type or warehouse.out_type_id
            )
            record.move_ids.quantity = qty
            record.move_ids.picked = True
            record.with_context(skip_backorder=True).button_validate()
        if record.state != "done":
            raise AssertionError(f"{record.name} is not validated")
        return record

    deliver(customer_a, gear, 600, MARCH)
    deliver(dock_a, gear, 400, datetime(2026, 3, 20, 9, 0))
    deliver(customer_a, pump, 1000, MARCH)
    deliver(customer_a, gear, 250, APRIL)
    deliver(customer_b, gear, 500, MARCH)
    # not deliveries: cancelled, still waiting, goods sent back by the customer
    with freeze_time(MARCH):
        picking(customer_a, gear, 7000, stock, customers, warehouse.out_type_id).action_cancel()
        picking(customer_a, gear, 8000, stock, customers, warehouse.out_type_id)
    deliver(customer_a, gear, 90, MARCH, warehouse.in_type_id, customers, stock)

    Complaint = env["csc.complaint"]
    base = {"partner_id": customer_a.id, "product_id": gear.id, "date_received": MARCH}
    complaints = Complaint.create(
        [
            {**base, "title": "Burr at incoming inspection", "qty_affected": 2},
            {
                **base,
                "title": "Leak in service",
                "qty_affected": 1,
                "detection_stage": "field",
            },
            {**base, "title": "Label", "qty_affected": 50, "kind": "quality_feedback"},
            {**base, "title": "Wrong customer", "qty_affected": 60},
            {
                **base,
                "partner_id": customer_b.id,
                "title": "Noise on the line",
                "qty_affected": 1,
            },
        ]
    )
    force(complaints[3], {"state": "cancelled"})
    requirements = env["csc.customer.requirement"].create(
        [
            {"name": "PPM A", "partner_id": customer_a.id, "ppm_target": 5000},
            {"name": "PPM B", "partner_id": customer_b.id, "ppm_target": 1000},
        ]
    )
    force(requirements, {"state": "released"})
    return {
        "a": customer_a,
        "dock_a": dock_a,
        "b": customer_b,
        "gear": gear,
        "pump": pump,
        "complaints": complaints,
        "requirements": requirements,
    }


class TestPpm(CscCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data = build_ppm_data(cls.env)
        cls.Ppm = cls.env["csc.ppm.report"]

    def _row(self, customer, product, month="2026-03-01"):
        rows = self.Ppm.search(
            [
                ("partner_id", "=", customer.id),
                ("product_id", "=", product.id),
                ("month", "=", month),
            ]
        )
        self.assertEqual(len(rows), 1)
        return rows

    def test_detection_stage_proposed_and_kept(self):
        complaints = self.data["complaints"]
        self.assertEqual(complaints[0].detection_stage, "zero_km")
        self.assertEqual(complaints[1].detection_stage, "field")
        complaints[0].warranty_decision = "replace"  # a warranty claim comes from the field
        self.assertEqual(complaints[0].detection_stage, "field")
        complaints[0].detection_stage = "zero_km"  # the desk corrects it
        complaints[0].customer_request = "Sort the stock"
        self.assertEqual(complaints[0].detection_stage, "zero_km")

    def test_ppm_from_deliveries_and_complaints(self):
        row = self._row(self.data["a"], self.data["gear"])
        self.assertEqual(row.delivered_qty, 1000)  # 600 + 400 to its delivery contact
        self.assertEqual((row.rejected_zero_km, row.rejected_field), (2, 1))
        self.assertAlmostEqual(row.ppm_zero_km, 2000)
        self.assertAlmostEqual(row.ppm_field, 1000)
        self.assertAlmostEqual(row.ppm_total, 3000)
        self.assertEqual(row.ppm_target, 5000)
        self.assertTrue(row.has_target)
        self.assertTrue(row.met)
        pump = self._row(self.data["a"], self.data["pump"])
        self.assertEqual((pump.delivered_qty, pump.ppm_total, pump.met), (1000, 0, True))
        april = self._row(self.data["a"], self.data["gear"], "2026-04-01")
        self.assertEqual((april.delivered_qty, april.rejected_qty), (250, 0))

    def test_target_missed_and_other_customer_apart(self):
        row = self._row(self.data["b"], self.data["gear"])
        self.assertEqual(row.delivered_qty, 500)
        self.assertAlmostEqual(row.ppm_total, 2000)
        self.assertEqual(row.ppm_target, 1000)
        self.assertFalse(row.met)
        self.assertEqual(
            self.Ppm.search_count([("partner_id", "=", self.data["dock_a"].id)]),
            0,
            "a delivery contact counts for its customer",
        )

    def test_split_target_decides_too(self):
        """A 0 km target of 1500 is missed by A's 2000 PPM at 0 km, although the total target
        of 5000 is kept; the strictest released requirement counts."""
        requirement = self.env["csc.customer.requirement"].create(
            {"name": "PPM A 0 km", "partner_id": self.data["a"].id, "ppm_target_zero_km": 1500}
        )
        row = self._row(self.data["a"], self.data["gear"])
        self.assertTrue(row.met, "a draft requirement sets no target")
        force(requirement, {"state": "released"})
        self.env.invalidate_all()
        row = self._row(self.data["a"], self.data["gear"])
        self.assertEqual((row.ppm_target, row.ppm_target_zero_km), (5000, 1500))
        self.assertFalse(row.met)
        self.assertTrue(self._row(self.data["a"], self.data["pump"]).met)

    def test_no_target_no_verdict(self):
        force(self.data["requirements"][1], {"state": "obsolete"})
        self.env.invalidate_all()
        row = self._row(self.data["b"], self.data["gear"])
        self.assertFalse(row.has_target)
        self.assertFalse(row.met)
        self.assertEqual(row.ppm_target, 0)

    def test_grouped_ppm_recomputed_from_sums(self):
        """The pivot's PPM of A (gears and pumps, March) is 3 rejected on 2000 delivered,
        1500 PPM, not the sum of the rows' PPM."""
        [(partner, delivered, ppm)] = self.Ppm._read_group(
            [("partner_id", "=", self.data["a"].id), ("month", "=", "2026-03-01")],
            ["partner_id"],
            ["delivered_qty:sum", "ppm_total:sum"],
        )
        self.assertEqual((partner, delivered), (self.data["a"], 2000))
        self.assertAlmostEqual(ppm, 1500)
        groups = self.Ppm.read_group(
            [("partner_id", "=", self.data["a"].id)],
            ["ppm_total", "ppm_zero_km"],
            ["month:month"],
        )
        by_month = {group["month:month"]: group for group in groups}
        self.assertAlmostEqual(by_month["March 2026"]["ppm_zero_km"], 1000)
        self.assertAlmostEqual(by_month["April 2026"]["ppm_total"], 0)

    def test_customer_form(self):
        with freeze_time("2026-04-20 10:00:00"):
            customer = self.data["a"].with_user(self.desk_user)
            # 3 rejected on 2250 delivered (March and April)
            self.assertAlmostEqual(customer.csc_ppm_12m, 3 * 1e6 / 2250, 1)
            self.assertEqual(customer.csc_ppm_delivered_12m, 2250)
            self.assertEqual(customer.csc_ppm_target, 5000)
            self.assertEqual(customer.csc_ppm_status, "met")
            self.assertEqual(self.data["dock_a"].csc_ppm_status, "met")
            other = self.data["b"].with_user(self.desk_user)
            self.assertEqual(other.csc_ppm_status, "missed")
            action = customer.action_csc_open_ppm()
            self.assertEqual(action["res_model"], "csc.ppm.report")
            self.assertEqual(self.Ppm.search_count(action["domain"]), 3)
        with freeze_time("2027-06-01 10:00:00"):  # March 2026 is out of the 12 months
            self.data["a"].invalidate_recordset()
            self.assertEqual(self.data["a"].csc_ppm_12m, 0)
            self.assertEqual(self.data["a"].csc_ppm_status, "met")
        arch = self.env["res.partner"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("action_csc_open_ppm", arch)
        self.assertIn("csc_ppm_12m", arch)

    def test_who_reads_the_scorecard(self):
        self.assertTrue(self.Ppm.with_user(self.technician).search_count([]))
        for user in (self.outsider, self.accountant, self.salesperson):
            with self.assertRaises(AccessError):
                self.Ppm.with_user(user).search([])

    @mute_logger("odoo.sql_db")
    def test_target_checked(self):
        with self.assertRaises(IntegrityError):
            with self.cr.savepoint():
                self.env["csc.customer.requirement"].create(
                    {"name": "Bad", "partner_id": self.data["a"].id, "ppm_target": -1}
                )

    def test_monthly_report_pdf_and_spreadsheet(self):
        report = self.env["csc.monthly.report"].create({"date_start": "2026-03-01"})
        figures = report._figures()
        rows = {row.customer: row for row in figures["ppm"]}
        a, b = rows["PPM Motors A"], rows["PPM Trucks B"]
        self.assertEqual((a.delivered, a.zero_km, a.field), (2000, 2, 1))
        self.assertEqual((a.ppm_zero_km, a.ppm_field, a.ppm_total), (1000.0, 500.0, 1500.0))
        self.assertEqual((a.target, a.met), (5000, True))
        self.assertEqual((b.ppm_total, b.target, b.met), (2000.0, 1000, False))
        # the issued figures keep them
        stored = report._figures_from_json(report._figures_to_json(figures))
        self.assertEqual(stored["ppm"], figures["ppm"])
        pdf, _kind = self.render_pdf("customer_service_control.report_monthly", report.ids)
        text = " ".join(pdf_pages(pdf))
        self.assertIn("Customer PPM", text)
        for expected in ("PPM Motors A", "1,500.0", "5,000.0", "Met", "PPM Trucks B", "Missed"):
            self.assertIn(expected, text)
        xlsx, _kind = self.env["ir.actions.report"]._render_xlsx(
            "customer_service_control.monthly_report_xlsx", report.ids, {}
        )
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
        cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
        title = next(i for i, row in enumerate(cells) if row[0] == "Customer PPM")
        self.assertEqual(cells[title + 1][:3], ["Customer", "Delivered", "Rejected 0 km"])
        body = {row[0]: row for row in cells[title + 2 : title + 4]}
        self.assertEqual(body["PPM Motors A"][1:9], [2000, 2, 1, 1000, 500, 1500, 5000, "Met"])
        self.assertEqual(body["PPM Trucks B"][6:9], [2000, 1000, "Missed"])


@tagged("post_install", "-at_install")
class TestPpmPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_notify_force_send=False))
        cls.data = build_ppm_data(cls.env)
        cls.users = {}
        for key in ("a", "b"):
            contact = cls.env["res.partner"].create(
                {"name": f"Quality {key}", "parent_id": cls.data[key].id, "email": f"q{key}@x.eu"}
            )
            cls.users[key] = new_test_user(
                cls.env,
                login=f"csc_ppm_portal_{key}",
                groups="base.group_portal",
                partner_id=contact.id,
            )
        cls.b_gear = cls.env["product.product"].create(
            {"name": "Only For Trucks B", "is_storable": True}
        )
        cls.env["csc.complaint"].create(
            {
                "title": "B only",
                "partner_id": cls.data["b"].id,
                "product_id": cls.b_gear.id,
                "date_received": MARCH,
                "qty_affected": 4,
            }
        )

    def test_records_of_own_customer_only(self):
        Ppm = self.env["csc.ppm.report"]
        own = Ppm.with_user(self.users["a"]).search([])
        self.assertEqual(own.partner_id, self.data["a"])
        self.assertEqual(len(own), 3)
        self.assertFalse(
            Ppm.with_user(self.users["a"]).search([("partner_id", "=", self.data["b"].id)])
        )
        with self.assertRaises(AccessError):
            Ppm.with_user(self.users["a"]).browse(
                Ppm.search([("partner_id", "=", self.data["b"].id)], limit=1).id
            ).read(["ppm_total"])

    def test_portal_page(self):
        self.authenticate("csc_ppm_portal_a", "csc_ppm_portal_a")
        page = self.url_open("/my/ppm")
        self.assertEqual(page.status_code, 200)
        html = page.text
        self.assertIn("PPM Steering Gear", html)
        self.assertIn("2026-03", html)
        self.assertIn("3000", html)  # A's gears in March
        self.assertIn("Met", html)
        for secret in ("Only For Trucks B", "PPM Trucks B"):
            self.assertNotIn(secret, html)
        self.assertEqual(html.count("o_csc_ppm_row"), 3)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["csc_ppm_count"]})
        self.assertEqual(counters["csc_ppm_count"], 3)

    def test_other_customer_sees_only_theirs(self):
        self.authenticate("csc_ppm_portal_b", "csc_ppm_portal_b")
        html = self.url_open("/my/ppm").text
        self.assertIn("Only For Trucks B", html)
        self.assertIn("Missed", html)
        self.assertNotIn("PPM Pump", html)  # delivered to A only
        self.assertEqual(html.count("o_csc_ppm_row"), 2)

    def test_public_user_sent_to_login(self):
        response = self.url_open("/my/ppm", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
