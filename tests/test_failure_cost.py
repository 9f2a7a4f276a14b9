from datetime import date
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError

from .common import ComplaintCase
from .common import force_create

MARCH = datetime(2026, 3, 10, 9, 0)


class TestFailureCostAndCauses(ComplaintCase):
    """External failure cost (R-I3) and cause analysis (R-I2) read from the records the
    complaint and service features keep, and the monthly report's totals equal to them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        stock = cls.env.ref("stock.stock_location_stock")
        cls.product.standard_price = 40.0
        cls.seal = cls.env["product.product"].create(
            {"name": "Seal kit", "is_storable": True, "standard_price": 12.5}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.seal, stock, 10)
        cls.spare = cls.env["stock.lot"].create({"name": "SG-90", "product_id": cls.product.id})
        cls.env["stock.quant"]._update_available_quantity(cls.product, stock, 1, lot_id=cls.spare)
        unit = cls.env["product.product"].create(
            {"name": "EPS Column", "tracking": "serial", "csc_warranty_months": 12}
        )
        lot = cls.env["stock.lot"].create(
            {"name": "EPS-3", "product_id": unit.id, "csc_delivery_date": "2025-06-01"}
        )
        Visit = cls.env["csc.service.visit"]
        # A warranty repair and its trip expenses...
        cls.warranty_visit = force_create(
            Visit,
            {
                "partner_id": cls.customer.id,
                "lot_id": lot.id,
                "date_request": MARCH,
                "cause_category": "assembly",
                "department_id": cls.quality_dept.id,
                "date_report": datetime(2026, 3, 12, 9),
                "expense_line_ids": [
                    (0, 0, {"expense_type": "travel", "amount": 100}),
                    (0, 0, {"expense_type": "lodging", "amount": 50}),
                    (0, 0, {"expense_type": "labour", "amount": 80}),
                    (0, 0, {"expense_type": "freight", "amount": 30}),
                    (0, 0, {"expense_type": "parts", "amount": 20}),
                ],
            },
        )
        # ... while a paid repair costs us nothing: the customer pays.
        force_create(
            Visit,
            {
                "partner_id": cls.customer.id,
                "date_request": MARCH,
                "cause_category": "misuse",
                "date_report": datetime(2026, 3, 12, 9),
                "expense_line_ids": [(0, 0, {"expense_type": "travel", "amount": 999})],
            },
        )
        with freeze_time("2026-03-11 10:00:00"):
            # Two seals from the technician's loan installed on the warranty repair.
            loan = cls.env["csc.part.loan"].create(
                {
                    "technician_id": cls.technician.id,
                    "visit_id": cls.warranty_visit.id,
                    "line_ids": [(0, 0, {"product_id": cls.seal.id, "quantity": 3})],
                }
            )
            loan.with_user(cls.clerk).action_confirm()
            loan.line_ids.write({"qty_returned_todo": 1, "qty_consumed_todo": 2})
            loan.action_settle()
            # A complaint: the defective unit is replaced (scrap 40 + replacement 40) and
            # another one is reworked for 60.
            cls.complaint = cls._complaint(
                cls,
                date_received=MARCH,
                cause_category="machining",
                department_id=cls.quality_dept.id,
            )
            for disposition, serial in (("replace", "SG-91"), ("rework", "SG-92")):
                line = cls.complaint.return_ids.create(
                    {
                        "complaint_id": cls.complaint.id,
                        "product_id": cls.product.id,
                        "lot_id": cls.env["stock.lot"]
                        .create({"name": serial, "product_id": cls.product.id})
                        .id,
                    }
                )
                line.action_create_receipt()
                receipt = line.receipt_id.sudo()  # validated by the warehouse
                receipt.move_ids.picked = True
                receipt.button_validate()
                line.action_received()
                line.write(
                    {
                        "inspection_result": "Defect confirmed",
                        "disposition": disposition,
                        "rework_cost": 60 if disposition == "rework" else 0,
                    }
                )
                line.with_user(cls.quality_user).action_dispose()
        # A repair made for the complaint counts once, with the complaint.
        Visit.create(
            {
                "partner_id": cls.customer.id,
                "date_request": MARCH,
                "complaint_id": cls.complaint.id,
            }
        )
        cls.report = cls.env["csc.monthly.report"].create({"date_start": "2026-03-01"})

    def test_costs_by_type(self):
        costs = dict(
            self.env["csc.failure.cost"]._read_group(
                [("date", ">=", date(2026, 3, 1))], ["cost_type"], ["amount:sum"]
            )
        )
        self.assertEqual(
            costs,
            {
                "travel": 150.0,  # travel and lodging of the warranty repair
                "labour": 80.0,
                "freight": 30.0,
                # parts bought on the trip + 2 seals x 12.5 + the replacement unit
                "warranty_parts": 20.0 + 25.0 + 40.0,
                "rework": 60.0,
                "scrap": 40.0,
            },
        )

    def test_rows(self):
        """One row per recorded cost, from each source, with its links and the source's id."""
        rows = self.env["csc.failure.cost"].search([("date", ">=", date(2026, 3, 1))])
        got = sorted(
            (
                row.id,
                str(row.date),
                row.cost_type,
                row.amount,
                row.visit_id,
                row.complaint_id,
                row.product_id,
                row.partner_id,
                row.currency_id,
            )
            for row in rows
        )
        visit, complaint = self.warranty_visit, self.complaint
        kinds = {"lodging": "travel", "parts": "warranty_parts"}
        expected = [
            (
                expense.id * 8,
                "2026-03-12",
                kinds.get(expense.expense_type, expense.expense_type),
                expense.amount,
                visit,
                visit.complaint_id,
                self.env["product.product"],
                self.customer,
                visit.company_id.currency_id,
            )
            for expense in visit.expense_line_ids
        ]
        NoVisit = self.env["csc.service.visit"]
        returns = {r.disposition: r for r in complaint.sudo().return_ids}
        replacement = returns["replace"].picking_ids.move_ids.filtered(
            lambda m: m.location_dest_id.usage == "customer"
        )
        scrap_move = returns["replace"].scrap_ids.move_ids
        seals = (
            self.env["stock.move"]
            .sudo()
            .search(
                [("product_id", "=", self.seal.id), ("location_dest_id.usage", "=", "customer")]
            )
        )
        for row_id, cost_type, amount, row_visit, row_complaint, product in (
            (seals.id * 8 + 1, "warranty_parts", 25.0, visit, visit.complaint_id, self.seal),
            (replacement.id * 8 + 2, "warranty_parts", 40.0, NoVisit, complaint, self.product),
            (scrap_move.id * 8 + 3, "scrap", 40.0, NoVisit, complaint, self.product),
            (returns["rework"].id * 8 + 4, "rework", 60.0, NoVisit, complaint, self.product),
        ):
            expected.append(
                (
                    row_id,
                    "2026-03-11",
                    cost_type,
                    amount,
                    row_visit,
                    row_complaint,
                    product,
                    self.customer,
                    complaint.company_id.currency_id,
                )
            )
        self.assertEqual(got, sorted(expected))

    def test_monthly_report_totals_equal_the_records(self):
        figures = self.report._figures()
        records = self.env["csc.failure.cost"].search(
            [("date", ">=", date(2026, 3, 1)), ("date", "<", date(2026, 4, 1))]
        )
        self.assertEqual(figures["failure_cost_total"], sum(records.mapped("amount")))
        self.assertEqual(figures["failure_cost_total"], 445.0)
        self.assertEqual(dict(figures["failure_costs"])["Scrap"], 40.0)
        self.assertEqual(figures["expense_total"], 150 + 80 + 30 + 20 + 999)

    def test_cause_analysis_by_category_and_department(self):
        figures = self.report._figures()
        self.assertEqual(figures["quarter"], "2026-Q1")
        department = self.quality_dept.display_name
        self.assertEqual(
            sorted(figures["quarter_causes"]),
            [
                ("Assembly", department, 0, 1),  # the warranty repair
                ("Machining", department, 1, 0),  # the complaint (its repair not twice)
                ("Misuse", "", 0, 1),
            ],
        )
        # The repair made for the complaint takes the complaint's cause.
        repair = self.env["csc.service.visit"].search([("complaint_id", "=", self.complaint.id)])
        self.assertEqual(repair.cause_category, "machining")

    def test_access(self):
        Cost = self.env["csc.failure.cost"]
        self.assertTrue(Cost.with_user(self.quality_user).search_count([]))
        self.env["csc.technician.performance"].with_user(self.desk_user).search_count([])
        with self.assertRaises(AccessError):
            Cost.with_user(self.technician).search_count([])
        with self.assertRaises(AccessError):
            self.env["csc.technician.performance"].with_user(self.technician).search_count([])
        # The desk and quality read the cause analysis; technicians (R-J) and outsiders do not.
        Causes = self.env["csc.cause.analysis"]
        self.assertEqual(Causes.with_user(self.desk_user).search_count([]), 3)
        for user in (self.technician, self.clerk, self.outsider):
            with self.assertRaises(AccessError):
                Causes.with_user(user).search_count([])
