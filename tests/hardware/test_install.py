"""The install scripts pass shellcheck and install into a throwaway prefix, skipping root-only steps."""

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from firmware.terminal.settings import load_settings
from tests.nginx import main_config
from tests.tls import make_certificate, require

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ["scripts/install-terminal", "scripts/install-hub", "scripts/lib/install.sh", "scripts/make-wiring-svg",
           "scripts/test", "scripts/lib/setup.sh"]


def _run(*args, check=True):
    return subprocess.run([str(ROOT / args[0]), *map(str, args[1:])], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, check=check)


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed (Debian shellcheck)")
def test_scripts_pass_shellcheck():
    result = subprocess.run(["shellcheck", "-x", *SCRIPTS], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout


def test_terminal_installs_into_a_prefix(tmp_path):
    result = _run("scripts/install-terminal", "--prefix", tmp_path, "--hub", "http://127.0.0.1:8080",
                  "--terminal", "win-03", "--ntp", "ntp.hall.lan", "--no-pip")
    for step in ("creating system user hallpost", "adding hallpost to group gpio", "enabling time sync",
                 "installing Debian packages", "enabling hallpost-terminal"):
        assert f"skipped (root-only, --prefix): {step}" in result.stdout
    etc = tmp_path / "etc" / "hallpost"
    assert (etc / "pinmap.toml").read_bytes() == (ROOT / "hardware" / "pinmap.toml").read_bytes()
    settings = load_settings(etc / "terminal.toml")      # the file the terminal service reads
    assert (settings.terminal, settings.hub_url) == ("win-03", "http://127.0.0.1:8080")
    assert str(settings.journal) == f"{tmp_path}/var/lib/hallpost/journal"
    assert str(settings.key_file) == f"{etc}/terminal.key"
    assert stat.S_IMODE((tmp_path / "var" / "lib" / "hallpost" / "journal").stat().st_mode) == 0o750
    assert stat.S_IMODE((etc / "terminal.toml").stat().st_mode) == 0o640
    assert (tmp_path / "etc/systemd/timesyncd.conf.d/hallpost.conf").read_text() == "[Time]\nNTP=ntp.hall.lan\n"
    assert (tmp_path / "opt/hallpost/src/firmware/terminal/pinmap.py").is_file()
    assert not (tmp_path / "opt/hallpost/src/.git").exists()
    unit = (tmp_path / "etc/systemd/system/hallpost-terminal.service").read_text(encoding="utf-8")
    assert f"ExecStart={tmp_path}/opt/hallpost/venv/bin/hallpost terminal run --config {etc}/terminal.toml" in unit


def test_terminal_installs_trusting_an_https_hub(tmp_path):
    hub = make_certificate(tmp_path, "hub")
    pin = ":".join(hub.sha256[i:i + 2] for i in range(0, 64, 2)).upper()
    _run("scripts/install-terminal", "--prefix", tmp_path / "root", "--hub", "https://hub.hall.test", "--terminal",
         "win-03", "--hub-ca", hub.cert, "--hub-pin", pin, "--no-pip")
    etc = tmp_path / "root/etc/hallpost"
    assert (etc / "hub-ca.pem").read_bytes() == hub.cert.read_bytes()
    settings = load_settings(etc / "terminal.toml")
    assert (settings.hub_ca_file, settings.hub_pin_sha256) == (etc / "hub-ca.pem", hub.sha256)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_installed_units_verify_in_the_prefix(tmp_path):
    _run("scripts/install-terminal", "--prefix", tmp_path, "--hub", "http://127.0.0.1:8080", "--terminal", "win-03", "--no-pip")
    _run("scripts/install-hub", "--prefix", tmp_path, "--hall", ROOT / "hardware/hall/hall.toml", "--no-pip")
    binary = tmp_path / "opt/hallpost/venv/bin/hallpost"
    binary.write_text("#!/bin/sh\n", encoding="utf-8")
    binary.chmod(0o755)
    units = sorted((tmp_path / "etc/systemd/system").glob("hallpost-*"))
    assert [unit.name for unit in units] == ["hallpost-hub-background.service", "hallpost-hub-backup.service",
                                             "hallpost-hub-backup.timer", "hallpost-hub.service",
                                             "hallpost-terminal.service"]
    result = subprocess.run(["systemd-analyze", "verify", *map(str, units)], capture_output=True, text=True,
                            cwd=tmp_path, timeout=60)
    assert result.returncode == 0 and "hallpost" not in result.stderr, result.stderr


def test_reinstall_keeps_local_edits(tmp_path):
    args = ("scripts/install-terminal", "--prefix", tmp_path, "--hub", "http://127.0.0.1:8080", "--terminal", "win-03", "--no-pip")
    _run(*args)
    pinmap = tmp_path / "etc/hallpost/pinmap.toml"
    pinmap.write_text(pinmap.read_text().replace("done = 23", "done = 24"))
    result = _run(*args)
    assert f"keeping existing {pinmap}" in result.stdout
    assert "done = 24" in pinmap.read_text()


def test_hub_installs_into_a_prefix(tmp_path):
    result = _run("scripts/install-hub", "--prefix", tmp_path, "--hall", ROOT / "hardware/hall/hall.toml",
                  "--listen", "127.0.0.1:8081", "--no-pip")
    assert "skipped (root-only, --prefix): enabling and starting hallpost-hub" in result.stdout
    assert "enabling and starting hallpost-hub-background" not in result.stdout, "installed, never enabled"
    assert (tmp_path / "etc/hallpost/hub.env").read_text(encoding="utf-8").splitlines()[1:] == [
        "HALLPOST_HOST=127.0.0.1", "HALLPOST_PORT=8081", "HALLPOST_PUBLIC_URL=http://127.0.0.1:8081"]
    for name in ("hallpost-hub.service", "hallpost-hub-background.service"):
        unit = (tmp_path / "etc/systemd/system" / name).read_text(encoding="utf-8")
        assert f"EnvironmentFile=-{tmp_path}/etc/hallpost/hub.env" in unit and "--public-url ${HALLPOST_PUBLIC_URL}" in unit
    assert (tmp_path / "etc/hallpost/hall.toml").read_bytes() == (ROOT / "hardware/hall/hall.toml").read_bytes()
    assert (tmp_path / "var/backups/hallpost").is_dir()


def test_hub_installs_behind_nginx_with_a_generated_certificate(tmp_path):
    result = _run("scripts/install-hub", "--prefix", tmp_path, "--hall", ROOT / "hardware/hall/hall.toml", "--tls",
                  "--server-name", "hub.hall.test", "--listen", "127.0.0.1:8081", "--no-pip")
    for step in ("checking the nginx configuration", "starting or reloading nginx", "disabling nginx's default site"):
        assert f"skipped (root-only, --prefix): {step}" in result.stdout
    etc = tmp_path / "etc/hallpost"
    env = (etc / "hub.env").read_text(encoding="utf-8").splitlines()
    assert "HALLPOST_SERVE_OPTIONS=--trusted-proxies 1" in env and "HALLPOST_PUBLIC_URL=https://hub.hall.test" in env
    assert stat.S_IMODE((etc / "tls/hub.key").stat().st_mode) == 0o600
    certificate = subprocess.run([require("openssl", "openssl"), "x509", "-noout", "-subject", "-ext", "subjectAltName",
                                  "-fingerprint", "-sha256", "-in", etc / "tls/hub.pem"],
                                 capture_output=True, text=True, check=True).stdout
    assert "CN = hub.hall.test" in certificate and "DNS:hub.hall.test" in certificate
    assert f'hub_pin_sha256 = "{certificate.rsplit("=", 1)[1].strip()}"' in result.stdout
    site = tmp_path / "etc/nginx/sites-enabled/hallpost-hub"
    text = site.read_text(encoding="utf-8")
    assert f"ssl_certificate     {etc}/tls/hub.pem;" in text and "server 127.0.0.1:8081;" in text
    check_nginx(tmp_path / "nginx-check", site)


def check_nginx(directory, site):
    """``nginx -t`` of the installed *site* (certificate files, syntax, directives of Debian's nginx)."""
    directory.mkdir()
    config = main_config(directory).replace(f"include {directory}/site.conf;", f"include {site};")
    (directory / "nginx.conf").write_text(config, encoding="utf-8")
    checked = subprocess.run([require("nginx", "nginx"), "-t", "-p", directory, "-c", directory / "nginx.conf",
                              "-e", directory / "error.log"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr


def test_hub_installs_the_halls_own_certificate(tmp_path):
    own = make_certificate(tmp_path, "own")
    _run("scripts/install-hub", "--prefix", tmp_path / "root", "--hall", ROOT / "hardware/hall/hall.toml",
         "--tls-cert", own.cert, "--tls-key", own.key, "--server-name", "hub.hall.test", "--no-pip")
    tls = tmp_path / "root/etc/hallpost/tls"
    assert (tls / "hub.pem").read_bytes() == own.cert.read_bytes()
    assert (tls / "hub.key").read_bytes() == own.key.read_bytes()
    assert stat.S_IMODE((tls / "hub.key").stat().st_mode) == 0o600


def test_dry_run_changes_nothing(tmp_path):
    prefix = tmp_path / "never"
    result = _run("scripts/install-terminal", "--prefix", prefix, "--dry-run", "--hub", "http://h:8080", "--terminal", "win-03")
    assert "would run: python3 -m venv --system-site-packages" in result.stdout
    assert not prefix.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("scripts/install-terminal",), "--hub URL is required"),
        (("scripts/install-terminal", "--hub", "hub.lan"), "--hub must start with http:// or https://"),
        (("scripts/install-terminal", "--hub", "http://h", "--bogus"), "unknown argument: --bogus"),
        (("scripts/install-terminal", "--hub", "http://h"), "--terminal ID is required"),
        (("scripts/install-terminal", "--hub", "http://h", "--terminal", "win-03", "--hub-pin", "ab"),
         "--hub-ca and --hub-pin need an https:// hub"),
        (("scripts/install-terminal", "--hub", "https://h", "--terminal", "win-03", "--hub-pin", 'ab"x'),
         "--hub-pin must be hex digits"),
        (("scripts/install-hub",), "--hall FILE is required"),
        (("scripts/install-hub", "--hall", "/nonexistent.toml"), "no such file"),
        (("scripts/install-hub", "--hall", "hardware/hall/hall.toml", "--listen", "8080"), "HOST:PORT"),
        (("scripts/install-hub", "--hall", "hardware/hall/hall.toml", "--tls", "--listen", "0.0.0.0:8080"),
         "--tls: the hub must listen on 127.0.0.1 behind nginx"),
        (("scripts/install-hub", "--hall", "hardware/hall/hall.toml", "--tls-cert", "hardware/BOM.md"),
         "--tls-cert and --tls-key go together"),
        (("scripts/install-hub", "--hall", "hardware/hall/hall.toml", "--tls", "--server-name", "a b"),
         "--server-name must be a host name"),
    ],
)
def test_bad_arguments_are_refused(tmp_path, args, message):
    result = _run(*args, "--prefix", tmp_path, "--no-pip", check=False)
    assert result.returncode != 0 and message in result.stderr
    assert not (tmp_path / "etc").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root may install for real")
