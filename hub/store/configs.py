"""Hall config versions: JSON documents (``protocol.config.config_to_dict``), newest is current."""
import hashlib
import json
import secrets
import threading
from datetime import date
from functools import partial
from types import MappingProxyType

from protocol.config import config_from_dict, config_to_dict
from protocol.errors import ConfigError

from .hall_schema import DEFAULT_HALL
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
    when its window counts as empty; approved overtime: a span is a session for its window, R10); the clerks those name, by id only and the day they left (a terminal shows no names: its SD
    card lies in a public hall); no leave, since no lamp of a window depends on a clerk's leave.
    """
    window = next((w for w in document["windows"] if w["terminal"] == terminal), None)
    view = {key: document[key] for key in ("hall", "rules", "sessions", "calendar")}
    view["hall"] = {k: v for k, v in view["hall"].items() if k != "departments"}
    view["windows"] = [] if window is None else [_without_office_text(window)]
    for key in WINDOW_ENTRIES:
        view[key] = [_without_office_text(entry) for entry in document.get(key, [])
                     if window is not None and entry["window"] == window["id"]]
    entries = view["windows"] + [entry for key in WINDOW_ENTRIES for entry in view[key]]
    named = dict.fromkeys(clerk for entry in entries for clerk in _clerks_of(entry))
    left = {c["id"]: c["left"] for c in document["clerks"] if "left" in c}     # 调离: not scheduled from then
    view.update(clerks=[{"id": clerk, "name": clerk, **({"left": left[clerk]} if clerk in left else {})}
                        for clerk in named], leave=[])
    return view


def _clerks_of(entry):
    """The clerk ids a window or window entry names."""
    return [entry[key] for key in ("a", "b", "clerk", "cover") if key in entry] + list(entry.get("clerks", ()))


def _without_office_text(entry):
    return {k: v for k, v in entry.items() if k not in OFFICE_TEXT}


# Parsed configs by etag: a stored version never changes, so one HallConfig is shared by every connection and
# thread. Sized for a city's hub (every hall's current version and a few old ones); a push reads every hall's.
PARSED_MAX = 1024
_parsed = {}
_parsed_lock = threading.Lock()


def _hall_of(etag, body):
    """The HallConfig of a stored version (*body* a callable giving its JSON text, called only when not parsed)."""
    config = _parsed.get(etag)
    if config is None:
        config = config_from_dict(json.loads(body()))
        with _parsed_lock:
            while len(_parsed) >= PARSED_MAX:
                _parsed.pop(next(iter(_parsed)))
            _parsed[etag] = config
    return config


# {stamp: read-only {hall id: HallConfig}} of :meth:`ConfigVersions.every`: the stamp is drawn anew in the
# transaction that saves a config, so a stamp names one set of current configs (a few kept: tests open many hubs)
EVERY_MAX = 64
_every = {}


def add_config_stamp(conn):
    """Migration: the ``config_stamp`` table, its one row's token drawn when the hub already has a config."""
    return ("CREATE TABLE config_stamp (id INTEGER PRIMARY KEY CHECK (id = 1), token TEXT NOT NULL);"
            f"INSERT INTO config_stamp (id, token) SELECT 1, '{secrets.token_hex(16)}' "
            "WHERE EXISTS (SELECT 1 FROM configs);")


def hall_id(config):
    """The id of *config*'s hall in the hub: its ``[hall] id``, else the default hall's."""
    return config.id or DEFAULT_HALL


