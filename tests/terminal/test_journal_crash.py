"""Crash safety with real processes: a child appends facts and is SIGKILLed at random moments."""
import os
import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import tinydb

from firmware.terminal.journal import Journal
from protocol.facts import parse_fact

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "journal_child.py")
TERMINAL = "win-kill"
# The child skips site (-S: the editable install's finder costs more than the rest of its start-up) and
# finds the project and TinyDB on PYTHONPATH instead.
CHILD_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([ROOT, os.path.dirname(os.path.dirname(tinydb.__file__))])}
FACTS_PER_SEGMENT = 7  # small, so that kills also land while a segment is being started


class KillRecord:
    """What the parent knows: every acknowledged (seq -> run, count) and every fact it has seen stored."""

    def __init__(self):
        self.acknowledged = {}
        self.seen = {}
        self.checked_upto = 0
        self.acked_upto = 0

    def run_child(self, directory, run, rng):
        """Start a child, kill it with SIGKILL at a random moment, collect the seqs it acknowledged."""
        child = subprocess.Popen([sys.executable, "-S", CHILD, "append", directory, str(run), str(FACTS_PER_SEGMENT)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 bufsize=0,  # unbuffered, so readline() leaves all later output to communicate()
                                 env=CHILD_ENV)
        early = []
        try:
            if rng.random() < 0.15:  # somewhere in start-up, opening or the first appends
                time.sleep(rng.uniform(0, 0.06))
            else:
                assert child.stdout.readline() in (b"ready\n", b""), "child said something else first"
                # Half the runs wait for some acknowledged appends first, so a loaded machine (where 15 ms
                # may pass before the first append) still kills mid-run and acknowledges facts.
                early = [child.stdout.readline() for _ in range(rng.randint(1, 5) if rng.random() < 0.5 else 0)]
                time.sleep(rng.uniform(0, 0.015))
        finally:
            child.kill()
            out, err = child.communicate(timeout=30)
        assert child.returncode == -9, f"child ended by itself: {err.decode()}"
        lines = [line for line in b"".join(early).split(b"\n") + out.split(b"\n") if line and line != b"ready"]
        for count, line in enumerate(lines):
            self.acknowledged[int(line)] = (f"run-{run}", count)
        return len(lines)

    def check(self, directory, run, acknowledged_now):
        """Reopen after a kill: whole lines only, every acknowledged fact there, no seq reused."""
        for name in os.listdir(directory) if os.path.isdir(directory) else []:  # killed before creating it
            if name.startswith("seg-"):
                with open(os.path.join(directory, name), "rb") as segment:
                    content = segment.read()
                assert content == b"" or content.endswith(b"\n"), f"{name}: half-written line"
        with Journal(directory, terminal=TERMINAL) as journal:
            facts = journal.facts(since_seq=self.checked_upto)
            seqs = [fact["seq"] for fact in facts]
            assert seqs == sorted(set(seqs)), "seqs out of order or repeated"
            mine = 0
            for fact in facts:
                parsed = parse_fact(fact)
                assert parsed.terminal == TERMINAL
                assert self.seen.setdefault(parsed.seq, (parsed.boot, parsed.mono_ms)) == (parsed.boot,
                                                                                            parsed.mono_ms)
                mine += parsed.boot == f"run-{run}"
            assert acknowledged_now <= mine <= acknowledged_now + 1, "a run stored more than it acknowledged + 1"
            for seq, origin in self.acknowledged.items():
                if seq > self.checked_upto:
                    assert self.seen.get(seq) == origin, f"acknowledged seq {seq} {origin} lost or replaced"
            if seqs:
                self.checked_upto = seqs[-1]
            assert journal.next_seq > max(self.seen, default=0)
            if run % 10 == 9:  # the hub acknowledges some facts now and then; compaction runs under kills too
                self.acked_upto = max(self.acked_upto, self.checked_upto - FACTS_PER_SEGMENT)
                journal.ack(self.acked_upto)
                journal.compact(keep_from_seq=self.acked_upto)

    def final_check(self, directory):
        """Every retained fact is the one first seen under its seq; every unacked acknowledged seq is there."""
        with Journal(directory, terminal=TERMINAL) as journal:
            stored = {fact["seq"]: (fact["boot"], fact["mono_ms"]) for fact in journal.facts()}
            assert journal.acked_seq == self.acked_upto
        assert all(self.seen[seq] == origin for seq, origin in stored.items())
        assert all(stored[seq] == origin for seq, origin in self.acknowledged.items() if seq > self.acked_upto)


def kill_repeatedly(directory, kills, seed):
    """Kill a child *kills* times on one journal, checking after each kill; return the acknowledged count."""
    rng = random.Random(seed)
    record = KillRecord()
    for run in range(kills):
        acknowledged = record.run_child(directory, run, rng)
        record.check(directory, run, acknowledged)
    record.final_check(directory)
    return len(record.acknowledged)


def test_sigkill_at_random_moments_loses_no_acknowledged_fact(tmp_path):
    acknowledged = kill_repeatedly(str(tmp_path / "journal"), kills=200, seed=20261124)
    assert acknowledged > 200


@pytest.mark.slow
def test_thousands_of_sigkills(tmp_path):
    with ThreadPoolExecutor(max_workers=2) as pool:  # one killer per core, each on its own journal
        runs = [pool.submit(kill_repeatedly, str(tmp_path / f"journal-{n}"), kills=1000, seed=n) for n in range(2)]
        assert all(run.result(timeout=900) > 1000 for run in runs)



def test_no_room_on_the_disk_is_a_full_journal_and_leaves_only_whole_lines(tmp_path):
    directory = str(tmp_path / "journal")
    child = subprocess.run([sys.executable, "-S", CHILD, "fill", directory, "1000"], capture_output=True, text=True,
                           env=CHILD_ENV, timeout=60, check=True)
    stored, message = child.stdout.split(" ", 1)
    assert "no room on the disk" in message
    with Journal(directory, terminal=TERMINAL) as journal:
        facts = journal.facts()
        assert [fact["seq"] for fact in facts] == list(range(1, int(stored) + 1))
        assert journal.size_bytes <= 1000
        assert all(parse_fact(fact) for fact in facts)
        assert journal.append(facts[0])["seq"] == int(stored) + 1
