"""Load test (`make load`, started by scripts/load.sh against an Odoo with several workers):
N concurrent JSON-RPC clients for S seconds through a service desk's mix (intake, complaint,
the complaint list, an 8D step, a visit, a spare-part loan), then the same number of calls on
plain helpdesk tickets; prints requests per second, errors, p50 / p95 of both and the ratio, and
exits 1 when a call failed.

Usage: python load.py URL[,URL...] DB CLIENTS SECONDS (the admin's password in ADMIN_PASSWORD).
Several URLs (servers of one cluster, scripts/cluster.sh): client i talks to URL i modulo their
number. LOAD_MIXES=desk runs the desk mix alone (default desk,tickets)."""

import itertools
import os
import statistics
import sys
import threading
import time
from collections import Counter

import requests

URLS, DB = sys.argv[1].split(","), sys.argv[2]
CLIENTS, SECONDS = int(sys.argv[3]), float(sys.argv[4])
ADMIN_PASSWORD = os.environ.get("ADMIN_PASSWORD", "admin")
PASSWORD = "load-test-password"
MIXES = os.environ.get("LOAD_MIXES", "desk,tickets").split(",")
GROUPS = (
    "base.group_user",
    "customer_service_control.group_csc_manager",
    "customer_service_control.group_csc_quality",
    "customer_service_control.group_csc_technician",
    "customer_service_control.group_csc_stock_clerk",
)
_ids = itertools.count()


class Client:
    def __init__(self, login, password, url=URLS[0]):
        self.url = url
        self.session = requests.Session()
        self.password = password
        self.uid = self.call("common", "login", DB, login, password)
        if not self.uid:
            raise SystemExit(f"cannot log in as {login}")

    def call(self, service, method, *args):
        response = self.session.post(
            f"{self.url}/jsonrpc",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": next(_ids),
                "params": {"service": service, "method": method, "args": args},
            },
            timeout=120,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            data = body["error"].get("data", {})
            raise RuntimeError(data.get("name", "") + ": " + data.get("message", str(body)))
        return body["result"]

    def __call__(self, model, method, *args, **kwargs):
        return self.call(
            "object", "execute_kw", DB, self.uid, self.password, model, method, list(args), kwargs
        )


def prepare():
    """A desk user who may do every step, a customer and a product (once per database)."""
    admin = Client("admin", ADMIN_PASSWORD)
    groups = [
        admin("ir.model.data", "check_object_reference", *group.split("."))[1] for group in GROUPS
    ]
    users = admin("res.users", "search", [("login", "=", "load_desk")])
    if not users:
        users = [
            admin(
                "res.users",
                "create",
                {
                    "name": "Load Desk",
                    "login": "load_desk",
                    "password": PASSWORD,
                    "email": "load.desk@example.com",
                    "groups_id": [(6, 0, groups)],
                },
            )
        ]
    partners = admin("res.partner", "search", [("name", "=", "Load Customer")]) or [
        admin(
            "res.partner",
            "create",
            {"name": "Load Customer", "is_company": True, "csc_customer_type": "oem"},
        )
    ]
    products = admin("product.product", "search", [("name", "=", "Load Part")]) or [
        admin(
            "product.product",
            "create",
            {"name": "Load Part", "is_storable": True, "csc_low_value": True},
        )
    ]
    return users[0], partners[0], products[0]


USER, PARTNER, PRODUCT = prepare()


def desk_mix(client):
    """One round at the service desk: seven calls."""
    n = next(_ids)
    yield (
        "intake",
        lambda: client(
            "helpdesk.ticket",
            "create",
            {
                "name": f"Customer call {n}",
                "description": "<p>Noise</p>",
                "partner_id": PARTNER,
                "csc_kind": "complaint",
            },
        ),
    )
    complaint = []
    yield (
        "complaint",
        lambda: complaint.append(
            client(
                "csc.complaint",
                "create",
                {"title": f"Noise {n}", "partner_id": PARTNER, "product_id": PRODUCT},
            )
        ),
    )
    yield (
        "list",
        lambda: client(
            "csc.complaint",
            "web_search_read",
            [],
            {
                "name": {},
                "title": {},
                "partner_id": {"fields": {"display_name": {}}},
                "state": {},
                "date_received": {},
                "date_deadline": {},
            },
            limit=80,
        ),
    )
    report = []
    yield (
        "8D",
        lambda: report.append(client("csc.eightd", "create", {"complaint_id": complaint[0]})),
    )
    yield (
        "8D step",
        lambda: client(
            "csc.eightd",
            "write",
            [report[0]],
            {"problem_what": "Noise at low speed", "emergency_response": "Sort the stock"},
        ),
    )
    yield (
        "visit",
        lambda: client(
            "csc.service.visit",
            "create",
            {"partner_id": PARTNER, "visit_type": "repair", "diagnosis": "Worn bearing"},
        ),
    )
    yield (
        "loan",
        lambda: client(
            "csc.part.loan",
            "create",
            {
                "technician_id": USER,
                "partner_id": PARTNER,
                "line_ids": [(0, 0, {"product_id": PRODUCT, "quantity": 1})],
            },
        ),
    )


