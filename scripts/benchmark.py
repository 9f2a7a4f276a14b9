# The benchmark (`make benchmark`, fed to `odoo-bin shell` by scripts/benchmark.sh, `env`
# given) on the data of scripts/benchmark_data.py. Prints, measured side by side in one run:
# 1. complaint creation vs helpdesk ticket creation, batches of 20 and 200, as a desk user over
#    the ORM with the chatter on (as over RPC): throughput ratio and queries per record;
# 2. the monthly service report vs a hand-written SQL aggregate of the same figures;
# 3. the queries of the web client's calls opening the complaint list (80 rows, and 20 to show
#    that the count does not depend on the rows), a complaint form, a visit form, the dashboard;
# 4. EXPLAIN of the searches by customer, product, lot, state and date.
# Each measurement is rolled back: the database stays as generated.
# ruff: noqa: F821
import statistics
import time

from lxml import etree

REPEAT = 5
cr = env.cr


def user(login, *groups):
    Users = env["res.users"].with_context(no_reset_password=True)
    found = Users.search([("login", "=", login)])
    if found:
        return found
    return Users.create(
        {
            "name": login.replace("_", " ").title(),
            "login": login,
            "email": f"{login}@bench.example.com",
            "groups_id": [(6, 0, [env.ref(group).id for group in ("base.group_user", *groups)])],
        }
    )


desk = user("bench_desk", "customer_service_control.group_csc_user")
quality = user("bench_quality", "customer_service_control.group_csc_quality")
department = env.ref("customer_service_control.csc_department_quality")
if not (department.manager_id or department.member_ids):
    department.manager_id = quality
customer = env["res.partner"].search([("name", "=", "Bench Customer 1")], limit=1)
cr.commit()  # pylint: disable=invalid-commit


def measure(function):
    """(seconds, queries) of function(), rolled back."""
    env.invalidate_all()
    cr.execute("SAVEPOINT bench")
    env.flush_all()
    queries, began = cr.sql_log_count, time.perf_counter()
    function()
    env.flush_all()
    cr.precommit.run()  # tracking values, as at commit
    elapsed, queries = time.perf_counter() - began, cr.sql_log_count - queries
    cr.execute("ROLLBACK TO SAVEPOINT bench")
    cr.precommit.clear()
    cr.postcommit.clear()
    env.invalidate_all()
    return elapsed, queries


def best(function):
    runs = [measure(function) for _run in range(REPEAT)]
    return statistics.median(run[0] for run in runs), runs[-1][1]


print("\n== 1. Batch creation: complaints vs helpdesk tickets (desk user, chatter on)")
print(
    f"{'batch':>6} {'complaint/s':>12} {'ticket/s':>10} {'ratio':>6} "
    f"{'q/complaint':>12} {'q/ticket':>9}"
)
makers = {
    "csc.complaint": lambda n: {"title": f"Bench batch {n}", "partner_id": customer.id},
    "helpdesk.ticket": lambda n: {
        "name": f"Bench batch {n}",
        "description": "<p>Customer message</p>",
        "partner_id": customer.id,
    },
}
for size in (20, 200):
    results = {}
    for model, make in makers.items():
        Model = env[model].with_user(desk)
        measure(lambda Model=Model, make=make: Model.create([make(n) for n in range(2)]))  # warm
        results[model] = best(
            lambda Model=Model, make=make, size=size: Model.create([make(n) for n in range(size)])
        )
    (c_time, c_queries), (t_time, t_queries) = results["csc.complaint"], results["helpdesk.ticket"]
    print(
        f"{size:>6} {size / c_time:>12.0f} {size / t_time:>10.0f} {t_time / c_time:>5.2f}x "
        f"{c_queries / size:>12.1f} {t_queries / size:>9.1f}"
    )

print("\n== 2. Monthly service report 2026-03 vs a hand-written SQL aggregate")
counts = {}
for table in ("helpdesk_ticket", "csc_complaint", "csc_service_visit", "csc_part_loan"):
    cr.execute(f"SELECT count(*) FROM {table}")
    counts[table] = cr.fetchone()[0]
