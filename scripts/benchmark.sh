#!/usr/bin/env bash
# Time the monthly service report over 100,000 complaints and 50,000 visits (see
# scripts/benchmark_monthly_report.py) in the database csc_bench, created once.
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash "$PROJECT_DIR/scripts/setup.sh"
BENCH_DB="${BENCH_DB:-csc_bench}"
if ! psql -d postgres -Atc "select 1 from pg_database where datname = '$BENCH_DB'" | grep -q 1; then
    "$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$BENCH_DB" -i "$MODULE" --without-demo=all \
        --stop-after-init --log-level=warn
fi
"$PY" "$ODOO_BIN" shell -c "$ODOO_CONF" -d "$BENCH_DB" --no-http --log-level=warn \
    < "$PROJECT_DIR/scripts/benchmark_monthly_report.py"
