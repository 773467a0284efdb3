# Shared helpers of scripts/run and scripts/test. Source it, do not run it.
# shellcheck shell=bash

set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ADDON_NAME="dv_case_management"
BUILD_DIR="${DV_BUILD_DIR:-$REPO_DIR/.build}"
# The addon must be importable as odoo.addons.dv_case_management whatever the
# checkout's folder is called, so a link with that name points at the
# checkout. The link lives outside the checkout: inside, Odoo's translation
# export would follow it round in a circle.
ADDONS_DIR="${DV_ADDONS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dv_case_management/$(printf '%s' "$REPO_DIR" | md5sum | cut -c1-12)/addons}"
REPO_HASH="$(printf '%s' "$REPO_DIR" | md5sum | cut -c1-12)"
PG_DIR="$BUILD_DIR"
if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 && [ -z "${DV_PG_HOST:-}" ]; then
    mkdir -p "$BUILD_DIR"
    chmod o+x "$BUILD_DIR"
    if ! runuser -u postgres -- test -x "$BUILD_DIR"; then
        # The checkout lies where the postgres user cannot reach (a private
        # temporary folder, say): keep the cluster in postgres' home instead.
        PG_DIR="$(getent passwd postgres | cut -d: -f6)/dv_case_management/$REPO_HASH"
    fi
fi
PG_DATA="$PG_DIR/pgdata"
PG_LOG="$PG_DIR/postgresql.log"
PG_SOCKET_DIR="$PG_DIR/pgsocket"

# The first port from $1 on that nobody listens on.
free_port() {
    python3 - "$1" <<'PY'
import socket, sys
start = int(sys.argv[1])
for port in range(start, start + 200):
    with socket.socket() as sock:
        if sock.connect_ex(("127.0.0.1", port)) != 0:
            print(port)
            break
PY
}

# A PostgreSQL server can be configured from outside; otherwise the scripts
# start their own cluster on a free port of their own (kept in pgport).
PGHOST="${DV_PG_HOST:-127.0.0.1}"
PGUSER="${DV_PG_USER:-odoo}"
PGPASSWORD="${DV_PG_PASSWORD:-}"
if [ -n "${DV_PG_PORT:-}" ]; then
    PGPORT="$DV_PG_PORT"
elif [ -z "${DV_PG_HOST:-}" ] && [ -f "$PG_DIR/pgport" ]; then
    PGPORT="$(cat "$PG_DIR/pgport")"
elif [ -z "${DV_PG_HOST:-}" ]; then
    PGPORT="$(free_port 54329)"
else
    PGPORT=5432
fi
export PGHOST PGPORT PGUSER PGPASSWORD

say() { printf '\n==> %s\n' "$*"; }
warn() { printf '\n!!! %s\n' "$*" >&2; }

have_odoo() {
    (cd / && python3 -c 'import odoo, odoo.release; assert odoo.release.version_info[0] == 18' 2>/dev/null)
}

# Chromium (or Chrome) under one of the names Odoo's browser tests look for.
have_chromium() {
    local bin
    for bin in google-chrome chromium chromium-browser google-chrome-stable; do
        if command -v "$bin" >/dev/null 2>&1; then
            return 0
        fi
    done
    return 1
}

pip_install() {
    # Quiet, idempotent installation from PyPI.
    PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install -q "$@"
}

link_addon() {
    mkdir -p "$ADDONS_DIR"
    ln -sfn "$REPO_DIR" "$ADDONS_DIR/$ADDON_NAME"
}

