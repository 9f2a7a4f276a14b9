#!/usr/bin/env bash
# Load test: starts Odoo with several workers (WORKERS, default 4) on PORT (and GEVENT_PORT) for
# the database LOAD_DB (created once, without demo data), drives CLIENTS concurrent JSON-RPC
# clients for DURATION seconds through the desk mix and the plain helpdesk mix (scripts/load.py), then
# stops that server (after `make run` or `make test` set the machine up). `make load PORT=8073 CLIENTS=20 DURATION=30`.
set -euo pipefail
source "$(dirname "$0")/env.sh"
LOAD_DB="${LOAD_DB:-csc_load}"
WORKERS="${WORKERS:-4}"
CLIENTS="${CLIENTS:-20}"
DURATION="${DURATION:-30}"
GEVENT_PORT="${GEVENT_PORT:-$((PORT + 10))}"
if ! psql -d postgres -Atc "select 1 from pg_database where datname = '$LOAD_DB'" | grep -q 1; then
    log "creating $LOAD_DB"
    "$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$LOAD_DB" -i "$MODULE" --without-demo=all \
        --stop-after-init --log-level=warn
fi
mkdir -p "$LOG_DIR"
LOGFILE="$LOG_DIR/load-$LOAD_DB.log"
log "Odoo with $WORKERS workers on port $PORT (gevent $GEVENT_PORT), log in $LOGFILE"
"$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$LOAD_DB" --db-filter="^$LOAD_DB\$" \
    --workers="$WORKERS" --max-cron-threads=0 --http-port="$PORT" --gevent-port="$GEVENT_PORT" \
    --limit-time-cpu=600 --limit-time-real=1200 --log-level=warn --logfile="$LOGFILE" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 120); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/web/login" && break
    sleep 1
done
"$PY" "$PROJECT_DIR/scripts/load.py" "http://127.0.0.1:$PORT" "$LOAD_DB" "$CLIENTS" "$DURATION"
