"""``hallpost hub``: init (password from a file, never printed, stored hashed), enrol-code, serve; each on
``--database sqlite:///path`` and on ``--database postgresql://…`` (``--db PATH`` still names a SQLite file)."""
import socket
import subprocess
import sys
import time

import pytest
import requests
from werkzeug.security import check_password_hash

from hub.store import Store
from protocol.cli import main

from .conftest import HALL_TOML

PASSWORD = "correct horse battery"
pytestmark = pytest.mark.backends


@pytest.fixture
def initialised(database, tmp_path, capsys):
    """The URL of a database initialised by ``hub init --database URL``, and what init printed."""
    secret = tmp_path / "password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    db = database if "://" in database else f"sqlite://{database}"
    assert main(["hub", "init", "--database", db, "--config", str(HALL_TOML), "--password-file", str(secret)]) == 0
    return db, capsys.readouterr()


@pytest.mark.backends("sqlite")
def test_db_names_the_same_sqlite_file_as_its_url(initialised, capsys):
    db, printed = initialised
    assert printed.out.startswith(f"initialised {db}: hall config version 1")
    path = db.removeprefix("sqlite://")
    assert main(["hub", "enrol-code", "--db", path, "--window", "w03"]) == 0
    with Store.open(path) as store:
        assert store.terminals.enrol(capsys.readouterr().out.strip())[0] == "win-03"


def test_a_database_url_of_an_unknown_scheme_is_refused(capsys):
    assert main(["hub", "enrol-code", "--database", "mysql://office:secret@db/hall", "--window", "w03"]) == 2
    err = capsys.readouterr().err
    assert "database: unknown scheme 'mysql' in 'mysql://office:***@db/hall'" in err and "secret" not in err


def test_init_loads_the_hall_and_stores_the_password_hashed(initialised):
    db, printed = initialised
    assert PASSWORD not in printed.out + printed.err
    with Store.open(db) as store:
        assert store.configs.hall().name == "梅溪湖街道便民服务大厅"
        user = store.users.by_name("office")
        assert user["role"] == "office" and PASSWORD not in user["password_hash"]
        assert check_password_hash(user["password_hash"], PASSWORD)


def test_init_refuses_an_initialised_database(initialised, tmp_path, capsys):
    db, _ = initialised
    args = ["hub", "init", "--database", db, "--config", str(HALL_TOML), "--password-file", str(tmp_path / "password")]
    assert main(args) == 2
    assert "already initialised" in capsys.readouterr().err


def test_init_refuses_a_short_password(tmp_path, capsys):
    (tmp_path / "pw").write_text("short", encoding="utf-8")
    assert main(["hub", "init", "--db", str(tmp_path / "h.sqlite"), "--config", str(HALL_TOML),
                 "--password-file", str(tmp_path / "pw")]) == 2
    assert "password: must be at least 10 characters (has 5)" in capsys.readouterr().err


def test_enrol_code_prints_a_code_that_enrols(initialised, capsys):
    db, _ = initialised
    assert main(["hub", "enrol-code", "--database", db, "--window", "w03"]) == 0
    code = capsys.readouterr().out.strip()
    with Store.open(db) as store:
        assert store.terminals.enrol(code)[0] == "win-03"
    assert main(["hub", "enrol-code", "--database", db, "--window", "w99"]) == 2
    assert "unknown window 'w99'" in capsys.readouterr().err


def test_serve_answers_over_http_with_waitress(initialised):
    db, _ = initialised
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "protocol.cli", "hub", "serve", "--database", db,
                               "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        answer = None
        for _ in range(100):
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/api/v1/clock", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        assert answer is not None and answer.status_code == 200
        assert answer.headers["Server"] == "waitress"
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()
        server.stderr.close()


def test_user_password_sets_a_password_after_the_policy_and_ends_sessions(initialised, tmp_path, capsys):
    db, _ = initialised
    secret = tmp_path / "new-password"
    secret.write_text("1234567890\n", encoding="utf-8")
    args = ["hub", "user", "password", "--database", db, "--user", "office", "--password-file", str(secret)]
    assert main(args) == 2 and "password: is one of the most common passwords" in capsys.readouterr().err
    secret.write_text("a new phrase for the hall\n", encoding="utf-8")
    with Store.open(db) as store:
        version = store.users.by_name("office")["session_version"]
    assert main(args) == 0
    with Store.open(db) as store:
        user = store.users.by_name("office")
        assert check_password_hash(user["password_hash"], "a new phrase for the hall")
        assert user["session_version"] == version + 1
        assert store.audit.entries(limit=1)[0]["action"] == "reset password"
    assert main(["hub", "user", "password", "--database", db, "--user", "nobody", "--password-file", str(secret)]) == 2
    assert "user: no account 'nobody'" in capsys.readouterr().err


def test_audit_purge_and_verify_from_the_command_line(initialised, capsys):
    db, _ = initialised
    assert main(["hub", "audit", "purge", "--database", db]) == 0
    assert capsys.readouterr().out == "purged 0 audit entries\n"
    assert main(["hub", "audit", "verify", "--database", db]) == 0
    assert capsys.readouterr().out == "audit log intact: 2 rows\n"


def test_user_add_adds_a_display_account_and_refuses_what_is_wrong(initialised, tmp_path, capsys):
    db, _ = initialised
    secret = tmp_path / "screen-password"
    secret.write_text("the hall's big television\n", encoding="utf-8")
    args = ["hub", "user", "add", "--db", str(db), "--user", "screen", "--password-file", str(secret)]
    assert main([*args, "--role", "television"]) == 2
    assert "role: 'television' is not one of office, viewer, leader, auditor, display" in capsys.readouterr().err
    assert main([*args, "--role", "display", "--department", "民政"]) == 0
    assert capsys.readouterr().out == "account 'screen' added with role display\n"
    with Store.open(db) as store:
        user = store.users.by_name("screen")
        assert (user["role"], user["department"]) == ("display", "民政")
        assert check_password_hash(user["password_hash"], "the hall's big television")
        assert store.audit.entries(limit=1)[0]["action"] == "add user"
    assert main([*args, "--role", "display"]) == 2
    assert "user: an account 'screen' exists already" in capsys.readouterr().err
    assert main([*args[:-4], "--user", "tv2", "--role", "display", "--hall", "nowhere", *args[-2:]]) == 2
    assert "hall: no hall 'nowhere' in this hub" in capsys.readouterr().err
    with Store.open(db) as store:
        hall = store.configs.halls()[0]["id"]
    assert main([*args[:-4], "--user", "tv3", "--role", "display", "--hall", hall, *args[-2:]]) == 0
    with Store.open(db) as store:
        assert store.users.by_name("tv3")["hall"] == hall
