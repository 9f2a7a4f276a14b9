#!/usr/bin/env bash
# Build the addon as a Python wheel, as OCA publishes its addons (`make wheel`): the build backend
# `whool` (pyproject.toml) takes the name odoo-addon-customer_service_control, the version of the
# manifest and the dependencies on the other addons (odoo-addon-*) and on Odoo from the manifest,
# and puts the module under odoo/addons/customer_service_control/. The tracked files (committed
# or changed, not untracked ones) are exported with git archive into a directory named after the
# module (whool names the package after the directory), without the development tooling
# (TOOLING below). The wheel lands in WHEEL_DIR (default dist/); its content is
# checked, then it is installed with --no-deps into a throwaway virtualenv to check the files land
# under odoo/addons/. Exits non-zero on any failure.
set -euo pipefail
source "$(dirname "$0")/env.sh"
WHEEL_DIR="${WHEEL_DIR:-$PROJECT_DIR/dist}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$PROJECT_DIR"
# A commit object of the work tree's tracked changes (nothing is stashed), else HEAD.
TREE=$(git stash create)
TREE="${TREE:-HEAD}"
git archive --format=tar --prefix="$MODULE/" "$TREE" | tar -x -C "$WORK"
# The development tooling is no part of the installed addon (left out here rather than with
# export-ignore, which would also drop it from source archives of the repository).
TOOLING=(.ci .gitattributes .gitignore .pre-commit-config.yaml .pylintrc Makefile
         requirements.txt requirements-dev.txt scripts)
for path in "${TOOLING[@]}"; do rm -rf "${WORK:?}/$MODULE/$path"; done
mkdir -p "$WHEEL_DIR"
log "Building the wheel (build backend whool, in pip's isolated build environment)"
"$PY" -m pip wheel --quiet --no-deps --wheel-dir "$WORK/dist" "$WORK/$MODULE"
WHEEL=$(find "$WORK/dist" -name '*.whl' -print -quit)
[ -n "$WHEEL" ] || die "pip built no wheel."
cp "$WHEEL" "$WHEEL_DIR/"
WHEEL="$WHEEL_DIR/$(basename "$WHEEL")"
log "Checking the content of $(basename "$WHEEL")"
"$PY" - "$WHEEL" "$MODULE" <<'PY'
import ast, re, sys, zipfile
wheel, module = sys.argv[1], sys.argv[2]
names = zipfile.ZipFile(wheel).namelist()
root = f"odoo/addons/{module}/"
manifest = ast.literal_eval(zipfile.ZipFile(wheel).read(root + "__manifest__.py").decode())
expected = [root + "__manifest__.py", root + "__init__.py", root + "i18n/zh_CN.po",
            root + "security/ir.model.access.csv", root + "static/description/icon.png"]
expected += [root + path for path in manifest["data"] + manifest["demo"]]
problems = [f"missing {name}" for name in expected if name not in names]
junk = re.compile(r"(^|/)(\.git|__pycache__|\.ruff_cache|\.pytest_cache|scripts|dist|build)(/|$)"
                  r"|\.pyc$|(^|/)(Makefile|pyproject\.toml|\.ci)$")
problems += [f"junk {name}" for name in names if junk.search(name.removeprefix(root))]
outside = [name for name in names if not name.startswith((root, "odoo_addon_"))]
problems += [f"outside the module: {name}" for name in outside]
meta = zipfile.ZipFile(wheel).read(
    next(name for name in names if name.endswith(".dist-info/METADATA"))).decode()
head = dict(line.split(": ", 1) for line in meta.split("\n\n")[0].splitlines() if ": " in line)
if head.get("Version") != manifest["version"]:
    problems.append(f"version {head.get('Version')}, the manifest says {manifest['version']}")
requires = [line.split(": ", 1)[1] for line in meta.splitlines() if line.startswith("Requires-Dist: ")]
if problems:
    sys.exit("wheel check failed:\n  " + "\n  ".join(problems))
kinds = {}
for name in names:
    kinds[name.rsplit(".", 1)[-1]] = kinds.get(name.rsplit(".", 1)[-1], 0) + 1
print(f"{head['Name']} {head['Version']}: {len(names)} files "
      f"({', '.join(f'{n} {k}' for k, n in sorted(kinds.items(), key=lambda i: -i[1])[:8])})")
print("Requires-Dist: " + "; ".join(requires))
PY
log "Installing it with --no-deps into a throwaway virtualenv"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install --quiet --no-deps "$WHEEL"
SITE=$("$WORK/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
INSTALLED="$SITE/odoo/addons/$MODULE"
for path in __manifest__.py views/csc_complaint_views.xml security/ir.model.access.csv \
        i18n/zh_CN.po static/description/icon.png; do
    [ -f "$INSTALLED/$path" ] || die "The installed wheel has no $INSTALLED/$path."
done
log "Installed: $(find "$INSTALLED" -type f -not -path "*/__pycache__/*" | wc -l) files under site-packages/odoo/addons/$MODULE/" \
    "(xml $(find "$INSTALLED" -name '*.xml' | wc -l), csv $(find "$INSTALLED" -name '*.csv' | wc -l)," \
    "po $(find "$INSTALLED" -name '*.po' | wc -l), static $(find "$INSTALLED/static" -type f | wc -l))"
echo "$WHEEL"
