# Benchmark of the monthly service report (R-I1): generates 100,000 complaints and 50,000
# service visits over two years (once per database; 70 % of the visits finished by ten
# technicians with trip expenses, half of the complaints closed), then times the figures of one
# month, counts their queries, and times the report's rendering. Run it with `make benchmark`;
# it is fed to `odoo-bin shell` (`env` given).
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

if not env["csc.technician.performance"].search_count([], limit=1):
    # Finish most visits (technicians, arrival, lots for repeat repairs, trip expenses) and
    # close half of the complaints, in SQL: the figures read what the features would store.
    print("Finishing visits and closing complaints...", flush=True)
    technicians = env["res.users"].create(
        [{"name": f"Bench Technician {n}", "login": f"bench_tech_{n}"} for n in range(10)]
    )
    product = env["product.product"].create({"name": "Bench Unit", "tracking": "serial"})
    lots = env["stock.lot"].create(
        [{"name": f"BENCH-{n}", "product_id": product.id} for n in range(2000)]
    )
    departments = env["csc.department"].search([])
    relation = Visit._fields["technician_ids"]
    cr = env.cr
    cr.execute(
        """UPDATE csc_service_visit
              SET date_arrival = date_request + (random() * 72)::int * interval '1 hour',
                  lot_id = (%s::int[])[1 + floor(random() * %s)::int]
            WHERE random() < 0.7""",
        (lots.ids, len(lots)),
    )
    cr.execute(
        """UPDATE csc_service_visit
              SET on_time = date_arrival <= date_dispatch_deadline,
                  date_end = date_arrival + interval '4 hours',
                  date_report = date_arrival + interval '2 days',
                  state = 'reported',
                  warranty_status = CASE WHEN random() < 0.6 THEN 'free' ELSE 'paid' END
            WHERE date_arrival IS NOT NULL"""
    )
    cr.execute(
        f"""INSERT INTO {relation.relation} ({relation.column1}, {relation.column2})
            SELECT id, (%s::int[])[1 + floor(random() * 10)::int]
              FROM csc_service_visit WHERE state = 'reported'""",
        (technicians.ids,),
    )
    cr.execute(
        """INSERT INTO csc_service_expense (visit_id, expense_type, amount)
           SELECT id,
                  (ARRAY['travel', 'lodging', 'labour', 'freight'])[1 + floor(random() * 4)::int],
                  round((random() * 500)::numeric, 2)
             FROM csc_service_visit WHERE state = 'reported'"""
    )
    cr.execute("SELECT array_agg(id) FROM csc_service_visit WHERE state = 'reported'")
    finished = cr.fetchone()[0]
    cr.execute(
        """UPDATE csc_complaint
              SET date_closed = date_received + random() * 30 * interval '1 day',
                  state = 'closed',
                  department_id = (%s::int[])[1 + floor(random() * %s)::int],
                  cause_visit_id = CASE WHEN random() < 0.02
                      THEN (%s::int[])[1 + floor(random() * %s)::int] END
            WHERE random() < 0.5""",
        (departments.ids, len(departments), finished, len(finished)),
    )
    cr.execute(
        """UPDATE csc_complaint
              SET days_to_close = extract(epoch FROM date_closed - date_received) / 86400,
                  closed_on_time = date_closed <= date_resolution_deadline
            WHERE date_closed IS NOT NULL"""
    )
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
    f"{figures['visit_total']} visits, {figures['complaints_received']} complaints received, "
    f"{figures['field_services']} field services finished, {len(figures['technicians'])} "
    f"technicians, failure cost {figures['failure_cost_total']:.2f}"
)
began = time.perf_counter()
report.env["ir.actions.report"]._render_qweb_html(
    "customer_service_control.report_monthly", report.ids
)
print(
    f"Monthly report 2026-03 rendered as HTML (the PDF's body): "
    f"{(time.perf_counter() - began) * 1000:.0f} ms"
)
env.cr.commit()
