"""The hub's requests run on their thread's kept SQLite connection (hub.db): reused, yet never on an exposed or
replaced file, nor on one another context of the thread is using."""
import os
import sqlite3
import threading

import pytest

from hub import create_app
from hub.db import get_store
from hub.store import DatabaseExposed, Store


@pytest.fixture
def app(tmp_path):
    db = tmp_path / "hub.sqlite"
    Store.open(db).close()
    return create_app({"DATABASE": str(db)})


def connection_of_a_request(app):
    with app.app_context():
        return get_store().conn.raw


def test_a_thread_keeps_its_connection_from_one_request_to_the_next(app):
    assert connection_of_a_request(app) is connection_of_a_request(app)


def test_each_thread_has_its_own_connection(app):
    others = []
    thread = threading.Thread(target=lambda: others.append(connection_of_a_request(app)))
    thread.start()
    thread.join()
    assert others[0] is not connection_of_a_request(app)


def test_a_database_exposed_while_serving_is_refused_on_the_next_request(app, tmp_path):
    connection_of_a_request(app)
    (tmp_path / "hub.sqlite").chmod(0o644)
    with pytest.raises(DatabaseExposed, match="chmod 600"):
        connection_of_a_request(app)


def test_a_database_file_replaced_under_the_hub_is_opened_afresh(app, tmp_path):
    before = connection_of_a_request(app)
    restored = tmp_path / "restored.sqlite"
    with Store.open(restored) as store:
        restored_key = store.settings.secret_key()
    os.replace(restored, tmp_path / "hub.sqlite")
    assert connection_of_a_request(app) is not before
    with app.app_context():
        assert get_store().settings.secret_key() == restored_key


def test_a_second_database_on_the_same_thread_replaces_the_first_connection(app, tmp_path):
    first = connection_of_a_request(app)
    other = tmp_path / "other.sqlite"
    Store.open(other).close()
    connection_of_a_request(create_app({"DATABASE": str(other)}))
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        first.execute("SELECT 1")


def test_an_app_context_inside_another_opens_its_own_connection(app, tmp_path):
    other = tmp_path / "other.sqlite"
    Store.open(other).close()
    with app.app_context():
        outer = get_store().conn.raw
        inner = connection_of_a_request(create_app({"DATABASE": str(other)}))
        assert inner is not outer
        assert outer.execute("SELECT 1").fetchone()[0] == 1        # still open
    assert connection_of_a_request(app) is outer

