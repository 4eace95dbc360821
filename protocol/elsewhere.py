"""A person across the halls of one hub: their sign-ins in other halls are evidence for this hall's verdicts.

Clerk ids are the hub's: the same id in two halls' configs is one person. Absence is a person's (R2; Y AB岗
第三条: "B岗顶岗期间，对A的工作应认真负责，同时做好本职工作"), so a clerk scheduled in two halls in one session is
absent (旷工) only with no sign-in at any of their windows in any hall, and the one 旷工 of that person-session
is recorded once, at the first of their posts in (post, hall, window) order, whichever hall is judged.

A window of another hall is named ``"<hall>:<window>"`` (``:`` is never in an id). A duty there is the same
person-session as a duty here when their hours overlap (the halls' sessions may be named or timed apart).
"""
from collections import defaultdict
from dataclasses import dataclass, field

from .attendance import signed_status
from .facts import unique_facts
from .people import duties
from .posts import replay
from .time import resolve_times

SEPARATOR = ":"


@dataclass(frozen=True)
class OtherHall:
    """Another hall of the hub as evidence: its id, config, facts of the day, and what was heard of its windows."""

    hall: str
    config: object
    facts: tuple = ()
    heard: dict = field(default_factory=dict, hash=False)


def qualified(hall, window_id):
    """The name of *hall*'s window *window_id* as seen from another hall."""
    return f"{hall}{SEPARATOR}{window_id}"


def post_order(hall):
    """The sort key of (post, window name) pairs that every hall agrees on: (post, hall, window id);
    *hall* is the id of the hall being judged (None for a lone hall), whose window names are unqualified."""
    def key(pair):
        post, name = pair
        owner, _, window_id = name.rpartition(SEPARATOR)
        return post, owner if owner else (hall or ""), window_id
    return key


def evidence(others, day, as_of, here):
    """The other halls' side of *here* (the duties of this hall on *day*): (scheduled, signed, known).

    ``scheduled`` and ``signed`` are keyed like :func:`protocol.rules.derive_day`'s, by (clerk, session of
    the duty here): the (post, window name) of each overlapping duty elsewhere, and {window name: status}
    of those signed in; ``known`` maps each window name to the instant it is heard up to (at most *as_of*).
    """
    mine = defaultdict(list)
    for duty in here:
        mine[duty.clerk].append(duty)
    scheduled, signed, known = defaultdict(set), defaultdict(dict), {}
    for other in others:
        config = other.config
        timed, _ = resolve_times(config, unique_facts(other.facts))
        for window in config.windows:
            theirs = [d for d in duties(config, window, day) if d.clerk in mine]
            if not theirs:
                continue
            name = qualified(other.hall, window.id)
            known[name] = heard = min(as_of, other.heard.get(window.id, as_of))
            replayed = replay([(t, f) for t, f in timed if t <= heard and t.astimezone(config.tz).date() == day
                               and config.window_of_terminal(f.terminal) == window])
            for duty in theirs:
                status = signed_status(duty, replayed, config.rules, config.approved_leave(duty.clerk),
                                       config.permits_for(window.id), heard)
                for same in (d for d in mine[duty.clerk] if d.start < duty.end and duty.start < d.end):
                    scheduled[(duty.clerk, same.session)].add((duty.post, name))
                    if status is not None:
                        signed[(duty.clerk, same.session)][name] = status
    return scheduled, signed, known
