#!/usr/bin/env bash
# Prepare everything `make run` and `make test` need, installing only what is missing:
# Debian packages, the Odoo 18.0 source, a virtualenv with Odoo and the pinned addons,
# a running PostgreSQL with a role for this user, the addons link and the Odoo config file.
set -euo pipefail
source "$(dirname "$0")/env.sh"

DEB_PACKAGES=(python3-venv python3-dev gcc libpq-dev libldap2-dev libsasl2-dev postgresql
              wkhtmltopdf fonts-noto-cjk chromium poppler-utils curl)
ODOO_URL="${ODOO_URL:-https://github.com/odoo/odoo/archive/refs/heads/18.0.tar.gz}"

system_packages() {
    local missing=()
    for pkg in "${DEB_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        log "Installing Debian packages: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        die "Missing system packages; install them first: sudo apt-get install ${missing[*]}"
    fi
}

python_version() {
    python3 -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 12)))' \
        || die "Odoo 18 needs Python 3.10 to 3.12; python3 is $(python3 -V 2>&1)."
}

odoo_source() {
    [ -x "$ODOO_BIN" ] && return
    log "No Odoo source at $ODOO_SRC: downloading the official 18.0 source"
    mkdir -p "$ODOO_SRC"
    curl -fL --retry 3 "$ODOO_URL" | tar -xz -C "$ODOO_SRC" --strip-components=1 \
        || die "Could not download $ODOO_URL; set ODOO_SRC to an Odoo 18.0 source tree."
    [ -x "$ODOO_BIN" ] || die "The download did not contain odoo-bin; set ODOO_SRC to an Odoo 18.0 source tree."
}

virtualenv() {
    local stamp="$VENV/.csc-stamp" want
    want=$(cat "$ODOO_SRC/requirements.txt" "$PROJECT_DIR"/requirements*.txt | sha1sum | cut -d' ' -f1)
    [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return
    log "Building the virtualenv in $VENV"
    [ -x "$PY" ] || python3 -m venv "$VENV"
    local constraint="$CSC_CACHE/pip-constraint.txt"
    # cbor2 (pinned by Odoo) does not build with setuptools >= 81.
    echo "setuptools<81" > "$constraint"
    export PIP_CONSTRAINT="$constraint" PIP_BUILD_CONSTRAINT="$constraint" PIP_DISABLE_PIP_VERSION_CHECK=1
    "$PY" -m pip install -q --upgrade pip wheel "setuptools<81"
    "$PY" -m pip install -q -r "$ODOO_SRC/requirements.txt"
    # compat mode: a strict editable install is hidden by the odoo/addons/ folder of OCA wheels.
    "$PY" -m pip install -q --no-deps -e "$ODOO_SRC" --config-settings editable_mode=compat
    # OCA addon wheels require the pip package odoo==18.0.*, which pip does not see: --no-deps.
    "$PY" -m pip install -q --no-deps -r "$PROJECT_DIR/requirements.txt"
    "$PY" -m pip install -q -r "$PROJECT_DIR/requirements-dev.txt"
    echo "$want" > "$stamp"
}

postgresql() {
    if ! pg_isready -q 2>/dev/null; then
        log "Starting PostgreSQL"
        if [ "$(id -u)" -eq 0 ]; then
            local version
            version=$(ls /etc/postgresql | sort -n | tail -n 1)
            pg_ctlcluster --skip-systemctl-redirect "$version" main start
        else
            die "PostgreSQL is not running; start it (sudo service postgresql start) and run again."
        fi
    fi
    if ! psql -d postgres -Atc 'select 1' >/dev/null 2>&1; then
        [ "$(id -u)" -eq 0 ] || die "No PostgreSQL role for $(whoami): sudo -u postgres createuser -s $(whoami)"
        log "Creating the PostgreSQL role $(whoami)"
        su postgres -c "createuser -s $(whoami)"
    fi
}

odoo_config() {
    mkdir -p "$ADDONS_DIR" "$DATA_DIR" "$LOG_DIR"
    ln -sfn "$PROJECT_DIR" "$ADDONS_DIR/$MODULE"
    cat > "$ODOO_CONF" <<CONF
[options]
addons_path = $ODOO_SRC/addons,$ADDONS_DIR
data_dir = $DATA_DIR
http_interface = 127.0.0.1
http_port = $PORT
admin_passwd = admin
; queue_job's job runner starts with the server (not with --stop-after-init nor under the tests)
server_wide_modules = base,web,queue_job
CONF
}

system_packages
python_version
odoo_source
virtualenv
postgresql
odoo_config