pg_bin() {
    local bin
    for bin in /usr/lib/postgresql/*/bin; do
        if [ -x "$bin/pg_ctl" ]; then
            echo "$bin"
        fi
    done | sort -V | tail -n 1
}

install_postgresql() {
    if [ -z "$(pg_bin)" ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            say "Installing PostgreSQL from Debian's packages"
            apt-get update -qq >/dev/null
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        else
            warn "PostgreSQL is not installed and cannot be installed here."
            return 1
        fi
    fi
}

# Run a PostgreSQL tool as the cluster's owner (postgres when we are root).
as_pg_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start_postgresql() {
    if [ -n "${DV_PG_HOST:-}" ]; then
        say "Using the configured PostgreSQL server at $PGHOST:$PGPORT"
        return 0
    fi
    install_postgresql
    local bin
    bin="$(pg_bin)"
    mkdir -p "$PG_DIR"
    if [ "$(id -u)" = 0 ]; then
        # The cluster's owner must be able to reach its folders.
        chmod o+x "$PG_DIR"
    fi
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        say "Creating a PostgreSQL cluster in $PG_DATA"
        mkdir -p "$PG_DATA" "$PG_SOCKET_DIR"
        if [ "$(id -u)" = 0 ]; then
            chown postgres: "$PG_DATA" "$PG_SOCKET_DIR"
        fi
        as_pg_owner "$bin/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 \
            --locale=C.UTF-8 >/dev/null
        echo "$PGPORT" >"$PG_DIR/pgport"
    fi
    if [ "$(id -u)" = 0 ]; then
        touch "$PG_LOG"
        chown postgres: "$PG_LOG" "$PG_SOCKET_DIR"
    fi
    if ! as_pg_owner "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        say "Starting PostgreSQL on $PGHOST:$PGPORT"
        as_pg_owner "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
            -o "-p $PGPORT -k $PG_SOCKET_DIR -c listen_addresses=127.0.0.1 -c fsync=off" \
            start >/dev/null
    fi
    # The role Odoo connects with (Odoo refuses the postgres superuser).
    as_pg_owner "$bin/psql" -h "$PG_SOCKET_DIR" -p "$PGPORT" -U postgres -d postgres -qtAc \
        "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PGUSER') THEN CREATE ROLE \"$PGUSER\" LOGIN CREATEDB; END IF; END \$\$;" >/dev/null
}

stop_postgresql() {
    if [ -n "${DV_PG_HOST:-}" ] || [ ! -f "$PG_DATA/PG_VERSION" ]; then
        return 0
    fi
    as_pg_owner "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
}

database_exists() {
    (cd / && python3 - "$1" <<'PY'
import os, sys, psycopg2
conn = psycopg2.connect(dbname="postgres", host=os.environ["PGHOST"], port=os.environ["PGPORT"],
                        user=os.environ["PGUSER"], password=os.environ.get("PGPASSWORD") or None)
with conn.cursor() as cr:
    cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (sys.argv[1],))
    sys.exit(0 if cr.fetchone() else 1)
PY
    )
}

drop_database() {
    (cd / && python3 - "$1" <<'PY'
import os, sys, psycopg2
conn = psycopg2.connect(dbname="postgres", host=os.environ["PGHOST"], port=os.environ["PGPORT"],
                        user=os.environ["PGUSER"], password=os.environ.get("PGPASSWORD") or None)
conn.autocommit = True
with conn.cursor() as cr:
    cr.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % sys.argv[1])
PY
    )
    rm -rf "$BUILD_DIR/data/filestore/$1"
}

odoo_bin() {
    # Odoo's server entry point from the installed odoo package.
    (cd / && python3 -c 'import odoo, os; print(os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin"))')
}

# Odoo's own addons folder (mail, calendar, ...) beside the odoo package.
odoo_addons_dir() {
    (cd / && python3 -c 'import odoo, os; d = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "addons"); print(d if os.path.isdir(d) else "")')
}

odoo_args() {
    local addons_path="$ADDONS_DIR" odoo_addons
    odoo_addons="$(odoo_addons_dir)"
    if [ -n "$odoo_addons" ]; then
        addons_path="$addons_path,$odoo_addons"
    fi
    local args=(
        --addons-path="$addons_path"
        --data-dir="$BUILD_DIR/data"
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER"
    )
    if [ -n "$PGPASSWORD" ]; then
        args+=(--db_password="$PGPASSWORD")
    fi
    printf '%s\n' "${args[@]}"
}

run_odoo() {
    local bin
    bin="$(odoo_bin)"
    local -a base_args
    mapfile -t base_args < <(odoo_args)
    if [ -f "$bin" ]; then
        python3 "$bin" "${base_args[@]}" "$@"
    else
        (cd / && python3 -m odoo "${base_args[@]}" "$@")
    fi
}
