#!/usr/bin/env bash
# Serve Odoo with this module: create the database (with demo data) on the first run,
# upgrade the module on later runs.
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash "$PROJECT_DIR/scripts/setup.sh"

odoo() { "$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" "$@"; }
if psql -d postgres -Atc "select 1 from pg_database where datname = '$DB'" | grep -q 1; then
    log "Upgrading $MODULE in the database $DB"
    odoo -u "$MODULE" --stop-after-init --logfile "$LOG_DIR/$DB-upgrade.log"
else
    log "Creating the database $DB with $MODULE and its demo data (a few minutes)"
    odoo -i "$MODULE" --stop-after-init --logfile "$LOG_DIR/$DB-install.log"
fi
log "Odoo is starting: open http://127.0.0.1:$PORT/odoo and log in as admin / admin (database $DB)."
log "Log file: $LOG_DIR/$DB.log"
exec "$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" --db-filter="^$DB\$" --logfile "$LOG_DIR/$DB.log"
