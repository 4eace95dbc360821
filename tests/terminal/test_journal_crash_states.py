"""Crash safety beyond SIGKILL: the journal reopened from every state a power cut could leave on disk.

A run of appends, acks, a compaction, a close and a reopen is recorded write by write and fsync by fsync
(:mod:`.fs_trace`), as is the repair of a disk a power cut left (so that the repair is cut short too); then every crash point of it, every subset of the changes in flight there, every byte
prefix of every write in flight and writes persisted in pieces out of order are laid out on disk and the
journal is opened on each. Whatever the state: no fact whose ``append`` returned is lost (unless the hub
acknowledged it), none is duplicated or torn, seqs run without a gap, the seq of a fact that was in flight
and did not survive is handed out again, and the journal takes the next append.
"""
import json
import os
import shutil
import tempfile

import pytest

from firmware.terminal import atomic as atomic_module
from firmware.terminal import journal as journal_module
from firmware.terminal import segment_file as segment_file_module
from firmware.terminal.journal import Journal

from .fs_trace import (
    SAMPLED_SUBSETS, RecordingOS, Trace, UnsyncedOS, crash_states, disk_of, image, materialise,
)

TERMINAL = "win-03"
PROBE = {"boot": "boot-2", "mono_ms": 1, "wall": "2026-03-02T10:00:00+08:00", "kind": "done", "post": "A"}
# every module whose file system calls the journal makes (recorded, and made unsynced when reopening)
JOURNAL_MODULES = (journal_module, segment_file_module, atomic_module)


@pytest.fixture
def states_root():
    """Where crash states are laid out: in memory (tmpfs) where the machine has one, thousands of them are cheap."""
    memory = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="journal-crash-states-", dir=memory) as root:
        yield root


class ThreeFactsPerSegment(Journal):
    """Small segments, so that the run starts new segments and compacts whole ones."""

    facts_per_segment = 3


def fields(number):
    """The fields of the *number*-th presence fact of the run (mono_ms tells the facts apart)."""
    return {"boot": "boot-1", "mono_ms": 1000 + number, "wall": f"2026-03-02T09:00:{number % 60:02d}+08:00",
            "kind": "presence", "post": "AB"[number % 2], "on": number % 2 == 0}


class RecordedRun:
    """Journal calls on a recording disk, with ``call``/``return`` markers around appends and acks."""

    def __init__(self, monkeypatch, root, first_number=0):
        os.makedirs(root, exist_ok=True)
        self.trace = Trace(root, initial=disk_of(root))
        self.directory = os.path.join(root, "journal")
        self.journal = None
        self.appended = first_number
        for module in JOURNAL_MODULES:
            monkeypatch.setattr(module, "os", RecordingOS(self.trace))

    def open(self):
        self.journal = ThreeFactsPerSegment(self.directory, terminal=TERMINAL)

    def close(self):
        self.journal.close()

    def append(self, count):
        for _ in range(count):
            expected = {**fields(self.appended), "terminal": TERMINAL, "seq": self.journal.next_seq}
            self.trace.mark("call", "append", expected)
            assert self.journal.append(fields(self.appended)) == expected
            self.trace.mark("return", "append", expected)
            self.appended += 1

    def ack(self, upto):
        self.trace.mark("call", "ack", upto)
        self.journal.ack(upto)
        self.trace.mark("return", "ack", upto)

    def continue_after(self, seq):
        """As enrolment does on a wiped terminal: the hub holds facts up to *seq*, which counts as acked."""
        self.trace.mark("call", "ack", seq)
        assert self.journal.continue_after(seq) == seq + 1
        self.trace.mark("return", "ack", seq)

    def compact(self, keep_from_seq):
        assert self.journal.compact(keep_from_seq) > 0


class Promises:
    """What the journal had promised at a crash point: the facts appended, acknowledged and acked so far."""

    def __init__(self, markers):
        self.appended = {}          # seq -> fact, for every append called (the one in flight too)
        self.acknowledged = set()   # seqs whose append returned
        self.acked_returned = self.acked_called = 0
        for kind, call, value in markers:
            if call == "append":
                self.appended[value["seq"]] = value
                if kind == "return":
                    self.acknowledged.add(value["seq"])
            elif kind == "call":
                self.acked_called = max(self.acked_called, value)
            else:
                self.acked_returned = max(self.acked_returned, value)


def reopen(disk, root):
    """Lay *disk* out under *root*, open the journal there, append a probe; what it showed, or the error."""
    materialise(disk, root)
    try:
        with ThreeFactsPerSegment(os.path.join(root, "journal"), terminal=TERMINAL) as journal:
            seen = {"facts": journal.facts(), "acked": journal.acked_seq, "next": journal.next_seq}
            seen["probe"] = journal.append(PROBE)
            seen["after"] = journal.facts()
    except Exception as exc:  # noqa: BLE001 - any failure to reopen is a finding, reported with its state
        seen = {"error": f"{type(exc).__name__}: {exc}"}
    shutil.rmtree(root)
    return seen


