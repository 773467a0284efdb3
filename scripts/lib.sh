# Shared helpers of scripts/run, scripts/test and the other scripts. Source it,
# do not run it.
# shellcheck shell=bash

set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ADDON_NAME="dv_case_management"
BUILD_DIR="${DV_BUILD_DIR:-$REPO_DIR/.build}"
REPO_HASH="$(printf '%s' "$REPO_DIR" | md5sum | cut -c1-12)"
# What the scripts keep per checkout outside of it (see ADDONS_DIR and
# VENV_DIR for why outside).
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/dv_case_management/$REPO_HASH"
# The addon must be importable as odoo.addons.dv_case_management whatever the
# checkout's folder is called, so a link with that name points at the
# checkout. The link lives outside the checkout: inside, Odoo's translation
# export would follow it round in a circle.
ADDONS_DIR="${DV_ADDONS_DIR:-$CACHE_DIR/addons}"
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

# Where Odoo comes from when python3 has none (or DV_ODOO_FRESH=1): a virtual
# environment with Odoo 18.0 installed from ODOO_SRC (a source folder or a
# .tar.gz/.tar.xz archive of one) or from Odoo's nightly source archive.
# Like the addons link, the virtual environment and Odoo's unpacked source lie
# outside the checkout: Odoo's translation export (and tests/test_i18n.py)
# reads every Python file below the addon's folder, which is the checkout, and
# would take all of Odoo and the virtual environment for the addon's own code.
VENV_DIR="${DV_VENV_DIR:-$CACHE_DIR/venv}"
ODOO_TREE="$CACHE_DIR/odoo"
DOWNLOAD_DIR="$CACHE_DIR/downloads"
ODOO_NIGHTLY_URL="https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz"

# Exit codes of the set-up steps (failed tests exit 1, wrong arguments 2), so
# that a caller can tell a broken machine from a broken addon.
EXIT_ODOO_SRC=10 # ODOO_SRC names no Odoo 18.0 source
EXIT_DOWNLOAD=11 # Odoo's nightly source archive could not be downloaded
EXIT_SYSTEM=12   # Debian packages are missing and cannot be installed
EXIT_PYTHON=13   # the virtual environment or a pip installation failed
EXIT_POSTGRES=14 # PostgreSQL could not be installed or started

say() { printf '\n==> %s\n' "$*"; }
warn() { printf '\n!!! %s\n' "$*" >&2; }

# fail CODE LINE...: say what went wrong and stop the script with CODE.
fail() {
    local code="$1"
    shift
    printf '\n' >&2
    printf '%s\n' "$@" | sed 's/^/!!! /' >&2
    exit "$code"
}

# A progress line for a long step, and how long it took.
STEP_STARTED=$SECONDS
step() {
    STEP_STARTED=$SECONDS
    say "$*"
}
step_done() { printf '    done in %d s\n' "$((SECONDS - STEP_STARTED))"; }

# Whether the Python $1 imports Odoo 18.0 (from /, so that no folder of the
# checkout shadows a package).
python_has_odoo() {
    (cd / && "$1" -c 'import odoo.release as r, sys; sys.exit(r.version_info[0] != 18)' \
        >/dev/null 2>&1)
}

# Whether the machine's python3 is the one to use: it has Odoo 18.0 and
# DV_ODOO_FRESH is not 1. Asked once, as importing Odoo takes a moment.
PYTHON3_ODOO=0
if [ "${DV_ODOO_FRESH:-0}" != 1 ] && python_has_odoo python3; then
    PYTHON3_ODOO=1
fi

# PYTHON runs everything after the set-up: pip, odoo-bin, pytest and the
# scripts' own helpers. It is the machine's python3 when that is the one to
# use, otherwise the virtual environment, once ensure_odoo (or ensure_python)
# has made it.
PYTHON=python3
if [ "$PYTHON3_ODOO" = 0 ] && [ -x "$VENV_DIR/bin/python" ]; then
    PYTHON="$VENV_DIR/bin/python"
fi

