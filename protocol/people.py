"""People across windows: who is scheduled where, who is responsible for a window at a moment (R2, R4).

A clerk may be scheduled at two windows in one session: A of their own, and B (or a leave's named cover)
of another while its A is on approved leave. Absence belongs to the person (Y AB岗 第三条: "B岗顶岗期间，
对A的工作应认真负责，同时做好本职工作"): they are absent only with no sign-in at any of their windows.
Empty-window time is charged to whoever was responsible at that moment (R4): A; while A is away on leave
the B post (Y AB岗 第一条: "当A岗因开会、出差、培训、请(休)假等原因不在岗时，由熟悉A岗业务的B岗代行受理业务";
E §1(3): "A角需请假的，应由进驻部门安排B角到行政中心顶岗"), or the cover the leave names.

A clerk transferred out (调离, ``left``) is scheduled nowhere from that day: not absent, not responsible for any
window; a window whose A left holds its sessions with nobody scheduled until the office names a new A. The
date is the office's record of an approved transfer ("换岗人员调离前,要填写《行政服务中心窗口工作人员调离申请表》,
经行政中心审核同意,办理相关手续后与原单位交接"); a window closed (撤销) from a date holds no sessions ("中心窗口的设立、
调整和撤销由街道党工委、办事处研究决定"). A person no longer on the roster is not scheduled, so not absent (R2).
"""
from datetime import datetime, time, timedelta

from .attendance import Duty
from .hall import Overtime


def session_bounds(config, window_id, day):
    """The sessions *window_id* holds on *day* (the hall's and its approved overtime, R10) as
    (session, start, end, opens, closes): sign-in presses count from *opens*, sign-out presses until
    *closes* (the sign-out window, at least ``leave_late_min`` after the end); verdicts settle at *closes*."""
    tz = config.tz
    day_start = datetime.combine(day, time(0), tz)
    day_end = datetime.combine(day + timedelta(days=1), time(0), tz)
    occurrences = config.sessions_of(window_id, day)
    opens_before = timedelta(minutes=config.rules.sign_in_opens_min)
    leave_late = timedelta(minutes=config.rules.leave_late_min)
    bounds = []
    for i, (session, start, end) in enumerate(occurrences):
        opens = occurrences[i - 1][2] if i else day_start
        closes = max(end + leave_late, occurrences[i + 1][1] - opens_before) if i + 1 < len(occurrences) else min(
            end + opens_before, day_end)
        bounds.append((session, start, end, opens, closes))
    return bounds


def duties(config, window, day):
    """Who is scheduled at *window* on *day*: a :class:`Duty` per session for A, or B covering A's leave,
    and one per duty clerk of each approved overtime span (R10)."""
    return [Duty(clerk, window.id, post, session.name, start, end, opens, closes)
            for session, start, end, opens, closes in session_bounds(config, window.id, day)
            for clerk, post in _scheduled(config, window, session, start, end)
            if config.serves_on(clerk, day)]


def _scheduled(config, window, session, start, end):
    """(clerk, post) scheduled in one session: an overtime's duty clerks, else A and B covering A's leave."""
    if isinstance(session, Overtime):
        return [(clerk, "A" if clerk == window.a else "B") for clerk in session.clerks]
    on_leave = [lv for lv in config.leave if lv.clerk == window.a and config.is_approved(lv)
                and lv.start <= start and lv.end >= end]
    if not on_leave:
        return [(window.a, "A")]
    return [(window.a, "A"), (on_leave[0].cover or window.b, "B")]


def settling(config, window_id, day):
    """When a verdict about a moment at *window_id* on *day* is final, as a function of the moment: the close of
    the sign-out window of the session it falls in (the morning settles before the afternoon), else the end of
    the day. The day's sessions are laid out once for every row of the window-day."""
    closes = [c for _, _, _, _, c in session_bounds(config, window_id, day)]
    day_end = datetime.combine(day + timedelta(days=1), time(0), config.tz)
    return lambda moment: next((c for c in closes if moment < c), day_end)


def linked_windows(config, window_id, day, other=None):
    """The other windows where a clerk scheduled at *window_id* on *day* is also scheduled that day: of
    *config*, or of the *other* hall's config (another hall of the same hub: clerk ids are the hub's)."""
    window = config.window(window_id)
    if window is None:
        return []
    clerks = {duty.clerk for duty in duties(config, window, day)}
    return [w.id for w in (other or config).windows if (other is not None or w.id != window_id)
            and clerks & {duty.clerk for duty in duties(other or config, w, day)}]


def responsible(config, window, moment):
    """The clerk responsible for *window* at *moment*: A; while A is on approved leave, the leave's named
    cover or B (顶岗); None (the window's own) when that clerk is on approved leave too or has left (调离):
    nobody was scheduled."""
    day = moment.astimezone(config.tz).date()
    if not config.serves_on(window.a, day):
        return None
    leave = next((lv for lv in config.leave if lv.clerk == window.a and config.is_approved(lv)
                  and lv.start <= moment < lv.end), None)
    if leave is None:
        return window.a
    cover = leave.cover or window.b
    away = not config.serves_on(cover, day) or any(start <= moment < end
                                                   for start, end in config.approved_leave(cover))
    return None if away else cover


def holder(config, window, post, moment):
    """The clerk who holds *window*'s *post* at *moment*: A, or for B the clerk covering A's leave then."""
    if post == "A":
        return window.a
    covering = responsible(config, window, moment)
    return covering if covering not in (None, window.a) else window.b


def charged(config, window, start, end):
    """Split [start, end) by who was responsible for *window*: [{"clerk": id or None, "seconds": n}], in order."""
    edges = {start, end}
    for leave in config.leave:
        edges |= {leave.start, leave.end} if config.is_approved(leave) else set()
    cuts = sorted(e for e in edges if start <= e <= end)
    pieces = []
    for lo, hi in zip(cuts, cuts[1:]):
        clerk = responsible(config, window, lo)
        seconds = (hi - lo).total_seconds()
        if pieces and pieces[-1]["clerk"] == clerk:
            pieces[-1]["seconds"] += seconds
        else:
            pieces.append({"clerk": clerk, "seconds": seconds})
    return pieces


def schedule(config, first, last):
    """Every :class:`Duty` of every window on the days *first*..*last* (dates), in day order."""
    day = first
    while day <= last:
        for window in config.windows:
            yield from duties(config, window, day)
        day += timedelta(days=1)


def leave_sessions(config, leave, first, last):
    """(ISO day, session name) of each session on the days *first*..*last* that *leave* overlaps (R9 counts leave
    days two sessions to a day)."""
    day = max(first, leave.start.astimezone(config.tz).date())
    while day <= min(last, leave.end.astimezone(config.tz).date()):
        yield from ((day.isoformat(), session.name) for session, start, end in config.sessions_on(day)
                    if start < leave.end and leave.start < end)
        day += timedelta(days=1)
