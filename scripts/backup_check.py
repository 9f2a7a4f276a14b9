"""Check a restored database through Odoo against the manifest of its backup (run by
scripts/restore_check.sh with the project's virtualenv):

- every model of the addon has as many records as the manifest counted at backup time (and
  no model is missing or new);
- every binary attachment's content is there and matches its SHA-1 checksum: the file in the
  file store, or the bytes kept in the database;
- every sealed record verifies, when the addon has record seals (`csc.record.seal`);
- the installed module version is the one of the backup.

Prints each problem and exits 1 when there is any.

Usage: python backup_check.py ODOO_CONF DB MANIFEST"""

import hashlib
import json
import os
import sys
import time

import odoo
from odoo import SUPERUSER_ID
from odoo import api

MODULE = "customer_service_control"


def addon_models(env):
    """The models the addon defines or extends that have a table of their own."""
    names = (
        env["ir.model.data"]
        .search([("module", "=", MODULE), ("model", "=", "ir.model")])
        .mapped(lambda data: env["ir.model"].browse(data.res_id).model)
    )
    return sorted(
        name
        for name in names
        if name in env and not env[name]._abstract and not env[name]._transient and env[name]._auto
    )


def check_counts(env, expected):
    problems = []
    counts = {}
    for name in addon_models(env):
        env.cr.execute(f'SELECT count(*) FROM "{env[name]._table}"')  # noqa: S608
        counts[name] = env.cr.fetchone()[0]
    for name in sorted(set(expected) | set(counts)):
        if name not in counts:
            problems.append(f"{name}: in the backup ({expected[name]} records), not restored")
        elif name not in expected:
            problems.append(f"{name}: {counts[name]} records, unknown to the backup")
        elif counts[name] != expected[name]:
            problems.append(f"{name}: {counts[name]} records, the backup had {expected[name]}")
    return counts, problems


def check_attachments(env):
    """(files checked, bytes checked, problems) over every binary attachment."""
    problems = []
    checked = size = 0
    env.cr.execute(
        """SELECT id, name, store_fname, checksum
             FROM ir_attachment
            WHERE type = 'binary' AND (store_fname IS NOT NULL OR db_datas IS NOT NULL)
            ORDER BY id"""
    )
    attachments = env["ir.attachment"]
    for att_id, name, store_fname, checksum in env.cr.fetchall():
        label = f"attachment {att_id} ({name})"
        if store_fname:
            path = attachments._full_path(store_fname)
            if not os.path.isfile(path):
                problems.append(f"{label}: file {store_fname} missing")
                continue
            with open(path, "rb") as file:
                content = file.read()
        else:
            env.cr.execute("SELECT db_datas FROM ir_attachment WHERE id = %s", [att_id])
            content = bytes(env.cr.fetchone()[0])
        checked += 1
        size += len(content)
        if checksum and hashlib.sha1(content).hexdigest() != checksum:
            where = store_fname or "the database"
            problems.append(f"{label}: content in {where} does not match its checksum")
        elif not checksum:
            problems.append(f"{label}: no checksum stored")
    return checked, size, problems


def check_seals(env):
    """(seal records, problems), or (None, []) before the addon had seals. `_csc_verify` may
    seal what is pending first: counted after the records, rolled back at the end."""
    if "csc.record.seal" not in env:
        return None, []
    seals = env["csc.record.seal"].with_context(active_test=False).search_count([])
    problems = env["csc.record.seal"]._csc_verify(company=None)
    return seals, [
        f"seal of {problem.get('record')}: {problem.get('problem')}"
        if isinstance(problem, dict)
        else f"seal: {problem}"
        for problem in problems
    ]


def main():
    conf, db, manifest_path = sys.argv[1:4]
    with open(manifest_path, encoding="utf-8") as file:
        manifest = json.load(file)
    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    began = time.monotonic()
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        problems = []
        version = env["ir.module.module"].search([("name", "=", MODULE)]).latest_version
        if version != manifest["module_version_installed"]:
            problems.append(
                f"module version {version}, the backup had {manifest['module_version_installed']}"
            )
        counts, found = check_counts(env, manifest["record_counts"])
        problems += found
        files, size, found = check_attachments(env)
        problems += found
        env.cr.execute("SELECT count(*) FROM ir_attachment WHERE type = 'binary'")
        binary = env.cr.fetchone()[0]
        if binary != manifest["attachments"]["binary"]:
            problems.append(
                f"{binary} binary attachments, the backup had {manifest['attachments']['binary']}"
            )
        seals, found = check_seals(env)
        problems += found
        cr.rollback()
    print(
        f"restore check of {db}: {len(counts)} models, {sum(counts.values())} records counted; "
        f"{files} attachments ({size} bytes) read and checksummed; "
        + ("no seal model" if seals is None else f"{seals} seals checked")
        + f"; {len(problems)} problems ({time.monotonic() - began:.1f} s)"
    )
    for problem in problems[:50]:
        print(f"  PROBLEM {problem}")
    if len(problems) > 50:
        print(f"  ... and {len(problems) - 50} more")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