def broken_promises(seen, promised):
    """What the reopened journal *seen* got wrong against *promised* (empty: nothing)."""
    if "error" in seen:
        return [f"did not reopen: {seen['error']}"]
    facts, problems = seen["facts"], []
    seqs = [fact["seq"] for fact in facts]
    if seqs != list(range(seqs[0], seqs[0] + len(seqs))) if seqs else False:
        problems.append(f"seqs not contiguous: {seqs}")
    problems += [f"seq {fact['seq']}: {fact} was never appended so"
                 for fact in facts if promised.appended.get(fact["seq"]) != fact]
    if len({(fact["boot"], fact["mono_ms"]) for fact in facts}) != len(facts):
        problems.append(f"a fact stored twice: {facts}")
    if not promised.acked_returned <= seen["acked"] <= promised.acked_called:
        problems.append(f"acked_seq {seen['acked']} outside [{promised.acked_returned}, {promised.acked_called}]")
    lost = sorted(seq for seq in promised.acknowledged if seq > seen["acked"] and seq not in seqs)
    if lost:
        problems.append(f"acknowledged facts lost: {lost}")
    if seen["next"] != 1 + max(seqs + sorted(promised.acknowledged) + [seen["acked"]]):
        problems.append(f"next seq {seen['next']} after facts {seqs}, acknowledged {sorted(promised.acknowledged)}")
    if seen["probe"]["seq"] != seen["next"] or seen["after"] != facts + [seen["probe"]]:
        problems.append(f"the next append went wrong: {seen['probe']} then {seqs} -> {seen['after']}")
    return problems


def open_every_crash_state(run, monkeypatch, root, start=0):
    """Reopen the journal from every crash state of *run*'s trace from op *start*; return how many distinct
    states it opened (and print how many crash states they stand for)."""
    ops = run.trace.ops
    for module in JOURNAL_MODULES:
        monkeypatch.setattr(module, "os", UnsyncedOS())
    promises, opened, states = {}, {}, 0
    for point, changes in crash_states(ops, start):
        if point not in promises:
            promises[point] = Promises(op for op in ops[:point] if op[0] in ("call", "return"))
        disk = image(changes)
        key = tuple(sorted(disk.items()))
        if key not in opened:
            opened[key] = reopen(disk, os.path.join(root, f"state-{len(opened)}"))
        problems = broken_promises(opened[key], promises[point])
        assert not problems, f"crash at op {point} ({ops[point - 1] if point else 'start'}), disk {disk}: {problems}"
        states += 1
    print(f"{len(ops) - start} ops recorded, {states} crash states, {len(opened)} distinct states opened")
    return len(opened)


def test_a_write_in_flight_is_cut_at_every_byte_and_in_pieces_out_of_order():
    ops = [("create", ".", "f", 1), ("fsync_dir", "."), ("write", 1, 0, b"abcdef")]
    files = [image(changes).get("f") for point, changes in crash_states(ops) if point == 3]
    assert sorted(files) == sorted([b"", b"abcdef", b"a", b"ab", b"abc", b"abcd", b"abcde",
                                    b"\0\0cd", b"\0\0\0\0ef", b"ab\0\0ef", b"\0\0cdef"])


def test_every_subset_of_eight_changes_in_flight_and_a_sample_beyond():
    creates = [("create", ".", f"f{n}", n) for n in range(10)]
    eight = {tuple(changes) for point, changes in crash_states(creates[:8]) if point == 8}
    assert len(eight) == 2 ** 8
    ten = [changes for point, changes in crash_states(creates) if point == 10]
    assert len(ten) == 11 + SAMPLED_SUBSETS and creates in ten and [] in ten


def recorded_compaction(monkeypatch, root, appended):
    """A recorded run that appends *appended* facts, acks all but the last, compacts what it may, closes."""
    run = RecordedRun(monkeypatch, root)
    run.open()
    run.append(appended)
    run.ack(appended - 1)
    run.compact(keep_from_seq=appended)
    run.close()
    return run