# The first port from $1 on that nobody listens on.
free_port() {
    "$PYTHON" - "$1" <<'PY'
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

have_odoo() {
    python_has_odoo "$PYTHON"
}

odoo_version() {
    (cd / && "$PYTHON" -c 'import odoo.release as r; print(r.version)')
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
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$PYTHON" -m pip install -q "$@"
}

# Debian's packages: only root with apt-get can install them. The package
# lists are refreshed once per script run.
can_apt() {
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1
}
APT_UPDATED=0
apt_install() {
    can_apt || return 1
    if [ "$APT_UPDATED" = 0 ]; then
        apt-get update -qq >/dev/null || return 1
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# apt_require WHY PACKAGE...: install the packages or stop with EXIT_SYSTEM.
apt_require() {
    local why="$1"
    shift
    if ! can_apt; then
        if [ "$(id -u)" != 0 ]; then
            fail "$EXIT_SYSTEM" "Debian packages are missing ($why): $*" \
                "Installing them needs root. Run as root, or first: sudo apt-get install $*"
        fi
        fail "$EXIT_SYSTEM" "Packages are missing ($why): $*" \
            "This machine has no apt-get; install their equivalents by hand."
    fi
    step "Installing Debian packages $*: $why"
    if ! apt_install "$@"; then
        fail "$EXIT_SYSTEM" "apt-get could not install $* (no network to Debian's mirror?)."
    fi
    step_done
}

# Odoo's requirements build psycopg2 and python-ldap from source (PyPI has no
# wheels of the releases Odoo pins): they need a C compiler, Python's headers
# and the headers of libpq, OpenLDAP and SASL. Checked by the files pip needs,
# so that it does not matter which package brought them.
install_build_packages() {
    local missing=() include
    command -v gcc >/dev/null 2>&1 || missing+=(build-essential)
    command -v pg_config >/dev/null 2>&1 || missing+=(libpq-dev)
    [ -f /usr/include/ldap.h ] || missing+=(libldap2-dev)
    [ -f /usr/include/sasl/sasl.h ] || missing+=(libsasl2-dev)
    include="$(python3 -c 'import sysconfig; print(sysconfig.get_path("include"))')"
    [ -f "$include/Python.h" ] || missing+=(python3-dev)
    if [ "${#missing[@]}" -gt 0 ]; then
        if ! command -v apt-get >/dev/null 2>&1; then
            warn "Missing, it seems: ${missing[*]} (or their equivalents); pip may fail to build."
            return 0
        fi
        apt_require "to build Odoo's Python requirements" "${missing[@]}"
    fi
}

# The virtual environment, made from the machine's python3 when missing.
ensure_venv() {
    if [ ! -x "$VENV_DIR/bin/python" ]; then
        if ! python3 -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))'; then
            fail "$EXIT_PYTHON" "Odoo 18.0 runs on Python 3.10 to 3.12; python3 is $(python3 -V 2>&1)."
        fi
        # Debian's python3 makes virtual environments only with python3-venv.
        if ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
            apt_require "to make a virtual environment" python3-venv
        fi
        step "Creating the virtual environment $VENV_DIR"
        mkdir -p "$(dirname "$VENV_DIR")"
        if ! python3 -m venv "$VENV_DIR"; then
            rm -rf "$VENV_DIR"
            fail "$EXIT_PYTHON" "python3 -m venv $VENV_DIR failed."
        fi
        step_done
    fi
    PYTHON="$VENV_DIR/bin/python"
}

# The Python for the checks: the machine's python3 when it has Odoo 18.0,
# otherwise the virtual environment (made without Odoo if missing: Debian's
# own python3 refuses pip installations).
ensure_python() {
    if [ "$PYTHON3_ODOO" = 1 ]; then
        PYTHON=python3
    else
        ensure_venv
    fi
}

# odoo_tree_problem DIR: what makes DIR no Odoo 18.0 source tree (nothing
# when it is one; the status says which).
odoo_tree_problem() {
    local dir="$1" version
    if [ ! -f "$dir/setup.py" ]; then
        echo "it has no setup.py"
    elif [ ! -f "$dir/odoo/release.py" ]; then
        echo "it has setup.py, but no odoo/release.py"
    elif [ ! -f "$dir/odoo-bin" ] && [ ! -f "$dir/setup/odoo" ]; then
        echo "it has neither odoo-bin nor setup/odoo"
    else
        version="$(sed -n 's/^version_info = (\([0-9]*\), *\([0-9]*\),.*/\1.\2/p' "$dir/odoo/release.py")"
        if [ "$version" != "18.0" ]; then
            echo "it is Odoo ${version:-of an unknown version}, not 18.0"
        else
            return 1
        fi
    fi
    return 0
}

