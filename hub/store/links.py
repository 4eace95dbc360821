"""Which windows a window's clerks link it to: worked out once and kept, for the dirty marks of every push and for
every derivation of a window-day.

A clerk scheduled at two windows links their window-days (absence is a person's, R2). Which windows a window is
linked to on a day is the same for every push and derivation of that day while the configs stand, so it is
worked out once per (config, other hall's config, day) for every window at once (:func:`links`, exactly
``protocol.people.linked_windows`` for each window); and which halls share a clerk with a hall once per set of
current configs (:func:`sharing_clerks`): a city's hub need not compare a hundred halls' clerks per push.
"""
import threading
from datetime import date

from protocol.people import duties

# (what for, ids of the objects it is worked out from) -> (those objects, the answer); each entry holds the
# objects its key names by id, so no id in a key can be another object's while the entry stands
KEPT_MAX = 4096
_answers, _answers_lock = {}, threading.Lock()


def links(config, other, day):
    """{window of *config*: the windows (of *other*, another hall's config, or else of *config* itself) where a
    clerk scheduled at it on ISO *day* is also scheduled that day}, as ``protocol.people.linked_windows`` says."""
    return _kept(("links", id(config), id(other), day), (config, other),
                 lambda: _linked_on(config, other, date.fromisoformat(day)))


def sharing_clerks(hall, halls):
    """[(other hall, its config, or None for *hall* itself)] of the halls of *halls* ({hall id: HallConfig})
    sharing a clerk with *hall* (and *hall*): only their windows can be linked to *hall*'s. Kept per *halls*
    (``ConfigVersions.every`` gives the same mapping while no config is saved)."""
    def worked_out():
        config = halls[hall]
        return [(other, None if other == hall else its) for other, its in halls.items()
                if other == hall or config.clerks.keys() & its.clerks.keys()]
    return _kept(("sharing", id(halls), hall), (halls,), worked_out)


def _kept(key, objects, compute):
    """The answer kept under *key* for these very *objects*, else *compute*'s (then kept)."""
    entry = _answers.get(key)
    if entry is not None and all(a is b for a, b in zip(entry[0], objects)):
        return entry[1]
    answer = compute()
    with _answers_lock:
        while len(_answers) >= KEPT_MAX:
            _answers.pop(next(iter(_answers)))
        _answers[key] = (objects, answer)
    return answer


def _linked_on(config, other, day):
    """:func:`links` worked out: every window's duties on *day* once, then each window's clerks' other windows."""
    theirs = other or config
    scheduled = {w.id: {duty.clerk for duty in duties(theirs, w, day)} for w in theirs.windows}
    linked = {}
    for window in config.windows:
        clerks = scheduled[window.id] if other is None else {duty.clerk for duty in duties(config, window, day)}
        linked[window.id] = [w.id for w in theirs.windows
                             if (other is not None or w.id != window.id) and clerks & scheduled[w.id]]
    return linked