print(", ".join(f"{table}: {count:,}" for table, count in counts.items()))
report = env["csc.monthly.report"].search([("date_start", "=", "2026-03-01")], limit=1)
if not report:
    report = env["csc.monthly.report"].create({"date_start": "2026-03-01"})
    cr.commit()  # pylint: disable=invalid-commit
figures = {}


def orm_figures():
    figures.update(report._figures())


SQL_FIGURES = """
SELECT
 (SELECT json_agg(x) FROM (SELECT visit_type, count(*) FROM csc_service_visit
   WHERE company_id = %(c)s AND date_request >= %(s)s AND date_request < %(e)s GROUP BY 1) x),
 (SELECT json_agg(x) FROM (SELECT on_time, count(*) FROM csc_service_visit
   WHERE company_id = %(c)s AND date_arrival >= %(s)s AND date_arrival < %(e)s GROUP BY 1) x),
 (SELECT count(*) FROM csc_service_visit WHERE company_id = %(c)s
   AND visit_type IN ('repair', 'installation', 'maintenance', 'line_side')
   AND date_end >= %(s)s AND date_end < %(e)s),
 (SELECT count(*) FROM csc_service_visit WHERE company_id = %(c)s AND state = 'phone'
   AND date_end >= %(s)s AND date_end < %(e)s),
 (SELECT json_agg(x) FROM (SELECT csc_reply_late, count(*) FROM helpdesk_ticket
   WHERE company_id = %(c)s AND csc_kind IS NOT NULL AND csc_date_replied >= %(s)s
   AND csc_date_replied < %(e)s GROUP BY 1) x),
 (SELECT count(*) FROM csc_part_loan WHERE company_id = %(c)s AND state = 'loaned'),
 (SELECT json_build_array(count(*), count(repeat_of_id), count(cause_visit_id))
   FROM csc_complaint WHERE active AND company_id = %(c)s
   AND date_received >= %(s)s AND date_received < %(e)s),
 (SELECT json_agg(x) FROM (SELECT closed_on_time, count(*), sum(days_to_close)
   FROM csc_complaint WHERE active AND company_id = %(c)s AND date_closed >= %(s)s
   AND date_closed < %(e)s GROUP BY 1) x),
 (SELECT json_agg(x) FROM (SELECT cause_category, count(*) FROM csc_complaint
   WHERE active AND company_id = %(c)s AND date_received >= %(s)s AND date_received < %(e)s
   AND cause_category IS NOT NULL GROUP BY 1 ORDER BY 2 DESC) x),
 (SELECT json_agg(x) FROM (SELECT on_time, count(*), sum(qty_done) FROM csc_rework_plan
   WHERE company_id = %(c)s AND date_done >= %(s)s AND date_done < %(e)s GROUP BY 1) x),
 (SELECT count(*) FROM csc_rework_plan WHERE company_id = %(c)s
   AND state IN ('draft', 'in_progress') AND create_date < %(e)s),
 (SELECT json_build_array(count(*), avg(total_score), avg(satisfied_rate))
   FROM csc_satisfaction_result WHERE company_id = %(c)s AND visit_id IS NOT NULL
   AND date >= %(s)s::date AND date < %(e)s::date),
 (SELECT json_agg(x) FROM (SELECT technician_id, count(*), avg(on_time_rate),
   avg(satisfied_rate), avg(repeat_repair_rate), sum(complaint_count)
   FROM csc_technician_performance WHERE company_id = %(c)s AND date >= %(s)s::date
   AND date < %(e)s::date GROUP BY 1 ORDER BY 1) x),
 (SELECT json_agg(x) FROM (SELECT repeat_repair_count, count(DISTINCT visit_id)
   FROM csc_technician_performance WHERE company_id = %(c)s AND date >= %(s)s::date
   AND date < %(e)s::date GROUP BY 1) x),
 (SELECT json_agg(x) FROM (SELECT e.expense_type, sum(e.amount) FROM csc_service_expense e
   JOIN csc_service_visit v ON v.id = e.visit_id WHERE v.company_id = %(c)s
   AND v.date_report >= %(s)s AND v.date_report < %(e)s GROUP BY 1) x),
 (SELECT json_agg(x) FROM (SELECT cost_type, sum(amount) FROM csc_failure_cost
   WHERE company_id = %(c)s AND date >= %(s)s::date AND date < %(e)s::date GROUP BY 1) x),
 (SELECT -sum(l.balance) FROM account_move_line l JOIN account_move m ON m.id = l.move_id
   WHERE m.csc_origin = 'paid_service' AND l.parent_state = 'posted'
   AND l.display_type = 'product' AND l.company_id = %(c)s AND l.date >= %(s)s::date
   AND l.date < %(e)s::date),
 (SELECT json_agg(x) FROM (SELECT p.partner_id, rp.name, sum(p.delivered_qty),
   sum(p.rejected_zero_km), sum(p.rejected_field), max(p.ppm_target),
   max(p.ppm_target_zero_km), max(p.ppm_target_field) FROM csc_ppm_report p
   JOIN res_partner rp ON rp.id = p.partner_id WHERE p.company_id = %(c)s
   AND p.month = %(s)s::date GROUP BY 1, 2) x),
 (SELECT json_agg(x) FROM (SELECT r.product_id, pt.name, r.analysis_stage, count(*)
   FROM csc_complaint_return r JOIN csc_complaint c ON c.id = r.complaint_id
   JOIN product_product pp ON pp.id = r.product_id
   JOIN product_template pt ON pt.id = pp.product_tmpl_id
   WHERE r.company_id = %(c)s AND c.detection_stage = 'field'
   AND r.analysis_stage IN ('ntf', 'fault') AND r.date_analysed >= %(s)s
   AND r.date_analysed < %(e)s GROUP BY 1, 2, 3) x),
 (SELECT json_agg(x) FROM (SELECT cause_category, department_id, source, count(*)
   FROM csc_cause_analysis WHERE company_id = %(c)s AND date >= date_trunc('quarter', %(s)s::date)
   AND date < %(e)s::date GROUP BY 1, 2, 3) x)
"""
# The timeliness counted on what was due (`_figures_due`): per promise, the cases whose deadline
# fell in the month, done on time, done late (done after the deadline, before the month's end);
# the rest is open overdue, listed (oldest deadline first, 200 at most, with the customer's
# name) when there is any. Written out by hand per table, with its own conditions:
# (deadline, done, FROM ... WHERE ... of the records that count, the customer's id column).
TICKETS = (
    "FROM helpdesk_ticket t WHERE t.active AND t.company_id = %(c)s AND t.csc_kind IS NOT NULL "
    "AND (t.stage_id IS NULL OR t.stage_id != %(cancelled)s)"
)
VISITS = "FROM csc_service_visit t WHERE t.company_id = %(c)s AND t.state != 'cancelled'"
VISITS_ON_SITE = (
    "FROM csc_service_visit t WHERE t.company_id = %(c)s AND t.state NOT IN ('cancelled', 'phone')"
)
COMPLAINTS = (
    "FROM csc_complaint t WHERE t.active AND t.company_id = %(c)s AND t.state != 'cancelled'"
)
EIGHTDS = (
    "FROM csc_eightd t JOIN csc_complaint c ON c.id = t.complaint_id WHERE t.company_id = %(c)s "
    "AND t.state != 'cancelled' AND c.state != 'cancelled'"
)
DUE_PARTS = [
    ("t.csc_date_relay_deadline", "t.create_date", TICKETS, "t.partner_id"),
    ("t.csc_date_reply_deadline", "t.csc_date_replied", TICKETS, "t.partner_id"),
    (
        "t.csc_date_contact_deadline",
        "t.csc_date_replied",
        TICKETS + " AND t.csc_kind IN ('service_request', 'consultation')",
        "t.partner_id",
    ),
    ("t.date_triage_deadline", "t.date_triaged", VISITS, "t.partner_id"),
    ("t.date_dispatch_deadline", "t.date_arrival", VISITS_ON_SITE, "t.partner_id"),
    ("t.date_report_due", "t.date_report", VISITS, "t.partner_id"),
    ("t.date_verification_due", "t.date_verified", VISITS, "t.partner_id"),
    ("t.date_deadline", "t.date_solved", COMPLAINTS, "t.partner_id"),
    ("t.date_serious_deadline", "t.date_solved", COMPLAINTS, "t.partner_id"),
    ("t.date_contact_deadline", "t.date_contacted", COMPLAINTS, "t.partner_id"),
    ("t.date_meeting_deadline", "t.date_meeting_held", COMPLAINTS, "t.partner_id"),
    ("t.date_resolution_deadline", "t.date_closed", COMPLAINTS, "t.partner_id"),
    ("t.date_containment_deadline", "t.date_contained", EIGHTDS, "c.partner_id"),
    ("t.date_deadline", "t.date_closed", EIGHTDS, "c.partner_id"),
    (
        "t.date_due",
        "t.date_done",
        "FROM csc_action t LEFT JOIN csc_complaint c ON c.id = t.complaint_id "
        "LEFT JOIN csc_eightd e ON e.id = t.eightd_id WHERE t.company_id = %(c)s "
        "AND (c.id IS NULL OR c.state != 'cancelled') AND (e.id IS NULL OR e.state != 'cancelled')",
        "c.partner_id",
    ),
    (
        "t.date_needed",
        "t.date_done::date",
        "FROM csc_rework_plan t JOIN csc_complaint c ON c.id = t.complaint_id "
        "WHERE t.company_id = %(c)s AND t.state != 'cancelled'",
        "c.partner_id",
    ),
    (
        "t.date_settlement_due",
        "t.date_settled",
        "FROM csc_part_loan t WHERE t.company_id = %(c)s AND t.state != 'cancelled'",
        "t.partner_id",
    ),
    ("t.date_departure_deadline", "t.date_departure", VISITS_ON_SITE, "t.partner_id"),
]
IN_MONTH = " AND {due} >= %(s)s AND {due} < %(e)s"
SQL_DUE = "SELECT " + ",\n".join(
    f"(SELECT json_build_array(count(*), "
    f"count(*) FILTER (WHERE {done} < %(e)s AND {done} <= {due}), "
    f"count(*) FILTER (WHERE {done} < %(e)s AND {done} > {due})) "
    f"{source}{IN_MONTH.format(due=due)})"
    for due, done, source, _partner in DUE_PARTS
)
SQL_OVERDUE = (
    "SELECT t.id, {due}, p.complete_name FROM (SELECT t.*, {partner} AS customer_id {source}"
    + IN_MONTH
    + " AND ({done} IS NULL OR {done} >= %(e)s)) t LEFT JOIN res_partner p ON p.id = t.customer_id"
    " ORDER BY {due_out}, t.id LIMIT 200"
)
sql_row = []
sql_due = []