# find_odoo_tree DIR: DIR itself when it holds setup.py, else its one
# subfolder that does (archives hold e.g. odoo-18.0/setup.py).
find_odoo_tree() {
    local dir="$1" found=()
    if [ -f "$dir/setup.py" ]; then
        echo "$dir"
        return 0
    fi
    mapfile -t found < <(find "$dir" -mindepth 2 -maxdepth 2 -name setup.py -printf '%h\n')
    if [ "${#found[@]}" = 1 ]; then
        echo "${found[0]}"
        return 0
    fi
    echo "$dir"
}

# odoo_source_key: names the Odoo source asked for, to tell whether the
# virtual environment holds that one (empty when ODOO_SRC is unset: then any
# Odoo 18.0 already installed there will do).
odoo_source_key() {
    local src="${ODOO_SRC:-}"
    if [ -z "$src" ]; then
        return 0
    fi
    src="$(realpath -e "$src" 2>/dev/null)" || {
        echo "missing $ODOO_SRC"
        return 0
    }
    if [ -d "$src" ]; then
        echo "$src"
    else
        echo "$src $(stat -c '%s %Y' "$src")"
    fi
}

# Download Odoo's nightly source archive (once; kept in DOWNLOAD_DIR).
download_nightly() {
    NIGHTLY_ARCHIVE="$DOWNLOAD_DIR/odoo_18.0.latest.tar.gz"
    if [ -s "$NIGHTLY_ARCHIVE" ]; then
        say "Using Odoo's nightly source downloaded before: $NIGHTLY_ARCHIVE"
        return 0
    fi
    mkdir -p "$DOWNLOAD_DIR"
    step "Downloading Odoo 18.0 Community's nightly source from $ODOO_NIGHTLY_URL"
    if ! "$PYTHON" - "$ODOO_NIGHTLY_URL" "$NIGHTLY_ARCHIVE.part" <<'PY'; then
import sys
import time
import urllib.request

url, path = sys.argv[1:]
try:
    with urllib.request.urlopen(url, timeout=60) as answer, open(path, "wb") as out:
        done, shown = 0, time.monotonic()
        while chunk := answer.read(1 << 20):
            out.write(chunk)
            done += len(chunk)
            if time.monotonic() - shown > 10:
                print(f"    {done >> 20} MB", flush=True)
                shown = time.monotonic()
    print(f"    {done >> 20} MB", flush=True)
except OSError as exc:
    print(f"    {exc}", file=sys.stderr)
    sys.exit(1)
PY
        rm -f "$NIGHTLY_ARCHIVE.part"
        fail "$EXIT_DOWNLOAD" "Odoo's nightly source could not be downloaded from $ODOO_NIGHTLY_URL" \
            "(no network?). Point ODOO_SRC at an Odoo 18.0 source folder or at a" \
            ".tar.gz/.tar.xz archive of one instead, e.g." \
            "  ODOO_SRC=/path/to/odoo-18.0.tar.gz $0"
    fi
    mv "$NIGHTLY_ARCHIVE.part" "$NIGHTLY_ARCHIVE"
    step_done
}

# unpack_odoo ARCHIVE WHAT KEY: ODOO_TREE becomes the Odoo source tree of the
# archive (kept while KEY, the archive's name, size and time, stays the same).
unpack_odoo() {
    local archive="$1" what="$2" key="$3" tree problem
    if [ -f "$ODOO_TREE/.dv-source" ] && [ "$(cat "$ODOO_TREE/.dv-source")" = "$key" ]; then
        return 0
    fi
    step "Unpacking $what into $ODOO_TREE"
    rm -rf "$ODOO_TREE.new"
    mkdir -p "$ODOO_TREE.new"
    if ! tar -xf "$archive" -C "$ODOO_TREE.new" 2>"$CACHE_DIR/tar.log"; then
        rm -rf "$ODOO_TREE.new"
        fail "$EXIT_ODOO_SRC" "$what could not be unpacked:" "$(tail -n 3 "$CACHE_DIR/tar.log")"
    fi
    tree="$(find_odoo_tree "$ODOO_TREE.new")"
    if problem="$(odoo_tree_problem "$tree")"; then
        rm -rf "$ODOO_TREE.new"
        fail "$EXIT_ODOO_SRC" "$what holds no Odoo 18.0 source: $problem" \
            "(looked at its top and its top folder for setup.py, odoo/release.py, odoo-bin)."
    fi
    rm -rf "$ODOO_TREE"
    mv "$tree" "$ODOO_TREE"
    rm -rf "$ODOO_TREE.new"
    echo "$key" >"$ODOO_TREE/.dv-source"
    step_done
}

