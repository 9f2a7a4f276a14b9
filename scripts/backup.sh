#!/usr/bin/env bash
# Back up the database DB and its file store into one directory (`make backup DB=csc`):
# BACKUP_DIR/<db>-<UTC date>/ with db.dump (pg_dump, custom format), filestore.tar and
# manifest.json (database, date, versions, SHA-256 of both files, rows per model of the addon).
# BACKUP_DIR defaults to ~/.cache/customer_service_control/backups. The backup's path is the last
# line printed on standard output.
set -euo pipefail
source "$(dirname "$0")/env.sh"
BACKUP_DIR="${BACKUP_DIR:-$CSC_CACHE/backups}"
psql -d postgres -Atc "select 1 from pg_database where datname = '$DB'" | grep -q 1 \
    || die "No database $DB to back up."
TARGET="${BACKUP:-$BACKUP_DIR/$DB-$(date -u +%Y%m%dT%H%M%SZ)}"
[ -e "$TARGET" ] && die "$TARGET exists already."
mkdir -p "$(dirname "$TARGET")"
VERSION=$("$PY" -c 'import ast, sys; print(ast.literal_eval(open(sys.argv[1]).read())["version"])' \
    "$PROJECT_DIR/__manifest__.py")
log "Backing up $DB into $TARGET"
"$PY" "$PROJECT_DIR/scripts/backup.py" "$DB" "$DATA_DIR" "$TARGET" "$VERSION" \
    || { rm -rf "$TARGET"; die "Backup of $DB failed."; }
echo "$TARGET"
