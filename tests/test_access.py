from odoo.exceptions import AccessError

from .common import CscCase


class TestAccess(CscCase):
    def test_outsider_cannot_read_customer_file(self):
        partner = self.customer.with_user(self.outsider)
        self.assertEqual(partner.name, "Test OEM Motors")  # the plain partner stays readable
        for field in ("csc_customer_type", "csc_grade", "csc_credit_status", "csc_pricelist_id"):
            with self.assertRaises(AccessError):
                partner.read([field])
        with self.assertRaises(AccessError):
            self.env["csc.customer.requirement"].with_user(self.outsider).search([])
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.outsider).search(
                [("csc_visit_overdue", "=", True)]
            )

    def test_every_role_reads_customer_file(self):
        for user in (
            self.desk_user,
            self.quality_user,
            self.technician,
            self.clerk,
            self.service_manager,
            self.general_manager,
        ):
            values = self.customer.with_user(user).read(["csc_customer_type", "csc_grade"])[0]
            self.assertEqual((values["csc_customer_type"], values["csc_grade"]), ("oem", "a"))

    def test_desk_maintains_customer_file(self):
        partner = (
            self.env["res.partner"]
            .with_user(self.desk_user)
            .create({"name": "New Dealer", "is_company": True, "csc_customer_type": "dealer"})
        )
        partner.write({"csc_grade": "b", "csc_last_visit_date": "2026-06-01"})
        self.assertEqual(partner.csc_grade, "b")
        requirement = (
            self.env["csc.customer.requirement"]
            .with_user(self.desk_user)
            .create({"name": "Packaging", "partner_id": partner.id, "description": "<p>Trays</p>"})
        )
        requirement.action_submit_review()
        self.assertEqual(requirement.state, "review")

    def test_technician_and_clerk_read_only_on_requirements(self):
        requirement = self.env["csc.customer.requirement"].create(
            {"name": "Label", "partner_id": self.customer.id}
        )
        for user in (self.technician, self.clerk):
            self.assertEqual(requirement.with_user(user).name, "Label")
            with self.assertRaises(AccessError):
                requirement.with_user(user).write({"name": "Changed"})
            with self.assertRaises(AccessError):
                self.env["csc.customer.requirement"].with_user(user).create(
                    {"name": "X", "partner_id": self.customer.id}
                )

    def test_only_manager_deletes_and_configures(self):
        requirement = self.env["csc.customer.requirement"].create(
            {"name": "Label", "partner_id": self.customer.id}
        )
        with self.assertRaises(AccessError):
            requirement.with_user(self.quality_user).unlink()
        department = self.env.ref("customer_service_control.csc_department_quality")
        with self.assertRaises(AccessError):
            department.with_user(self.quality_user).write({"name": "QA"})
        department.with_user(self.service_manager).write({"code": "QM"})
        self.assertEqual(department.code, "QM")
        requirement.with_user(self.service_manager).unlink()
        self.assertFalse(requirement.exists())

    def test_clerk_and_desk_edit_product_file(self):
        product = self.env["product.product"].create({"name": "Pump", "tracking": "serial"})
        lot = self.env["stock.lot"].create({"name": "P-1", "product_id": product.id})
        lot.with_user(self.clerk).write(
            {"csc_component_ids": [(0, 0, {"name": "Motor", "origin": "imported"})]}
        )
        lot.with_user(self.desk_user).write({"csc_technical_agreement": "Parts at list price"})
        self.assertEqual(lot.csc_component_ids.name, "Motor")
        with self.assertRaises(AccessError):
            lot.with_user(self.technician).write({"csc_quality_notes": "x"})

    def test_general_manager_holds_every_role(self):
        for group in (
            "group_csc_user",
            "group_csc_quality",
            "group_csc_technician",
            "group_csc_stock_clerk",
            "group_csc_manager",
        ):
            self.assertTrue(
                self.general_manager.has_group(f"customer_service_control.{group}"), group
            )
        self.assertFalse(self.technician.has_group("customer_service_control.group_csc_user"))
        self.assertFalse(self.desk_user.has_group("customer_service_control.group_csc_manager"))

    def test_requirements_are_company_private(self):
        other = self.env["res.company"].create({"name": "Other Plant"})
        requirement = self.env["csc.customer.requirement"].create(
            {"name": "Other plant CSR", "partner_id": self.customer.id, "company_id": other.id}
        )
        visible = self.env["csc.customer.requirement"].with_user(self.service_manager).search([])
        self.assertNotIn(requirement, visible)
        self.service_manager.write({"company_ids": [(4, other.id)]})
        visible = (
            self.env["csc.customer.requirement"]
            .with_user(self.service_manager)
            .with_context(allowed_company_ids=[self.company.id, other.id])
            .search([])
        )
        self.assertIn(requirement, visible)
