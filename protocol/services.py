"""Finished services and their ratings (R5 办结评价): one rating per service, never defaulted.

A rating counts only when pressed within ``rating_window_s`` of the done press (plus a few seconds of
link latency); otherwise the service is not rated — never a score.
"""
from datetime import timedelta

LINK_LATENCY_S = 5


def services(config, window, timed, as_of):
    """Service rows of one window-day from its [(time, fact)] in time order; and its stray-key count."""
    rated, missed, done, strays = {}, set(), [], 0
    for t, fact in timed:
        if fact.kind == "done":
            done.append((t, fact))
        elif fact.kind == "rating":
            rated.setdefault(fact["service"], []).append((t, fact["score"]))
        elif fact.kind == "rating_missed":
            missed.add(fact["service"])
        elif fact.kind == "stray_key":
            strays += 1
    window_ends = timedelta(seconds=config.rules.rating_window_s + LINK_LATENCY_S)
    rows = []
    for t, fact in done:
        answer = next((a for a in rated.get(fact.seq, []) if t <= a[0] <= t + window_ends), None)
        score = answer[1] if answer else None
        due = None
        if score is not None and score <= 2:
            day = t.astimezone(config.tz).date()
            due = config.add_working_days(day, config.rules.followup_days).isoformat()
        waiting = answer is None and fact.seq not in missed and as_of < t + window_ends
        rows.append({"window": window.id, "clerk": window.clerk_of(fact["post"]), "service": fact.seq,
                     "done": t, "score": score, "followup_due": due, "post": fact["post"],
                     "rated": answer[0] if answer else None, "missed": answer is None and not waiting,
                     "open": waiting})
    return rows, strays
