"""Back up one database and its file store into a directory (`make backup`, run by
scripts/backup.sh with the project's virtualenv):

    db.dump          pg_dump in custom format
    filestore.tar    the database's file store (data_dir/filestore/<db>), paths relative to it
    manifest.json    database, date, module and Odoo versions, the SHA-256 of both files, the
                     number of rows of each table of the addon's models and of the attachments

The row counts and the dump come from one snapshot of the database (pg_dump --snapshot), so
they agree even while Odoo is serving. The file store is archived after the dump: Odoo never
changes a stored file, so every attachment the dump names is in the archive.

Usage: python backup.py DB DATA_DIR BACKUP_DIR MODULE_VERSION"""

import datetime
import hashlib
import json
import os
import subprocess
import sys

import psycopg2

MODULE = "customer_service_control"
# Models whose table is not named after them (Odoo's actions); the others: dots to underscores.
TABLES = {
    "ir.actions.actions": "ir_actions",
    "ir.actions.act_window": "ir_act_window",
    "ir.actions.act_url": "ir_act_url",
    "ir.actions.client": "ir_act_client",
    "ir.actions.report": "ir_act_report_xml",
    "ir.actions.server": "ir_act_server",
}


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def table_counts(cr):
    """{model: rows} for each model the addon defines or extends that has a table."""
    cr.execute(
        """
        SELECT m.model
          FROM ir_model m
          JOIN ir_model_data d ON d.model = 'ir.model' AND d.res_id = m.id AND d.module = %s
         WHERE NOT m.transient
         ORDER BY m.model
        """,
        [MODULE],
    )
    counts = {}
    for (model,) in cr.fetchall():
        table = TABLES.get(model, model.replace(".", "_"))
        cr.execute("SELECT relkind FROM pg_class WHERE relname = %s", [table])
        kind = cr.fetchone()
        if kind and kind[0] == "r":  # a table (not a report's SQL view)
            cr.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from ir_model
            counts[model] = cr.fetchone()[0]
    return counts


def database_facts(cr):
    cr.execute(
        "SELECT name, latest_version FROM ir_module_module WHERE name IN ('base', %s)", [MODULE]
    )
    versions = dict(cr.fetchall())
    cr.execute("SELECT value FROM ir_config_parameter WHERE key = 'database.uuid'")
    uuid = cr.fetchone()
    cr.execute(
        """SELECT count(*), count(store_fname), count(db_datas)
             FROM ir_attachment WHERE type = 'binary'"""
    )
    attachments, in_files, in_database = cr.fetchone()
    cr.execute("SHOW server_version")
    return {
        "odoo_version": versions.get("base"),
        "module_version_installed": versions.get(MODULE),
        "database_uuid": uuid and uuid[0],
        "postgresql_version": cr.fetchone()[0],
        "attachments": {
            "binary": attachments,
            "in_filestore": in_files,
            "in_database": in_database,
        },
    }


def main():
    db, data_dir, backup_dir, module_version = sys.argv[1:5]
    os.makedirs(backup_dir)
    dump = os.path.join(backup_dir, "db.dump")
    connection = psycopg2.connect(dbname=db)
    try:
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with connection.cursor() as cr:
            cr.execute("SELECT pg_export_snapshot()")
            snapshot = cr.fetchone()[0]
            counts = table_counts(cr)
            facts = database_facts(cr)
            # The dump reads the same snapshot while this transaction keeps it open.
            subprocess.run(
                ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dump}", db],
                check=True,
            )
    finally:
        connection.close()
    filestore = os.path.join(data_dir, "filestore", db)
    archive = os.path.join(backup_dir, "filestore.tar")
    if os.path.isdir(filestore):
        subprocess.run(["tar", "-cf", archive, "-C", filestore, "."], check=True)
        files = sum(len(names) for _root, _dirs, names in os.walk(filestore))
    else:  # a database without any stored file still gets an (empty) archive
        subprocess.run(["tar", "-cf", archive, "--files-from=/dev/null"], check=True)
        files = 0
    manifest = {
        "format": 1,
        "database": db,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "module": MODULE,
        "module_version_checkout": module_version,
        **facts,
        "filestore_files": files,
        "files": {
            name: {
                "sha256": sha256(os.path.join(backup_dir, name)),
                "bytes": os.path.getsize(os.path.join(backup_dir, name)),
            }
            for name in ("db.dump", "filestore.tar")
        },
        "record_counts": counts,
    }
    with open(os.path.join(backup_dir, "manifest.json"), "w", encoding="utf-8") as file:
        json.dump(manifest, file, indent=2, sort_keys=True)
        file.write("\n")
    print(
        f"backup of {db}: {len(counts)} models, {sum(counts.values())} records, "
        f"{facts['attachments']['binary']} attachments, {files} files, "
        f"dump {manifest['files']['db.dump']['bytes']} bytes, "
        f"file store {manifest['files']['filestore.tar']['bytes']} bytes",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
