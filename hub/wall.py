"""The live wall (实时看板) as data: one card per window, which the page, wall.json and ``hallpost hub wall``
all render; the center wall: one line of totals per hall. Flask-free: the store's live state in; names, local
times, durations and words out."""
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime

from protocol import status

from . import formats
from .alert_text import shown
from .i18n import N_
from .store.configs import hall_id

STATES = ("A", "B", "empty", "closed", "unknown")

# The terminal's faults (protocol.status) as the office reads them; translated where they are shown.
FAULT_WORDS = {status.JOURNAL_FULL: N_("journal full: presses refused"),
               status.JOURNAL_NEAR_FULL: N_("journal nearly full"), status.HUB_REJECTED: N_("hub refuses it (key?)"),
               status.CLOCK_UNCERTAIN: N_("clock not set"), status.NO_CONFIG: N_("no hall config"),
               status.KEYPAD_MISSING: N_("keypad missing"), status.HUB_UNREACHABLE: N_("hub unreachable")}
STRAYS_DROPPED = N_("%(n)s stray keys not recorded")
# Each state in words: the legend says these, and a card's first line begins with its state's word.
STATE_WORDS = {"A": N_("Post A"), "B": N_("Post B"), "empty": N_("Empty"), "closed": N_("Out of hours"),
               "unknown": N_("Unknown")}
HELD_BY = N_("%(post)s · %(clerk)s")
EMPTY_SINCE = N_("%(duration)s, since %(time)s")
WAITING_FOR = N_("Waiting for post %(post)s: %(clerk)s")
OFFLINE_SINCE, LAST_HELD = N_("Offline since %(time)s"), N_("last held by post %(post)s: %(clerk)s")
KEYPAD_WORDS = {True: N_("connected"), False: N_("not connected")}
SYNCED_AGO = N_("%(time)s (%(ago)s ago)")
# A terminal that has missed a heartbeat: its last sync is marked late (the store calls it unknown after three).
SYNC_LATE_HEARTBEATS = 1.5
SEPARATOR = N_("; ")


@dataclass(frozen=True)
class Card:
    """One window on the wall; ``state`` is one of :data:`STATES` ("closed": nobody, out of its sessions).

    Times are ISO as the store holds them, ``*_local`` in the hall's zone, ``*_clock`` its HH:MM:SS;
    ``troubles`` are the terminal's faults and its keypad's dropped stray keys in the reader's words, and
    ``*_text`` the card's lines as the reader reads them (the page and wall.js place them as they are);
    ``sync_late`` once the terminal has missed a heartbeat (its last sync then says how long ago).
    """

    id: str
    name: str
    state: str
    holder: str | None
    holder_name: str | None
    waiting: str | None
    alarm: bool
    session: str | None
    empty_since: str | None
    empty_seconds: int | None
    empty_for: str | None
    keypad: bool | None
    strays_dropped: int
    faults: list
    troubles: list
    last_sync: str | None
    last_sync_local: str | None
    last_sync_clock: str | None
    offline_since: str | None
    offline_since_local: str | None
    offline_clock: str | None
    a_name: str
    b_name: str
    last_holder: str | None
    last_holder_name: str | None
    holder_text: str
    empty_text: str | None
    waiting_name: str | None
    waiting_text: str | None
    offline_text: str | None
    keypad_text: str
    sync_late: bool
    last_sync_text: str | None


@dataclass(frozen=True)
class Totals:
    """The wall's windows counted: held (A or B), empty, unknown (terminal silent), out of hours, and the empty
    ones whose handover waits for the other post (counted among the empty as well)."""

    held: int
    empty: int
    unknown: int
    closed: int
    waiting: int


def totals(cards):
    """The :class:`Totals` of *cards*."""
    return _counted([card.state for card in cards], sum(1 for card in cards if card.waiting))


def _counted(states, waiting):
    """The :class:`Totals` of windows in *states* (:data:`STATES`), *waiting* of them waiting for a handover."""
    states = Counter(states)
    return Totals(held=states["A"] + states["B"], empty=states["empty"], unknown=states["unknown"],
                  closed=states["closed"], waiting=waiting)


def shown_state(entry):
    """The card's state (:data:`STATES`) of a store entry: nobody there is empty in a session, else closed."""
    if entry["state"] == "nobody":
        return "empty" if entry["session"] else "closed"
    return entry["state"]


@dataclass(frozen=True)
class Wall:
    """The wall at one instant of the hub's clock: its time (UTC, local, HH:MM:SS), the cards and their totals,
    and the open alerts of its windows (:class:`hub.alert_text.Shown` as dicts, oldest first)."""

    now: str
    now_local: str
    now_clock: str
    windows: tuple
    totals: Totals
    alerts: tuple = ()

    def as_json(self):
        """The wall as a JSON-ready dict (what /admin/wall.json answers)."""
        return asdict(self)


@dataclass(frozen=True)
class HallTotals:
    """One hall on the center wall: its windows held (A or B), empty, unknown, out of hours, handovers waiting."""

    hall: str
    name: str
    windows: int
    held: int
    empty: int
    unknown: int
    closed: int
    waiting: int


def center(store, at):
    """Every hall's totals at *at*, worst first: most windows empty, then unknown, then handovers waiting (counted
    from the store's entries as :func:`build` counts its cards)."""
    entries, halls = defaultdict(list), store.configs.every()
    for entry in store.live.wall(at):
        entries[entry["hall"]].append(entry)
    lines = []
    for hall in store.configs.halls():
        config, mine = halls[hall["id"]], entries[hall["id"]]
        counted = _counted([shown_state(e) for e in mine], sum(1 for e in mine if e["waiting"]))
        lines.append(HallTotals(hall["id"], config.name, len(mine), **asdict(counted)))
    return sorted(lines, key=lambda line: (-line.empty, -line.unknown, -line.waiting, line.hall))