def test_recorded_trace_holds_every_kind_of_change(monkeypatch, tmp_path):
    run = recorded_compaction(monkeypatch, str(tmp_path), appended=4)
    kinds = {op[0] for op in run.trace.ops}
    assert kinds >= {"mkdir", "create", "rename", "unlink", "write", "truncate", "fsync", "fsync_dir"}
    created = [op[2] for op in run.trace.ops if op[0] == "create"]
    assert created == ["journal/lock", "journal/journal.json.tmp", "journal/seg-000000000001.jsonl",
                       "journal/seg-000000000004.jsonl", "journal/journal.json.tmp", "journal/journal.json.tmp"]
    lines = [op for op in run.trace.ops if op[0] == "write" and op[3].startswith(b'{"boot"')]
    assert [op[2] for op in lines[:3]] == [0, len(lines[0][3]), len(lines[0][3]) + len(lines[1][3])]


def test_a_compaction_cut_short_never_keeps_an_older_segment_than_one_it_removed(monkeypatch, tmp_path):
    """Regression: seg-1 and seg-4 were unlinked under one directory fsync, so a power cut could keep
    seg-1 and lose seg-4, leaving facts 1, 2, 3, 7; now each removal is durable before the next."""
    run = recorded_compaction(monkeypatch, str(tmp_path), appended=7)
    left = {tuple(sorted(name for name in image(changes) if "/seg-" in name))
            for _, changes in crash_states(run.trace.ops)}
    segment = "journal/seg-{:012d}.jsonl".format
    assert (segment(4), segment(7)) in left          # the compaction cut short after its first removal
    assert (segment(1), segment(7)) not in left


def test_every_crash_state_of_appends_acks_a_compaction_and_a_reopen(monkeypatch, tmp_path, states_root):
    run = RecordedRun(monkeypatch, str(tmp_path / "recorded"))
    run.open()
    run.append(5)            # seg-1 full, seg-4 started
    run.ack(2)
    run.append(2)            # seg-7 started
    run.ack(6)
    run.compact(keep_from_seq=7)
    run.close()
    run.open()
    run.append(3)            # seg-7 full, seg-10 started
    run.close()
    opened = open_every_crash_state(run, monkeypatch, states_root)
    assert opened > 1000


def test_every_crash_state_of_a_wiped_terminal_re_enrolled(monkeypatch, tmp_path, states_root):
    run = RecordedRun(monkeypatch, str(tmp_path / "recorded"))
    run.open()
    run.continue_after(100)
    run.append(4)            # seg-101 full, seg-104 started
    run.close()
    assert open_every_crash_state(run, monkeypatch, states_root) > 4 * 150


def cut_off_by_a_power_cut(root, tail):
    """A journal under *root* whose fifth append was cut off, leaving *tail* of its line, and a half-written
    ``journal.json.tmp`` of an ack; return the five facts (the last one never acknowledged)."""
    with ThreeFactsPerSegment(os.path.join(root, "journal"), terminal=TERMINAL) as journal:
        facts = [journal.append(fields(number)) for number in range(4)]
    facts.append({**fields(4), "terminal": TERMINAL, "seq": 5})
    line = json.dumps(facts[-1], separators=(",", ":")).encode() + b"\n"
    with open(os.path.join(root, "journal", "seg-000000000004.jsonl"), "ab") as segment:
        segment.write(tail(line))
    with open(os.path.join(root, "journal", "journal.json.tmp"), "wb") as temp:
        temp.write(b'{"store_id": "')
    return facts


@pytest.mark.parametrize("tail", [lambda line: line[:len(line) // 2], lambda line: bytes(40) + line[40:]],
                         ids=["half a line", "a hole of zeros then the end of the line"])
def test_every_crash_state_of_repairing_a_cut_off_append(monkeypatch, tmp_path, states_root, tail):
    root = str(tmp_path / "recorded")
    facts = cut_off_by_a_power_cut(root, tail)
    run = RecordedRun(monkeypatch, root, first_number=10)
    for fact in facts[:-1]:
        run.trace.mark("return", "append", fact)
    run.trace.mark("call", "append", facts[-1])
    start = len(run.trace.ops)
    run.open()               # removes the temp file, cuts the torn line
    assert run.journal.next_seq == 5
    run.append(3)            # seq 5 again, 6, then seg-7
    run.close()
    assert {"unlink", "truncate"} <= {op[0] for op in run.trace.ops[start:]}
    opened = open_every_crash_state(run, monkeypatch, states_root, start)
    assert opened > 3 * 150


@pytest.mark.slow
def test_every_crash_state_of_a_longer_day(monkeypatch, tmp_path, states_root):
    run = RecordedRun(monkeypatch, str(tmp_path / "recorded"))
    run.open()
    for round_number in range(8):
        run.append(7)
        run.ack(run.journal.next_seq - 3)
        run.compact(keep_from_seq=run.journal.next_seq - 3)
        if round_number % 2:
            run.close()
            run.open()
    run.close()
    opened = open_every_crash_state(run, monkeypatch, states_root)
    assert opened > 9000
