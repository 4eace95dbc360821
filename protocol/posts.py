"""Who holds a window's post (AB岗), replayed from one day's facts in time order.

The post is held by one clerk at a time. A presence press with ``on`` takes the post (or signs in
while holding it); with ``on`` false the clerk leaves it. A handover press by the holder leaves the
post and asks the other post to take over: the window waits, empty, until the other post presses
presence (taken) or the same post comes back (cancelled). A presence press by the other post while
one holds is a takeover without a request (B covering, or A returning: 回岗). Facts that cannot apply
(a handover by a post that does not hold) change nothing.
"""
from dataclasses import dataclass, field

KINDS = ("presence", "handover")     # the kinds of fact a replay reads: any other changes nothing



def other(post):
    """The other post of a window."""
    return "B" if post == "A" else "A"


@dataclass
class Handover:
    """One handover (交接) record; ``taken`` is None while (or because) nobody took over."""

    from_post: str
    to_post: str
    requested: object
    taken: object = None
    reason: str | None = None
    kind: str = "handover"   # handover | takeover | return | cancelled


@dataclass
class Release:
    """A post stopping to hold the window: how, and the handover that followed if any."""

    at: object
    how: str                  # off | handover | takeover
    handover: Handover | None = None

    @property
    def covered(self):
        """True when the other post took over (a handover taken, or a takeover)."""
        return self.how == "takeover" or (self.handover is not None and self.handover.taken is not None
                                          and self.handover.kind == "handover")


@dataclass
class WindowDay:
    """The replayed state of one window over one day: holdings, handovers, presses, releases."""

    holder: str | None = None
    holder_pressed: object = None          # time of the on-press that began the holding
    pending: Handover | None = None
    holdings: list = field(default_factory=list)      # [post, start, end-or-None]
    handovers: list = field(default_factory=list)
    presses: dict = field(default_factory=lambda: {"A": [], "B": []})    # post -> [(t, on)]
    releases: dict = field(default_factory=lambda: {"A": [], "B": []})   # post -> [Release]
    last_release: object = None
    last_on: dict = field(default_factory=lambda: {"A": None, "B": None})  # post -> time of its latest on-press

    def apply(self, t, fact):
        """Apply one timed fact of this window (in time order: the replay is only right that way)."""
        if fact.kind == "presence":
            self.presses[fact["post"]].append((t, fact["on"]))
            if fact["on"]:
                self.last_on[fact["post"]] = t
            (self._take if fact["on"] else self._leave)(t, fact["post"])
        elif fact.kind == "handover" and self.holder == fact["post"]:
            record = Handover(fact["post"], other(fact["post"]), t, reason=fact.get("reason"))
            self._release(t, "handover", record)
            self.pending = record
            self.handovers.append(record)

    def _take(self, t, post):
        if self.holder == post:
            return
        if self.pending is not None:
            if self.pending.from_post == post:
                self.pending.kind = "cancelled"
            else:
                self.pending.taken = t
            self.pending = None
        elif self.holder is not None:
            record = Handover(self.holder, post, t, t, None, "return" if post == "A" else "takeover")
            self.handovers.append(record)
            self._release(t, "takeover", record)
        self.holder, self.holder_pressed = post, t
        self.holdings.append([post, t, None])

    def _leave(self, t, post):
        if self.holder == post:
            self._release(t, "off", None)

    def _release(self, t, how, record):
        self.releases[self.holder].append(Release(t, how, record))
        self.holdings[-1][2] = t
        self.holder = self.holder_pressed = None
        self.last_release = t

    def nobody_spans(self, start, end):
        """Spans within [start, end) in which nobody held the post."""
        spans, cursor = [], start
        for _, s, e in self.holdings:
            e = end if e is None else e
            if e <= cursor or s >= end:
                continue
            if s > cursor:
                spans.append((cursor, s))
            cursor = max(cursor, e)
        if cursor < end:
            spans.append((cursor, end))
        return spans


def replay(timed_facts):
    """Replay one window-day's [(time, fact)] (any order) into a :class:`WindowDay`."""
    day = WindowDay()
    for t, fact in sorted(timed_facts, key=lambda tf: (tf[0], tf[1].seq)):
        day.apply(t, fact)
    return day