def snapshot(store, config, windows, at, translate):
    """The wall of *windows* of *config*'s hall at *at*, from the store's live state and open alerts; *translate*
    maps a message key to text."""
    hall = hall_id(config)
    wanted = {w.id for w in windows}
    alerts = tuple(shown(row, config, at, translate).as_json() for row in store.alerts.open(hall)
                   if row["window"] in wanted)
    return build(store.live.wall(at, hall=hall), config, windows, at, translate, alerts)


def build(entries, config, windows, at, translate, alerts=()):
    """The wall at *at* from the store's ``live.wall`` *entries*, keeping only those of *windows* (in order), with
    the open *alerts* given."""
    wanted = {w.id for w in windows}
    now_local = formats.local_iso(at, config.tz)
    cards = tuple(card(entry, config, at, translate) for entry in entries if entry["window"] in wanted)
    return Wall(now=at.isoformat(timespec="seconds"), now_local=now_local, now_clock=formats.clock(now_local),
                windows=cards, totals=totals(cards), alerts=alerts)


def card(entry, config, at, translate):
    """The card of one store entry at *at*."""
    tz, clerks = config.tz, config.clerks
    state = shown_state(entry)
    empty_since = formats.local_iso(entry["empty_since"] if state == "empty" else None, tz)
    empty_seconds = None if empty_since is None else int((at - datetime.fromisoformat(empty_since)).total_seconds())
    last_sync_local = formats.local_iso(entry["last_sync"], tz)
    offline_since_local = formats.local_iso(entry["offline_since"], tz)
    names = {key: clerks[entry[key]].name if entry.get(key) else None
             for key in ("holder_clerk", "last_holder_clerk", "a", "b")}
    waiting_name = names["a" if entry["waiting"] == "A" else "b"] if entry["waiting"] else None
    return Card(
        id=entry["window"], name=entry["name"], state=state, holder=entry["holder"],
        holder_name=names["holder_clerk"], waiting=entry["waiting"], alarm=bool(entry["alarm"]),
        session=entry["session"], empty_since=empty_since, empty_seconds=empty_seconds,
        empty_for=None if empty_seconds is None else formats.duration(empty_seconds, translate),
        keypad=entry["keypad"], strays_dropped=entry["strays_dropped"], faults=list(entry["faults"]),
        troubles=troubles(entry["faults"], entry["strays_dropped"], translate),
        last_sync=entry["last_sync"], last_sync_local=last_sync_local,
        last_sync_clock=formats.clock(last_sync_local, None),
        offline_since=entry["offline_since"], offline_since_local=offline_since_local,
        offline_clock=formats.clock(offline_since_local, None), a_name=names["a"], b_name=names["b"],
        last_holder=entry.get("last_holder"), last_holder_name=names["last_holder_clerk"],
        holder_text=_held(translate(STATE_WORDS[state]), names["holder_clerk"], translate),
        empty_text=None if empty_seconds is None else translate(EMPTY_SINCE) % {
            "duration": formats.duration(empty_seconds, translate), "time": formats.clock(empty_since)},
        waiting_name=waiting_name,
        waiting_text=waiting_name and translate(WAITING_FOR) % {"post": entry["waiting"], "clerk": waiting_name},
        offline_text=_offline(offline_since_local, entry.get("last_holder"), names["last_holder_clerk"], translate)
        if state == "unknown" else None,
        keypad_text=formats.MISSING if entry["keypad"] is None else translate(KEYPAD_WORDS[entry["keypad"]]),
        **_sync(entry["last_sync"], last_sync_local, config.rules.heartbeat_s, at, translate))


def _sync(last_sync, last_sync_local, heartbeat_s, at, translate):
    """Whether the last sync is late (a heartbeat missed) and how it reads: its time, and how long ago if late."""
    if last_sync is None:
        return {"sync_late": False, "last_sync_text": None}
    age = int((at - datetime.fromisoformat(last_sync)).total_seconds())
    late = age > heartbeat_s * SYNC_LATE_HEARTBEATS
    time = formats.clock(last_sync_local)
    return {"sync_late": late, "last_sync_text": translate(SYNCED_AGO) % {
        "time": time, "ago": formats.duration(age, translate)} if late else time}


def _held(state_word, clerk, translate):
    """A card's first line: its state's word, and who holds the window."""
    return translate(HELD_BY) % {"post": state_word, "clerk": clerk} if clerk else state_word


def _offline(since, post, clerk, translate):
    """An unknown window's line: since when its terminal is silent and who held the window then."""
    words = [translate(OFFLINE_SINCE) % {"time": formats.clock(since)}] if since else []
    if clerk:
        words.append(translate(LAST_HELD) % {"post": post, "clerk": clerk})
    return translate(SEPARATOR).join(words) or None


def troubles(faults, strays_dropped, translate):
    """A terminal's *faults* in words (a name the protocol does not define: as sent), then its dropped stray keys."""
    words = [translate(FAULT_WORDS[fault]) if fault in FAULT_WORDS else fault for fault in faults]
    if strays_dropped:
        words.append(translate(STRAYS_DROPPED) % {"n": strays_dropped})
    return words
