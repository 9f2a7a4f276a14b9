"""The visit kind as data (issue 19 point 2): a stored, indexed `is_field_service` computed from
the type, the model answering which types are field services, one selection of visit types for
visits and visit-plan lines, and one window action per kind with its domain and default type."""

from .common import CscCase


class TestVisitKinds(CscCase):
    def test_field_service_is_stored_and_searched(self):
        Visit = self.env["csc.service.visit"]
        field = Visit._fields["is_field_service"]
        self.assertTrue(field.store and field.index)
        types = dict(Visit._fields["visit_type"].selection)
        field_types = Visit._csc_field_service_types()
        self.assertTrue(set(field_types) < set(types))
        visits = Visit.create(
            [{"partner_id": self.customer.id, "visit_type": visit_type} for visit_type in types]
        )
        self.assertEqual(
            visits.filtered("is_field_service").mapped("visit_type"), list(field_types)
        )
        found = Visit.search([("id", "in", visits.ids), ("is_field_service", "=", True)])
        self.assertEqual(found, visits.filtered(lambda v: v.visit_type in field_types))
        groups = dict(
            Visit._read_group([("id", "in", visits.ids)], ["is_field_service"], ["__count"])
        )
        self.assertEqual(groups, {True: len(field_types), False: len(types) - len(field_types)})
        # The kind follows the type while the visit is a request.
        repair = visits.filtered(lambda v: v.visit_type == "repair")
        repair.visit_type = "tour"
        self.assertFalse(repair.is_field_service)
        self.assertEqual(
            Visit.search_count([("id", "=", repair.id), ("is_field_service", "=", False)]), 1
        )

    def test_plan_lines_share_the_visit_types(self):
        visit_types = self.env["csc.service.visit"]._fields["visit_type"].selection
        line_types = self.env["csc.visit.plan.line"]._fields["visit_type"].selection
        sales = self.env["csc.service.visit"]._csc_sales_visit_types()
        self.assertEqual(line_types, [item for item in visit_types if item[0] in sales])

    def test_one_action_per_kind(self):
        Visit = self.env["csc.service.visit"].with_user(self.desk_user)
        for xmlid, field_service, default_type in (
            ("csc_service_visit_action_field", True, "repair"),
            ("csc_service_visit_action_customer", False, "customer_visit"),
        ):
            with self.subTest(action=xmlid):
                action = self.env["ir.actions.act_window"]._for_xml_id(
                    f"customer_service_control.{xmlid}"
                )
                self.assertEqual(action["domain"], f"[('is_field_service', '=', {field_service})]")
                self.assertIn(f"'default_visit_type': '{default_type}'", action["context"])
                self.assertTrue(self.env.ref(f"customer_service_control.{xmlid}").exists())
                defaults = Visit.with_context(default_visit_type=default_type).default_get(
                    ["visit_type"]
                )
                self.assertEqual(defaults["visit_type"], default_type)
        menus = self.env["ir.ui.menu"].search(
            [
                (
                    "action",
                    "in",
                    [
                        f"ir.actions.act_window,{self.env.ref(f'customer_service_control.{x}').id}"
                        for x in (
                            "csc_service_visit_action_field",
                            "csc_service_visit_action_customer",
                        )
                    ],
                )
            ]
        )
        self.assertEqual(sorted(menus.mapped("name")), ["Customer Visits", "Field Services"])
