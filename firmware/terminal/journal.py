"""The terminal's journal (日志): every fact is fsynced before its lamp confirms the press.

A journal is a directory:

- ``journal.json`` — store id, terminal, acked seq and the highest seq ever handed out, replaced atomically;
- ``seg-<first seq>.jsonl`` — bounded TinyDB segments of at most ``facts_per_segment`` facts (a
  :class:`.SegmentFile` each, read and appended through the TinyDB storage of :mod:`.segments`; the
  journal asks the file, never TinyDB's storage, for sizes and tail repairs); only the newest takes
  appends, the others are immutable and read on demand, so an append costs the same with 10 or 100,000
  unsynced facts and memory holds one segment;
- ``lock`` — flocked while a :class:`Journal` has the directory open.

One writer: a journal belongs to one :class:`Journal` object in one process (a second one gets
:class:`JournalLocked`). The object's methods hold a lock, so the gpiozero callback thread and the sync
thread may share it. Other processes (``hallpost terminal status``/``export``) open it with
``read_only=True``: no lock, no repairs, a snapshot of the facts as of opening.
"""
import errno
import fcntl
import json
import os
import threading
from itertools import islice

from tinydb.table import Document

from .atomic import fsync_directory, replace_file
from .errors import JournalCorrupt, JournalError, JournalFull, JournalLocked
from .segment_file import SegmentFile, count_lines, encode_fact, segment_first_seq, segment_name
from .segments import open_segment

META = "journal.json"
LOCK = "lock"


class _Segment:
    """Where a segment is and what it holds: facts ``first`` … ``first + count - 1``."""

    __slots__ = ("first", "count", "size")

    def __init__(self, first, count, size):
        self.first, self.count, self.size = first, count, size

    @property
    def last(self):
        """The seq of the segment's last fact (``first - 1`` when empty)."""
        return self.first + self.count - 1


