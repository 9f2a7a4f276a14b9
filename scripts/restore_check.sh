#!/usr/bin/env bash
# Restore check (`make backup-check`, and run by scripts/test.sh): backs up CHECK_DB (default DB),
# or takes the existing backup BACKUP, restores it into a new database, then checks through Odoo
# (scripts/backup_check.py) that every model of the addon has the records of the manifest, that
# every attachment's content is there and matches its checksum, and that every seal verifies.
# Exits non-zero on any mismatch. The restored database and the backup are removed afterwards
# unless KEEP=1. SEED=1 first commits a few records of the addon and a stored file into CHECK_DB
# (scripts/backup_seed.py: for a database without demo data). CHECK_ONLY=1 with RESTORED_DB and
# BACKUP only runs the check on a restored copy.
set -euo pipefail
source "$(dirname "$0")/env.sh"
CHECK_DB="${CHECK_DB:-$DB}"
check() {
    "$PY" "$PROJECT_DIR/scripts/backup_check.py" "$ODOO_CONF" "$1" "$2/manifest.json"
}
if [ "${CHECK_ONLY:-0}" = 1 ]; then
    if [ -z "${RESTORED_DB:-}" ] || [ -z "${BACKUP:-}" ]; then
        die "CHECK_ONLY=1 needs RESTORED_DB and BACKUP."
    fi
    check "$RESTORED_DB" "$BACKUP"
    exit
fi
RESTORED_DB="${RESTORED_DB:-${CHECK_DB}_restored_$$}"
OWN_BACKUP=""
cleanup() {
    [ "${KEEP:-0}" = 1 ] && return
    dropdb --if-exists "$RESTORED_DB" >/dev/null 2>&1 || true
    rm -rf "$DATA_DIR/filestore/$RESTORED_DB"
    [ -z "$OWN_BACKUP" ] || rm -rf "$OWN_BACKUP"
}
trap cleanup EXIT
began=$SECONDS
if [ "${SEED:-0}" = 1 ]; then
    "$PY" "$PROJECT_DIR/scripts/backup_seed.py" "$ODOO_CONF" "$CHECK_DB"
fi
seeded=$SECONDS
if [ -z "${BACKUP:-}" ]; then
    OWN_BACKUP=$(mktemp -d)
    BACKUP="$OWN_BACKUP/$CHECK_DB-check"
    BACKUP="$BACKUP" DB="$CHECK_DB" bash "$PROJECT_DIR/scripts/backup.sh" >/dev/null
fi
backed_up=$SECONDS
BACKUP="$BACKUP" DB="$RESTORED_DB" bash "$PROJECT_DIR/scripts/restore.sh"
restored=$SECONDS
check "$RESTORED_DB" "$BACKUP" || die "Restore check FAILED: $RESTORED_DB does not match the backup of $CHECK_DB."
log "Restore check passed: seed $((seeded - began)) s, backup $((backed_up - seeded)) s, restore $((restored - backed_up)) s," \
    "check $((SECONDS - restored)) s ($(du -sh "$BACKUP" | cut -f1) backup)."
[ "${KEEP:-0}" = 1 ] && log "Kept: database $RESTORED_DB, backup $BACKUP"
true
