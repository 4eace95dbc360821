"""Attendance of one scheduled clerk in one session: sign-in, sign-out and the R1/R2 verdicts.

R1 两签到: signed in at or before ``start - arrive_early`` is on time; before ``start`` not early (未提前到岗);
after it late (迟到). Signing out before ``end`` is early leave (早退); before ``end + leave_late`` is the
minor flag. R2: no sign-in (at any window the clerk is scheduled at) and no approved leave covering the
session is absent (旷工); away from the
post beyond ``away_grace`` after signing in, with no approved leave, permit or accepted handover, is off
post (脱岗). Approved leave that covers the start moves the start to the leave's end.
"""
from dataclasses import dataclass
from datetime import timedelta

from .spans import covers_whole, merge, split_by_cover


@dataclass(frozen=True)
class Duty:
    """A clerk scheduled at a window's post for one session occurrence."""

    clerk: str
    window: str
    post: str
    session: str
    start: object
    end: object
    opens: object     # presses from here count as this session's sign-in
    closes: object    # sign-out presses count until here


def first_sign_in(duty, day, as_of):
    """The time of *duty*'s sign-in at its post in the replayed *day* known up to *as_of*, or None."""
    return next((t for t, on in day.presses[duty.post] if on and duty.opens <= t < duty.end and t <= as_of), None)


def signed_status(duty, day, rules, leave, permits, as_of):
    """*duty*'s attendance status when the clerk signed in at its post in the replayed *day*, else None."""
    if first_sign_in(duty, day, as_of) is None:
        return None
    return judge(duty, day, rules, leave, permits, as_of)[0]["status"]


def judge(duty, day, rules, leave, permits, as_of, elsewhere=None):
    """Return (attendance row, violations) for *duty* given the window's replayed *day*.

    *elsewhere* is (window, status) of another window where the clerk signed in for the same session: then
    no sign-in here is not 旷工 (R2, a person's absence; Y AB岗 第三条 "B岗顶岗期间…同时做好本职工作"); the row
    carries the person's status there and ``signed_in_at`` names that window.
    """
    closed = as_of >= duty.end
    presses = [(t, on) for t, on in day.presses[duty.post] if t <= as_of]
    sign_in = first_sign_in(duty, day, as_of)
    leave = merge(leave)
    start = next((e for s, e in leave if s <= duty.start < e), duty.start)
    violations = []
    if sign_in is None:
        status = "leave" if start >= duty.end else elsewhere[1] if elsewhere else "absent"
        if status == "absent" and closed:
            violations.append(_violation("absent", duty, duty.start, duty.end))
    else:
        status = _arrival(sign_in, start, rules)
        if status in ("late", "absent"):
            violations.append(_violation(status, duty, start, sign_in))
    sign_out = _sign_out(presses, sign_in, duty) if sign_in is not None else None
    early = closed and sign_out is not None and sign_out < duty.end and not covers_whole(
        sign_out, duty.end, leave)
    if early:
        violations.append(_violation("early_leave", duty, sign_out, duty.end))
    if sign_in is not None:
        violations += _off_post(duty, day, rules, leave + permits, presses, sign_in, sign_out, as_of)
    row = {
        "clerk": duty.clerk, "date": duty.start.date().isoformat(), "session": duty.session,
        "sign_in": sign_in, "sign_out": sign_out, "status": status, "early_leave": early,
        "left_before_leave_late": sign_out is not None and duty.end <= sign_out < duty.end + timedelta(
            minutes=rules.leave_late_min),
        "window": duty.window, "post": duty.post, "open": as_of < duty.closes, "start": duty.start,
        "signed_in_at": duty.window if sign_in is not None else elsewhere[0] if elsewhere else None,
    }
    return row, violations


def _arrival(sign_in, start, rules):
    if sign_in <= start - timedelta(minutes=rules.arrive_early_min):
        return "on_time"
    if sign_in <= start:
        return "not_early"
    if rules.late_as_absent_min is not None and sign_in > start + timedelta(minutes=rules.late_as_absent_min):
        return "absent"
    return "late"


def _sign_out(presses, sign_in, duty):
    """The last leave press after sign-in, unless the clerk came back before the session ended."""
    offs = [t for t, on in presses if not on and sign_in < t < duty.closes]
    if not offs:
        return None
    last = offs[-1]
    returned = any(on and last < t < duty.end for t, on in presses)
    return None if returned else last


def _off_post(duty, day, rules, excuses, presses, sign_in, sign_out, as_of):
    """Off-post (脱岗) violations: uncovered absences from the post after sign-in, beyond away_grace."""
    grace = rules.away_grace_min * 60
    violations = []
    for release in day.releases[duty.post]:
        if not (sign_in <= release.at < duty.end) or release.at > as_of or release.covered:
            continue
        if release.how == "off" and release.at == sign_out:
            continue
        back = next((t for t, on in presses if on and t > release.at), None)
        end = min(t for t in (back, duty.end, as_of) if t is not None)
        start = max(release.at, duty.start)
        for s, e, excused in split_by_cover(start, end, excuses) if start < end else ():
            if not excused and (e - s).total_seconds() > grace:
                violations.append(_violation("off_post", duty, s, e, open=e == as_of and back is None))
    return violations


def _violation(kind, duty, start, end, open=False):
    return {"kind": kind, "window": duty.window, "clerk": duty.clerk, "start": start, "end": end,
            "seconds": (end - start).total_seconds(), "session": duty.session, "open": open}
