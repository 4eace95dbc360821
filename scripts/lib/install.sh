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

# check_tls_args: --tls-cert and --tls-key come together and exist; SERVER_NAME defaults to this host's name.
check_tls_args() {
    if [ -n "$TLS_CERT$TLS_KEY" ]; then
        { [ -n "$TLS_CERT" ] && [ -n "$TLS_KEY" ]; } || die "--tls-cert and --tls-key go together"
        [ -f "$TLS_CERT" ] || die "--tls-cert $TLS_CERT: no such file"
        [ -f "$TLS_KEY" ] || die "--tls-key $TLS_KEY: no such file"
    fi
    SERVER_NAME=${SERVER_NAME:-$(hostname -f 2>/dev/null || hostname)}
    case $SERVER_NAME in
        "" | *[!A-Za-z0-9.-]*) die "--server-name must be a host name or an IPv4 address, got '$SERVER_NAME'" ;;
    esac
}

# make_certificate DIR: a self-signed certificate for SERVER_NAME (hub.pem, also the terminals' CA) and its key.
make_certificate() {
    local san
    case $SERVER_NAME in *[!0-9.]*) san="DNS:$SERVER_NAME" ;; *) san="IP:$SERVER_NAME" ;; esac
    say "generating a self-signed certificate for $SERVER_NAME (valid 10 years)"
    run openssl req -quiet -x509 -newkey rsa:3072 -sha256 -nodes -days 3650 -subj "/CN=$SERVER_NAME" \
        -addext "subjectAltName=$san" -keyout "$1/hub.key" -out "$1/hub.pem"
    run chmod 0600 "$1/hub.key"
    run chmod 0644 "$1/hub.pem"
}

# install_tls_front: the hub's certificate in $ETC/tls and nginx's site in front of the hub at $LISTEN.
install_tls_front() {
    local tls=$ETC/tls available=$PREFIX/etc/nginx/sites-available enabled=$PREFIX/etc/nginx/sites-enabled
    say "TLS certificate in $tls"
    run install -d -m 0700 "$tls"
    if [ -n "$TLS_CERT" ]; then
        run install -m 0644 "$TLS_CERT" "$tls/hub.pem"
        run install -m 0600 "$TLS_KEY" "$tls/hub.key"
    elif [ -e "$tls/hub.pem" ]; then
        say "keeping existing $tls/hub.pem"
    else
        make_certificate "$tls"
    fi
    say "installing the nginx site $available/hallpost-hub"
    run install -d -m 0755 "$available" "$enabled"
    if [ "$DRY_RUN" -eq 0 ]; then
        sed -e "s#/etc/hallpost/#$ETC/#g" -e "s#127.0.0.1:8080#$LISTEN#g" \
            "$HALLPOST_SRC/hardware/nginx/hallpost-hub.conf" >"$available/hallpost-hub"
        chmod 0644 "$available/hallpost-hub"
    fi
    run ln -sfn "$available/hallpost-hub" "$enabled/hallpost-hub"
    as_root "disabling nginx's default site" rm -f /etc/nginx/sites-enabled/default
    as_root "checking the nginx configuration" nginx -t -q
    as_root "enabling nginx" systemctl enable nginx.service
    as_root "starting or reloading nginx" systemctl reload-or-restart nginx.service
    if [ "$DRY_RUN" -eq 0 ]; then
        say "Terminals trust this hub with its certificate: copy $tls/hub.pem to each terminal as"
        say "  /etc/hallpost/hub-ca.pem (terminal.hub_ca_file), or pin it in terminal.toml:"
        say "  hub_pin_sha256 = \"$(openssl x509 -noout -fingerprint -sha256 -in "$tls/hub.pem" | cut -d= -f2)\""
    fi
}
