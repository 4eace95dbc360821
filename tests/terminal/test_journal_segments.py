"""The segment storage behind TinyDB's API: one suite against our storage and TinyDB's own, TinyDB-style."""
import json
import os

import pytest
from tinydb import Query, TinyDB
from tinydb.storages import JSONStorage, MemoryStorage
from tinydb.table import Document

from firmware.terminal.errors import JournalCorrupt, JournalError
from firmware.terminal.segment_file import SegmentFile, segment_first_seq, segment_name
from firmware.terminal.segments import SegmentStorage, open_segment


def fact(seq, post="A"):
    return {"terminal": "win-03", "seq": seq, "boot": "b", "mono_ms": seq, "wall": "2026-03-02T09:00:00+08:00",
            "kind": "done", "post": post}


@pytest.fixture(params=["segment", "json", "memory"])
def db(request, tmp_path):
    """A TinyDB database on each storage; ``db.reopen()`` gives the same data from a fresh object."""
    path = str(tmp_path / "store")
    opened = []

    def make(first=False):
        if request.param == "segment":
            database = TinyDB(SegmentFile(path, create=first), storage=SegmentStorage)
        elif request.param == "json":
            database = TinyDB(path, storage=JSONStorage)
        else:
            database = opened[0] if opened else TinyDB(storage=MemoryStorage)
        opened.append(database)
        return database

    database = make(first=True)
    database.reopen = make
    yield database
    for database in opened:
        database.close()


def insert(db, *seqs):
    for seq in seqs:
        db.insert(Document(fact(seq, "AB"[seq % 2]), doc_id=seq))


def test_inserted_facts_come_back_in_order_with_their_seq_as_doc_id(db):
    insert(db, 11, 12, 13)
    assert [doc.doc_id for doc in db.all()] == [11, 12, 13]
    assert db.all()[1] == fact(12, "A")
    assert db.get(doc_id=13) == fact(13, "B")


def test_queries_work_on_the_stored_facts(db):
    insert(db, 1, 2, 3, 4)
    assert [doc["seq"] for doc in db.search(Query().post == "B")] == [1, 3]
    assert db.count(Query().seq > 2) == 2
    assert len(db) == 4


def test_facts_survive_reopening(db):
    insert(db, 5, 6)
    db.close()
    again = db.reopen()
    assert [doc.doc_id for doc in again.all()] == [5, 6]
    insert(again, 7)
    assert again.get(doc_id=7)["seq"] == 7


def test_inserting_a_taken_seq_is_refused(db):
    insert(db, 1)
    with pytest.raises(ValueError, match="already exists"):
        insert(db, 1)
    assert len(db) == 1


def test_segment_file_is_one_json_line_per_fact(tmp_path):
    path = str(tmp_path / segment_name(1))
    with open_segment(SegmentFile(path, create=True)) as db:
        insert(db, 1, 2)
    with open(path, "rb") as handle:
        lines = handle.read().split(b"\n")
    assert lines[-1] == b"" and [json.loads(line) for line in lines[:-1]] == [fact(1, "B"), fact(2, "A")]
    assert segment_first_seq(os.path.basename(path)) == 1
    assert segment_first_seq("journal.json") is None


def test_segment_only_appends(tmp_path):
    with open_segment(SegmentFile(str(tmp_path / segment_name(1)), create=True)) as db:
        insert(db, 1, 2)
        with pytest.raises(JournalError, match="only appends"):
            db.remove(doc_ids=[1])
        with pytest.raises(JournalError, match="only appends"):
            db.update({"post": "B"}, doc_ids=[2])
    with open_segment(SegmentFile(str(tmp_path / segment_name(1)), writable=False)) as db:
        assert [doc["post"] for doc in db.all()] == ["B", "A"]
        with pytest.raises(JournalError, match="read-only"):
            insert(db, 3)


def test_torn_tail_is_left_out_then_cut(tmp_path):
    path = str(tmp_path / segment_name(1))
    with open_segment(SegmentFile(path, create=True)) as db:
        insert(db, 1)
    with open(path, "ab") as handle:
        handle.write(b'{"seq": 2, "ki')
    segment = SegmentFile(path)
    with open_segment(segment) as db:
        assert [doc.doc_id for doc in db.all()] == [1]
        assert segment.torn_bytes == 14
        with pytest.raises(JournalError, match="damaged"):
            insert(db, 2)
        segment.cut_torn_tail()
        assert segment.torn_bytes == 0
        insert(db, 2)
    with open(path, "rb") as handle:
        assert handle.read().count(b"\n") == 2


def test_a_document_id_other_than_the_seq_is_refused(tmp_path):
    with open_segment(SegmentFile(str(tmp_path / segment_name(1)), create=True)) as db:
        with pytest.raises(JournalError, match="document id 2 is not the fact's seq 1"):
            db.insert(Document(fact(1), doc_id=2))
        assert len(db) == 0


def test_damage_before_the_last_line_is_corruption(tmp_path):
    path = str(tmp_path / segment_name(1))
    with open(path, "wb") as handle:
        handle.write(json.dumps(fact(1)).encode() + b"\n[1, 2]\n" + json.dumps(fact(3)).encode() + b"\n")
    with pytest.raises(JournalCorrupt, match="line 2"):
        with open_segment(SegmentFile(path, writable=False)) as db:
            db.all()