def sql_figures():
    params = {
        "s": "2026-03-01",
        "e": "2026-04-01",
        "c": report.company_id.id,
        "cancelled": env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled").id,
    }
    cr.execute(SQL_FIGURES, params)
    sql_row[:] = cr.fetchone()
    cr.execute(SQL_DUE, params)
    sql_due[:] = cr.fetchone()
    for (due, done, source, partner), (count, on_time, late) in zip(
        DUE_PARTS, sql_due, strict=True
    ):
        if count - on_time - late:
            cr.execute(
                SQL_OVERDUE.format(
                    due=due,
                    done=done,
                    source=source,
                    partner=partner,
                    due_out="t." + due.split(".")[-1],
                ),
                params,
            )
            cr.fetchall()


orm_time, orm_queries = best(orm_figures)
sql_time, sql_queries = best(sql_figures)
received = sql_row[6][0]
assert figures["complaints_received"] == received, (figures["complaints_received"], received)
due = {row.kind: row.due for row in figures["due"]}
assert (due["relay"], due["arrival"]) == (sql_due[0][0], sql_due[4][0]), (due, sql_due)
print(
    f"report._figures(): {orm_time * 1000:.0f} ms, {orm_queries} queries; hand-written SQL: "
    f"{sql_time * 1000:.0f} ms, {sql_queries} queries; ratio {orm_time / sql_time:.2f}x "
    f"({figures['complaints_received']} complaints received, {figures['visit_total']} visits, "
    f"{figures['field_services']} field services, {len(figures['technicians'])} technicians)"
)
began = time.perf_counter()
report.env["ir.actions.report"]._render_qweb_html(
    "customer_service_control.report_monthly", report.ids
)
print(f"report rendered as HTML (the PDF's body): {(time.perf_counter() - began) * 1000:.0f} ms")
cr.rollback()


