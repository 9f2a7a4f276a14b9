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
PREVIOUS="$(mktemp)"
trap 'rm -f "$PREVIOUS"; dropdb --if-exists "$I18N_DB" >/dev/null 2>&1 || true' EXIT
cp "$PROJECT_DIR/i18n/zh_CN.po" "$PREVIOUS"
odoo --modules="$MODULE" --language=zh_CN --i18n-export="$PROJECT_DIR/i18n/zh_CN.po"
# The export knows the translations of data and views (from the database) but not those of
# Python code terms: take every translation the export left empty from the previous file.
"$PY" - "$PROJECT_DIR/i18n/zh_CN.po" "$PREVIOUS" <<'PY'
import sys
from babel.messages import pofile
target, previous = sys.argv[1:]
with open(previous, "rb") as handle:
    known = {m.id: m.string for m in pofile.read_po(handle) if m.id and m.string}
with open(target, "rb") as handle:
    catalog = pofile.read_po(handle)
for message in catalog:
    if message.id and not message.string and message.id in known:
        message.string = known[message.id]
with open(target, "wb") as handle:
    pofile.write_po(handle, catalog, width=0, omit_header=False)
missing = [m.id for m in catalog if m.id and not m.string]
print(f"[csc] {len(missing)} terms of i18n/zh_CN.po are untranslated")
PY
