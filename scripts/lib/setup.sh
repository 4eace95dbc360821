# shellcheck shell=bash
# Shared set-up for scripts/test and scripts/demo: a project venv, Debian packages, Node packages.
# Sourced, not run. Every step is idempotent and skips what is already there.

HALLPOST_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VENV=${HALLPOST_VENV:-$HALLPOST_ROOT/.venv}

log() { printf '[setup] %s\n' "$*" >&2; }

# ensure_venv EXTRAS: create .venv and install hallpost (editable) with the given extras.
ensure_venv() {
    local extras=$1 stamp
    if [ ! -x "$VENV/bin/python" ]; then
        log "creating $VENV"
        python3 -m venv "$VENV"
    fi
    stamp="$VENV/.hallpost-$extras-$(sha1sum "$HALLPOST_ROOT/pyproject.toml" | cut -c1-12)"
    if [ ! -f "$stamp" ]; then
        log "installing hallpost[$extras] into $VENV"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        "$VENV/bin/python" -m pip install --quiet -e "${HALLPOST_ROOT}[$extras]"
        touch "$stamp"
    fi
}

# ensure_debian_packages PKG...: apt-get install what is missing (needs root; skipped otherwise).
ensure_debian_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
        log "cannot install Debian packages ${missing[*]} (not root or no apt-get); tests needing them skip"
        return 0
    fi
    log "installing Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_node_packages: install the MicroPython WebAssembly port for the keypad's host runner.
ensure_node_packages() {
    local dir="$HALLPOST_ROOT/firmware/keypad/host"
    [ -f "$dir/package.json" ] || return 0
    if ! command -v npm >/dev/null; then
        log "npm not found: the keypad firmware runs on its Python stand-in only"
        return 0
    fi
    if [ ! -d "$dir/node_modules/@micropython" ]; then
        log "installing Node packages in firmware/keypad/host"
        (
            cd "$dir" || exit 1
            if ! npm ci --silent --no-audit --no-fund 2>/dev/null; then
                npm install --silent --no-audit --no-fund
            fi
        )
    fi
}
