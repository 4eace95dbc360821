"""Overtime in the record (加班, R10, E §3(6)): approved spans' hours, and presence outside every session.

窗口因工作需要，节假日、双休日和晚上加班的，应提前填写加班申请单，报行政中心协调股，经批准安排好值班人员后方可加班。
An approved span is a session for its window (:meth:`HallConfig.sessions_of`); its duty clerks' hours are
counted from when their post actually held the window within the span. Presence outside every session and
every approved span is unapproved extra time: recorded, never a violation. A session's sign-in opens
``sign_in_opens_min`` before it starts and R1 lets the clerk leave until ``leave_late_min`` after it ends,
so holding the window in those margins is coming to or leaving the session, not extra time.
"""
from datetime import timedelta

from .hall import Overtime
from .spans import overlap_seconds, split_by_cover


def _held(replayed, post, as_of):
    """The spans in which *post* held the window, the one still held ending at *as_of*."""
    return [(s, as_of if e is None else e) for p, s, e in replayed.holdings if p == post]


def overtime_rows(planned, occurrences, replayed, as_of):
    """One row per duty clerk of each approved overtime span begun by *as_of*: seconds actually present."""
    spans = {session.name for session, _, _ in occurrences if isinstance(session, Overtime)}
    rows = []
    for duty in planned:
        if duty.session not in spans or duty.start >= as_of:
            continue
        present = overlap_seconds(duty.start, min(duty.end, as_of), _held(replayed, duty.post, as_of))
        rows.append({"window": duty.window, "clerk": duty.clerk, "post": duty.post, "session": duty.session,
                     "start": duty.start, "end": duty.end, "present_seconds": present, "open": as_of < duty.end})
    return rows


def extra_time(config, window, planned, occurrences, replayed, as_of):
    """Unapproved extra time: spans a post held the window outside every session and approved span."""
    rules = config.rules
    expected = [(start - timedelta(minutes=rules.sign_in_opens_min), end + timedelta(minutes=rules.leave_late_min))
                for _, start, end in occurrences]
    rows = []
    for post in "AB":
        for start, end in _held(replayed, post, as_of):
            for s, e, inside in split_by_cover(start, end, expected):
                if not inside and s < e:
                    rows.append({"window": window.id, "clerk": _clerk_at(window, planned, post, s), "post": post,
                                 "start": s, "end": e, "seconds": (e - s).total_seconds()})
    return rows


def _clerk_at(window, planned, post, moment):
    """Who holds *post* at *moment*: the clerk of the duty whose presses count then, else the post's clerk."""
    return next((d.clerk for d in planned if d.post == post and d.opens <= moment < d.closes),
                window.clerk_of(post))
