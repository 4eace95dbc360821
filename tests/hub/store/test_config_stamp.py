"""Every hall's current config, kept per stamp of the configs (``ConfigVersions.every``): a push of a city's hub
reads one row, not a hundred halls; a config saved anywhere (another process, a hub migrate) is read at once."""
import pytest

from hub.store import Store
from hub.store.connection import SQLiteConnection, connect
from hub.store.configs import add_config_stamp
from hub.store.migrations import MIGRATIONS, migrate

from .test_halls import document

pytestmark = pytest.mark.backends()


def stamp(store):
    row = store.conn.execute("SELECT token FROM config_stamp").fetchone()
    return None if row is None else row[0]


def test_a_config_saved_by_another_connection_is_read_at_once(store, database, clock):
    first = store.configs.every()
    assert list(first) == ["hall"] and store.configs.every() is first, "kept while no config is saved"
    with Store.open(database, clock=clock) as other:
        other.configs.add_hall(document(), "office")
    halls = store.configs.every()
    assert list(halls) == ["hall", "taohualing"] and halls["taohualing"].name == "桃花岭服务大厅"
    text = store.configs.current()[1]
    text["hall"]["name"] = "梅溪湖街道便民服务中心（新）"
    with Store.open(database, clock=clock) as other:
        other.configs.save(text, "office")
    assert store.configs.every()["hall"].name == "梅溪湖街道便民服务中心（新）"


def test_every_save_draws_a_new_stamp_and_an_unchanged_save_none(store):
    before = stamp(store)
    assert before is not None, "the hub's first config drew one"
    text = store.configs.current()[1]
    store.configs.save(text, "office")
    assert stamp(store) == before, "nothing changed: no new version, no new stamp"
    text["hall"]["name"] = "another name"
    store.configs.save(text, "office")
    assert stamp(store) not in (None, before)


def test_the_kept_halls_cannot_be_changed_by_a_reader(store):
    with pytest.raises(TypeError):
        store.configs.every()["elsewhere"] = None


@pytest.mark.backends("sqlite")
def test_an_older_hub_gets_a_stamp_when_it_has_configs_and_a_new_one_none(tmp_path):
    conn = SQLiteConnection(connect(tmp_path / "new.sqlite"))
    migrate(conn)
    assert conn.execute("SELECT COUNT(*) FROM config_stamp").fetchone()[0] == 0, "no config yet: nothing to stamp"
    conn.close()
    path = tmp_path / "old.sqlite"
    with Store.open(str(path)) as store:
        store.configs.save(document(), "office")
        store.conn.execute("DROP TABLE config_stamp")
        store.conn.execute("ALTER TABLE window_days DROP COLUMN marks")         # what migration 14 adds
        store.conn.execute("DROP TABLE boots")                                  # what migration 15 adds
        store.conn.execute("CREATE INDEX facts_boot ON facts (terminal, boot)")  # and drops
        store.conn.execute(f"PRAGMA user_version = {MIGRATIONS.index(add_config_stamp)}")
    with Store.open(str(path)) as store:
        assert stamp(store) is not None
        assert list(store.configs.every()) == ["taohualing"]
