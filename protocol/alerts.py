"""Alert rules: what the office must look at now, from a hall's config, its windows' live state and the time.

Pure: :func:`active_alerts` is given everything (the windows as :class:`WindowNow`, the open follow-ups as
:class:`OpenFollowup`, *now*) and returns the :class:`Alert` values that hold at *now*; the hub records when
each starts and ends. An alert is one incident: its :attr:`Alert.ident` (kind, window, subject) is the same
for as long as the incident lasts and differs for the next one.

The seeds' words these rules serve: "工作时窗口不空岗" (M art. 17), a fault being "上班期间窗口出现空岗的"
(M art. 23(1)); the B post "当A岗因开会、出差、培训、请(休)假等原因不在岗时，由熟悉A岗业务的B岗代行受理业务"
(Y AB岗 第一条); and the coordination office's supervision "两督查、两抽查" (E §2(1)), which alerts bring
forward from the rounds to the moment a window needs it.
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from .people import duties, holder, responsible, session_bounds
from .status import CLOCK_UNCERTAIN, JOURNAL_FULL, JOURNAL_NEAR_FULL, KEYPAD_MISSING

EMPTY, EMPTY_SOON, HANDOVER_WAITING = "empty", "empty_soon", "handover_waiting"
UNKNOWN, KEYPAD, JOURNAL, CLOCK = "unknown", "keypad_missing", "journal_near_full", "clock_uncertain"
LOW_RATING, FOLLOWUP_OVERDUE, ON_LEAVE = "low_rating", "followup_overdue", "signed_in_on_leave"
KINDS = (EMPTY, HANDOVER_WAITING, EMPTY_SOON, UNKNOWN, KEYPAD, JOURNAL, CLOCK, LOW_RATING, FOLLOWUP_OVERDUE,
         ON_LEAVE)
# a terminal's reported faults -> the alert kind each raises (a full journal is a near-full one gone further)
FAULT_KINDS = ((KEYPAD, (KEYPAD_MISSING,)), (JOURNAL, (JOURNAL_NEAR_FULL, JOURNAL_FULL)), (CLOCK, (CLOCK_UNCERTAIN,)))


@dataclass(frozen=True)
class WindowNow:
    """One window's live state as the hub holds it: ``state`` "A", "B", "nobody" or "unknown" (terminal silent
    past its heartbeat allowance); the terminal's last sync, reported faults and keypad (None: not said)."""

    window: str
    state: str
    waiting: str | None = None
    empty_since: datetime | None = None
    alarm: bool = False
    signed_in: frozenset = frozenset()
    last_seen: datetime | None = None
    faults: tuple = ()
    keypad: bool | None = None


@dataclass(frozen=True)
class OpenFollowup:
    """The follow-up of a 1-2 rating not closed yet (R5): the service, who finished it, its due day."""

    window: str
    service: int
    done: datetime
    clerk: str
    score: int
    due: object     # date


@dataclass(frozen=True)
class Alert:
    """One alert holding now: its kind, window, the clerks responsible, what distinguishes this incident
    (*subject*), since when it holds (None: since the hub first saw it) and the local day it is about."""

    kind: str
    window: str
    clerks: tuple
    subject: str
    since: datetime | None
    day: object     # date

    @property
    def ident(self):
        """The incident's name, the same from its start to its end: kind, window, subject."""
        return f"{self.kind}:{self.window}:{self.subject}"


def active_alerts(config, windows, now, followups=()):
    """The alerts holding at *now* for *config*'s hall, from its *windows* (WindowNow) and open *followups*."""
    found, known = [], {window.id: window for window in config.windows}
    for live in windows:
        if live.window in known:
            found += window_alerts(config, known[live.window], live, now)
    for followup in followups:
        if followup.window in known:
            found += followup_alerts(config, followup, now)
    return tuple(sorted(found, key=lambda a: (a.window, KINDS.index(a.kind), a.subject)))


def window_alerts(config, window, live, now):
    """The alerts of one window from its live state: empty, handover waiting, about to be empty, unknown, faults,
    a clerk holding the post during approved leave."""
    found = fault_alerts(config, window, live, now)
    if live.state == "unknown":
        return found + unknown_alerts(config, window, live, now)
    return found + empty_alerts(config, window, live, now) + empty_soon_alerts(config, window, live, now) + \
        on_leave_alerts(config, window, live, now)


def _alert(config, kind, window, clerks, subject, since, now):
    """An :class:`Alert` about *now*'s local day, with the clerks that are named (None: nobody scheduled)."""
    return Alert(kind, window.id, tuple(c for c in clerks if c is not None), subject, since,
                 now.astimezone(config.tz).date())


