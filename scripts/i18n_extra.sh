#!/usr/bin/env bash
# Add the other modules' terms that the addon's screens show in English to a zh_CN user to
# i18n_extra/zh_CN.po (scripts/i18n_extra.py): installs the module in a throwaway database
# (without demo data, as the tests do), then runs the screens test's search in Odoo's shell.
# I18N_EXTRA_DB=<db> uses that database instead (the module installed or upgraded there).
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash "$PROJECT_DIR/scripts/setup.sh"
if [ -n "${I18N_EXTRA_DB:-}" ]; then
    EXTRA_DB="$I18N_EXTRA_DB"
else
    EXTRA_DB="csc_i18n_extra_$$"
    trap 'dropdb --if-exists "$EXTRA_DB" >/dev/null 2>&1 || true' EXIT
    "$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$EXTRA_DB" -i "$MODULE" --without-demo=all \
        --stop-after-init --log-level=warn
fi
# the script imports the screens test: Odoo logs an error for the test framework outside tests
"$PY" "$ODOO_BIN" shell -c "$ODOO_CONF" -d "$EXTRA_DB" --log-level=warn \
    --log-handler=odoo.tests.common:CRITICAL --log-handler=py.warnings:ERROR \
    < "$PROJECT_DIR/scripts/i18n_extra.py"
