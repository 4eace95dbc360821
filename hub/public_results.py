"""The month's ratings as a hall publishes them (公开, 上墙): each window's finished services, its ratings at the
five levels, its 差评 and how many of them were handled, and the 满意率 as the hall's config defines it.

Flask-free: the month's derived services and the follow-up closures in, lines out. Clerks are named as the hall's
``[public] clerk_names`` says: not at all, by surname (陈*), or in full.
"""
from collections import Counter, defaultdict

from .deriver import catch_up

LEVELS = (5, 4, 3, 2, 1)
BAD = (1, 2)


def shown_name(name, policy):
    """*name* as the public may read it under *policy* ("none": None, "surname": 陈*, "full": as it is)."""
    if policy == "none":
        return None
    if policy == "full":
        return name
    letters = name.replace(" ", "")
    return letters[:1] + "*" * max(len(letters) - 1, 1)


def indicators(rows, handled, satisfied_min):
    """The indicators of services *rows*: services, rated, the five levels (5 first), 差评, 差评 handled, 满意率 and
    差评率."""
    rated = [row for row in rows if row["score"] is not None]
    levels = Counter(row["score"] for row in rated)
    bad = [row for row in rated if row["score"] in BAD]
    return {"services": len(rows), "rated": len(rated), "levels": [levels[level] for level in LEVELS],
            "bad": len(bad), "bad_handled": sum((row["window"], row["service"], row["done"]) in handled for row in bad),
            "satisfied_share": sum(row["score"] >= satisfied_min for row in rated) / len(rated) if rated else None,
            "bad_share": len(bad) / len(rated) if rated else None}


def month_results(config, services, handled):
    """(window lines in the config's order, the hall's totals) of *services* (derived rows of one month);
    *handled* holds the (window, service, done) of each 差评 whose follow-up was closed."""
    by_window = defaultdict(list)
    for row in services:
        by_window[row["window"]].append(row)
    satisfied_min = config.rules.satisfied_min_score
    lines = []
    for window in config.windows:
        rows = by_window.get(window.id, [])
        served = Counter(row["clerk"] for row in rows if row["clerk"] in config.clerks)
        clerks = [shown_name(config.clerks[c].name, config.public.clerk_names) for c, _ in served.most_common()]
        lines.append(dict(indicators(rows, handled, satisfied_min), window=window.id, name=window.name,
                          department=window.department, clerks=[c for c in clerks if c]))
    return lines, indicators([row for rows in by_window.values() for row in rows], handled, satisfied_min)


def published(store, hall, first, last):
    """(window lines, totals) of *hall*'s month *first*..*last* under its current config, derived up to date; a
    rating whose appeal was upheld (申诉成立) is left out, as from every statistic."""
    catch_up(store, start=first.isoformat(), end=last.isoformat(), hall=hall)
    upheld = {key[1:] for key in store.cases.upheld(hall)}
    services = [row for row in store.projections.rows("services", start=first.isoformat(), end=last.isoformat(),
                                                        hall=hall)
                if (row["window"], row["service"], row["done"]) not in upheld]
    return month_results(store.configs.hall(hall), services, set(store.followups.closures(hall)))
