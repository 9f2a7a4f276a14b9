#!/usr/bin/env bash
# Restore a backup of scripts/backup.sh into a NEW database:
# `make restore BACKUP=path/to/backup DB=newdb` (a backup directory, or a .tar / .tar.gz of one).
# Checks both files against the manifest's SHA-256 first. Refuses a database or file store that
# exists already unless FORCE=1 (which drops them first). NEUTRALIZE=1 then neutralizes the copy
# (odoo-bin neutralize: no outgoing mail, no scheduled actions), for a test copy of production.
set -euo pipefail
source "$(dirname "$0")/env.sh"
[ -n "${BACKUP:-}" ] || die "Say which backup: make restore BACKUP=path DB=newdb"
[ -e "$BACKUP" ] || die "No backup at $BACKUP."
WORK=""
trap '[ -z "$WORK" ] || rm -rf "$WORK"' EXIT
if [ -f "$BACKUP" ]; then  # an archive of a backup directory
    WORK=$(mktemp -d)
    tar -xf "$BACKUP" -C "$WORK"
    BACKUP=$(dirname "$(find "$WORK" -name manifest.json -print -quit)")
fi
for name in manifest.json db.dump filestore.tar; do
    [ -f "$BACKUP/$name" ] || die "$BACKUP has no $name: not a backup of scripts/backup.sh."
done
log "Checking the backup's checksums"
"$PY" - "$BACKUP" <<'PY'
import hashlib, json, os, sys
folder = sys.argv[1]
manifest = json.load(open(os.path.join(folder, "manifest.json"), encoding="utf-8"))
bad = []
for name, facts in manifest["files"].items():
    digest = hashlib.sha256()
    with open(os.path.join(folder, name), "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    if digest.hexdigest() != facts["sha256"]:
        bad.append(name)
if bad:
    sys.exit(f"checksum mismatch: {', '.join(bad)}")
print(f"backup of {manifest['database']} taken {manifest['date']}, module "
      f"{manifest['module_version_installed']}", file=sys.stderr)
PY
FILESTORE="$DATA_DIR/filestore/$DB"
if psql -d postgres -Atc "select 1 from pg_database where datname = '$DB'" | grep -q 1 \
        || [ -e "$FILESTORE" ]; then
    [ "${FORCE:-0}" = 1 ] || die "The database $DB or its file store exists already; choose another DB or set FORCE=1 to replace it."
    log "FORCE=1: dropping the database $DB and its file store"
    dropdb --if-exists "$DB"
    rm -rf "$FILESTORE"
fi
log "Restoring into the database $DB"
createdb "$DB"
pg_restore --no-owner --exit-on-error --jobs=2 --dbname="$DB" "$BACKUP/db.dump" \
    || { dropdb --if-exists "$DB"; die "pg_restore failed; the database $DB was dropped again."; }
mkdir -p "$FILESTORE"
tar -xf "$BACKUP/filestore.tar" -C "$FILESTORE" \
    || { dropdb --if-exists "$DB"; rm -rf "$FILESTORE"; die "The file store did not unpack."; }
if [ "${NEUTRALIZE:-0}" = 1 ]; then
    log "Neutralizing $DB"
    "$PY" "$ODOO_BIN" neutralize -c "$ODOO_CONF" -d "$DB" --log-level=warn
fi
log "Restored $DB ($(find "$FILESTORE" -type f | wc -l) files in its file store)."
