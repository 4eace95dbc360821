"""What the simulated clerks and citizens do: a scripted day per window, and the facts it must produce.

A scenario is a time-ordered list of :class:`Step`. Clerk steps press a panel button, citizen steps
press a keypad key (a rating after a done, or a stray key), and the rest cut or restore a window's
cable, kill or restart its terminal, export its journal overnight, or restart the hub.
:func:`intended_facts` replays the clerk and citizen steps through the same button semantics the
terminal uses (:func:`firmware.terminal.terminal.meaning` over :func:`protocol.rules.window_state`) into
:class:`protocol.scenario.TerminalScript` facts: deriving those gives the ground truth the real hall
must reach, whatever the network did.
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from protocol.facts import parse_fact
from protocol.rules import window_state
from protocol.scenario import TerminalScript

from firmware.terminal.terminal import meaning

CLERK, CITIZEN = ("press",), ("rate", "stray")
SCORES = (5, 4, None, 5, 2, 3, 5, 1, 4, 5)      # None: the citizen walks away without rating
SERVICE_EVERY = timedelta(minutes=30)
QUIET = timedelta(minutes=4)                     # no service this close to a clerk's press


@dataclass(frozen=True, order=True)
class Step:
    """At simulated time *at*, at *window* (None: the hub), do *action* with *arg*."""

    at: datetime
    window: str | None
    action: str
    arg: object = None


def _presses(role, day_at):
    """The clerk presses (time, button) of one window's day for its *role* (0-7)."""
    morning_in = {1: "08:42", 7: "08:28"}.get(role, "08:20")
    presses = [(morning_in, "presence_b" if role == 0 else "presence_a")]
    presses += {
        1: [("10:30", "handover"), ("10:33", "presence_b"), ("11:00", "presence_a")],
        2: [("09:30", "handover"), ("09:30:10", "presence_b"), ("10:15", "presence_a")],   # within the grace
        3: [("10:00", "presence_a"), ("10:25", "presence_a")],
        4: [("10:01", "presence_a"), ("10:08", "presence_a")],
    }.get(role, [])
    presses.append(("11:40", "presence_a") if role == 5 else ("12:02", "presence_b" if role == 0 else "presence_a"))
    if role != 6:
        presses.append(("14:20", "presence_a"))
        if role == 2:
            presses += [("15:30", "handover"), ("15:35", "presence_b"), ("17:33", "presence_b")]
        else:
            presses.append(("17:00", "presence_a") if role == 5 else ("17:33", "presence_a"))
    return [(day_at(when), button) for when, button in presses]


def day_steps(config, day, *, roles=None, rating_delay=None, cut=None, kill=None):
    """The steps of one working *day* for every window of *config*.

    *roles* maps window id → role 0-7 (default: its index); *cut* and *kill* are window ids whose
    cable is cut 09:40-10:00 and whose terminal is killed at 11:15 and restarted at 11:20.
    """
    tz = config.tz
    rating_delay = rating_delay or timedelta(seconds=config.rules.rating_window_s / 4)

    def day_at(when):
        return datetime.combine(day, time(*(int(p) for p in when.split(":"))), tz)
    steps = []
    for index, window in enumerate(config.windows):
        role = (roles or {}).get(window.id, index % 8)
        presses = _presses(role, day_at)
        steps += [Step(at, window.id, "press", button) for at, button in presses]
        holding = _held_spans(config, window, day, presses)
        n = index
        for _, start, end in config.sessions_on(day):
            at = start + timedelta(minutes=35)
            while at + rating_delay < end:
                if any(s <= at < e for s, e in holding) and all(abs(at - p) >= QUIET for p, _ in presses) \
                        and not (window.id == kill and day_at("11:11") <= at <= day_at("11:45")):  # restarting
                    steps.append(Step(at, window.id, "press", "done"))
                    score = SCORES[n % len(SCORES)]
                    n += 1
                    if score is not None:
                        steps.append(Step(at + rating_delay, window.id, "rate", score))
                at += SERVICE_EVERY
        if role == 5:                  # no prompt can be open: 25 min after a done, before the next
            steps.append(Step(day_at("10:30"), window.id, "stray", 3))
    if cut:
        steps += [Step(day_at("09:40"), cut, "cut"), Step(day_at("10:00"), cut, "restore")]
    if kill:
        steps += [Step(day_at("11:15"), kill, "kill"), Step(day_at("11:20"), kill, "restart")]
    return sorted(steps, key=lambda s: (s.at, s.window or "", s.action))


def _held_spans(config, window, day, presses):
    """[(start, end)] while someone holds *window*, given its clerk *presses* only."""
    script = TerminalScript(window.terminal, day, config.tz, booted="00:00:01")
    spans, since = [], None
    for at, button in presses:
        _apply(config, window, script, at, button)
        state = _state(config, window, script, at)
        if state.holder and since is None:
            since = at
        elif not state.holder and since is not None:
            spans.append((since, at))
            since = None
    if since is not None:
        spans.append((since, datetime.combine(day + timedelta(days=1), time(0), config.tz)))
    return spans


def _state(config, window, script, at):
    return window_state(config, [parse_fact(f) for f in script.facts], window.id, at, trust_wall_clock=True)


def _apply(config, window, script, at, button):
    """Record what the terminal would for *button* pressed at *at*; the stored fact or None."""
    fact = meaning(button, _state(config, window, script, at))
    if fact is None:
        return None
    kind, data = fact
    return script.add(at, kind, **data)


def intended_facts(config, steps):
    """The facts (dicts) the terminals should journal for the clerk and citizen *steps*, per terminal."""
    scripts, last_done = {}, {}
    for step in sorted(steps, key=lambda s: s.at):
        if step.action not in CLERK + CITIZEN:
            continue
        window = config.window(step.window)
        day = step.at.astimezone(config.tz).date()
        script = scripts.get((window.id, day))
        if script is None:
            script = scripts[(window.id, day)] = TerminalScript(
                window.terminal, day, config.tz, boot=f"{window.terminal}-{day}", booted="00:00:01",
                first_seq=1 + sum(len(s.facts) for (w, _), s in scripts.items() if w == window.id))
        if step.action == "press":
            stored = _apply(config, window, script, step.at, step.arg)
            if stored is not None and stored["kind"] == "done":
                last_done[window.id] = stored
        elif step.action == "rate":
            script.rating(step.at, last_done.pop(window.id), step.arg)
        else:
            script.stray_key(step.at, step.arg)
    return [fact for script in scripts.values() for fact in script.facts]
