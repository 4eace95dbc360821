"""Every ``hallpost hub`` command that opens the database refuses an exposed one with its fix (item 6), and
``hub serve`` sets the office's session lifetimes (idle and absolute) from its options."""
import argparse
import stat

import pytest
import requests

from hub.admin.extensions import DEFAULTS
from hub.slots import Slots
from hub.store import FUTURE_ALLOWANCE_S, Store
from protocol.cli import build_parser, main
from tests import servers

from .admin.conftest import PASSWORD, WebUser, token_of
from .conftest import DAY, HALL_TOML, HubClock, fingerprint, local

# A value for each argument a command on the database needs besides its files (None: a flag).
VALUES = {"window": "w03", "terminal": "win-03", "user": "office", "role": "display", "once": None, "derive_every": "0",
          "month": "2026-11", "name": "office-group", "kind": "webhook", "receiver": "office-group", "id": "1",
          "public_url": "https://hub.example.gov.cn"}


def commands_on_a_database(parser, path=()):
    """(words, parser) of every ``hallpost`` command that takes ``--db``, found in the parser itself."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for word, sub in action.choices.items():
                yield from commands_on_a_database(sub, (*path, word))
        elif action.dest == "db":
            yield path, parser


def argv_of(words, parser, db, files):
    """The command line of *words* on the database *db*, with a value for each argument VALUES or *files* name."""
    values, argv = {**VALUES, **files}, list(words)
    options = [action.option_strings[0] for action in parser._actions if action.dest == "db"]
    argv += ["--db" if "--db" in options else options[0], str(db)]      # migrate names its database --to
    for action in parser._actions:
        if action.dest in values:
            argv += [*action.option_strings[:1], *([] if values[action.dest] is None else [values[action.dest]])]
    return argv


COMMANDS = sorted(commands_on_a_database(build_parser()), key=lambda found: found[0])


def test_the_walk_finds_every_hub_command_on_a_database():
    names = {" ".join(words) for words, _ in COMMANDS}
    assert {"hub init", "hub serve", "hub enrol-code", "hub import", "hub repair-terminal", "hub wall",
            "hub audit verify", "hub audit purge", "hub user add", "hub user password"} <= names


@pytest.mark.parametrize(("words", "parser"), COMMANDS, ids=[" ".join(words) for words, _ in COMMANDS])
def test_every_command_on_an_exposed_database_refuses_with_the_fix_and_touches_nothing(
        tmp_path, capsys, monkeypatch, words, parser):
    monkeypatch.setattr("waitress.serve", lambda app, **options: pytest.fail("served an exposed database"))
    files = {"config": str(HALL_TOML), "password_file": str(tmp_path / "pw"), "facts": str(tmp_path / "facts.jsonl"),
             "sources": str(tmp_path / "source.sqlite"), "settings": str(tmp_path / "receiver.json")}
    (tmp_path / "pw").write_text("a new phrase for the hall\n", encoding="utf-8")
    (tmp_path / "receiver.json").write_text('{"url": "http://127.0.0.1:9/hook", "secret": "s"}', encoding="utf-8")
    (tmp_path / "facts.jsonl").write_text("", encoding="utf-8")
    db = tmp_path / "hub.sqlite"
    with Store.open(db) as store:
        store.audit.add("test", "write", {})
    db.chmod(0o644)
    before = fingerprint(db)
    assert main(argv_of(words, parser, db, files)) == 2
    err = capsys.readouterr().err
    assert err.startswith("hallpost hub: ") and f"database: {db} (mode 0644) may be read by other users" in err
    assert f"chmod 600 {db}" in err and len(err.splitlines()) == 1
    assert fingerprint(db) == before and stat.S_IMODE(db.stat().st_mode) == 0o644


def test_user_password_refuses_an_exposed_database_before_asking_for_the_password(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt: pytest.fail(f"asked {prompt!r} before refusing"))
    db = tmp_path / "hub.sqlite"
    Store.open(db).close()
    db.chmod(0o604)
    assert main(["hub", "user", "password", "--db", str(db), "--user", "office"]) == 2
    assert f"chmod 600 {db}" in capsys.readouterr().err


def served_app(tmp_path, monkeypatch, *options):
    """The app ``hallpost hub serve OPTIONS`` hands to waitress (in its request slots), on a database with the
    office account."""
    handed = []
    monkeypatch.setattr("waitress.serve", lambda app, **kwargs: handed.append(app))
    tmp_path.mkdir(exist_ok=True)
    db = tmp_path / "hub.sqlite"
    with Store.open(db) as store:
        store.users.create("office", PASSWORD, "office")
    assert main(["hub", "serve", "--db", str(db), "--config", str(HALL_TOML), "--derive-every", "0", *options]) == 0
    [slots] = handed
    assert isinstance(slots, Slots) and slots.free == 8, "requests are let in --threads (8) at a time"
    return slots.app


@pytest.fixture
def lifetimes(tmp_path, monkeypatch):
    """A function: serve the hub with OPTIONS on 127.0.0.1 under a test clock, log the office in; yields its checks."""
    opened = []

    def _serve(*options):
        app, clock = served_app(tmp_path / str(len(opened)), monkeypatch, *options), HubClock(local(DAY, "08:00"))
        app.config["ADMIN_CLOCK"] = clock
        server = servers.wsgi_server(app)
        opened.append(servers.serving(server))
        opened[-1].__enter__()
        browser = WebUser(servers.url_of(server))
        assert browser.login().status_code == 302
        return browser, clock

    yield _serve
    for context in opened:
        context.__exit__(None, None, None)


def logged_in(browser):
    """Whether *browser*'s session still reaches an admin page (a request is activity)."""
    return browser.get("/admin/account").status_code == 200


