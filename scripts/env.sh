# shellcheck shell=bash
# Shared settings for the project's scripts; sourced, not run.
# Everything lives in one per-user cache directory, never in the checkout.
CSC_CACHE="${CSC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/customer_service_control}"
ODOO_SRC="${ODOO_SRC:-$CSC_CACHE/odoo-18.0}"
VENV="${VENV:-$CSC_CACHE/venv}"
PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Each checkout gets its own addons link and Odoo config, so that several checkouts
# (a clone for CI, a work tree) can be tested side by side.
CHECKOUT_DIR="$CSC_CACHE/checkouts/$(printf '%s' "$PROJECT_DIR" | sha1sum | cut -c1-10)"
ADDONS_DIR="$CHECKOUT_DIR/addons"
ODOO_CONF="$CHECKOUT_DIR/odoo.conf"
DATA_DIR="$CSC_CACHE/data"
LOG_DIR="$CSC_CACHE/log"
DB="${DB:-csc}"
PORT="${PORT:-8069}"
MODULE=customer_service_control
PY="$VENV/bin/python"
ODOO_BIN="$ODOO_SRC/odoo-bin"
export CSC_CACHE ODOO_SRC VENV CHECKOUT_DIR ADDONS_DIR ODOO_CONF DATA_DIR LOG_DIR DB PORT MODULE PROJECT_DIR PY ODOO_BIN

log() { printf '\033[1m[csc]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[csc] %s\033[0m\n' "$*" >&2; exit 1; }
