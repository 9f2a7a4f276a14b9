#!/usr/bin/env bash
# Re-export i18n/customer_service_control.pot and i18n/zh_CN.po from a throwaway database
# with the module: new terms appear in zh_CN.po with an empty translation, existing ones keep theirs.
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash "$PROJECT_DIR/scripts/setup.sh"
I18N_DB="csc_i18n_$$"
trap 'dropdb --if-exists "$I18N_DB" >/dev/null 2>&1 || true' EXIT
odoo() { "$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$I18N_DB" --log-level=warn --stop-after-init "$@"; }
odoo -i "$MODULE" --without-demo=all --load-language=zh_CN
odoo --modules="$MODULE" --i18n-export="$PROJECT_DIR/i18n/$MODULE.pot"
odoo --modules="$MODULE" --language=zh_CN --i18n-export="$PROJECT_DIR/i18n/zh_CN.po"
"$PY" - "$PROJECT_DIR/i18n/zh_CN.po" <<'PY'
import sys
from babel.messages import pofile
with open(sys.argv[1], "rb") as handle:
    missing = [m.id for m in pofile.read_po(handle) if m.id and not m.string]
print(f"[csc] {len(missing)} terms of i18n/zh_CN.po are untranslated")
PY
