"""The hall model: sessions, calendar, clerks, windows with A/B posts, leave, permits and approved overtime.

Built and checked by :mod:`protocol.config`; these objects are immutable and always valid.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .integrity import Thresholds

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# personal 事假, sick 病假, annual 年休假, trip 出差, training 培训, meeting 会议; compensatory 调休, marriage 婚假,
# maternity 产假, bereavement 丧假, caregiving 陪护假 (the kinds halls' leave forms list besides the first six).
LEAVE_KINDS = ("personal", "sick", "annual", "trip", "training", "meeting", "compensatory", "marriage", "maternity",
               "bereavement", "caregiving")
APPROVERS = ("leader", "office", "deputy_director", "department_head", "director")
# R9 (E §2(2)): who must approve, by the leave's length in working days (upper bound inclusive).
# 请假半天以内者由本人申请，窗口组长签署意见，报行政中心协调股签批；1至2天的病、事假由本人申请，窗口组长签署意见，
# 报行政中心副主任签批；3天及3天以上的病、事假…由进驻部门主要负责人签署意见，报行政中心主任签批. A length the seed
# names no tier for (between half a day and 1 day, or between 2 and 3 days) takes the next, stricter tier.
APPROVAL_TIERS = ((0.5, ("leader", "office")), (2.0, ("leader", "deputy_director")),
                  (None, ("department_head", "director")))


@dataclass(frozen=True)
class Rules:
    """Thresholds of the hall's rules (R1-R5); every one is hall configuration.

    ``handover_alert_s``: a handover waiting longer alerts the office; ``empty_soon_min``: a window about to be
    empty alerts this many minutes ahead (a session starting, or A's approved leave, with no one there to hold it).
    """

    arrive_early_min: int = 5
    leave_late_min: int = 5
    empty_grace_s: int = 60
    away_grace_min: int = 15
    rating_window_s: int = 60
    followup_days: int = 15
    late_as_absent_min: int | None = None
    sign_in_opens_min: int = 60
    heartbeat_s: int = 60
    handover_alert_s: int = 120
    satisfied_min_score: int = 3
    trust_wall_clock: bool = False
    empty_soon_min: int = 5


CLERK_NAMES = ("none", "surname", "full")


@dataclass(frozen=True)
class Publication:
    """What the hall publishes of its ratings (公开, [public]): whether its public page is on, and how clerks are
    named there and on the notice board: not at all, by surname only (陈*, the default) or in full."""

    enabled: bool = False
    clerk_names: str = "surname"


@dataclass(frozen=True)
class Session:
    """A daily working session (上午/下午) on the given weekdays (0 = Monday)."""

    name: str
    start: time
    end: time
    days: frozenset = frozenset(range(5))


@dataclass(frozen=True)
class Clerk:
    """A clerk (窗口工作人员) of the hall."""

    id: str
    name: str
    department: str | None = None
    left: date | None = None        # 调离: the first day the clerk no longer serves the hall (history keeps them)

    def serves_on(self, day):
        """True when the clerk still serves the hall on *day* (before their ``left`` date)."""
        return self.left is None or day < self.left


@dataclass(frozen=True)
class Window:
    """A service window, its terminal, and its A (main) and B (cover) clerks (AB岗)."""

    id: str
    name: str
    terminal: str
    a: str
    b: str
    department: str | None = None
    trust_wall_clock: bool | None = None
    closed: date | None = None      # 撤销: the first day the window holds no sessions (its history stays)

    def open_on(self, day):
        """True when the window holds sessions on *day* (before its ``closed`` date)."""
        return self.closed is None or day < self.closed

    def clerk_of(self, post):
        """The clerk assigned to *post* ("A" or "B")."""
        return self.a if post == "A" else self.b


@dataclass(frozen=True)
class Leave:
    """A leave (请假) of one clerk, approved when ``approved_by`` holds the tier its length needs."""

    clerk: str
    start: datetime
    end: datetime
    kind: str
    approved_by: tuple = ()
    cover: str | None = None


@dataclass(frozen=True)
class Permit:
    """A short absence granted to a window in advance by the coordination office."""

    window: str
    start: datetime
    end: datetime
    reason: str | None = None


@dataclass(frozen=True)
class Overtime:
    """An approved overtime span (加班, R10) of one window on one day, with its duty clerks (值班人员).

    Approved, it is a session for that window: its duty clerks sign in and hold the window as in any session.
    """

    window: str
    start: datetime
    end: datetime
    clerks: tuple
    approved_by: str

    @property
    def name(self):
        """The session name of the span in its rows: ``overtime HH:MM`` (its local start)."""
        return f"overtime {self.start:%H:%M}"


@dataclass(frozen=True)
class HallConfig:
    """The whole hall configuration, as served to terminals and judged by the rule engine."""

    name: str
    timezone: str
    rules: Rules
    sessions: tuple
    holidays: frozenset = frozenset()
    workdays: frozenset = frozenset()
    clerks: dict = field(default_factory=dict)
    windows: tuple = ()
    leave: tuple = ()
    permits: tuple = ()
    overtime: tuple = ()
    integrity: Thresholds = Thresholds()
    public: Publication = Publication()
    id: str = None          # the hall's id in a hub of several halls ([hall] id); None: the hub's default
    departments: tuple = ()  # the hall's departments ([hall] departments); empty: none declared

    @property
    def tz(self):
        return ZoneInfo(self.timezone)

    def window(self, window_id):
        """The window with id *window_id*, or None."""
        return next((w for w in self.windows if w.id == window_id), None)

    def serves_on(self, clerk_id, day):
        """True when *clerk_id* is a clerk of the hall who has not left by *day*."""
        clerk = self.clerks.get(clerk_id)
        return clerk is not None and clerk.serves_on(day)

    def department_choices(self):
        """The departments a clerk or window may belong to: the declared list, else those in use, sorted."""
        if self.departments:
            return list(self.departments)
        used = {c.department for c in self.clerks.values()} | {w.department for w in self.windows}
        return sorted(used - {None})

    def window_of_terminal(self, terminal):
        """The window served by *terminal*, or None."""
        return next((w for w in self.windows if w.terminal == terminal), None)

    def is_workday(self, day):
        """True when *day* is a working day: a weekday or a make-up workday, and no holiday."""
        if day in self.holidays:
            return False
        return day.weekday() < 5 or day in self.workdays

    def sessions_on(self, day):
        """The sessions held on *day*, as (session, start, end) with aware datetimes, in order."""
        if day in self.holidays:
            return []
        weekday = day.weekday()
        if day in self.workdays:
            weekday = 0 if weekday >= 5 else weekday
        tz = self.tz
        return [(s, datetime.combine(day, s.start, tz), datetime.combine(day, s.end, tz))
                for s in self.sessions if weekday in s.days]

    def overtime_on(self, window_id, day):
        """The approved overtime spans (R10) of *window_id* starting on local *day*."""
        return [ot for ot in self.overtime if ot.window == window_id and ot.start.astimezone(self.tz).date() == day]

    def sessions_of(self, window_id, day):
        """The sessions *window_id* holds on *day*: the hall's and its approved overtime, as (session, start, end).

        An overtime's "session" is the :class:`Overtime` itself (it has a ``name`` like a Session). A window
        closed (撤销) by *day* holds none.
        """
        window = self.window(window_id)
        if window is not None and not window.open_on(day):
            return []
        spans = self.sessions_on(day) + [(ot, ot.start, ot.end) for ot in self.overtime_on(window_id, day)]
        return sorted(spans, key=lambda span: span[1])

    def add_working_days(self, day, count):
        """The date *count* working days after *day* (follow-up due dates)."""
        while count > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                count -= 1
        return day

    def leave_days(self, leave):
        """A leave's length in working days: the sessions it overlaps, two to a day."""
        tz = self.tz
        day, last, sessions = leave.start.astimezone(tz).date(), leave.end.astimezone(tz).date(), 0
        while day <= last:
            sessions += sum(1 for _, start, end in self.sessions_on(day)
                            if start < leave.end and leave.start < end)
            day += timedelta(days=1)
        return sessions / 2

    def approvers_needed(self, leave):
        """The approver tiers R9 requires for *leave*."""
        days = self.leave_days(leave)
        return next(tier for limit, tier in APPROVAL_TIERS if limit is None or days <= limit)

    def is_approved(self, leave):
        """True when every approver of the needed tier has approved *leave*."""
        return set(self.approvers_needed(leave)) <= set(leave.approved_by)

    def approved_leave(self, clerk):
        """Approved leave of *clerk*, as (start, end) pairs."""
        return [(lv.start, lv.end) for lv in self.leave if lv.clerk == clerk and self.is_approved(lv)]

    def permits_for(self, window_id):
        """Permits of *window_id*, as (start, end) pairs."""
        return [(p.start, p.end) for p in self.permits if p.window == window_id]

    def trusts_wall_clock(self, terminal):
        """True when facts of *terminal* without a clock anchor may fall back to their wall time."""
        window = self.window_of_terminal(terminal)
        if window is not None and window.trust_wall_clock is not None:
            return window.trust_wall_clock
        return self.rules.trust_wall_clock
