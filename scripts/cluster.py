"""Checks of the two-server run (`make cluster`, scripts/cluster.sh), with the project's virtualenv:

python cluster.py session URL_A URL_B DB LOGIN PASSWORD
    a session opened on server A is valid on server B, and ends on A when B logs it out
python cluster.py enqueue ODOO_CONF DB JOBS OUT.json
    queues JOBS background jobs (queue_job's with_delay), each posting one message with its
    own mark on a partner, and writes their uuids and marks to OUT.json
python cluster.py wait DB OUT.json TIMEOUT
    waits until the job runner has run them all, then checks each ran exactly once: its
    job is done and exactly one message carries its mark; prints one summary line of
    key=value pairs and exits 1 on a job not done, missing or performed twice
"""

import json
import sys
import time
import uuid

import psycopg2
import requests


def rpc(session, url, path, params=None):
    response = session.post(
        url + path, json={"jsonrpc": "2.0", "method": "call", "params": params or {}}, timeout=60
    )
    response.raise_for_status()
    return response.json()


def session(url_a, url_b, db, login, password):
    problems = []
    on_a = requests.Session()
    credentials = {"db": db, "login": login, "password": password}
    answer = rpc(on_a, url_a, "/web/session/authenticate", credentials)
    uid = (answer.get("result") or {}).get("uid")
    if not uid:
        sys.exit(f"cannot log in on {url_a}: {answer.get('error')}")
    cookie = on_a.cookies.get("session_id")
    on_b = requests.Session()
    on_b.cookies.set("session_id", cookie)
    info = rpc(on_b, url_b, "/web/session/get_session_info")
    if (info.get("result") or {}).get("uid") != uid:
        problems.append(f"B does not know A's session: {info.get('error', info.get('result'))}")
    read = rpc(
        on_b,
        url_b,
        "/web/dataset/call_kw/res.users/read",
        {"model": "res.users", "method": "read", "args": [[uid], ["login"]], "kwargs": {}},
    )
    if (read.get("result") or [{}])[0].get("login") != login:
        problems.append(f"B refused a call in A's session: {read.get('error')}")
    anonymous = rpc(requests.Session(), url_b, "/web/session/get_session_info")
    if "error" not in anonymous:
        problems.append("B answered get_session_info without a session: the check proves nothing")
    on_b.get(url_b + "/web/session/logout", timeout=60)
    after = rpc(on_a, url_a, "/web/session/get_session_info")
    if "error" not in after:
        problems.append("the session logged out on B is still valid on A")
    for problem in problems:
        print(f"  PROBLEM {problem}")
    print(f"session shared={'yes' if not problems else 'no'} uid={uid}")
    sys.exit(1 if problems else 0)


def enqueue(conf, db, jobs, out):
    import odoo  # noqa: PLC0415 - only this command needs Odoo
    from odoo import SUPERUSER_ID  # noqa: PLC0415
    from odoo import api  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    run = uuid.uuid4().hex[:8]
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        partner = env["res.partner"].search([("name", "=", "Cluster Job Target")], limit=1)
        partner = partner or env["res.partner"].create({"name": "Cluster Job Target"})
        marks = {}
        for number in range(jobs):
            mark = f"cluster-{run}-{number:04d}"
            job = partner.with_delay(channel="root.csc", description=f"Cluster check {mark}")
            marks[job.message_post(body=f"job {mark} ran").uuid] = mark
        cr.commit()
    with open(out, "w", encoding="utf-8") as file:
        json.dump({"partner": partner.id, "marks": marks}, file)
    print(f"queued {jobs} jobs (run {run})")


def wait(db, out, timeout):
    with open(out, encoding="utf-8") as file:
        queued = json.load(file)
    marks = queued["marks"]
    connection = psycopg2.connect(dbname=db)
    connection.autocommit = True
    began = time.monotonic()
    with connection.cursor() as cr:
        while True:
            cr.execute(
                "SELECT uuid, state, retry FROM queue_job WHERE uuid = ANY(%s)", [list(marks)]
            )
            jobs = {row[0]: row[1:] for row in cr.fetchall()}
            finished = [state for state, _tries in jobs.values() if state in ("done", "failed")]
            if len(finished) == len(marks) or time.monotonic() - began > timeout:
                break
            time.sleep(1)
        cr.execute(
            """SELECT body FROM mail_message
                WHERE model = 'res.partner' AND res_id = %s AND body LIKE %s""",
            [queued["partner"], "%cluster-" + next(iter(marks.values())).split("-")[1] + "-%"],
        )
        bodies = [body for (body,) in cr.fetchall()]
    connection.close()
    runs = {mark: sum(mark in body for body in bodies) for mark in marks.values()}
    done = sum(state == "done" for state, _tries in jobs.values())
    failed = sum(state == "failed" for state, _tries in jobs.values())
    # queue_job counts the attempts in `retry`: 1 for a job performed at its first attempt.
    retried = sum(tries > 1 for _state, tries in jobs.values())
    duplicates = sum(count > 1 for count in runs.values())
    missing = sum(count == 0 for count in runs.values())
    print(
        f"jobs queued={len(marks)} done={done} failed={failed} retried={retried} "
        f"not_finished={len(marks) - done - failed} missing_effect={missing} "
        f"duplicates={duplicates} waited={time.monotonic() - began:.0f}s"
    )
    sys.exit(0 if done == len(marks) and not duplicates and not missing else 1)


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "session":
        session(*args)
    elif command == "enqueue":
        enqueue(args[0], args[1], int(args[2]), args[3])
    elif command == "wait":
        wait(args[0], args[1], float(args[2]))
    else:
        sys.exit(__doc__)
