"""The TinyDB ``Storage`` behind every journal segment: TinyDB's API over a :class:`.SegmentFile`.

:class:`SegmentStorage` keeps TinyDB's storage contract (``read()``, ``write(data)``, ``close()``) and
nothing more: ``write()`` appends only the documents TinyDB added since the last write (the segment file
fsyncs before returning) and refuses any write that removes, renumbers or changes a stored document.
The journal asks the :class:`.SegmentFile` it handed in, not the storage, for sizes and tail repairs.
"""
from tinydb import TinyDB
from tinydb.storages import Storage

from .errors import JournalError

TABLE = "_default"


class SegmentStorage(Storage):
    """TinyDB storage for one segment: append-only JSON lines keyed by the fact's seq.

    Documents must be inserted with ``Document(fact, doc_id=fact["seq"])``.
    """

    def __init__(self, segment):
        self._segment = segment

    def read(self):
        """The table as TinyDB expects it: ``{"_default": {"<seq>": fact, ...}}``."""
        return {TABLE: self._segment.facts()}

    def write(self, data):
        """Append the documents TinyDB added since the last write; refuse anything else."""
        if not self._segment.writable:
            raise JournalError(f"{self._segment.path}: a closed segment is read-only")
        table = data.get(TABLE, {})
        keys, stored = list(table), list(self._segment.facts())
        if keys[:len(stored)] != stored:
            raise JournalError(f"{self._segment.path}: the journal only appends; changing stored facts is not possible")
        new = keys[len(stored):]
        for key in new:
            if key != str(table[key].get("seq")):
                raise JournalError(f"{self._segment.path}: document id {key} is not the fact's seq "
                                   f"{table[key].get('seq')!r}")
        if new:
            self._segment.append([table[key] for key in new])

    def close(self):
        """Close the segment file (idempotent)."""
        self._segment.close()


def open_segment(segment):
    """A TinyDB database on the :class:`.SegmentFile` *segment*."""
    return TinyDB(segment, storage=SegmentStorage)
