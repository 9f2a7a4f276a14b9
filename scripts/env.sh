# Shared settings for the project's scripts; sourced, not run.
# Everything lives in one per-user cache directory, never in the checkout.
CSC_CACHE="${CSC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/customer_service_control}"
ODOO_SRC="${ODOO_SRC:-$CSC_CACHE/odoo-18.0}"
VENV="${VENV:-$CSC_CACHE/venv}"
ADDONS_DIR="$CSC_CACHE/addons"
DATA_DIR="$CSC_CACHE/data"
LOG_DIR="$CSC_CACHE/log"
DB="${DB:-csc}"
PORT="${PORT:-8069}"
MODULE=customer_service_control
PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$VENV/bin/python"
ODOO_BIN="$ODOO_SRC/odoo-bin"
export CSC_CACHE ODOO_SRC VENV ADDONS_DIR DATA_DIR LOG_DIR DB PORT MODULE PROJECT_DIR PY ODOO_BIN

log() { printf '\033[1m[csc]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[csc] %s\033[0m\n' "$*" >&2; exit 1; }
