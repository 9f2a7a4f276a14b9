#!/usr/bin/env bash
# Lint, then run the module's whole test suite with pytest-odoo on a new throwaway database, then
# the restore check of a backup of that database. Exits non-zero on any failure and when no test
# ran.
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash "$PROJECT_DIR/scripts/setup.sh"
cd "$PROJECT_DIR"

log "Lint: ruff"
"$VENV/bin/ruff" check --output-format=concise .
"$VENV/bin/ruff" format --check .
log "Lint: pylint-odoo"
"$VENV/bin/pylint" --rcfile=.pylintrc --jobs=2 "$PROJECT_DIR"

TEST_DB="${TEST_DB:-csc_test_$$}"
trap 'dropdb --if-exists "$TEST_DB" >/dev/null 2>&1 || true; rm -rf "$DATA_DIR/filestore/$TEST_DB"' EXIT
log "Installing $MODULE into the throwaway database $TEST_DB (no demo data)"
"$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$TEST_DB" -i "$MODULE" --without-demo=all \
    --stop-after-init --log-level=warn --logfile "$LOG_DIR/$TEST_DB-install.log" \
    || { tail -n 40 "$LOG_DIR/$TEST_DB-install.log"; die "Installing the module failed."; }
grep -E " (ERROR|CRITICAL) " "$LOG_DIR/$TEST_DB-install.log" && die "Errors while installing the module."

log "Tests: pytest-odoo (queue_job not server-wide: no job runner; the tests perform the jobs)"
status=0
cd "$ADDONS_DIR"  # through the link, so that pytest-odoo sees the module by its name
"$VENV/bin/pytest" -p no:cacheprovider --rootdir="$ADDONS_DIR" --odoo-config="$ODOO_CONF" \
    --odoo-database="$TEST_DB" --odoo-http --odoo-log-level=warn \
    --odoo-extra=load=base,web "$MODULE/tests" "$@" || status=$?
case $status in
    0) ;;
    5) die "No test ran." ;;
    *) die "Tests failed (pytest exit code $status)." ;;
esac

# Backup and restore: the throwaway database, with a few records of the addon and a stored file
# committed into it, is dumped with its file store, restored into a second database and checked
# through Odoo (records per model, every attachment's checksum, every seal). SKIP_RESTORE_CHECK=1
# leaves it out.
if [ "${SKIP_RESTORE_CHECK:-0}" != 1 ]; then
    log "Restore check: back up $TEST_DB, restore it into a new database, verify"
    CHECK_DB="$TEST_DB" SEED=1 bash "$PROJECT_DIR/scripts/restore_check.sh"
fi

# Two servers on the throwaway database (scripts/cluster.sh): sessions shared, a load spread
# over both with no error, every job performed exactly once. TEST_CLUSTER=0 leaves it out.
if [ "${TEST_CLUSTER:-1}" = 1 ]; then
    log "Cluster check on $TEST_DB"
    CLUSTER_DB="$TEST_DB" bash "$PROJECT_DIR/scripts/cluster.sh"
fi
