"""Alerts as the office reads them: each kind in words, the page that explains one, its one-line summary and
the inbox's (and wall.json's) view of a stored alert. Flask-free: *translate* maps a message key to text."""
from dataclasses import asdict, dataclass
from datetime import datetime
from urllib.parse import urlencode

from protocol import alerts as kinds

from . import formats
from .i18n import N_

KIND_WORDS = {kinds.EMPTY: N_("Window empty"), kinds.HANDOVER_WAITING: N_("Handover waiting"),
              kinds.EMPTY_SOON: N_("Window about to be empty"), kinds.UNKNOWN: N_("Terminal offline"),
              kinds.KEYPAD: N_("Keypad missing"), kinds.JOURNAL: N_("Journal nearly full"),
              kinds.CLOCK: N_("Terminal clock not set"), kinds.LOW_RATING: N_("Low rating: follow-up open"),
              kinds.FOLLOWUP_OVERDUE: N_("Follow-up overdue"), kinds.ON_LEAVE: N_("On post during approved leave")}
SUMMARY = N_("%(kind)s: %(window)s, %(clerks)s, since %(time)s")
NOBODY = N_("nobody scheduled")
NAME_SEPARATOR = N_(", ")
# the page each kind links to: the window's day of evidence, the follow-up, the attendance day, the wall's card
_FOLLOWUP_KINDS = (kinds.LOW_RATING, kinds.FOLLOWUP_OVERDUE)
_WALL_KINDS = (kinds.KEYPAD, kinds.JOURNAL, kinds.CLOCK)


def link(hall, kind, window, day, subject):
    """The hub path of the page that explains an alert of *hall* (its ``?hall=`` chooses the hall for a center
    user): the window's day on the evidence page, the follow-up on the ratings page, the attendance day, the wall."""
    if kind in _FOLLOWUP_KINDS:
        service = subject.split("@", 1)[0]
        return f"/admin/ratings?{urlencode({'from': day, 'to': day, 'hall': hall})}#followup-{window}-{service}"
    if kind == kinds.ON_LEAVE:
        return f"/admin/attendance?{urlencode({'date': day, 'hall': hall})}"
    if kind in _WALL_KINDS:
        return f"/admin/wall?{urlencode({'hall': hall})}"
    return f"/admin/facts?{urlencode({'window': window, 'date': day, 'hall': hall})}"


def clerk_names(config, clerks, translate):
    """The clerks' names (an id the config no longer has: as stored), or "nobody scheduled"."""
    names = [config.clerks[c].name if c in config.clerks else c for c in clerks]
    return translate(NAME_SEPARATOR).join(names) if names else translate(NOBODY)


def window_name(config, window_id):
    """The window's name (an id the config no longer has: as stored)."""
    window = config.window(window_id)
    return window.name if window is not None else window_id


def summary(config, row, translate):
    """One line of a stored alert: its kind, window, clerks and local start."""
    return translate(SUMMARY) % {"kind": translate(KIND_WORDS[row["kind"]]),
                                 "window": window_name(config, row["window"]),
                                 "clerks": clerk_names(config, row["clerks"], translate),
                                 "time": formats.local(row["started_at"], config.tz)}


@dataclass(frozen=True)
class Shown:
    """One alert as the inbox and the wall show it: times local, how long it held (or holds), names in words."""

    id: int
    hall: str
    kind: str
    kind_text: str
    window: str | None
    window_name: str | None
    clerks: tuple
    clerk_names: str
    started_local: str
    ended_local: str | None
    lasted: str
    link: str
    acked_by: str | None
    acked_local: str | None
    ack_note: str | None

    def as_json(self):
        """The alert as a JSON-ready dict (an entry of wall.json's ``alerts``)."""
        return asdict(self)


def shown(row, config, now, translate):
    """The :class:`Shown` of a stored alert *row* at *now*."""
    ended = datetime.fromisoformat(row["ended_at"]) if row["ended_at"] else now
    return Shown(id=row["id"], hall=row["hall"], kind=row["kind"], kind_text=translate(KIND_WORDS[row["kind"]]),
                 window=row["window"], window_name=window_name(config, row["window"]), clerks=row["clerks"],
                 clerk_names=clerk_names(config, row["clerks"], translate),
                 started_local=formats.local(row["started_at"], config.tz),
                 ended_local=formats.local(row["ended_at"], config.tz, None),
                 lasted=formats.duration((ended - datetime.fromisoformat(row["started_at"])).total_seconds(),
                                         translate),
                 link=row["link"], acked_by=row["acked_by"],
                 acked_local=formats.local(row["acked_at"], config.tz, None),
                 ack_note=row["ack_note"])
