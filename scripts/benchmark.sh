#!/usr/bin/env bash
# The benchmark (`make benchmark`, after `make run` or `make test` set the machine up): in the
# database BENCH_DB (created once, without demo data), generates 1,000,000 tickets, 300,000
# complaints, 100,000 visits and 50,000 loans times BENCH_SCALE (scripts/benchmark_data.py,
# once), upgrades the module on a database made before, then prints the ratios of
# scripts/benchmark.py. The output is also written to
# benchmark-results/ (not committed).
set -euo pipefail
source "$(dirname "$0")/env.sh"
BENCH_DB="${BENCH_DB:-csc_bench}"
BENCH_SCALE="${BENCH_SCALE:-1}"
export BENCH_SCALE
if ! psql -d postgres -Atc "select 1 from pg_database where datname = '$BENCH_DB'" | grep -q 1; then
    log "creating $BENCH_DB"
    "$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$BENCH_DB" -i "$MODULE" --without-demo=all \
        --stop-after-init --log-level=warn
else
    # The generated data stays; the module follows the checkout (new fields, views, migrations).
    log "upgrading $MODULE in $BENCH_DB"
    "$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$BENCH_DB" -u "$MODULE" --stop-after-init --log-level=warn
fi
RESULTS="$PROJECT_DIR/benchmark-results"
mkdir -p "$RESULTS"
OUT="$RESULTS/benchmark-$(date -u +%Y%m%d-%H%M%S).txt"
{
    echo "Machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -1)," \
        "$(free -g | awk '/^Mem:/ {print $2}') GB RAM, PostgreSQL" \
        "$(psql -d postgres -Atc 'show server_version')"
    "$PY" "$ODOO_BIN" shell -c "$ODOO_CONF" -d "$BENCH_DB" --no-http --log-level=warn \
        < "$PROJECT_DIR/scripts/benchmark_data.py"
    "$PY" "$ODOO_BIN" shell -c "$ODOO_CONF" -d "$BENCH_DB" --no-http --log-level=warn \
        < "$PROJECT_DIR/scripts/benchmark.py"
} 2>&1 | grep -v "security risk" | tee "$OUT"
log "output kept in $OUT"
