"""Integrity signals of 好差评: patterns in a period's finished services that the office should look at.

M art. 14: "由申请人对窗口的工作效率、服务质量、满意程度等进行评价" — the applicant rates, nobody else; the national
好差评 rules (国办发〔2019〕51号) forbid forcing or steering a rating and punish faking good ones (刷好评). A signal
is never a verdict: it names the window, the clerk and the facts behind it, and the office decides. Computed
from the derived services and stray keys alone (``hallpost derive`` output), so a replay gives the same signals.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

TOP_SCORE = 5
DONE_BURST, QUICK_RATING, TOP_RUN = "done_burst", "quick_rating", "top_run"
OFF_HOURS, KEYPAD_UNUSED, STRAY_FLOOD = "off_hours", "keypad_unused", "stray_flood"
APPEALS_UPHELD = "appeals_upheld"
KINDS = (DONE_BURST, QUICK_RATING, TOP_RUN, OFF_HOURS, KEYPAD_UNUSED, STRAY_FLOOD, APPEALS_UPHELD)


@dataclass(frozen=True)
class Thresholds:
    """When a pattern becomes a signal; every one is the hall's to set."""

    min_service_s: int = 30         # two done presses closer than this: no service between them
    min_read_s: int = 2             # a rating sooner than this after its done press: faster than reading the prompt
    min_instances: int = 3          # done bursts or quick ratings of one clerk at one window before a signal
    top_run_min: int = 10           # a run of top scores shorter than this is never a signal
    top_run_odds: float = 0.001     # ... and a longer one only when this improbable at the usual share of 5
    min_baseline: int = 20          # ratings a usual share is computed from (fewer: that baseline is unknown)
    off_hours_grace_min: int = 30   # a rating this long before or after the window's sessions is off hours
    keypad_unused_dones: int = 10   # a window-day with this many done presses, every one unrated
    stray_flood: int = 30           # stray keys on one window-day
    appeals_min: int = 3            # 差评 of one clerk removed on appeal before a signal ...
    appeals_ratio: int = 2          # ... and this many times the other clerks' share of theirs removed


@dataclass(frozen=True)
class Signal:
    """One pattern at one window (and the clerk it concerns, when one does), with its evidence rows."""

    kind: str
    window: str
    clerk: str | None
    count: int
    evidence: tuple
    measure: dict


