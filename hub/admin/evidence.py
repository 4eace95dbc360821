"""The facts behind a verdict (判定依据) in the hall's words: what happened at the window, at the hall's local time.

A terminal's clock anchors (``clock`` facts) are how its times are trusted, not what happened at the window:
they are counted apart and folded away on the page.
"""
from dataclasses import dataclass

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from .. import formats
from . import terms

KINDS = {"presence": _l("Sign-in / sign-out"), "handover": _l("Handover"), "done": _l("Service finished"),
         "rating": _l("Rating"), "rating_missed": _l("Not rated"), "stray_key": _l("Stray key"),
         "keypad": _l("Keypad"), "boot": _l("Terminal started"), "clock": _l("Clock anchor")}


@dataclass(frozen=True)
class Evidence:
    """One fact as read on the page: local time, kind and what it says, and where it came from."""

    clock: str
    kind: str
    said: str
    terminal: str
    seq: int


def _clerk(config, window, post):
    """The clerk holding *post* (A or B) of *window* in the current config."""
    return config.clerks[window.a if post == "A" else window.b].name


def said(fact, config, window):
    """What *fact* says, in the reader's words."""
    kind = fact["kind"]
    if kind == "presence":
        who = {"post": fact["post"], "clerk": _clerk(config, window, fact["post"])}
        return gettext("Post %(post)s signed in: %(clerk)s", **who) if fact["on"] else \
            gettext("Post %(post)s signed out: %(clerk)s", **who)
    if kind == "handover":
        reason = terms.REASONS.get(fact.get("reason"), gettext("no reason given"))
        return gettext("Post %(post)s asked for a handover (%(reason)s)", post=fact["post"], reason=reason)
    if kind == "done":
        return gettext("Post %(post)s finished service %(service)s", post=fact["post"], service=fact["seq"])
    if kind == "rating":
        return gettext("Service %(service)s rated %(score)s (%(words)s)", service=fact["service"],
                       score=fact["score"], words=terms.SCORES.get(fact["score"], "?"))
    if kind == "rating_missed":
        return gettext("Service %(service)s: no key pressed in time", service=fact["service"])
    if kind == "stray_key":
        return gettext("Key %(key)s pressed with no service waiting", key=fact["key"])
    if kind == "keypad":
        if not fact["attached"]:
            return gettext("Keypad disconnected")
        return gettext("Keypad connected (firmware %(firmware)s)", firmware=fact.get("firmware") or "—")
    if kind == "boot":
        return gettext("Terminal started (software %(software)s)", software=fact["software"])
    return gettext("Terminal clock checked against the hub: %(hub_time)s",
                   hub_time=formats.local(fact["hub_time"], config.tz))


def evidence(rows, config, window):
    """The facts of *rows* in words: (what happened at the window, the clock anchors), each in time order."""
    read = [(row["kind"], Evidence(clock=formats.clock(formats.local_iso(row["time"], config.tz)),
                                   kind=str(KINDS.get(row["kind"], row["kind"])), said=said(row, config, window),
                                   terminal=row["terminal"], seq=row["seq"])) for row in rows]
    return [e for kind, e in read if kind != "clock"], [e for kind, e in read if kind == "clock"]