# Sets ODOO_SOURCE_TREE to the Odoo source to install: ODOO_SRC's folder, or
# the tree unpacked from ODOO_SRC's archive or from Odoo's nightly archive.
prepare_odoo_source() {
    local src="${ODOO_SRC:-}" tree problem
    mkdir -p "$CACHE_DIR"
    if [ -z "$src" ]; then
        download_nightly
        unpack_odoo "$NIGHTLY_ARCHIVE" "Odoo's nightly source archive" \
            "$NIGHTLY_ARCHIVE $(stat -c '%s %Y' "$NIGHTLY_ARCHIVE")"
        ODOO_SOURCE_TREE="$ODOO_TREE"
        return 0
    fi
    if [ ! -e "$src" ]; then
        fail "$EXIT_ODOO_SRC" "ODOO_SRC=$src does not exist." \
            "Point it at an Odoo 18.0 source folder (with setup.py and odoo-bin) or at a" \
            ".tar.gz/.tar.xz archive of one, or unset it to download Odoo's nightly source."
    fi
    src="$(realpath "$src")"
    if [ -d "$src" ]; then
        tree="$(find_odoo_tree "$src")"
        if problem="$(odoo_tree_problem "$tree")"; then
            fail "$EXIT_ODOO_SRC" "ODOO_SRC=$src is no Odoo 18.0 source folder: $problem."
        fi
        if [ -w "$tree" ]; then
            # Installed in place (editable): the virtual environment runs the
            # folder's code, changes included.
            ODOO_SOURCE_TREE="$tree"
            return 0
        fi
        # pip's editable installation writes odoo.egg-info into the tree: a
        # read-only one is copied first (without its git history).
        step "Copying the read-only $tree to $ODOO_TREE"
        rm -rf "$ODOO_TREE"
        mkdir -p "$ODOO_TREE"
        tar -C "$tree" --exclude=.git -cf - . | tar -C "$ODOO_TREE" -xf -
        chmod -R u+w "$ODOO_TREE"
        step_done
        ODOO_SOURCE_TREE="$ODOO_TREE"
        return 0
    fi
    case "$src" in
        *.tar.gz | *.tgz | *.tar.xz | *.txz | *.tar.bz2 | *.tar) ;;
        *)
            fail "$EXIT_ODOO_SRC" "ODOO_SRC=$src is neither a folder nor a .tar.gz/.tar.xz archive."
            ;;
    esac
    unpack_odoo "$src" "ODOO_SRC=$src" "$(odoo_source_key)"
    ODOO_SOURCE_TREE="$ODOO_TREE"
}

# Install Odoo 18.0 with its Python requirements into the virtual environment.
install_odoo() {
    local log="$CACHE_DIR/pip-odoo.log" constraints="$CACHE_DIR/pip-constraints.txt"
    prepare_odoo_source
    install_build_packages
    ensure_venv
    # Some of the old releases Odoo pins build from source with setup.py
    # scripts that need an older setuptools (cbor2 5.4.2 imports
    # pkg_resources, which current setuptools no longer ship). pip's build
    # environments read this constraint too; with it all of them build.
    echo 'setuptools<70' >"$constraints"
    : >"$log"
    if [ -f "$ODOO_SOURCE_TREE/requirements.txt" ]; then
        step "Installing Odoo's Python requirements into $VENV_DIR (pip; builds psycopg2 and python-ldap)"
        if ! PIP_CONSTRAINT="$constraints" "$PYTHON" -m pip install --disable-pip-version-check \
            -r "$ODOO_SOURCE_TREE/requirements.txt" >>"$log" 2>&1; then
            tail -n 25 "$log" >&2
            fail "$EXIT_PYTHON" "pip could not install Odoo's requirements (full log: $log):" \
                "no network to PyPI, or a build package missing (libpq-dev, libldap2-dev," \
                "libsasl2-dev, python3-dev)?"
        fi
        step_done
    else
        warn "$ODOO_SOURCE_TREE has no requirements.txt: Odoo's setup.py alone names its requirements."
    fi
    # Editable in setuptools' compat mode, as Odoo's own setup does: a .pth
    # file puts the source folder on sys.path, and odoo.addons finds Odoo's
    # addons beside its code.
    step "Installing Odoo 18.0 from $ODOO_SOURCE_TREE into $VENV_DIR"
    if ! PIP_CONSTRAINT="$constraints" "$PYTHON" -m pip install --disable-pip-version-check \
        -e "$ODOO_SOURCE_TREE" --config-settings editable_mode=compat >>"$log" 2>&1; then
        tail -n 25 "$log" >&2
        fail "$EXIT_PYTHON" "pip could not install Odoo from $ODOO_SOURCE_TREE (full log: $log)."
    fi
    if ! have_odoo; then
        fail "$EXIT_PYTHON" "Odoo was installed into $VENV_DIR, but its python cannot import it (log: $log)."
    fi
    odoo_source_key >"$VENV_DIR/.dv-odoo-source"
    step_done
    say "Odoo $(odoo_version) in $VENV_DIR"
}

