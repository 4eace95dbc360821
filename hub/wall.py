"""The live wall (实时看板) as data: one card per window, which the page, wall.json and ``hallpost hub wall``
all render; the center wall: one line of totals per hall. Flask-free: the store's live state in; names, local
times, durations and words out."""
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime

from protocol import status

from . import formats
from .i18n import N_
from .store.configs import hall_id

STATES = ("A", "B", "empty", "closed", "unknown")

# The terminal's faults (protocol.status) as the office reads them; translated where they are shown.
FAULT_WORDS = {status.JOURNAL_FULL: N_("journal full: presses refused"),
               status.JOURNAL_NEAR_FULL: N_("journal nearly full"), status.HUB_REJECTED: N_("hub refuses it (key?)"),
               status.CLOCK_UNCERTAIN: N_("clock not set"), status.NO_CONFIG: N_("no hall config"),
               status.KEYPAD_MISSING: N_("keypad missing"), status.HUB_UNREACHABLE: N_("hub unreachable")}
STRAYS_DROPPED = N_("%(n)s stray keys not recorded")


@dataclass(frozen=True)
class Card:
    """One window on the wall; ``state`` is one of :data:`STATES` ("closed": nobody, out of its sessions).

    Times are ISO as the store holds them, ``*_local`` in the hall's zone, ``*_clock`` its HH:MM:SS;
    ``troubles`` are the terminal's faults and its keypad's dropped stray keys in the reader's words.
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


@dataclass(frozen=True)
class Wall:
    """The wall at one instant of the hub's clock: its time (UTC, local, HH:MM:SS) and the cards."""

    now: str
    now_local: str
    now_clock: str
    windows: tuple

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


def center(store, at, translate):
    """Every hall's totals at *at*, worst first: most windows empty, then unknown, then handovers waiting."""
    entries, halls = store.live.wall(at), store.configs.every()
    lines = []
    for hall in store.configs.halls():
        config = halls[hall["id"]]
        wall = build([e for e in entries if e["hall"] == hall["id"]], config, config.windows, at, translate)
        states = Counter(card.state for card in wall.windows)
        lines.append(HallTotals(hall["id"], config.name, len(wall.windows), states["A"] + states["B"],
                                states["empty"], states["unknown"], states["closed"],
                                sum(1 for card in wall.windows if card.waiting)))
    return sorted(lines, key=lambda line: (-line.empty, -line.unknown, -line.waiting, line.hall))


def snapshot(store, config, windows, at, translate):
    """The wall of *windows* of *config*'s hall at *at*, from the store's live state; *translate* maps a message
    key to text."""
    return build(store.live.wall(at, hall=hall_id(config)), config, windows, at, translate)


def build(entries, config, windows, at, translate):
    """The wall at *at* from the store's ``live.wall`` *entries*, keeping only those of *windows* (in order)."""
    wanted = {w.id for w in windows}
    now_local = formats.local_iso(at, config.tz)
    return Wall(now=at.isoformat(timespec="seconds"), now_local=now_local, now_clock=formats.clock(now_local),
                windows=tuple(card(entry, config, at, translate) for entry in entries if entry["window"] in wanted))


def card(entry, config, at, translate):
    """The card of one store entry at *at*."""
    tz, clerks = config.tz, config.clerks
    state = entry["state"]
    if state == "nobody":
        state = "empty" if entry["session"] else "closed"
    empty_since = entry["empty_since"] if state == "empty" else None
    empty_seconds = None if empty_since is None else int((at - datetime.fromisoformat(empty_since)).total_seconds())
    last_sync_local = formats.local_iso(entry["last_sync"], tz)
    offline_since_local = formats.local_iso(entry["offline_since"], tz)
    return Card(
        id=entry["window"], name=entry["name"], state=state, holder=entry["holder"],
        holder_name=clerks[entry["holder_clerk"]].name if entry["holder_clerk"] else None,
        waiting=entry["waiting"], alarm=bool(entry["alarm"]), session=entry["session"],
        empty_since=formats.local_iso(empty_since, tz), empty_seconds=empty_seconds,
        empty_for=None if empty_seconds is None else formats.duration(empty_seconds),
        keypad=entry["keypad"], strays_dropped=entry["strays_dropped"], faults=list(entry["faults"]),
        troubles=troubles(entry["faults"], entry["strays_dropped"], translate),
        last_sync=entry["last_sync"], last_sync_local=last_sync_local,
        last_sync_clock=formats.clock(last_sync_local, None),
        offline_since=entry["offline_since"], offline_since_local=offline_since_local,
        offline_clock=formats.clock(offline_since_local, None),
        a_name=clerks[entry["a"]].name, b_name=clerks[entry["b"]].name)


def troubles(faults, strays_dropped, translate):
    """A terminal's *faults* in words (a name the protocol does not define: as sent), then its dropped stray keys."""
    words = [translate(FAULT_WORDS[fault]) if fault in FAULT_WORDS else fault for fault in faults]
    if strays_dropped:
        words.append(translate(STRAYS_DROPPED) % {"n": strays_dropped})
    return words