def signals(config, services, stray_keys, thresholds=Thresholds(), upheld=frozenset()):
    """Every signal in *services* and *stray_keys*, rows of the derive report (ISO times), in a stable order;
    *upheld* holds the (window, service, done) of ratings whose appeal the office upheld (申诉成立)."""
    services = sorted((dict(row, done_at=_at(row["done"]), rated_at=_at(row["rated"])) for row in services),
                      key=lambda r: (r["done_at"], r["window"], r["service"]))
    by_pair = defaultdict(list)
    for row in services:
        by_pair[(row["window"], row["clerk"])].append(row)
    found = []
    for (window, clerk), rows in sorted(by_pair.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        found += _done_bursts(window, clerk, rows, thresholds)
        found += _quick_ratings(window, clerk, rows, thresholds)
        found += _off_hours(config, window, clerk, rows, thresholds)
    found += _top_runs(services, thresholds)
    found += _keypads_unused(config, services, thresholds)
    found += _appeals_upheld(services, upheld, thresholds)
    found += [Signal(STRAY_FLOOD, row["window"], None, row["count"], ({"date": row["date"], "count": row["count"]},),
                     {"limit": thresholds.stray_flood})
              for row in sorted(stray_keys, key=lambda r: (r["window"], r["date"]))
              if row["count"] >= thresholds.stray_flood]
    return sorted(found, key=lambda s: (KINDS.index(s.kind), s.window, s.clerk or ""))


def _at(value):
    return None if value is None else datetime.fromisoformat(value)


def _counted(kind, window, clerk, evidence, thresholds, measure):
    if len(evidence) < thresholds.min_instances:
        return []
    return [Signal(kind, window, clerk, len(evidence), tuple(evidence), measure)]


def _done_bursts(window, clerk, rows, thresholds):
    """Done presses of one clerk at one window closer together than any service takes."""
    evidence = [{"service": row["service"], "done": row["done"], "after_s": round(gap, 1)}
                for before, row in zip(rows, rows[1:])
                if (gap := (row["done_at"] - before["done_at"]).total_seconds()) < thresholds.min_service_s]
    return _counted(DONE_BURST, window, clerk, evidence, thresholds, {"min_service_s": thresholds.min_service_s})


def _quick_ratings(window, clerk, rows, thresholds):
    """Ratings pressed sooner after their done press than a citizen can read the prompt."""
    evidence = [{"service": row["service"], "done": row["done"], "after_s": round(wait, 2), "score": row["score"]}
                for row in rows if row["rated_at"] is not None
                and (wait := (row["rated_at"] - row["done_at"]).total_seconds()) < thresholds.min_read_s]
    return _counted(QUICK_RATING, window, clerk, evidence, thresholds, {"min_read_s": thresholds.min_read_s})


def _off_hours(config, window, clerk, rows, thresholds):
    """Ratings pressed outside the window's sessions (and approved overtime), beyond a grace each side."""
    grace = timedelta(minutes=thresholds.off_hours_grace_min)
    evidence = []
    for row in rows:
        if row["rated_at"] is None:
            continue
        spans = config.sessions_of(window, row["rated_at"].astimezone(config.tz).date())
        if not any(start - grace <= row["rated_at"] <= end + grace for _, start, end in spans):
            evidence.append({"service": row["service"], "rated": row["rated"], "score": row["score"]})
    if not evidence:
        return []
    return [Signal(OFF_HOURS, window, clerk, len(evidence), tuple(evidence),
                   {"grace_min": thresholds.off_hours_grace_min})]


def _top_share(rows):
    scored = [row["score"] for row in rows if row["score"] is not None]
    return (sum(score == TOP_SCORE for score in scored) / len(scored), len(scored)) if scored else (None, 0)


def _odds(share, count, run, thresholds):
    """How likely a run of *run* top scores is at *share* (None when fewer than the baseline's ratings)."""
    return None if count < thresholds.min_baseline or share is None else share ** run


def _top_runs(services, thresholds):
    """A clerk's longest run of top scores, improbable at their own usual share and at the hall's."""
    rated = [r for r in services if r["score"] is not None and r["clerk"]]
    found = []
    for clerk in sorted({r["clerk"] for r in rated}):
        own = [r for r in rated if r["clerk"] == clerk]
        run = _longest_top_run(own)
        if len(run) < thresholds.top_run_min:
            continue
        outside = [r for r in own if r not in run]
        own_share, own_count = _top_share(outside)
        hall_share, hall_count = _top_share([r for r in rated if r["clerk"] != clerk])
        own_odds = _odds(own_share, own_count, len(run), thresholds)
        hall_odds = _odds(hall_share, hall_count, len(run), thresholds)
        if hall_odds is None or hall_odds >= thresholds.top_run_odds:
            continue
        if own_odds is not None and own_odds >= thresholds.top_run_odds:
            continue
        found.append(Signal(TOP_RUN, run[0]["window"], clerk, len(run),
                            tuple({"service": r["service"], "window": r["window"], "done": r["done"]} for r in run),
                            {"own_share": own_share if own_count >= thresholds.min_baseline else None,
                             "hall_share": hall_share, "odds": hall_odds if own_odds is None else max(own_odds, hall_odds)}))
    return found


def _longest_top_run(rows):
    best, current = [], []
    for row in rows:
        current = current + [row] if row["score"] == TOP_SCORE else []
        if len(current) > len(best):
            best = current
    return best


def _keypads_unused(config, services, thresholds):
    """Window-days whose done presses were all left unrated: the keypad is not offered or not working."""
    days = defaultdict(list)
    for row in services:
        days[(row["window"], row["done_at"].astimezone(config.tz).date().isoformat())].append(row)
    return [Signal(KEYPAD_UNUSED, window, None, len(rows), ({"date": day, "done": len(rows)},),
                   {"limit": thresholds.keypad_unused_dones})
            for (window, day), rows in sorted(days.items())
            if len(rows) >= thresholds.keypad_unused_dones and all(r["missed"] for r in rows)]


def _appeals_upheld(services, upheld, thresholds):
    """Clerks whose 差评 vanish on appeal far more often than the other clerks' do."""
    bad = [row for row in services if row["score"] in (1, 2) and row["clerk"]]
    found = []
    for clerk in sorted({row["clerk"] for row in bad}):
        own = [row for row in bad if row["clerk"] == clerk]
        gone = [row for row in own if (row["window"], row["service"], row["done"]) in upheld]
        others = [row for row in bad if row["clerk"] != clerk]
        others_gone = sum((row["window"], row["service"], row["done"]) in upheld for row in others)
        share, others_share = len(gone) / len(own), (others_gone / len(others) if others else 0)
        if len(gone) >= thresholds.appeals_min and share >= thresholds.appeals_ratio * others_share:
            found.append(Signal(APPEALS_UPHELD, gone[0]["window"], clerk, len(gone),
                                tuple({"service": r["service"], "window": r["window"], "done": r["done"]} for r in gone),
                                {"share": share, "others_share": others_share, "bad": len(own)}))
    return found