class Journal:
    """The facts of one terminal, numbered by ``seq`` (1, 2, 3 …, never reused) and kept until acked."""

    facts_per_segment = 500

    def __init__(self, path, *, terminal, max_bytes=64 * 1024 * 1024, near_full_ratio=0.8, read_only=False):
        self.path = path
        self.terminal = terminal
        self.max_bytes = max_bytes
        self.near_full_ratio = near_full_ratio
        self.read_only = read_only
        self._mutex = threading.RLock()
        self._db = None         # TinyDB on the newest segment, while it takes appends
        self._newest = None     # the SegmentFile behind self._db
        self._lock_fd = None
        self._closed = False
        if read_only and not os.path.exists(os.path.join(path, META)):
            raise JournalError(f"{path}: no journal here ({META} missing)")
        if not os.path.isdir(path):
            os.makedirs(path)
            fsync_directory(os.path.dirname(os.path.abspath(path)))
        try:
            if not read_only:
                self._lock_fd = _lock_directory(path)
                self._remove_temp_files()
            self._meta = self._load_meta()
            firsts = sorted(f for f in map(segment_first_seq, os.listdir(path)) if f is not None)
            self._segments = self._scan_closed(firsts)
            self._open_newest(firsts[-1] if firsts else None)
        except BaseException:
            self.close()
            raise

    # -- the interface the terminal uses --------------------------------------------------------------

    def append(self, fact_fields):
        """Store *fact_fields* with this terminal's id and the next seq, durably; return the stored fact."""
        if not isinstance(fact_fields, dict):
            raise TypeError(f"fact: must be a dict (a JSON object), got {type(fact_fields).__name__}")
        with self._mutex:
            self._check_writable()
            seq = self._next_seq
            fact = {**fact_fields, "terminal": self.terminal, "seq": seq}
            size = len(encode_fact(fact))
            if self.size_bytes + size > self.max_bytes:
                raise JournalFull(
                    f"{self.path}: fact {seq} ({size} bytes) would grow the journal past max_bytes="
                    f"{self.max_bytes} ({self.size_bytes} bytes, {self.unsynced_count} unsynced facts held)")
            try:
                if self._db is None or self._segments[-1].count >= self.facts_per_segment:
                    self._start_segment(seq)
                self._db.insert(Document(fact, doc_id=seq))
            except OSError as exc:
                if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                    raise JournalFull(f"{self.path}: fact {seq} not stored, no room on the disk ({exc})") from exc
                raise
            newest = self._segments[-1]
            newest.count += 1
            newest.size = self._newest.size_bytes
            self._next_seq = seq + 1
            return dict(fact)

    def facts(self, since_seq=0):
        """The retained facts with seq greater than *since_seq*, in seq order."""
        with self._mutex:
            self._check_open()
            return list(self._iter_facts(since_seq))

    def unacked(self, limit):
        """Up to *limit* facts the hub has not acknowledged yet, oldest first."""
        with self._mutex:
            self._check_open()
            return list(islice(self._iter_facts(self.acked_seq), limit))

    def ack(self, upto_seq):
        """Record durably that the hub holds every fact up to *upto_seq*; a lower ack changes nothing."""
        if isinstance(upto_seq, bool) or not isinstance(upto_seq, int) or upto_seq < 0:
            raise ValueError(f"ack: must be a non-negative integer seq, got {upto_seq!r}")
        with self._mutex:
            self._check_writable()
            if upto_seq > self._next_seq - 1:
                raise ValueError(f"ack: seq {upto_seq} was never written (last seq is {self._next_seq - 1})")
            if upto_seq > self.acked_seq:
                self._save_meta(acked_seq=upto_seq)
            return self.acked_seq

    def continue_after(self, seq):
        """Number the next facts after *seq*, which the hub already holds (a wiped terminal re-enrolled)."""
        if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
            raise ValueError(f"seq: must be a non-negative integer, got {seq!r}")
        with self._mutex:
            self._check_writable()
            if seq < self._next_seq:
                return self._next_seq
            self._save_meta(used_seq=seq, acked_seq=max(self.acked_seq, seq))
            self._close_newest()  # a segment holds consecutive seqs: the next fact starts a new one
            self._next_seq = seq + 1
            return self._next_seq

    def compact(self, keep_from_seq):
        """Delete whole segments that are acked and end before *keep_from_seq*; return how many."""
        with self._mutex:
            self._check_writable()
            doomed = [s for s in self._segments[:-1] if s.last <= self.acked_seq and s.last < keep_from_seq]
            if not doomed:
                return 0
            self._save_meta(used_seq=self._next_seq - 1)
            for segment in doomed:  # oldest first, each gone for good before the next: a power cut leaves no gap
                os.unlink(self._segment_path(segment.first))
                fsync_directory(self.path)
                self._segments.remove(segment)
            return len(doomed)

    def export(self, fileobj):
        """Write the retained facts to the text file *fileobj* as JSON Lines; return how many."""
        count = 0
        with self._mutex:
            self._check_open()
            for fact in self._iter_facts(0):
                fileobj.write(json.dumps(fact, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
                fileobj.write("\n")
                count += 1
        return count

    @property
    def store_id(self):
        """Random hex id of this journal, made at its creation: a wiped terminal gets a new one."""
        return self._meta["store_id"]

    @property
    def acked_seq(self):
        """The highest seq the hub has acknowledged (0: none)."""
        return self._meta["acked_seq"]

    @property
    def next_seq(self):
        """The seq the next appended fact will get."""
        return self._next_seq

    @property
    def size_bytes(self):
        """Bytes held in segments."""
        return sum(segment.size for segment in self._segments)

    @property
    def unsynced_count(self):
        """How many retained facts the hub has not acknowledged."""
        acked = self.acked_seq
        return sum(max(0, s.last - max(s.first - 1, acked)) for s in self._segments)

    @property
    def near_full(self):
        """True once the journal holds ``near_full_ratio`` of ``max_bytes`` (a fault the office must see)."""
        return self.size_bytes >= self.near_full_ratio * self.max_bytes

    def close(self):
        """Close the newest segment and release the directory (idempotent)."""
        with self._mutex:
            self._close_newest()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
            self._closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # -- opening --------------------------------------------------------------------------------------

    def _remove_temp_files(self):
        for name in os.listdir(self.path):
            if name.endswith(".tmp"):
                os.unlink(os.path.join(self.path, name))

    def _load_meta(self):
        path = os.path.join(self.path, META)
        try:
            with open(path, encoding="utf-8") as handle:
                meta = json.load(handle)
        except FileNotFoundError:
            if any(segment_first_seq(name) is not None for name in os.listdir(self.path)):
                raise JournalCorrupt(f"{path}: missing although the journal holds segments") from None
            meta = {"store_id": os.urandom(16).hex(), "terminal": self.terminal, "acked_seq": 0, "used_seq": 0}
            replace_file(path, json.dumps(meta).encode())
        except ValueError as exc:
            raise JournalCorrupt(f"{path}: not valid JSON ({exc})") from None
        if meta.get("terminal") != self.terminal:
            raise JournalError(f"{path}: journal of terminal {meta.get('terminal')!r}, opened as {self.terminal!r}")
        return meta

    def _save_meta(self, **changes):
        meta = {**self._meta, **changes}
        replace_file(os.path.join(self.path, META), json.dumps(meta).encode())
        self._meta = meta

    def _scan_closed(self, firsts):
        segments = []
        for first, following in zip(firsts, firsts[1:]):
            path = self._segment_path(first)
            segments.append(_Segment(first, count_lines(path), os.path.getsize(path)))
            if segments[-1].last >= following:
                raise JournalCorrupt(f"{path}: overlaps the next segment, {segment_name(following)}")
        return segments

    def _open_newest(self, first):
        """Open the newest segment for appends, cutting a torn last line so its seq is reused."""
        self._next_seq = self._meta["used_seq"] + 1
        if first is None:
            return
        segment_file = SegmentFile(self._segment_path(first), writable=not self.read_only)
        db = open_segment(segment_file)
        try:
            seqs = [doc.doc_id for doc in db.all()]
            if seqs != list(range(first, first + len(seqs))):
                raise JournalCorrupt(f"{self._segment_path(first)}: seqs are not {first}, {first + 1}, … in order")
        except JournalError:
            db.close()
            raise
        segment = _Segment(first, len(seqs), segment_file.size_bytes)
        if self.read_only:
            db.close()
            self._segments.append(segment)
            self._next_seq = max(self._meta["used_seq"], segment.last) + 1
            return
        segment_file.cut_torn_tail()   # never acknowledged (append returns after fsync): its seq is free again
        self._next_seq = max(self._meta["used_seq"], segment.last) + 1
        if segment.count == 0 and segment.first < self._next_seq:
            db.close()
            os.unlink(self._segment_path(first))
            fsync_directory(self.path)
            return
        self._segments.append(segment)
        if segment.last + 1 == self._next_seq:
            self._db, self._newest = db, segment_file
        else:
            db.close()

    # -- appending and reading ------------------------------------------------------------------------

    def _start_segment(self, first):
        self._close_newest()
        segment_file = SegmentFile(self._segment_path(first), create=True)
        self._db, self._newest = open_segment(segment_file), segment_file
        fsync_directory(self.path)
        self._segments.append(_Segment(first, 0, 0))

    def _close_newest(self):
        if self._db is not None:
            self._db.close()
            self._db = self._newest = None

    def _iter_facts(self, since_seq):
        for segment in self._segments:
            if segment.last <= since_seq:
                continue
            if self._db is not None and segment is self._segments[-1]:
                docs = self._db.all()
            else:
                try:
                    with open_segment(SegmentFile(self._segment_path(segment.first), writable=False)) as db:
                        docs = db.all()
                except FileNotFoundError:
                    if self.read_only:  # compacted by the writer since this snapshot was taken
                        continue
                    raise
            if len(docs) < segment.count or (docs and docs[0].doc_id != segment.first):
                raise JournalCorrupt(f"{self._segment_path(segment.first)}: holds {len(docs)} facts, "
                                     f"expected {segment.count} from seq {segment.first}")
            for doc in docs[max(0, since_seq + 1 - segment.first):segment.count]:
                yield dict(doc)

    def _segment_path(self, first):
        return os.path.join(self.path, segment_name(first))

    def _check_open(self):
        if self._closed:
            raise JournalError(f"{self.path}: the journal is closed")

    def _check_writable(self):
        self._check_open()
        if self.read_only:
            raise JournalError(f"{self.path}: opened read-only")


def _lock_directory(path):
    fd = os.open(os.path.join(path, LOCK), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise JournalLocked(f"{path}: another process has this journal open") from None
    return fd