def test_serve_logs_an_idle_office_user_out_after_the_minutes_it_is_given(lifetimes):
    default, clock = lifetimes()
    clock.advance(6 * 60)
    assert logged_in(default)                       # 30 idle minutes by default
    short, clock = lifetimes("--session-idle-minutes", "5")
    clock.advance(4 * 60)
    assert logged_in(short)
    clock.advance(5 * 60 + 1)
    assert not logged_in(short)


def test_serve_ends_a_busy_session_after_the_hours_it_is_given(lifetimes):
    browser, clock = lifetimes("--session-max-hours", "1")
    for _ in range(2):                              # active every 25 minutes: never idle
        clock.advance(25 * 60)
        assert logged_in(browser)
    clock.advance(25 * 60)
    assert not logged_in(browser)


def test_the_serve_help_states_the_apps_own_defaults(capsys):
    with pytest.raises(SystemExit):
        main(["hub", "serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert f"without activity (default {DEFAULTS['ADMIN_SESSION_IDLE_MINUTES']})" in text
    assert f"whatever the activity (default {DEFAULTS['ADMIN_SESSION_MAX_HOURS']})" in text
    assert f"ahead of the hub's time (default {FUTURE_ALLOWANCE_S:g})" in text


@pytest.mark.parametrize("option", ["--session-idle-minutes", "--session-max-hours"])
@pytest.mark.parametrize("value", ["0", "-5", "half"])
def test_nonsense_lifetimes_are_refused_naming_the_option(tmp_path, capsys, option, value):
    with pytest.raises(SystemExit) as exited:
        main(["hub", "serve", "--db", str(tmp_path / "hub.sqlite"), option, value])
    assert exited.value.code == 2 and f"argument {option}: invalid positive value" in capsys.readouterr().err


def test_no_remember_cookie_and_the_session_cookie_is_secure_behind_the_tls_proxy(tmp_path, monkeypatch):
    app = served_app(tmp_path, monkeypatch, "--trusted-proxies", "1")
    with servers.serving(servers.wsgi_server(app)) as server, requests.Session() as http:
        base = servers.url_of(server)
        # what nginx tells the hub of a browser's HTTPS request (a browser names the page it posts from)
        http.headers.update({"X-Forwarded-Proto": "https", "Referer": base.replace("http:", "https:") + "/admin/login"})
        form = http.get(base + "/admin/login", timeout=10)
        answer = http.post(base + "/admin/login", allow_redirects=False, timeout=10,
                           headers={"Cookie": f"session={form.cookies['session']}"},      # Secure: not sent over http
                           data={"username": "office", "password": PASSWORD, "csrf_token": token_of(form.text)})
    assert answer.status_code == 302
    cookies = answer.raw.headers.getlist("Set-Cookie")
    assert [cookie.split("=")[0] for cookie in cookies] == ["session"]
    assert {"secure", "httponly"} <= {part.strip().split("=")[0].lower() for part in cookies[0].split(";")[1:]}