def ticket_mix(client):
    """The same seven calls on plain helpdesk tickets."""
    n = next(_ids)
    ticket = []

    def create(name):
        return lambda: ticket.append(
            client(
                "helpdesk.ticket",
                "create",
                {"name": f"{name} {n}", "description": "<p>Noise</p>", "partner_id": PARTNER},
            )
        )

    yield "intake", create("Customer call")
    yield "complaint", create("Noise")
    yield (
        "list",
        lambda: client(
            "helpdesk.ticket",
            "web_search_read",
            [],
            {
                "number": {},
                "name": {},
                "partner_id": {"fields": {"display_name": {}}},
                "stage_id": {"fields": {"display_name": {}}},
                "create_date": {},
            },
            limit=80,
        ),
    )
    yield "8D", create("Investigation")
    yield (
        "8D step",
        lambda: client(
            "helpdesk.ticket",
            "write",
            [ticket[-1]],
            {"description": "<p>Noise at low speed; sort the stock</p>"},
        ),
    )
    yield "visit", create("Visit")
    yield "loan", create("Loan")


def warm_up():
    """One round of each mix per client, not timed: every worker loads the registry and its
    caches first."""

    def worker(url):
        client = Client("load_desk", PASSWORD, url)
        for mix in (desk_mix, ticket_mix):
            for _label, step in mix(client):
                step()

    threads = [
        threading.Thread(target=worker, args=(URLS[client % len(URLS)],))
        for client in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run(mix):
    latencies, errors, by_step = [], Counter(), {}
    lock = threading.Lock()
    clients = [Client("load_desk", PASSWORD, URLS[n % len(URLS)]) for n in range(CLIENTS)]
    per_server = Counter()
    stop = time.monotonic() + SECONDS

    def worker(client):
        while time.monotonic() < stop:
            for label, step in mix(client):
                if time.monotonic() >= stop:
                    break
                began = time.perf_counter()
                try:
                    step()
                except Exception as error:  # noqa: BLE001 - every failure is counted
                    with lock:
                        errors[f"{label}: {str(error)[:150]}"] += 1
                    break  # the rest of the round depends on this step
                finally:
                    with lock:
                        per_server[client.url] += 1
                        latencies.append(time.perf_counter() - began)
                        by_step.setdefault(label, []).append(latencies[-1])

    began = time.monotonic()
    threads = [threading.Thread(target=worker, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    quantiles = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else [0] * 19
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "errors": sum(errors.values()),
        "p50": statistics.median(latencies) * 1000 if latencies else 0,
        "p95": quantiles[18] * 1000,
        "detail": errors,
        "steps": {label: statistics.median(times) * 1000 for label, times in by_step.items()},
        "servers": per_server,
    }


print(f"warming up {CLIENTS} clients...", flush=True)
warm_up()
results = {}
for name, mix, key in (
    ("addon desk mix", desk_mix, "desk"),
    ("helpdesk tickets", ticket_mix, "tickets"),
):
    if key not in MIXES:
        continue
    print(f"{name}: {CLIENTS} clients for {SECONDS:.0f} s...", flush=True)
    results[name] = run(mix)
print(f"\n{'':<18} {'requests':>9} {'req/s':>7} {'errors':>7} {'p50 ms':>7} {'p95 ms':>7}")
for name, result in results.items():
    print(
        f"{name:<18} {result['requests']:>9} {result['rps']:>7.1f} {result['errors']:>7} "
        f"{result['p50']:>7.0f} {result['p95']:>7.0f}"
    )
    print(
        "    p50 by step (ms): "
        + ", ".join(f"{label} {p50:.0f}" for label, p50 in result["steps"].items())
    )
    if len(URLS) > 1:
        print(
            "    requests by server: "
            + ", ".join(f"{url} {count}" for url, count in sorted(result["servers"].items()))
        )
    for error, count in result["detail"].most_common(5):
        print(f"    {count} x {error}")
if len(results) == 2:
    addon, tickets = results["addon desk mix"], results["helpdesk tickets"]
    print(
        f"ratio addon / tickets: {addon['rps'] / tickets['rps']:.2f}x requests per second, "
        f"p95 {addon['p95'] / max(tickets['p95'], 1):.2f}x"
    )
requests_done = sum(result["requests"] for result in results.values())
errors = sum(result["errors"] for result in results.values())
print(f"summary: requests={requests_done} errors={errors}")
sys.exit(1 if errors else 0)