def test_without_root_or_prefix_it_refuses():
    result = _run("scripts/install-hub", "--hall", "hardware/hall/hall.toml", check=False)
    assert result.returncode != 0 and "--prefix DIR" in result.stderr


def test_without_tls_the_hub_listens_on_loopback_unless_told_otherwise(tmp_path):
    """Issue 11: an installed hub never serves the office over plain HTTP on the LAN by default."""
    quiet = _run("scripts/install-hub", "--prefix", tmp_path / "a", "--hall", ROOT / "hardware/hall/hall.toml",
                 "--dry-run")
    assert "would write" in quiet.stdout and "(listen 127.0.0.1:8080)" in quiet.stdout
    loud = _run("scripts/install-hub", "--prefix", tmp_path / "b", "--hall", ROOT / "hardware/hall/hall.toml",
                "--listen", "0.0.0.0:8080", "--no-pip")
    assert "PLAIN HTTP" in loud.stdout


def test_hub_installs_on_the_local_postgresql_and_backs_it_up_with_pg_dump(tmp_path):
    result = _run("scripts/install-hub", "--prefix", tmp_path, "--hall", ROOT / "hardware/hall/hall.toml",
                  "--postgresql", "--no-pip")
    url = "postgresql:///hallpost?host=/var/run/postgresql"
    for step in ("installing Debian packages: python3-venv sqlite3 postgresql", "starting PostgreSQL",
                 "creating the PostgreSQL role and database hallpost (peer authentication over the Unix socket)"):
        assert f"skipped (root-only, --prefix): {step}" in result.stdout
    assert f"HALLPOST_DATABASE={url}" in (tmp_path / "etc/hallpost/hub.env").read_text(encoding="utf-8").splitlines()
    assert f"hub enrol-code --database '{url}' --window w03" in result.stdout
    units = tmp_path / "etc/systemd/system"
    assert "hub serve --database ${HALLPOST_DATABASE}" in (units / "hallpost-hub.service").read_text(encoding="utf-8")
    backup = (units / "hallpost-hub-backup.service").read_text(encoding="utf-8")
    assert 'postgresql:*) exec pg_dump --format=custom' in backup and f"EnvironmentFile=-{tmp_path}/etc/hallpost/hub.env" in backup


def test_a_sqlite_hub_installed_again_with_postgresql_keeps_its_database(tmp_path):
    _run("scripts/install-hub", "--prefix", tmp_path, "--hall", ROOT / "hardware/hall/hall.toml", "--no-pip")
    env = tmp_path / "etc/hallpost/hub.env"
    assert not any(line.startswith("HALLPOST_DATABASE=") for line in env.read_text(encoding="utf-8").splitlines())
    again = _run("scripts/install-hub", "--prefix", tmp_path, "--hall", ROOT / "hardware/hall/hall.toml",
                 "--postgresql", "--no-pip", check=False)
    assert again.returncode != 0 and "this hub already keeps its database in SQLite" in again.stderr
