"""A serving process checkpoints its SQLite WAL in a thread of its own: no commit of its connections does."""
import pytest

from hub.store.connection import Checkpointer, checkpoint, connect

PAGES = 1500        # past SQLite's default of a checkpoint at 1,000 WAL pages


def write_pages(path, pages=PAGES):
    """Commit about *pages* pages of rows to the database at *path*, a commit per 100; return its connection."""
    conn = connect(path)
    conn.execute("CREATE TABLE IF NOT EXISTS filler (text TEXT)")
    for _ in range(pages // 100):
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 3500,)] * 100)
        conn.execute("COMMIT")
    return conn


def test_a_commit_past_a_thousand_pages_checkpoints_without_a_checkpointer(tmp_path):
    conn = write_pages(tmp_path / "hub.sqlite")
    _, in_wal, _ = checkpoint(conn)
    assert in_wal < 1000, "SQLite's own checkpoint ran inside a commit and the WAL started over"
    conn.close()


def test_while_a_checkpointer_runs_no_commit_checkpoints_and_it_copies_every_page(tmp_path):
    path = tmp_path / "hub.sqlite"
    with Checkpointer(path, interval_s=3600):        # its thread never wakes during the test
        conn = write_pages(path)
        assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        busy, in_wal, copied = checkpoint(conn)
        assert (busy, copied) == (0, in_wal) and in_wal >= PAGES
        assert conn.execute("SELECT COUNT(*) FROM filler").fetchone()[0] == PAGES // 100 * 100
        conn.close()
    after = connect(path)
    assert after.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000, "only while it runs"
    after.close()


def test_one_checkpointer_per_file_per_process(tmp_path):
    with Checkpointer(tmp_path / "hub.sqlite", interval_s=3600):
        with pytest.raises(RuntimeError, match="already has a checkpointer"):
            Checkpointer(tmp_path / "hub.sqlite").__enter__()