# PYTHON becomes a Python with Odoo 18.0: the machine's python3 when it has
# it (unless DV_ODOO_FRESH=1), else the virtual environment, built and Odoo
# installed into it on first use or when ODOO_SRC names another source.
ensure_odoo() {
    if [ "$PYTHON3_ODOO" = 1 ]; then
        PYTHON=python3
        say "Using the Odoo 18.0 that python3 imports"
        if [ -n "${ODOO_SRC:-}" ]; then
            say "ODOO_SRC is not used: python3 has Odoo 18.0 (DV_ODOO_FRESH=1 installs ODOO_SRC into a virtual environment)"
        fi
        return 0
    fi
    if python_has_odoo "$VENV_DIR/bin/python" && [ -f "$VENV_DIR/.dv-odoo-source" ] &&
        { [ -z "${ODOO_SRC:-}" ] || [ "$(cat "$VENV_DIR/.dv-odoo-source")" = "$(odoo_source_key)" ]; }; then
        PYTHON="$VENV_DIR/bin/python"
        say "Using Odoo $(odoo_version) in $VENV_DIR"
        return 0
    fi
    say "Installing Odoo 18.0 into a virtual environment (the first time takes several minutes)"
    install_odoo
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
        if ! can_apt; then
            fail "$EXIT_POSTGRES" "PostgreSQL is not installed and cannot be installed here (needs root and apt-get)." \
                "Install it (Debian: apt-get install postgresql), or use an existing server" \
                "with DV_PG_HOST, DV_PG_PORT, DV_PG_USER and DV_PG_PASSWORD."
        fi
        step "Installing PostgreSQL from Debian's packages"
        apt_install postgresql || fail "$EXIT_POSTGRES" "apt-get could not install PostgreSQL (no network to Debian's mirror?)."
        step_done
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

# The server's options. fsync is not among them: it is set with ALTER SYSTEM
# (set_fsync), which a setting on the command line would override.
PG_OPTIONS="-p $PGPORT -k $PG_SOCKET_DIR -c listen_addresses=127.0.0.1"

# Another cluster starting at the same moment (a second checkout's tests, say)
# may take the free port found for this one: then the next free port is
# tried, unless the port was configured (DV_PG_PORT).
pg_start() {
    local attempt
    for attempt in 1 2 3 4 5; do
        if as_pg_owner "$(pg_bin)/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 120 -o "$PG_OPTIONS" \
            start >/dev/null; then
            return 0
        fi
        if [ -n "${DV_PG_PORT:-}" ] || ! tail -n 20 "$PG_LOG" | grep -q "Address already in use"; then
            break
        fi
        PGPORT="$(free_port $((PGPORT + 1)))"
        export PGPORT
        echo "$PGPORT" >"$PG_DIR/pgport"
        PG_OPTIONS="-p $PGPORT -k $PG_SOCKET_DIR -c listen_addresses=127.0.0.1"
        say "Port taken meanwhile; trying PostgreSQL on $PGHOST:$PGPORT (attempt $((attempt + 1)))"
    done
    tail -n 15 "$PG_LOG" >&2 || true
    fail "$EXIT_POSTGRES" "PostgreSQL did not start (log: $PG_LOG)."
}

# SQL as the cluster's superuser, over its socket.
pg_sql() {
    as_pg_owner "$(pg_bin)/psql" -h "$PG_SOCKET_DIR" -p "$PGPORT" -U postgres -d postgres \
        -qtAc "$1"
}

# set_fsync on|off: off for the throw-away databases of scripts/test (faster;
# nothing in them must survive a crash of the machine), on wherever data
# should last (the demo, the load suite). fsync takes effect on a reload, so a
# running cluster switches without a restart, unless it was started with
# fsync on its command line (as these scripts did before), which ALTER SYSTEM
# cannot override: then it is restarted without.
set_fsync() {
    local want="$1" setting source
    IFS='|' read -r setting source < <(pg_sql "SELECT setting, source FROM pg_settings WHERE name = 'fsync'")
    if [ "$source" = "command line" ]; then
        say "Restarting PostgreSQL without fsync on its command line"
        as_pg_owner "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m fast -w -t 120 stop >/dev/null
        pg_start
        setting="$(pg_sql 'SHOW fsync')"
    fi
    if [ "$setting" != "$want" ]; then
        pg_sql "ALTER SYSTEM SET fsync = $want" >/dev/null
        pg_sql "SELECT pg_reload_conf()" >/dev/null
        local _try
        for _try in $(seq 1 50); do
            [ "$(pg_sql 'SHOW fsync')" = "$want" ] && break
            sleep 0.2
        done
        if [ "$(pg_sql 'SHOW fsync')" != "$want" ]; then
            fail "$EXIT_POSTGRES" "PostgreSQL did not take fsync = $want on reload (log: $PG_LOG)."
        fi
        if [ "$want" = on ]; then
            # What was written while fsync was off may still sit in the
            # operating system's cache: to disk with it, as PostgreSQL's
            # documentation of fsync advises.
            as_pg_owner "$(pg_bin)/initdb" --sync-only -D "$PG_DATA" >/dev/null
        fi
    fi
}

# start_postgresql [durable|throwaway]: the project's own cluster, started if
# needed, with fsync on (durable, the default) or off (throwaway). A server
# configured with DV_PG_HOST is used as it is.
start_postgresql() {
    local mode="${1:-durable}"
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
        step "Creating a PostgreSQL cluster in $PG_DATA"
        mkdir -p "$PG_DATA" "$PG_SOCKET_DIR"
        if [ "$(id -u)" = 0 ]; then
            chown postgres: "$PG_DATA" "$PG_SOCKET_DIR"
        fi
        as_pg_owner "$bin/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 \
            --locale=C.UTF-8 >/dev/null ||
            fail "$EXIT_POSTGRES" "initdb could not create the cluster in $PG_DATA."
        echo "$PGPORT" >"$PG_DIR/pgport"
        step_done
    fi
    if [ "$(id -u)" = 0 ]; then
        touch "$PG_LOG"
        chown postgres: "$PG_LOG" "$PG_SOCKET_DIR"
    fi
    if ! as_pg_owner "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        say "Starting PostgreSQL on $PGHOST:$PGPORT"
        pg_start
    fi
    if [ "$mode" = throwaway ]; then
        set_fsync off
        say "PostgreSQL: fsync off (throw-away test databases)"
    else
        set_fsync on
        say "PostgreSQL: fsync on (durable)"
    fi
    # The role Odoo connects with (Odoo refuses the postgres superuser).
    pg_sql "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PGUSER') THEN CREATE ROLE \"$PGUSER\" LOGIN CREATEDB; END IF; END \$\$;" >/dev/null
}

stop_postgresql() {
    if [ -n "${DV_PG_HOST:-}" ] || [ ! -f "$PG_DATA/PG_VERSION" ]; then
        return 0
    fi
    as_pg_owner "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
}

database_exists() {
    (cd / && "$PYTHON" - "$1" <<'PY'
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
    (cd / && "$PYTHON" - "$1" <<'PY'
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

# The folder that holds the odoo package (an Odoo source tree's top).
odoo_root() {
    (cd / && "$PYTHON" -c 'import odoo, os; print(os.path.dirname(os.path.dirname(odoo.__file__)))')
}

# ODOO_CMD: the command that starts Odoo with PYTHON: odoo-bin at the top of
# Odoo's source tree, or setup/odoo (Odoo's nightly archive has no odoo-bin),
# or what both do (an Odoo installed without them). Not python -m odoo: that
# leaves out setting the server's time zone to UTC, which Odoo relies on.
odoo_command() {
    local root script
    root="$(odoo_root)"
    for script in odoo-bin setup/odoo; do
        if [ -f "$root/$script" ]; then
            ODOO_CMD=("$PYTHON" "$root/$script")
            return 0
        fi
    done
    ODOO_CMD=("$PYTHON" -c 'import os, sys; os.environ["TZ"] = "UTC"; sys.path.pop(0); import odoo; odoo.cli.main()')
}

# Odoo's own addons folder (mail, calendar, ...) beside the odoo package.
odoo_addons_dir() {
    local dir
    dir="$(odoo_root)/addons"
    if [ -d "$dir" ]; then
        echo "$dir"
    fi
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
    local -a base_args
    mapfile -t base_args < <(odoo_args)
    odoo_command
    "${ODOO_CMD[@]}" "${base_args[@]}" "$@"
}
