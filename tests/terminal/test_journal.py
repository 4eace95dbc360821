"""The terminal journal: seq, acks, compaction, size limit, torn lines, start-up clean-up — for every geometry."""
import io
import json
import math
import os
import threading

import pytest

from firmware.terminal.errors import JournalCorrupt, JournalError, JournalFull, JournalLocked, TerminalError
from firmware.terminal.journal import Journal
from protocol.facts import parse_fact, parse_fact_line


class FewFactsPerSegment(Journal):
    """Segments of three facts: every behaviour crosses segment boundaries."""

    facts_per_segment = 3


class OneFactPerSegment(Journal):
    """One fact per segment: every append starts a new file."""

    facts_per_segment = 1


@pytest.fixture(params=[Journal, FewFactsPerSegment, OneFactPerSegment], ids=lambda cls: cls.__name__)
def open_journal(request, tmp_path):
    """Open (or reopen) the test's journal in each geometry; every journal opened is closed at the end."""
    opened = []

    def opener(directory=None, **options):
        options.setdefault("terminal", "win-03")
        journal = request.param(str(directory or tmp_path / "journal"), **options)
        opened.append(journal)
        return journal

    yield opener
    for journal in opened:
        journal.close()


def press(number, post="A"):
    """The fields of a presence fact as the terminal hands them to the journal."""
    return {"boot": "boot-1", "mono_ms": 1000 + number, "wall": f"2026-03-02T09:{number // 60 % 60:02d}:"
            f"{number % 60:02d}+08:00", "kind": "presence", "post": post, "on": number % 2 == 0}


def record(journal, count, start=0):
    """Append *count* presence facts; return what append returned."""
    return [journal.append(press(start + n)) for n in range(count)]


def seqs(facts):
    return [fact["seq"] for fact in facts]


def segment_files(journal):
    return sorted(name for name in os.listdir(journal.path) if name.startswith("seg-"))


def newest_segment(journal):
    return os.path.join(journal.path, segment_files(journal)[-1])


def test_append_numbers_facts_and_reads_them_back_as_valid_facts(open_journal):
    journal = open_journal()
    stored = record(journal, 7)
    assert seqs(stored) == list(range(1, 8))
    read = journal.facts()
    assert read == stored
    for number, fact in enumerate(read):
        parsed = parse_fact(fact)
        assert (parsed.terminal, parsed.seq, parsed.kind, parsed["post"]) == ("win-03", number + 1, "presence", "A")
        assert parsed.mono_ms == 1000 + number
    assert seqs(journal.facts(since_seq=4)) == [5, 6, 7]


def test_append_overrides_terminal_and_seq_given_by_the_caller(open_journal):
    journal = open_journal()
    fact = journal.append({**press(0), "terminal": "win-99", "seq": 42})
    assert (fact["terminal"], fact["seq"]) == ("win-03", 1)


def test_seq_continues_across_reopen(open_journal):
    journal = open_journal()
    record(journal, 5)
    journal.close()
    journal = open_journal()
    assert journal.next_seq == 6
    assert seqs(record(journal, 4, start=5)) == [6, 7, 8, 9]
    journal.close()
    assert seqs(open_journal().facts()) == list(range(1, 10))


def test_store_id_is_random_hex_and_stable(open_journal, tmp_path):
    journal = open_journal()
    store_id = journal.store_id
    assert len(store_id) == 32 and int(store_id, 16) >= 0
    journal.close()
    assert open_journal().store_id == store_id
    assert open_journal(tmp_path / "wiped").store_id != store_id


def test_ack_is_durable_and_never_goes_backwards(open_journal):
    journal = open_journal()
    record(journal, 6)
    assert journal.ack(4) == 4
    assert journal.ack(2) == 4
    assert (journal.acked_seq, journal.unsynced_count) == (4, 2)
    journal.close()
    journal = open_journal()
    assert (journal.acked_seq, journal.unsynced_count) == (4, 2)
    assert seqs(journal.unacked(10)) == [5, 6]


@pytest.mark.parametrize("bad", [7, -1, True, "3", 2.0])
def test_ack_of_unwritten_or_malformed_seq_is_refused(open_journal, bad):
    journal = open_journal()
    record(journal, 6)
    with pytest.raises(ValueError, match="ack"):
        journal.ack(bad)
    assert journal.acked_seq == 0


def test_unacked_gives_the_oldest_first_up_to_the_limit(open_journal):
    journal = open_journal()
    record(journal, 8)
    journal.ack(2)
    assert seqs(journal.unacked(4)) == [3, 4, 5, 6]
    assert seqs(journal.unacked(100)) == [3, 4, 5, 6, 7, 8]
    journal.ack(8)
    assert journal.unacked(5) == []


