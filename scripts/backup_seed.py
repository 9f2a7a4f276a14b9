"""Commit a few records of the addon into a database without demo data, so that its restore check
(scripts/restore_check.sh with SEED=1, run by scripts/test.sh) has records and stored files of
the addon to count and read back: a customer, a product, a complaint with an attached file, its
8D, a service visit, a spare-part loan and an issued monthly report (sealed).

Usage: python backup_seed.py ODOO_CONF DB"""

import sys

import odoo
from odoo import SUPERUSER_ID
from odoo import api


def main():
    conf, db = sys.argv[1:3]
    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        partner = env["res.partner"].create(
            {"name": "Restore Check Customer", "is_company": True, "csc_customer_type": "oem"}
        )
        product = env["product.product"].create(
            {"name": "Restore Check Part", "is_storable": True, "csc_low_value": True}
        )
        complaint = env["csc.complaint"].create(
            {"title": "Restore check", "partner_id": partner.id, "product_id": product.id}
        )
        env["ir.attachment"].create(
            {
                "name": "restore-check.txt",
                "raw": b"A file the restore check reads back from the file store.\n",
                "res_model": complaint._name,
                "res_id": complaint.id,
            }
        )
        env["csc.eightd"].create({"complaint_id": complaint.id})
        env["csc.service.visit"].create(
            {"partner_id": partner.id, "visit_type": "repair", "diagnosis": "Worn bearing"}
        )
        env["csc.part.loan"].create(
            {
                "technician_id": env.user.id,
                "partner_id": partner.id,
                "line_ids": [(0, 0, {"product_id": product.id, "quantity": 1})],
            }
        )
        # A finished record: the issued monthly report is sealed with its printed form when the
        # transaction commits, so that the check verifies a seal and its stored form too.
        env["csc.monthly.report"].create({"date_start": "2026-01-01"}).action_issue()
        name = complaint.name
        cr.commit()
    print(
        f"seeded {db}: complaint {name} with a file, its 8D, a visit, a loan and an issued "
        "(sealed) monthly report"
    )


if __name__ == "__main__":
    main()