def empty_alerts(config, window, live, now):
    """A window empty beyond ``empty_grace_s`` (R3: "工作时窗口不空岗", M art. 17), charged as R4 charges it: A, or
    B or the leave's named cover while A is on approved leave; and a handover waiting longer than
    ``handover_alert_s`` for the post asked to take it (Y AB岗: "由熟悉A岗业务的B岗代行受理业务").

    The terminal's own alarm (outside permits, past the grace) decides "empty"; the wait runs from when the
    window was left, or from the session's start when it was left before.
    """
    if live.state != "nobody" or live.empty_since is None:
        return []
    found = []
    subject = live.empty_since.isoformat()
    if live.alarm:
        found.append(_alert(config, EMPTY, window, (responsible(config, window, now),), subject, live.empty_since,
                            now))
    if live.waiting and now - live.empty_since > timedelta(seconds=config.rules.handover_alert_s):
        found.append(_alert(config, HANDOVER_WAITING, window, (holder(config, window, live.waiting, now),), subject,
                            live.empty_since, now))
    return found


def empty_soon_alerts(config, window, live, now):
    """A window about to be empty, ``empty_soon_min`` ahead: a session starts and nobody scheduled there has
    signed in (nor holds the post); or A's approved leave starts and its cover (the named one, else B) has not
    taken the post nor signed in (Y AB岗: B "代行受理业务" while A "请(休)假"; E §1(3): "A角需请假的，应由进驻部门
    安排B角到行政中心顶岗")."""
    ahead = timedelta(minutes=config.rules.empty_soon_min)
    day = now.astimezone(config.tz).date()
    found = []
    if live.state == "nobody":
        for session, start, _, _, _ in session_bounds(config, window.id, day):
            if now < start <= now + ahead:
                scheduled = [d for d in duties(config, window, day) if d.session == session.name and d.start == start]
                if scheduled and not {d.post for d in scheduled} & live.signed_in:
                    found.append(_alert(config, EMPTY_SOON, window, [d.clerk for d in scheduled],
                                        f"{session.name}@{start.isoformat()}", start - ahead, now))
    for leave in config.leave:
        if leave.clerk == window.a and config.is_approved(leave) and now < leave.start <= now + ahead \
                and _in_session(config, window, leave.start) and live.state != "B" and "B" not in live.signed_in:
            cover = leave.cover or window.b
            found.append(_alert(config, EMPTY_SOON, window, (window.a, cover), f"leave@{leave.start.isoformat()}",
                                leave.start - ahead, now))
    return found


def _in_session(config, window, moment):
    """True when *moment* falls inside one of *window*'s sessions of its local day."""
    day = moment.astimezone(config.tz).date()
    return any(start <= moment < end for _, start, end in config.sessions_of(window.id, day))


def unknown_alerts(config, window, live, now):
    """A terminal silent past its heartbeat allowance during the window's working hours (a session, or
    ``empty_soon_min`` before one): R3 calls the window unknown, never empty; the office must see to the terminal.
    A terminal never heard from (not installed yet) raises none."""
    if live.last_seen is None:
        return []
    ahead = timedelta(minutes=config.rules.empty_soon_min)
    day = now.astimezone(config.tz).date()
    if not any(start - ahead <= now < end for _, start, end in config.sessions_of(window.id, day)):
        return []
    return [_alert(config, UNKNOWN, window, (responsible(config, window, now),), live.last_seen.isoformat(),
                   live.last_seen, now)]


def fault_alerts(config, window, live, now):
    """The terminal's reported faults the office must fix: keypad missing (also when the keypad says it is
    unplugged), journal near full (or full), clock uncertain; the last reported, also while it is silent."""
    found = []
    for kind, faults in FAULT_KINDS:
        if set(faults) & set(live.faults) or (kind == KEYPAD and live.keypad is False):
            found.append(_alert(config, kind, window, (responsible(config, window, now),), "", None, now))
    return found


def on_leave_alerts(config, window, live, now):
    """A clerk holding the post during their own approved leave, earlier than arriving early for its end would
    need (``arrive_early_min``): the leave may have ended unannounced, or someone pressed for the clerk."""
    if live.state not in ("A", "B"):
        return []
    clerk = holder(config, window, live.state, now)
    early = now + timedelta(minutes=config.rules.arrive_early_min)
    return [_alert(config, ON_LEAVE, window, (clerk,), f"{clerk}@{start.isoformat()}", None, now)
            for start, end in config.approved_leave(clerk) if start <= now and start <= early < end]


def followup_alerts(config, followup, now):
    """A 1-2 rating's follow-up open (R5: verify, rectify, call back), and overdue once its due day has passed."""
    subject, day = f"{followup.service}@{followup.done.isoformat()}", followup.done.astimezone(config.tz).date()
    found = [Alert(LOW_RATING, followup.window, (followup.clerk,), subject, followup.done, day)]
    overdue = datetime.combine(followup.due + timedelta(days=1), time(0), config.tz)
    if now >= overdue:
        found.append(Alert(FOLLOWUP_OVERDUE, followup.window, (followup.clerk,), subject, overdue, day))
    return found
