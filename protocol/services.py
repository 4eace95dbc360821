"""Finished services and their ratings (R5 办结评价): one rating per service, never defaulted."""
from datetime import timedelta


def services(config, window, timed, as_of):
    """Service rows of one window-day from its [(time, fact)] in time order; and its stray-key count."""
    rated, missed, done, strays = {}, {}, [], 0
    for t, fact in timed:
        if fact.kind == "done":
            done.append((t, fact))
        elif fact.kind == "rating":
            rated.setdefault(fact["service"], (t, fact["score"]))
        elif fact.kind == "rating_missed":
            missed.setdefault(fact["service"], t)
        elif fact.kind == "stray_key":
            strays += 1
    rows = []
    for t, fact in done:
        answer = rated.get(fact.seq)
        if answer is not None and answer[0] < t:
            answer = None
        score = answer[1] if answer else None
        due = None
        if score is not None and score <= 2:
            day = t.astimezone(config.tz).date()
            due = config.add_working_days(day, config.rules.followup_days).isoformat()
        waiting = answer is None and fact.seq not in missed and as_of < t + timedelta(
            seconds=config.rules.rating_window_s)
        rows.append({"window": window.id, "clerk": window.clerk_of(fact["post"]), "service": fact.seq,
                     "done": t, "score": score, "followup_due": due, "post": fact["post"],
                     "rated": answer[0] if answer else None, "missed": fact.seq in missed and answer is None,
                     "open": waiting})
    return rows, strays
