# shellcheck shell=bash disable=SC2034  # OPT, ETC, STATE, UNITS are used by the scripts that source this
# Shared steps of scripts/install-terminal and scripts/install-hub. Sourced, not run.
# Modes: normal (root, real system), --prefix DIR (throwaway tree: root-only steps are skipped with a
# message, paths land under DIR) and --dry-run (print every step, change nothing).

HALLPOST_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PREFIX=""
DRY_RUN=0
INSTALL_PIP=1
APP_USER=hallpost

say() { printf '[install] %s\n' "$*"; }
die() { printf '[install] error: %s\n' "$*" >&2; exit 1; }

# run CMD...: run a step, or print it under --dry-run.
run() {
    if [ "$DRY_RUN" -eq 1 ]; then
        printf '[install] would run: %s\n' "$*"
    else
        "$@"
    fi
}

# as_root WHAT CMD...: a step that needs root on the real system; skipped with a message in a prefix.
as_root() {
    local what=$1
    shift
    if [ -n "$PREFIX" ]; then
        say "skipped (root-only, --prefix): $what"
        return 0
    fi
    say "$what"
    run "$@"
}

# parse_common_args ARG...: handle --prefix, --dry-run, --no-pip; leaves the rest in REST_ARGS.
parse_common_args() {
    REST_ARGS=()
    while [ $# -gt 0 ]; do
        case $1 in
            --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; PREFIX=$2; shift 2 ;;
            --prefix=*) PREFIX=${1#--prefix=}; shift ;;
            --dry-run) DRY_RUN=1; shift ;;
            --no-pip) INSTALL_PIP=0; shift ;;
            *) REST_ARGS+=("$1"); shift ;;
        esac
    done
    if [ -n "$PREFIX" ]; then
        PREFIX=$(realpath -m "$PREFIX")
        [ "$PREFIX" != / ] || die "--prefix / is the real system: run without --prefix as root instead"
    elif [ "$DRY_RUN" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
        die "run as root, or try it out with --prefix DIR (root-only steps skipped) or --dry-run"
    fi
    OPT=$PREFIX/opt/hallpost
    ETC=$PREFIX/etc/hallpost
    STATE=$PREFIX/var/lib/hallpost
    UNITS=$PREFIX/etc/systemd/system
}

# apt_install PKG...: install Debian packages (root-only).
apt_install() {
    as_root "installing Debian packages: $*" \
        env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# ensure_user: the unprivileged service user, owner of the state directory.
ensure_user() {
    if [ -z "$PREFIX" ] && id "$APP_USER" >/dev/null 2>&1; then
        say "user $APP_USER exists"
    else
        as_root "creating system user $APP_USER" \
            useradd --system --user-group --home-dir /var/lib/hallpost --shell /usr/sbin/nologin "$APP_USER"
    fi
}

# add_to_groups GROUP...: extra groups of the service user (gpio, dialout on a terminal).
add_to_groups() {
    local group
    for group in "$@"; do
        as_root "adding $APP_USER to group $group" usermod -a -G "$group" "$APP_USER"
    done
}

# make_dir MODE DIR: a directory owned by the service user (ownership is root-only).
make_dir() {
    run install -d -m "$1" "$2"
    as_root "giving $2 to $APP_USER" chown "$APP_USER:$APP_USER" "$2"
}

# copy_source: the project's files into $OPT/src (no git metadata, venvs or caches).
copy_source() {
    say "copying $HALLPOST_SRC to $OPT/src"
    run rm -rf "$OPT/src"
    run install -d -m 0755 "$OPT/src"
    if [ "$DRY_RUN" -eq 0 ]; then
        tar -C "$HALLPOST_SRC" --exclude=./.git --exclude=./.venv --exclude=node_modules \
            --exclude=__pycache__ --exclude=.pytest_cache -cf - . | tar -C "$OPT/src" -xf -
    fi
}

# make_venv EXTRAS [VENV-ARGS...]: $OPT/venv with hallpost[EXTRAS] installed from $OPT/src.
make_venv() {
    local extras=$1
    shift
    if [ "$INSTALL_PIP" -eq 0 ]; then
        say "creating $OPT/venv without packages (--no-pip)"
        run python3 -m venv --without-pip "$@" "$OPT/venv"
        return 0
    fi
    say "creating $OPT/venv and installing hallpost[$extras]"
    run python3 -m venv "$@" "$OPT/venv"
    run "$OPT/venv/bin/python" -m pip install --quiet --upgrade pip
    run "$OPT/venv/bin/python" -m pip install --quiet "$OPT/src[$extras]"
}

# install_file MODE SRC DEST: copy a file, keeping an existing DEST (local edits survive reinstalls).
install_file() {
    if [ -e "$3" ]; then
        say "keeping existing $3"
    else
        run install -m "$1" "$2" "$3"
    fi
}

# install_unit NAME: copy a systemd unit, its paths moved under the prefix.
install_unit() {
    say "installing $UNITS/$1"
    run install -d -m 0755 "$UNITS"
    if [ "$DRY_RUN" -eq 0 ]; then
        sed -e "s#/opt/hallpost/#$OPT/#g" -e "s#/etc/hallpost/#$ETC/#g" \
            "$HALLPOST_SRC/hardware/systemd/$1" >"$UNITS/$1"
        chmod 0644 "$UNITS/$1"
    fi
}
