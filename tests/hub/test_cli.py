"""``hallpost hub``: init (password from a file, never printed, stored hashed), enrol-code, serve."""
import socket
import subprocess
import sys
import time

import pytest
import requests
from werkzeug.security import check_password_hash

from hub.store import Store, office
from protocol.cli import main

from .conftest import HALL_TOML

PASSWORD = "correct horse battery"


@pytest.fixture
def initialised(tmp_path, capsys):
    secret = tmp_path / "password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    db = tmp_path / "hall.sqlite"
    assert main(["hub", "init", "--db", str(db), "--config", str(HALL_TOML), "--password-file", str(secret)]) == 0
    return db, capsys.readouterr()


def test_init_loads_the_hall_and_stores_the_password_hashed(initialised):
    db, printed = initialised
    assert PASSWORD not in printed.out + printed.err
    with Store.open(db) as store:
        assert store.hall().name == "梅溪湖街道便民服务大厅"
        user = office.user_by_name(store, "office")
        assert user["role"] == "office" and PASSWORD not in user["password_hash"]
        assert check_password_hash(user["password_hash"], PASSWORD)


def test_init_refuses_an_initialised_database(initialised, tmp_path, capsys):
    db, _ = initialised
    args = ["hub", "init", "--db", str(db), "--config", str(HALL_TOML), "--password-file", str(tmp_path / "password")]
    assert main(args) == 2
    assert "already initialised" in capsys.readouterr().err


def test_init_refuses_a_short_password(tmp_path, capsys):
    (tmp_path / "pw").write_text("short", encoding="utf-8")
    assert main(["hub", "init", "--db", str(tmp_path / "h.sqlite"), "--config", str(HALL_TOML),
                 "--password-file", str(tmp_path / "pw")]) == 2
    assert "password: must be at least 10 characters (has 5)" in capsys.readouterr().err


def test_enrol_code_prints_a_code_that_enrols(initialised, capsys):
    db, _ = initialised
    assert main(["hub", "enrol-code", "--db", str(db), "--window", "w03"]) == 0
    code = capsys.readouterr().out.strip()
    with Store.open(db) as store:
        assert store.enrol(code)[0] == "win-03"
    assert main(["hub", "enrol-code", "--db", str(db), "--window", "w99"]) == 2
    assert "unknown window 'w99'" in capsys.readouterr().err


def test_serve_answers_over_http_with_waitress(initialised):
    db, _ = initialised
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "protocol.cli", "hub", "serve", "--db", str(db),
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