def test_compact_drops_only_whole_acked_segments_before_keep(open_journal):
    journal = open_journal()
    record(journal, 10)
    journal.ack(7)
    size = journal.size_bytes
    removed = journal.compact(keep_from_seq=6)
    per_segment = journal.facts_per_segment
    assert removed == min(5 // per_segment, math.ceil(10 / per_segment) - 1)
    assert seqs(journal.facts()) == list(range(removed * per_segment + 1, 11))
    assert journal.size_bytes == sum(os.path.getsize(os.path.join(journal.path, name))
                                     for name in segment_files(journal))
    assert (journal.size_bytes < size) == (removed > 0)
    assert journal.unsynced_count == 3
    assert seqs(journal.unacked(10)) == [8, 9, 10]


def test_compact_keeps_unacked_and_the_newest_segment(open_journal):
    journal = open_journal()
    record(journal, 9)
    journal.ack(4)
    journal.compact(keep_from_seq=100)
    assert min(seqs(journal.facts())) <= 5
    journal.ack(9)
    journal.compact(keep_from_seq=100)
    assert seqs(journal.facts())[-1] == 9
    assert journal.unsynced_count == 0


def test_seq_is_never_reused_after_compacting_everything(open_journal):
    journal = open_journal()
    record(journal, 7)
    journal.ack(7)
    journal.compact(keep_from_seq=8)
    journal.close()
    journal = open_journal()
    assert journal.append(press(8))["seq"] == 8


def test_full_journal_refuses_loudly_and_keeps_every_fact(open_journal):
    journal = open_journal(max_bytes=2000, near_full_ratio=0.5)
    stored = []
    with pytest.raises(JournalFull, match="max_bytes=2000") as raised:
        for number in range(100):
            stored.append(journal.append(press(number)))
            assert journal.near_full == (journal.size_bytes >= 1000)
    assert isinstance(raised.value, OSError) and isinstance(raised.value, TerminalError)
    assert journal.near_full
    assert journal.facts() == stored
    assert journal.next_seq == len(stored) + 1
    assert journal.size_bytes <= 2000


def test_full_journal_takes_facts_again_once_acked_segments_are_compacted(open_journal):
    journal = open_journal(max_bytes=2000)
    with pytest.raises(JournalFull):
        while True:
            journal.append(press(journal.next_seq))
    last = journal.next_seq - 1
    journal.ack(last)
    if journal.compact(keep_from_seq=last + 1) == 0:
        assert journal.facts_per_segment >= last
        with pytest.raises(JournalFull):
            journal.append(press(0))
    else:
        assert journal.append(press(0))["seq"] == last + 1


@pytest.mark.parametrize("torn", [b'{"boot":"boot-1","mono_ms":10', b"\x00" * 50, b'{"kind":"presence"}xx\n'],
                         ids=["half-line", "zero-filled", "garbled-last-line"])
def test_torn_last_line_drops_only_that_fact_and_its_seq_is_reused(open_journal, torn):
    """The torn fact was never acknowledged (append returns after fsync), so no gap is left for the hub."""
    journal = open_journal()
    record(journal, 5)
    journal.close()
    with open(newest_segment(journal), "ab") as segment:
        segment.write(torn)
    journal = open_journal()
    assert seqs(journal.facts()) == [1, 2, 3, 4, 5]
    assert journal.next_seq == 6
    assert journal.append(press(6))["seq"] == 6
    journal.close()
    journal = open_journal()
    assert seqs(journal.facts()) == [1, 2, 3, 4, 5, 6]
    for name in segment_files(journal):
        with open(os.path.join(journal.path, name), "rb") as segment:
            lines = segment.read().split(b"\n")
        assert lines[-1] == b""
        assert all(parse_fact_line(line.decode()) for line in lines[:-1])


def test_torn_line_as_the_only_content_of_a_new_segment(open_journal):
    journal = open_journal()
    record(journal, 3)
    journal.close()
    with open(os.path.join(journal.path, "seg-000000000004.jsonl"), "wb") as segment:
        segment.write(b'{"boot":')
    journal = open_journal()
    assert seqs(journal.facts()) == [1, 2, 3]
    assert journal.append(press(4))["seq"] == 4


def test_damaged_line_before_the_last_is_refused(open_journal):
    journal = open_journal()
    record(journal, 3)
    journal.close()
    path = os.path.join(journal.path, segment_files(journal)[0])
    with open(path, "rb") as segment:
        lines = segment.read().split(b"\n")
    lines[0] = lines[0][:20]
    with open(path, "wb") as segment:
        segment.write(b"\n".join(lines) + b'{"seq": 99}\n')
    with pytest.raises(JournalCorrupt, match="seg-"):
        open_journal().facts()


def test_stray_temp_files_are_removed_at_start_up(open_journal):
    journal = open_journal()
    record(journal, 2)
    journal.ack(1)
    journal.close()
    stray = os.path.join(journal.path, "journal.json.tmp")
    with open(stray, "w") as handle:
        handle.write('{"acked_seq": 99')
    journal = open_journal()
    assert not os.path.exists(stray)
    assert journal.acked_seq == 1


def test_one_writer_per_journal(open_journal):
    open_journal()
    with pytest.raises(JournalLocked, match="another process"):
        open_journal()


def test_journal_of_another_terminal_is_refused(open_journal):
    open_journal().close()
    with pytest.raises(JournalError, match="win-04"):
        open_journal(terminal="win-04")


def test_close_is_idempotent_and_a_closed_journal_refuses_work(open_journal):
    with open_journal() as journal:
        record(journal, 1)
    journal.close()
    with pytest.raises(JournalError, match="closed"):
        journal.append(press(1))
    assert seqs(open_journal().facts()) == [1]


@pytest.mark.parametrize("fields, error", [([1, 2], TypeError), ({"x": object()}, TypeError),
                                           ({"x": math.nan}, ValueError)])
def test_non_json_objects_are_refused_before_anything_is_written(open_journal, fields, error):
    journal = open_journal()
    record(journal, 2)
    size = journal.size_bytes
    with pytest.raises(error):
        journal.append(fields)
    assert (journal.next_seq, journal.size_bytes) == (3, size)
    assert journal.append(press(3))["seq"] == 3


def test_export_writes_the_retained_facts_as_json_lines(open_journal):
    journal = open_journal()
    stored = record(journal, 5)
    out = io.StringIO()
    assert journal.export(out) == 5
    lines = out.getvalue().splitlines()
    assert [parse_fact_line(line).as_dict() for line in lines] == [parse_fact(f).as_dict() for f in stored]
    assert json.loads(lines[0]) == stored[0]


def test_size_and_unsynced_count_follow_the_files(open_journal):
    journal = open_journal()
    record(journal, 8)
    journal.ack(3)
    on_disk = sum(os.path.getsize(os.path.join(journal.path, name)) for name in segment_files(journal))
    assert (journal.size_bytes, journal.unsynced_count) == (on_disk, 5)
    journal.close()
    journal = open_journal()
    assert (journal.size_bytes, journal.unsynced_count) == (on_disk, 5)


def test_threads_share_one_journal(open_journal):
    journal = open_journal()

    def presses(post):
        for number in range(50):
            journal.append(press(number, post))

    threads = [threading.Thread(target=presses, args=(post,)) for post in "ABAB"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    facts = journal.facts()
    assert seqs(facts) == list(range(1, 201))
    assert sorted(f["post"] for f in facts) == ["A"] * 100 + ["B"] * 100


def test_read_only_view_beside_the_writer_sees_a_snapshot(open_journal):
    journal = open_journal()
    stored = record(journal, 7)
    journal.ack(2)
    view = open_journal(read_only=True)
    record(journal, 2, start=7)
    assert view.facts() == stored
    assert (view.store_id, view.acked_seq, view.next_seq, view.unsynced_count) == (journal.store_id, 2, 8, 5)
    for change in (lambda: view.append(press(0)), lambda: view.ack(3), lambda: view.compact(3)):
        with pytest.raises(JournalError, match="read-only"):
            change()
    out = io.StringIO()
    assert view.export(out) == 7


def test_read_only_view_repairs_nothing_and_skips_segments_compacted_meanwhile(open_journal):
    journal = open_journal()
    record(journal, 6)
    with open(newest_segment(journal), "ab") as segment:
        segment.write(b'{"boot":"bo')
    stray = os.path.join(journal.path, "journal.json.tmp")
    open(stray, "w").close()
    with open(newest_segment(journal), "rb") as segment:
        before = segment.read()
    view = open_journal(read_only=True)
    assert seqs(view.facts()) == [1, 2, 3, 4, 5, 6]
    with open(newest_segment(journal), "rb") as segment:
        assert segment.read() == before
    assert os.path.exists(stray)
    journal.close()
    journal = open_journal()
    journal.ack(6)
    journal.compact(keep_from_seq=7)
    assert seqs(view.facts()) == seqs(journal.facts())


def test_read_only_view_of_a_missing_journal_is_refused(open_journal, tmp_path):
    with pytest.raises(JournalError, match="no journal"):
        open_journal(tmp_path / "nowhere", read_only=True)
    assert not (tmp_path / "nowhere").exists()


def test_a_wiped_terminal_continues_after_what_the_hub_holds(open_journal):
    journal = open_journal()
    record(journal, 2)
    assert journal.continue_after(40) == 41
    assert (journal.acked_seq, journal.unsynced_count) == (40, 0)
    assert journal.continue_after(30) == 41
    assert journal.append(press(41))["seq"] == 41
    journal.close()
    journal = open_journal()
    assert seqs(journal.facts()) == [1, 2, 41]
    assert seqs(journal.unacked(10)) == [41]
    assert journal.append(press(42))["seq"] == 42
    with pytest.raises(ValueError, match="seq"):
        journal.continue_after(-1)
