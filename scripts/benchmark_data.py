# Data generator of the benchmark (fed to `odoo-bin shell` by scripts/benchmark.sh, `env`
# given): 1,000,000 helpdesk tickets, 300,000 complaints, 100,000 service visits and 50,000
# spare-part loans over two years, times BENCH_SCALE (0.01 for a quick try). A few hundred
# reference records (customers, products, lots, users) go through the ORM; the bulk rows go in
# with one INSERT ... SELECT generate_series per table, in the order of their dates (as a real
# history is stored, day after day), with the ORM's defaults and the values the features would
# store (numbers, deadlines, states, closing figures), then ANALYZE.
# Runs once per database (a marker parameter says it ran).
# ruff: noqa: F821
import os
import time

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
TICKETS, COMPLAINTS = int(1_000_000 * SCALE), int(300_000 * SCALE)
VISITS, LOANS = int(100_000 * SCALE), int(50_000 * SCALE)
MARKER = "customer_service_control.benchmark_data"
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
cr = env.cr


def defaults_sql(model, given):
    """Column names and SQL literals of the ORM defaults of `model` for the stored columns not
    in `given` (active, states, kinds...), so that SQL rows look like ORM rows."""
    Model = env[model]
    names = [
        name
        for name, field in Model._fields.items()
        if field.store
        and field.column_type
        and name not in given
        and name not in ("id", "create_date", "write_date", "create_uid", "write_uid")
        and field.type not in ("binary", "html", "properties", "json")
    ]
    values = Model.default_get(names)
    columns, literals = [], []
    for name, value in values.items():
        field = Model._fields[name]
        if value is False or value is None or field.translate or field.company_dependent:
            continue
        if field.type == "many2one" and not isinstance(value, int):
            value = value.id if value else False
            if not value:
                continue
        columns.append(f'"{name}"')
        literals.append(cr.mogrify("%s", [value]).decode())
    return columns, literals


def insert(model, count, columns_sql, source=None):
    """INSERT count rows built by `columns_sql` ({column: SQL expression over n, the row
    number, or over the columns of `source`, a subquery aliased g yielding the rows}) with the
    ORM's defaults for the other columns; returns the seconds taken."""
    began = time.perf_counter()
    table = env[model]._table
    extra_columns, extra_values = defaults_sql(model, set(columns_sql))
    columns = [f'"{name}"' for name in columns_sql] + extra_columns
    values = list(columns_sql.values()) + extra_values
    cr.execute(
        f"""INSERT INTO "{table}" ({", ".join(columns)}, create_date, write_date, create_uid,
                                    write_uid)
            SELECT {", ".join(values)}, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC',
                   {env.uid}, {env.uid}
              FROM {source or f"generate_series(1, {count}) AS n"}"""
    )
    elapsed = time.perf_counter() - began
    print(f"  {count:>9,} {model:<22} {elapsed:6.1f} s", flush=True)
    return elapsed


def pick(array):
    """SQL picking one element of an int array at random."""
    return f"('{{{','.join(map(str, array))}}}'::int[])[1 + floor(random() * {len(array)})::int]"


ICP = env["ir.config_parameter"].sudo()
if ICP.get_param(MARKER):
    print(f"Benchmark data already generated ({ICP.get_param(MARKER)}).")
