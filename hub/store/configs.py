"""Hall config versions: JSON documents (``protocol.config.config_to_dict``), newest is current."""
import hashlib
import json
from functools import lru_cache

from protocol.config import config_from_dict, config_to_dict

from .times import utc_iso


def canonical(document):
    """The canonical JSON text of a config document (sorted keys, no spaces)."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def etag_of(document):
    """The ETag of a config document: sha256 of its canonical JSON."""
    return hashlib.sha256(canonical(document).encode()).hexdigest()


# Entries that belong to one window (``"window": id``): a terminal gets only those of its own window.
WINDOW_ENTRIES = ("permits", "overtime")
# Free text of the office a terminal never shows (a permit's reason may say why a clerk was away).
OFFICE_TEXT = ("reason", "department")


def terminal_document(document, terminal):
    """What the terminal *terminal* receives of the config *document*: only what its lamps need.

    Hall, rules, sessions and calendar; its own window; its window's entries (permits: a permit changes
    when its window counts as empty; approved overtime: a span is a session for its window, R10); the clerks those name, by id only (a terminal shows no names: its SD
    card lies in a public hall); no leave, since no lamp of a window depends on a clerk's leave.
    """
    window = next((w for w in document["windows"] if w["terminal"] == terminal), None)
    view = {key: document[key] for key in ("hall", "rules", "sessions", "calendar")}
    view["windows"] = [] if window is None else [_without_office_text(window)]
    for key in WINDOW_ENTRIES:
        view[key] = [_without_office_text(entry) for entry in document.get(key, [])
                     if window is not None and entry["window"] == window["id"]]
    entries = view["windows"] + [entry for key in WINDOW_ENTRIES for entry in view[key]]
    named = dict.fromkeys(clerk for entry in entries for clerk in _clerks_of(entry))
    view.update(clerks=[{"id": clerk, "name": clerk} for clerk in named], leave=[])
    return view


def _clerks_of(entry):
    """The clerk ids a window or window entry names."""
    return [entry[key] for key in ("a", "b", "clerk", "cover") if key in entry] + list(entry.get("clerks", ()))


def _without_office_text(entry):
    return {k: v for k, v in entry.items() if k not in OFFICE_TEXT}


@lru_cache(maxsize=16)
def _hall_of(etag, body):
    """The HallConfig of a stored version: immutable, so one is shared by every connection."""
    return config_from_dict(json.loads(body))


class ConfigVersions:
    """The configs table: the hall config's versions; saving one marks the window-days it touches dirty."""

    def __init__(self, conn, clock, dirty, audit):
        self.conn, self.clock, self.dirty, self.audit = conn, clock, dirty, audit

    def current(self):
        """The current config as (HallConfig, document dict (a fresh copy), version, etag), or None before init."""
        row = self.conn.execute("SELECT version, etag, body FROM configs ORDER BY version DESC LIMIT 1").fetchone()
        if row is None:
            return None
        return _hall_of(row["etag"], row["body"]), json.loads(row["body"]), row["version"], row["etag"]

    def hall(self):
        """The current HallConfig (raises LookupError before the hub is initialised)."""
        row = self.conn.execute("SELECT etag, body FROM configs ORDER BY version DESC LIMIT 1").fetchone()
        if row is None:
            raise LookupError("config: the hub has no hall config yet (run `hallpost hub init`)")
        return _hall_of(row["etag"], row["body"])

    def terminal_config(self, terminal):
        """What *terminal* receives of the current config: (document, version, etag of that document)."""
        _, document, version, _ = self.current()
        view = terminal_document(document, terminal)
        return view, version, etag_of(view)

    def version(self, version):
        """One stored version as a dict (version, etag, document, actor, saved_at), or None."""
        row = self.conn.execute("SELECT * FROM configs WHERE version = ?", (version,)).fetchone()
        return None if row is None else {"version": row["version"], "etag": row["etag"], "actor": row["actor"],
                                         "saved_at": row["saved_at"], "document": json.loads(row["body"])}

    def history(self):
        """Every version, newest first, without the documents."""
        rows = self.conn.execute("SELECT version, etag, actor, saved_at FROM configs ORDER BY version DESC")
        return [dict(row) for row in rows]

    def save(self, document, actor):
        """Check *document* with ``config_from_dict``, store it as a new version, mark touched window-days.

        Returns the new version number (or the current one when nothing changed). Raises ConfigError.
        """
        new = config_from_dict(document)
        document = config_to_dict(new)
        etag = etag_of(document)
        with self.conn.transaction():
            self.conn.lock("configs")               # one new version at a time, whichever process saves it
            current = self.current()
            if current is not None and current[3] == etag:
                return current[2]
            version = 1 if current is None else current[2] + 1
            self.conn.execute("INSERT INTO configs (version, etag, body, actor, saved_at) VALUES (?, ?, ?, ?, ?)",
                              (version, etag, canonical(document), actor, utc_iso(self.clock())))
            if current is not None:
                self.dirty.mark_config_change(current[0], new)
            self.audit.add(actor, "save config", {"version": version, "etag": etag})
        return version
