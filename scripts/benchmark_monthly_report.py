# Benchmark of the monthly service report (R-I1): generates 100,000 complaints and 50,000
# service visits over two years (once per database), then times the report of one month and
# counts its queries. Run it with `make benchmark`; it is fed to `odoo-bin shell` (`env` given).
# ruff: noqa: F821
import random
import time
from datetime import datetime
from datetime import timedelta

COMPLAINTS, VISITS, BATCH = 100_000, 50_000, 5_000
rng = random.Random(42)
start = datetime(2025, 1, 1)
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
Complaint, Visit = env["csc.complaint"], env["csc.service.visit"]

if Complaint.search_count([]) < COMPLAINTS:
    print("Generating data (a few minutes)...", flush=True)
    customers = env["res.partner"].create(
        [{"name": f"Bench Customer {n}", "csc_customer_type": "oem"} for n in range(50)]
    )
    causes = [key for key, _label in Complaint._fields["cause_category"].selection]
    for offset in range(0, COMPLAINTS, BATCH):
        Complaint.create(
            [
                {
                    "title": f"Bench complaint {offset + n}",
                    "partner_id": rng.choice(customers).id,
                    "date_received": start + timedelta(minutes=rng.randrange(730 * 24 * 60)),
                    "cause_category": rng.choice(causes),
                }
                for n in range(BATCH)
            ]
        )
        env.cr.commit()
    types = [key for key, _label in Visit._fields["visit_type"].selection]
    for _offset in range(0, VISITS, BATCH):
        visits = Visit.create(
            [
                {
                    "partner_id": rng.choice(customers).id,
                    "visit_type": rng.choice(types),
                    "distance": rng.randrange(1500),
                    "date_request": start + timedelta(minutes=rng.randrange(730 * 24 * 60)),
                }
                for n in range(BATCH)
            ]
        )
        for visit in visits.filtered(lambda v: rng.random() < 0.5):
            visit.date_arrival = visit.date_request + timedelta(hours=rng.randrange(72))
        env.cr.commit()

print(f"{Complaint.search_count([])} complaints, {Visit.search_count([])} visits")
report = env["csc.monthly.report"].search([("date_start", "=", "2026-03-01")]) or env[
    "csc.monthly.report"
].create({"date_start": "2026-03-01"})
env.invalidate_all()
queries, began = env.cr.sql_log_count, time.perf_counter()
figures = report._figures()
elapsed, queries = time.perf_counter() - began, env.cr.sql_log_count - queries
print(
    f"Monthly report 2026-03: {elapsed * 1000:.0f} ms, {queries} queries; "
    f"{figures['visit_total']} visits, {figures['complaints_received']} complaints received"
)
env.cr.commit()