else:
    began = time.perf_counter()
    print(
        f"Generating {TICKETS:,} tickets, {COMPLAINTS:,} complaints, {VISITS:,} visits, "
        f"{LOANS:,} loans (scale {SCALE})...",
        flush=True,
    )
    company = env.company
    customers = env["res.partner"].create(
        [
            {"name": f"Bench Customer {n}", "is_company": True, "csc_customer_type": "oem"}
            for n in range(300)
        ]
    )
    products = env["product.product"].create(
        [{"name": f"Bench Unit {n}", "tracking": "serial", "is_storable": True} for n in range(50)]
    )
    cr.execute(
        """INSERT INTO stock_lot (name, product_id, company_id, create_date, write_date,
                                  create_uid, write_uid)
           SELECT 'BENCH-' || n, (%s::int[])[1 + n %% %s], %s, now(), now(), %s, %s
             FROM generate_series(1, 5000) AS n RETURNING id, product_id""",
        (products.ids, len(products), company.id, env.uid, env.uid),
    )
    lots = cr.fetchall()
    lot_ids = [lot_id for lot_id, _product in lots]
    cr.execute("CREATE TEMP TABLE bench_lot (pos int PRIMARY KEY, id int, product_id int)")
    cr.execute(
        "INSERT INTO bench_lot SELECT row_number() OVER (), id, product_id "
        "FROM unnest(%s::int[], %s::int[]) AS l(id, product_id)",
        ([lot for lot, _product in lots], [product for _lot, product in lots]),
    )
    technicians = env["res.users"].create(
        [
            {
                "name": f"Bench Technician {n}",
                "login": f"bench_tech_{n}",
                "email": f"tech{n}@bench.example.com",
                "groups_id": [(6, 0, env.ref("customer_service_control.group_csc_technician").ids)],
            }
            for n in range(10)
        ]
    )
    departments = env["csc.department"].search([]).ids
    team = env["helpdesk.ticket.team"].search([], limit=1)
    stages = env["helpdesk.ticket.stage"].search([]).ids
    date = "TIMESTAMP '2025-01-01' + random() * INTERVAL '730 days'"
    insert(
        "helpdesk.ticket",
        TICKETS,
        {
            "name": "'Bench ticket ' || n",
            "number": "'HT-B' || n",
            "description": "'<p>Customer message</p>'",
            "company_id": str(company.id),
            "partner_id": pick(customers.ids),
            "stage_id": pick(stages),
            "team_id": str(team.id) if team else "NULL",
            "csc_kind": "(ARRAY['consultation','suggestion','complaint','service_request',"
            "NULL])[1 + floor(random() * 5)::int]",
            "csc_date_received": "g.received",
        },
        f"(SELECT n, {date} AS received FROM generate_series(1, {TICKETS}) AS n ORDER BY 2) AS g",
    )
    # Each complaint complete at once: a lot of its product, the deadlines and the closing
    # figures as the features store them, a sixth each registered, investigated, solved and half
    # closed (on time when closed within the 20 days of the resolution deadline).
    rows = f"""(SELECT n, {date} AS received, 1 + floor(random() * 5000)::int AS lot_pos,
                       (ARRAY['draft', 'investigation', 'solved', 'closed', 'closed',
                              'closed'])[1 + floor(random() * 6)::int] AS state,
                       random() * 30 AS days
                  FROM generate_series(1, {COMPLAINTS}) AS n ORDER BY 2) AS g
             JOIN bench_lot lot ON lot.pos = g.lot_pos"""
    insert(
        "csc.complaint",
        COMPLAINTS,
        {
            "name": "'CC/B/' || n",
            "title": "'Bench complaint ' || n",
            "company_id": str(company.id),
            "partner_id": pick(customers.ids),
            "product_id": "lot.product_id",
            "lot_id": "lot.id",
            "date_received": "g.received",
            "date_deadline": "g.received + INTERVAL '7 days'",
            "date_resolution_deadline": "g.received + INTERVAL '20 days'",
            "date_containment_deadline": "g.received + INTERVAL '24 hours'",
            "state": "g.state",
            "date_solved": "CASE WHEN g.state IN ('solved', 'closed') "
            "THEN g.received + g.days * INTERVAL '16 hours' END",
            "date_closed": "CASE WHEN g.state = 'closed' "
            "THEN g.received + g.days * INTERVAL '1 day' END",
            "days_to_close": "CASE WHEN g.state = 'closed' THEN g.days ELSE 0 END",
            "closed_on_time": "g.state = 'closed' AND g.days <= 20",
            "cause_category": "(ARRAY['purchasing','machining','assembly','design','transport',"
            "'misuse','other'])[1 + floor(random() * 7)::int]",
            "department_id": pick(departments),
            "user_id": pick(technicians.ids[:1] + [env.uid]),
        },
        rows,
    )
    # 70 % finished by a technician (arrived within 72 hours, on time within the 48 hours of
    # the dispatch deadline, report two days later), 60 % of those under warranty.
    rows = f"""(SELECT n, {date} AS requested, 1 + floor(random() * 5000)::int AS lot_pos,
                       random() < 0.7 AS finished, floor(random() * 72)::int AS hours
                  FROM generate_series(1, {VISITS}) AS n ORDER BY 2) AS g
             JOIN bench_lot lot ON lot.pos = g.lot_pos"""
    arrival = "g.requested + g.hours * INTERVAL '1 hour'"
    insert(
        "csc.service.visit",
        VISITS,
        {
            "name": "'SV/B/' || n",
            "company_id": str(company.id),
            "partner_id": pick(customers.ids),
            "visit_type": "(ARRAY['repair','installation','maintenance','line_side'])"
            "[1 + floor(random() * 4)::int]",
            "distance": "floor(random() * 1500)",
            "date_request": "g.requested",
            "date_dispatch_deadline": "g.requested + INTERVAL '48 hours'",
            "lot_id": "lot.id",
            "product_id": "lot.product_id",
            "state": "CASE WHEN g.finished THEN 'reported' ELSE 'draft' END",
            "date_arrival": f"CASE WHEN g.finished THEN {arrival} END",
            "on_time": "g.finished AND g.hours <= 48",
            "date_end": f"CASE WHEN g.finished THEN {arrival} + INTERVAL '4 hours' END",
            "date_report": f"CASE WHEN g.finished THEN {arrival} + INTERVAL '2 days' END",
            "warranty_status": "CASE WHEN NOT g.finished THEN NULL WHEN random() < 0.6 "
            "THEN 'free' ELSE 'paid' END",
        },
        rows,
    )
    relation = env["csc.service.visit"]._fields["technician_ids"]
    cr.execute(
        f"""INSERT INTO {relation.relation} ({relation.column1}, {relation.column2})
            SELECT id, {pick(technicians.ids)} FROM csc_service_visit
             WHERE state = 'reported' AND name LIKE 'SV/B/%%'"""
    )
    cr.execute(
        """INSERT INTO csc_service_expense (visit_id, expense_type, amount)
           SELECT id, (ARRAY['travel', 'lodging', 'labour', 'freight'])
                      [1 + floor(random() * 4)::int], round((random() * 500)::numeric, 2)
             FROM csc_service_visit WHERE state = 'reported' AND name LIKE 'SV/B/%%'"""
    )
    cr.execute("SELECT array_agg(id) FROM csc_service_visit WHERE state = 'reported'")
    finished = cr.fetchone()[0] or []
    if finished:
        cr.execute(
            f"""UPDATE csc_complaint SET cause_visit_id = {pick(finished)}
                 WHERE random() < 0.02 AND name LIKE 'CC/B/%%'"""
        )
    insert(
        "csc.part.loan",
        LOANS,
        {
            "name": "'PL/B/' || n",
            "company_id": str(company.id),
            "technician_id": pick(technicians.ids),
            "partner_id": pick(customers.ids),
            "state": "(ARRAY['draft','loaned','settled'])[1 + floor(random() * 3)::int]",
            "date_loan": date,
        },
    )
    cr.execute(
        """INSERT INTO csc_part_loan_line (loan_id, company_id, product_id, quantity)
           SELECT id, company_id, %s, 1 FROM csc_part_loan WHERE name LIKE 'PL/B/%%'""",
        (products.ids[0],),
    )
    ICP.set_param(MARKER, f"scale {SCALE}")
    cr.commit()  # pylint: disable=invalid-commit
    cr.execute("ANALYZE")  # the planner's statistics of the new rows
    cr.commit()  # pylint: disable=invalid-commit
    print(f"Generated in {time.perf_counter() - began:.0f} s.", flush=True)