def specification(arch, model):
    """The fields the web client asks for to show a view (web/static/src/model/relational_model
    builds the same from the arch): relational fields with their display name, x2many fields
    with the fields of their inline list or kanban."""
    spec = {}
    Model = env[model]
    for node in arch.iterchildren():
        if not isinstance(node.tag, str):
            continue
        if node.tag != "field":
            spec.update(specification(node, model))
            continue
        name = node.get("name")
        field = Model._fields.get(name)
        if field is None:
            continue
        if field.type == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif field.type in ("one2many", "many2many"):
            sub = [child for child in node if child.tag in ("list", "kanban")]
            fields = specification(sub[0], field.comodel_name) if sub else {}
            spec[name] = {"fields": fields or {"display_name": {}}}
            if sub and field.type == "one2many":
                spec[name]["limit"] = 40
        else:
            spec[name] = {}
    return spec


def view_spec(model, view_type, user):
    views = env[model].with_user(user).get_views([(False, view_type)])
    arch = etree.fromstring(views["views"][view_type]["arch"])
    return specification(arch, model)


print("\n== 3. Queries of the web client's calls (quality user, caches warm)")
Complaint = env["csc.complaint"].with_user(quality)
list_spec = view_spec("csc.complaint", "list", quality)
for rows in (20, 80):
    Complaint.web_search_read([], list_spec, limit=rows, count_limit=10001)
    _time, queries = measure(
        lambda rows=rows: Complaint.web_search_read([], list_spec, limit=rows, count_limit=10001)
    )
    print(
        f"complaint list, {rows} rows (web_search_read): {queries} queries, {_time * 1000:.0f} ms"
    )
