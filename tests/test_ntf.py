"""No-trouble-found analysis of returned parts (issue 23, item 3; VDA field failure analysis):
standard test, then, when it finds no fault, the load / function test; the part ends as "no
trouble found" or as a fault with its cause. The order is the model's: no NTF without the load
test, no fault without its cause, concluded tests stay as recorded; only quality analyses. NTF
complaints have their own cause category, and the monthly report gives the NTF rate per
product of the field returns."""

import io
from datetime import datetime

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import UserError

from .common import CscCase
from .test_report_pdf import pdf_pages

MARCH_1 = datetime(2026, 3, 1, 8, 0)
# What the analysis records, compared before and after a refused step.
ANALYSIS_FIELDS = (
    "analysis_stage",
    "standard_test_result",
    "date_standard_test",
    "load_test_result",
    "date_load_test",
    "fault_cause_category",
    "fault_description",
    "analysed_by_id",
    "date_analysed",
    "state",
)


class TestNtf(CscCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.motor = Product.create({"name": "Column Motor", "is_storable": True})
        cls.sensor = Product.create({"name": "Torque Sensor", "is_storable": True})
        Complaint = cls.env["csc.complaint"]
        base = {"partner_id": cls.customer.id, "date_received": MARCH_1, "qty_affected": 1}
        cls.field_complaint = Complaint.create(
            {
                **base,
                "title": "Assist lost in service",
                "product_id": cls.motor.id,
                "warranty_decision": "replace",
            }
        )
        cls.zero_km_complaint = Complaint.create(
            {**base, "title": "Dead at the line", "product_id": cls.motor.id}
        )

    def _return(self, complaint=None, product=None):
        """A returned part received into quality inspection, the desk's and the warehouse's
        way."""
        line = (
            self.env["csc.complaint.return"]
            .with_user(self.desk_user)
            .create(
                {
                    "complaint_id": (complaint or self.field_complaint).id,
                    "product_id": (product or self.motor).id,
                    "quantity": 1,
                }
            )
        )
        line.action_create_receipt()
        line.with_user(self.clerk).action_received()
        self.assertEqual(line.state, "received")
        return line.with_user(self.quality_user)

    def _snapshot(self, line):
        line.invalidate_recordset()
        return {name: line.sudo()[name] for name in ANALYSIS_FIELDS}

    def _ntf(self, line):
        line.standard_test_result = "End-of-line test to drawing: within limits."
        line.action_standard_test_passed()
        line.load_test_result = "8 h at rated load, 40 °C: assist steady."
        line.action_no_trouble_found()

    def _fault(self, line, cause="machining"):
        line.write(
            {
                "standard_test_result": "Current draw 30 % above the limit.",
                "fault_cause_category": cause,
                "fault_description": "Winding short after chip in the stator.",
            }
        )
        line.action_fault_found()

    def test_no_trouble_found(self):
        line = self._return()
        self.assertEqual(line.analysis_stage, "pending")
        line.standard_test_result = "End-of-line test to drawing: within limits."
        line.action_standard_test_passed()
        self.assertEqual(line.analysis_stage, "load_test")
        self.assertTrue(line.date_standard_test)
        self.assertFalse(line.date_analysed)
        line.load_test_result = "8 h at rated load, 40 °C: assist steady."
        line.action_no_trouble_found()
        self.assertEqual(line.analysis_stage, "ntf")
        self.assertTrue(line.date_load_test)
        self.assertEqual(line.analysed_by_id, self.quality_user)
        self.assertTrue(line.date_analysed)

    def test_fault_found_at_standard_test(self):
        line = self._return()
        self._fault(line)
        self.assertEqual(line.analysis_stage, "fault")
        self.assertTrue(line.date_standard_test)
        self.assertFalse(line.date_load_test)
        self.assertEqual(line.fault_cause_category, "machining")
        self.assertEqual(line.analysed_by_id, self.quality_user)

    def test_analysis_printed_on_the_return_form(self):
        ntf, fault = self._return(), self._return()
        self._ntf(ntf)
        self._fault(fault)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "customer_service_control.report_complaint_return", (ntf | fault).ids
            )[0]
            .decode()
        )
        for text in (
            "No Trouble Found",
            "8 h at rated load",
            "Fault Found",
            "Machining",
            "Winding short after chip in the stator.",
        ):
            self.assertIn(text, html)

    def test_fault_found_at_load_test(self):
        line = self._return()
        line.standard_test_result = "Within limits."
        line.action_standard_test_passed()
        line.write(
            {
                "load_test_result": "Assist drops after 2 h at 60 °C.",
                "fault_cause_category": "design",
                "fault_description": "Thermal cut-out set too low.",
            }
        )
        line.action_fault_found()
        self.assertEqual(line.analysis_stage, "fault")
        self.assertTrue(line.date_load_test)

    def test_bad_orders_refused_nothing_changed(self):
        line = self._return()
        before = self._snapshot(line)
        for step in (
            line.action_no_trouble_found,  # no NTF without the load test
            line.action_standard_test_passed,  # nothing recorded of the standard test
            line.action_fault_found,  # nor of the fault
        ):
            with self.assertRaises(UserError):
                step()
            self.assertEqual(self._snapshot(line), before, step.__name__)
        line.standard_test_result = "Current draw high."
        before = self._snapshot(line)
        with self.assertRaisesRegex(UserError, "fault cause"):
            line.action_fault_found()  # no fault without its cause
        self.assertEqual(self._snapshot(line), before)
        line.action_standard_test_passed()
        before = self._snapshot(line)
        with self.assertRaises(UserError):
            line.action_standard_test_passed()  # once
        with self.assertRaises(UserError):
            line.action_no_trouble_found()  # no load test recorded
        with self.assertRaises(UserError):
            line.standard_test_result = "Rewritten afterwards"
        self.assertEqual(self._snapshot(line), before)
        line.write({"load_test_result": "Steady.", "fault_cause_category": "assembly"})
        before = self._snapshot(line)
        with self.assertRaisesRegex(UserError, "fault recorded"):
            line.action_no_trouble_found()
        self.assertEqual(self._snapshot(line), before)
        line.fault_cause_category = False
        line.action_no_trouble_found()
        before = self._snapshot(line)
        for vals in (
            {"fault_cause_category": "design"},
            {"load_test_result": "Other"},
            {"analysis_stage": "fault"},
            {"date_analysed": False},
        ):
            with self.assertRaises(UserError):
                line.write(vals)
        for step in (line.action_fault_found, line.action_no_trouble_found):
            with self.assertRaises(UserError):
                step()
        self.assertEqual(self._snapshot(line), before)

    def test_only_parts_in_inspection(self):
        line = (
            self.env["csc.complaint.return"]
            .with_user(self.desk_user)
            .create({"complaint_id": self.field_complaint.id, "product_id": self.motor.id})
        )
        line.standard_test_result = "Within limits."
        before = self._snapshot(line)
        with self.assertRaises(UserError):
            line.with_user(self.quality_user).action_standard_test_passed()
        self.assertEqual(self._snapshot(line), before)
        # an analysis under way is concluded before the part is disposed of
        received = self._return()
        received.write({"standard_test_result": "Ok", "inspection_result": "See analysis"})
        received.action_standard_test_passed()
        received.disposition = "scrap"
        with self.assertRaisesRegex(UserError, "load / function test"):
            received.action_dispose()
        self.assertEqual(received.state, "received")

    def test_wrong_roles_refused(self):
        line = self._return()
        line.standard_test_result = "Within limits."
        before = self._snapshot(line)
        for user in (self.desk_user, self.technician, self.clerk, self.outsider, self.accountant):
            for step in (
                "action_standard_test_passed",
                "action_no_trouble_found",
                "action_fault_found",
                "action_reset_analysis",
            ):
                with self.assertRaises(AccessError, msg=f"{user.login} {step}"):
                    getattr(line.with_user(user), step)()
            self.assertEqual(self._snapshot(line), before)
        line.action_standard_test_passed()
        with self.assertRaises(AccessError):
            line.action_reset_analysis()  # quality does not restart its own analysis
        line.with_user(self.service_manager).action_reset_analysis()
        self.assertEqual(line.analysis_stage, "pending")
        self.assertFalse(line.date_standard_test)
        line.standard_test_result = "Repeated: current draw high."
        self.assertEqual(line.standard_test_result, "Repeated: current draw high.")

    def _causes(self, complaint):
        Cause = self.env["csc.cause.analysis"]
        Cause.invalidate_model()  # a view row keeps its id when its figures change
        return Cause.search([("complaint_id", "=", complaint.id)]).mapped("cause_category")

    def test_ntf_keeps_its_own_cause_category(self):
        self.field_complaint.cause_category = "assembly"
        self.assertEqual(self._causes(self.field_complaint), ["assembly"])
        self._ntf(self._return())
        self.assertEqual(self._causes(self.field_complaint), ["no_trouble_found"])
        # a complaint without a cause of its own takes the fault its returned part showed
        self.assertEqual(self._causes(self.zero_km_complaint), [])
        self._fault(self._return(self.zero_km_complaint), cause="purchasing")
        self.assertEqual(self._causes(self.zero_km_complaint), ["purchasing"])
        # one fault among the parts: the complaint is no longer a no-trouble-found
        self._fault(self._return(), cause="design")
        self.assertEqual(self._causes(self.field_complaint), ["assembly"])

    def test_monthly_report_ntf_rate(self):
        sensor_complaint = self.env["csc.complaint"].create(
            {
                "title": "Sensor drift in service",
                "partner_id": self.customer.id,
                "product_id": self.sensor.id,
                "date_received": MARCH_1,
                "detection_stage": "field",
            }
        )
        with freeze_time("2026-03-12 10:00:00"):
            self._ntf(self._return())
            self._fault(self._return())
            self._ntf(self._return(sensor_complaint, self.sensor))
            self._ntf(self._return(self.zero_km_complaint))  # 0 km: not a field return
        with freeze_time("2026-04-02 10:00:00"):
            self._ntf(self._return())  # analysed in April
        report = self.env["csc.monthly.report"].create({"date_start": "2026-03-01"})
        figures = report._figures()
        self.assertEqual(
            [tuple(row) for row in figures["ntf"]],
            [("Column Motor", 2, 1, 1, 50.0), ("Torque Sensor", 1, 1, 0, 100.0)],
        )
        self.assertEqual(figures["ntf_rate"], 66.7)
        # the quarter's causes: the sensor's and the 0 km complaint found without trouble, the
        # motor's field complaint with the fault one of its parts showed
        causes = {row.cause: row.complaints for row in figures["quarter_causes"]}
        self.assertEqual(causes, {"No Trouble Found": 2, "Machining": 1})
        pdf, _kind = self.render_pdf("customer_service_control.report_monthly", report.ids)
        text = " ".join(pdf_pages(pdf))
        self.assertIn("Field returns: no trouble found", text)
        self.assertRegex(text, r"Column Motor 2 1 1 50\.0")
        self.assertRegex(text, r"Total 3 2 1 66\.7")
        xlsx, _kind = self.env["ir.actions.report"]._render_xlsx(
            "customer_service_control.monthly_report_xlsx", report.ids, {}
        )
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
        cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
        title = next(
            i for i, row in enumerate(cells) if row[0] == "Field returns: no trouble found"
        )
        self.assertEqual(cells[title + 2][:5], ["Column Motor", 2, 1, 1, 50])
        self.assertEqual(cells[title + 4][:5], ["Total", 3, 2, 1, 66.7])