class ConfigVersions:
    """The halls and configs tables: each hall's config versions, newest current; saving one marks the
    window-days it touches dirty. ``hall=None`` names the hub's first hall (a hub of one hall never names it)."""

    def __init__(self, conn, clock, dirty, audit):
        self.conn, self.clock, self.dirty, self.audit = conn, clock, dirty, audit

    def halls(self):
        """The halls as dicts (id, name, created_at), first added first."""
        return [dict(row) for row in self.conn.execute(
            "SELECT id, name, created_at FROM halls ORDER BY created_at, id")]

    def resolve(self, hall=None):
        """The id of *hall* (the first hall's when None); LookupError when the hub has no such hall."""
        return self._resolve(self.every(), hall)

    def _resolve(self, halls, hall):
        """:meth:`resolve` with the current configs *halls* at hand (a hall being added has none yet)."""
        if hall in halls or (hall is None and halls):
            return hall or next(iter(halls))
        row = self.conn.execute("SELECT id FROM halls WHERE ? IS NULL OR id = ? ORDER BY created_at, id LIMIT 1",
                                (hall, hall)).fetchone()
        if row is None:
            raise LookupError(f"hall: no hall {hall!r} in this hub" if hall else
                              "config: the hub has no hall config yet (run `hallpost hub init`)")
        return row["id"]

    def current(self, hall=None):
        """*hall*'s current config as (HallConfig, document dict (a fresh copy), version, etag), or None before init."""
        row = self.conn.execute("SELECT version, etag, body FROM configs WHERE hall = ? ORDER BY version DESC LIMIT 1",
                                (self._known(hall),)).fetchone()
        if row is None:
            return None
        return _hall_of(row["etag"], lambda: row["body"]), json.loads(row["body"]), row["version"], row["etag"]

    def hall(self, hall=None):
        """*hall*'s current HallConfig (raises LookupError before the hub is initialised or for no such hall)."""
        halls = self.every()
        return halls[self._resolve(halls, hall)]

    def every(self):
        """{hall id: current HallConfig} of every hall, first added first (read-only).

        Every push reads it (a city's hundred halls), so it is kept per stamp of the configs: one row read while
        no config is saved, anywhere. A stamp read before another process saved and the configs read after it
        are kept together; no one reads that stamp again (the save drew a new one), so it is never served.
        """
        stamp = self.conn.read_once.get("config_stamp")
        if stamp is None:
            stamp = self.conn.execute("SELECT token FROM config_stamp WHERE id = 1").fetchone()
            if stamp is not None and self.conn.writing:
                self.conn.read_once["config_stamp"] = stamp     # a write transaction's configs are read once
        kept = None if stamp is None else _every.get(stamp[0])
        if kept is not None:
            return kept
        rows = self.conn.execute(
            "SELECT c.hall, c.version, c.etag FROM configs c JOIN halls h ON h.id = c.hall "
            "WHERE c.version = (SELECT MAX(version) FROM configs WHERE hall = c.hall) ORDER BY h.created_at, h.id")
        halls = MappingProxyType({row["hall"]: _hall_of(row["etag"], partial(self._body, row["hall"],
                                                                             row["version"])) for row in rows.fetchall()})
        if stamp is not None:
            with _parsed_lock:
                while len(_every) >= EVERY_MAX:
                    _every.pop(next(iter(_every)))
                _every[stamp[0]] = halls
        return halls

    def changed(self):
        """Draw a new stamp of the configs (in the transaction that changed them): :meth:`every` reads them anew."""
        self.conn.execute("INSERT INTO config_stamp (id, token) VALUES (1, ?) ON CONFLICT (id) DO UPDATE "
                          "SET token = excluded.token", (secrets.token_hex(16),))
        self.conn.read_once.pop("config_stamp", None)

    def _body(self, hall, version):
        """The stored JSON text of *hall*'s config *version*."""
        return self.conn.execute("SELECT body FROM configs WHERE hall = ? AND version = ?", (hall, version)).fetchone()[0]

    def terminal_config(self, terminal):
        """What *terminal* receives of its hall's current config: (document, version, etag of that document)."""
        row = self.conn.execute("SELECT hall FROM terminals WHERE id = ?", (terminal,)).fetchone()
        _, document, version, _ = self.current(None if row is None else row["hall"])
        view = terminal_document(document, terminal)
        return view, version, etag_of(view)

    def version(self, version, hall=None):
        """One stored version of *hall* as a dict (version, etag, document, actor, saved_at, hall), or None."""
        row = self.conn.execute("SELECT * FROM configs WHERE hall = ? AND version = ?",
                                (self._known(hall), version)).fetchone()
        return None if row is None else {"version": row["version"], "etag": row["etag"], "actor": row["actor"],
                                         "saved_at": row["saved_at"], "document": json.loads(row["body"]),
                                         "hall": row["hall"]}

    def history(self, hall=None):
        """Every version of *hall*, newest first, without the documents."""
        rows = self.conn.execute("SELECT hall, version, etag, actor, saved_at FROM configs WHERE hall = ? "
                                 "ORDER BY version DESC", (self._known(hall),))
        return [dict(row) for row in rows]

    def add_hall(self, document, actor):
        """Add the hall of config *document* (its ``[hall] id`` new to the hub) with it as version 1; return its id.

        Raises ConfigError: an invalid config, an id the hub has, or clerks and terminals at odds with other halls.
        """
        new = config_from_dict(document)
        hall = hall_id(new)
        with self.conn.transaction():
            if self.conn.execute("SELECT 1 FROM halls WHERE id = ?", (hall,)).fetchone() is not None:
                raise ConfigError(f"hall.id: the hub already has a hall {hall!r} (give the new hall's [hall] id)")
            self.conn.execute("INSERT INTO halls (id, name, created_at) VALUES (?, ?, ?)",
                              (hall, new.name, utc_iso(self.clock())))
            self.save(document, actor, hall)
            # the other halls' verdicts of the clerks this hall shares with them now read this hall too
            self.dirty.mark_shared(hall, (new,), [(None, date.min, date.max)], self.every())
        return hall

    def save(self, document, actor, hall=None):
        """Check *document* with ``config_from_dict``, store it as a new version of *hall*, mark touched window-days.

        The hub's first config adds its hall. Returns the new version number (or the current one when nothing
        changed). Raises ConfigError (also for an id not *hall*'s, or clerks and terminals at odds with other halls).
        """
        new = config_from_dict(document)
        if hall is None and not self.halls():
            self.add_hall(document, actor)          # the hub's first config: its hall, as version 1
            return 1
        hall = self.resolve(hall)
        if hall_id(new) != hall:
            raise ConfigError(f"hall.id: this is hall {hall!r}, not {hall_id(new)!r} (a hall's id never changes)")
        document = config_to_dict(new)
        etag = etag_of(document)
        with self.conn.transaction():
            self.conn.lock("configs")               # one new version at a time, whichever process saves it
            current = self.current(hall)
            self.check_across_halls(hall, new, set() if current is None else set(current[0].clerks))
            if current is not None and current[3] == etag:
                return current[2]
            version = 1 if current is None else current[2] + 1
            self.conn.execute("INSERT INTO configs (hall, version, etag, body, actor, saved_at) "
                              "VALUES (?, ?, ?, ?, ?, ?)",
                              (hall, version, etag, canonical(document), actor, utc_iso(self.clock())))
            self.changed()
            if current is not None:
                self.dirty.mark_config_change(hall, current[0], new, self.every())
            self.audit.add(actor, "save config", {"version": version, "etag": etag}, hall=hall)
        return version

    def _known(self, hall):
        """The id of *hall* (the first hall when None), or None when the hub has none yet."""
        try:
            return self.resolve(hall)
        except LookupError:
            if hall is not None:
                raise
            return None

    def check_across_halls(self, hall, new, known):
        """Refuse *new* (of *hall*) when a clerk id new to the hall (not in *known*) names another person in
        another hall, or one of its terminals serves a window of another hall: clerk and terminal ids are the
        hub's. (A clerk the hall already has may be renamed: a typo is fixed one hall at a time.)"""
        for other, config in self.every().items():
            if other == hall:
                continue
            for i, clerk in enumerate(new.clerks.values()):
                theirs = config.clerks.get(clerk.id)
                if clerk.id not in known and theirs is not None and theirs.name != clerk.name:
                    raise ConfigError(f"clerks[{i}].name: clerk {clerk.id!r} is {theirs.name!r} in hall {other!r} "
                                      f"(a clerk id is one person in the hub), got {clerk.name!r}")
            for i, window in enumerate(new.windows):
                if config.window_of_terminal(window.terminal) is not None:
                    raise ConfigError(f"windows[{i}].terminal: terminal {window.terminal!r} serves hall {other!r}")