forms = (
    ("csc.complaint", "complaint form"),
    ("csc.service.visit", "visit form"),
)
for model, label in forms:
    Model = env[model].with_user(quality)
    record = Model.search([], limit=1)
    spec = view_spec(model, "form", quality)
    record.web_read(spec)
    _time, queries = measure(lambda record=record, spec=spec: record.web_read(spec))
    print(f"{label} (web_read): {queries} queries, {_time * 1000:.0f} ms")
Reports = env["csc.monthly.report"].with_user(quality)
kanban_spec = view_spec("csc.monthly.report", "kanban", quality)
Reports.web_search_read([], kanban_spec, limit=40)
_time, queries = measure(lambda: Reports.web_search_read([], kanban_spec, limit=40))
print(f"KPI dashboard (kanban web_search_read): {queries} queries, {_time * 1000:.0f} ms")

print("\n== 4. Searches by customer, product, lot, state and date (EXPLAIN ANALYZE)")
cr.execute("SELECT lot_id FROM csc_complaint WHERE lot_id IS NOT NULL LIMIT 1")
lot = env["stock.lot"].browse(cr.fetchone()[0])
searches = (
    ("csc.complaint", [("partner_id", "=", customer.id)]),
    ("csc.complaint", [("product_id", "=", lot.product_id.id)]),
    ("csc.complaint", [("lot_id", "=", lot.id)]),
    ("csc.complaint", [("state", "=", "investigation")]),
    (
        "csc.complaint",
        [("date_received", ">=", "2026-03-01"), ("date_received", "<", "2026-03-08")],
    ),
    ("helpdesk.ticket", [("partner_id", "=", customer.id)]),
    (
        "helpdesk.ticket",
        [("csc_date_received", ">=", "2026-03-01"), ("csc_date_received", "<", "2026-03-02")],
    ),
    ("csc.service.visit", [("lot_id", "=", lot.id)]),
    ("csc.service.visit", [("partner_id", "=", customer.id), ("state", "=", "reported")]),
    ("csc.part.loan", [("partner_id", "=", customer.id)]),
    ("csc.part.loan", [("state", "=", "loaned")]),
)
for model, domain in searches:
    query = env[model]._search(domain, limit=80)
    sql = query.select()
    cr.execute(sql.__class__("EXPLAIN ANALYZE %s", sql))
    plan = [row[0] for row in cr.fetchall()]
    scans = [line.strip() for line in plan if "Scan" in line]
    total = plan[-1].strip()
    print(f"{model} {domain}:")
    for line in scans[:3]:
        print(f"    {line}")
    print(f"    {total}")
cr.rollback()
