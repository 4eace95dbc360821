"""The database files are the service user's alone: 0600 from creation, and never served when exposed (item 6)."""
import os
import stat

import pytest

from hub import create_app
from hub.store import DatabaseExposed, Store
from protocol.cli import main

from ..conftest import HALL_TOML


@pytest.fixture
def umask_022():
    """The usual login umask, under which SQLite alone creates 0644 files."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def modes(db):
    """The permission bits of the database and its -wal and -shm files (those that exist)."""
    return {path.name: stat.S_IMODE(path.stat().st_mode)
            for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")) if path.exists()}


def test_hub_init_creates_private_files_under_umask_022(tmp_path, umask_022, capsys):
    db = tmp_path / "hub.sqlite"
    (tmp_path / "pw").write_text("correct horse battery\n", encoding="utf-8")
    assert main(["hub", "init", "--db", str(db), "--config", str(HALL_TOML), "--password-file",
                 str(tmp_path / "pw")]) == 0
    with Store.open(db) as store:       # -wal and -shm exist while a connection is open
        store.audit.add("test", "write", {})
        assert modes(db) == {"hub.sqlite": 0o600, "hub.sqlite-wal": 0o600, "hub.sqlite-shm": 0o600}


def test_the_app_factory_creates_private_files_under_umask_022(tmp_path, umask_022):
    db = tmp_path / "fresh" / "hub.sqlite"
    app = create_app({"DATABASE": str(db), "HALL_CONFIG": str(HALL_TOML), "TESTING": True})
    with app.test_client() as client:
        assert client.get("/api/v1/clock").status_code == 200
        with Store.open(db) as store:
            store.audit.add("test", "write", {})
            assert set(modes(db).values()) == {0o600} and len(modes(db)) == 3
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize(("suffix", "mode"), [("", 0o644), ("", 0o640), ("", 0o606), ("-wal", 0o644)])
def test_hub_serve_refuses_an_exposed_database_and_says_how_to_fix_it(tmp_path, capsys, monkeypatch, suffix, mode):
    served = []
    monkeypatch.setattr("waitress.serve", lambda app, **options: served.append(app))
    db = tmp_path / "hub.sqlite"
    with Store.open(db) as store:
        store.audit.add("test", "write", {})
        exposed = tmp_path / f"hub.sqlite{suffix}"
        exposed.chmod(mode)
        assert main(["hub", "serve", "--db", str(db), "--derive-every", "0"]) == 2
    assert served == []
    err = capsys.readouterr().err
    assert f"{exposed} (mode {mode:04o}) may be read by other users" in err
    assert f"chmod 600 {exposed}" in err


def test_the_app_factory_refuses_a_world_readable_database(tmp_path):
    db = tmp_path / "hub.sqlite"
    Store.open(db).close()
    db.chmod(0o644)
    with pytest.raises(DatabaseExposed, match=f"chmod 600 {db}"):
        create_app({"DATABASE": str(db)})
    db.chmod(0o600)
    assert create_app({"DATABASE": str(db)}).config["SECRET_KEY"]


@pytest.mark.parametrize("command", [["wall", "--once"], ["enrol-code", "--window", "w03"], ["import", "facts.jsonl"]])
def test_every_hub_command_refuses_an_exposed_database(tmp_path, capsys, command):
    db = tmp_path / "hub.sqlite"
    Store.open(db).close()
    db.chmod(0o640)
    (tmp_path / "facts.jsonl").write_text("", encoding="utf-8")
    assert main(["hub", command[0], "--db", str(db), *[str(tmp_path / a) if a.endswith(".jsonl") else a
                                                       for a in command[1:]]]) == 2
    assert f"chmod 600 {db}" in capsys.readouterr().err


def test_a_sqlite_url_names_the_file_its_path_does(tmp_path, umask_022):
    db = tmp_path / "fresh" / "hub.sqlite"
    app = create_app({"DATABASE": f"sqlite://{db}", "HALL_CONFIG": str(HALL_TOML), "TESTING": True})
    with Store.open(db) as store:
        assert store.configs.hall().name == "梅溪湖街道便民服务大厅"
    assert modes(db)["hub.sqlite"] == 0o600 and stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    db.chmod(0o644)
    with pytest.raises(DatabaseExposed, match=f"chmod 600 {db}"):
        create_app({"DATABASE": app.config["DATABASE"]})


@pytest.mark.parametrize(("database", "message"), [
    ("sqlite://host/hub.sqlite", "names no file"), ("sqlite://", "names no file"),
    ("redis://localhost/0", "unknown scheme 'redis'")])
def test_a_database_url_naming_no_file_or_an_unknown_server_is_refused(database, message):
    with pytest.raises(ValueError, match=f"database: .*{message}"):
        Store.open(database)
