"""The month's ranking of halls and windows (通报), scored from the record.

E: "行政中心办公室对各部门窗口工作人员的表现情况进行通报，加强行政中心同各窗口单位情况互通，表扬先进、鞭策后进。"
The score is stated (:data:`FORMULA`), every component is shown beside the rank, and nothing is guessed:

- 办件量: up to 30 points, 30 × the window's finished services ÷ the most any ranked window of the list finished;
- 满意率 (share of ratings from the hall's `rules.satisfied_min_score`, 3 by default): up to 40 points,
  40 × the share; 平均分: up to 30 points, 30 × (average − 1) ÷ 4;
  a window nobody rated earns neither (no rating is not a good rating);
- deductions: 2 per 差评 (rating 1–2), 1 per 迟到 or 早退, 2 per 脱岗 or 空岗, 5 per 旷工, 1 per 10 minutes of
  empty window, 1 per 10 minutes a handover waited.

A window the hub heard nothing of in the month is not ranked (R3: unknown is not empty; a silent window is not
a perfect one); a line not yet settled is ranked and marked provisional. Equal scores (to 0.1) share a rank,
the next rank skipping (1, 1, 3), and are marked tied; tied lines are listed by hall and window id. A hall's score
is the mean of its ranked windows' scores; a hall with none ranked is not ranked.
"""
from collections import defaultdict

from .i18n import N_

SERVICE_POINTS, SATISFIED_POINTS, AVERAGE_POINTS = 30, 40, 30
DEDUCTIONS = {"bad": 2, "late": 1, "early_leave": 1, "off_post": 2, "empty_window": 2, "absent": 5}
PER_TEN_MINUTES = {"empty_window_s": 1, "wait_s": 1}
FORMULA = N_("30 × services ÷ most services + 40 × satisfied share + 30 × (average − 1) ÷ 4 − 2 × bad ratings "
           "− 1 × (late + early leave) − 2 × (off post + empty window) − 5 × absent − 1 per 10 empty minutes "
           "− 1 per 10 minutes handovers waited")
COUNTS = ("services", "rated", "score_sum", "satisfied", "bad", "late", "early_leave", "off_post", "empty_window",
          "absent", "empty_window_s", "handovers", "wait_s", "deducted")


def _score(line, most):
    """*line* with its satisfied share, average, deduction and score, *most* being the list's most services."""
    rated = line["rated"]
    share = line["satisfied"] / rated if rated else None
    average = line["score_sum"] / rated if rated else None
    earned = (SERVICE_POINTS * line["services"] / most if most else 0) + \
        (SATISFIED_POINTS * share + AVERAGE_POINTS * (average - 1) / 4 if rated else 0)
    deducted = sum(points * line[kind] for kind, points in DEDUCTIONS.items()) + \
        sum(points * line[field] / 600 for field, points in PER_TEN_MINUTES.items())
    return dict(line, satisfied_share=share, average=average, deducted=round(deducted, 1),
                score=round(earned - deducted, 1))


def _ranked(lines):
    """*lines* (each with ``score`` and ``silent``) best first with ``rank`` and ``tied``; silent ones last,
    with no rank and no score."""
    ranked = sorted((line for line in lines if not line["silent"]),
                    key=lambda line: (-line["score"], line["hall"], line.get("window", "")))
    ties = defaultdict(int)
    for line in ranked:
        ties[line["score"]] += 1
    out, rank = [], 0
    for position, line in enumerate(ranked, 1):
        rank = rank if out and out[-1]["score"] == line["score"] else position
        out.append(dict(line, rank=rank, tied=ties[line["score"]] > 1))
    silent = [dict(line, rank=None, tied=False, score=None) for line in lines if line["silent"]]
    return out + sorted(silent, key=lambda line: (line["hall"], line.get("window", "")))


def rank_windows(records):
    """Each window's record (:meth:`hub.store.reports.Reports.window_record`) scored and ranked, best first."""
    most = max((r["services"] for r in records if not r["silent"]), default=0)
    return _ranked([_score(record, most) for record in records])


def rank_halls(windows, names):
    """Each hall's totals over its *windows* (as :func:`rank_windows` returns them) and the mean of its ranked
    windows' scores, ranked; *names*: {hall id: name}."""
    halls = {}
    for w in windows:
        line = halls.setdefault(w["hall"], {"hall": w["hall"], "name": names[w["hall"]], "windows": 0,
                                            "scores": [], "provisional": False, **dict.fromkeys(COUNTS, 0)})
        line["windows"] += 1
        line["provisional"] |= w["provisional"]
        for field in COUNTS:
            line[field] = round(line[field] + w[field], 1)
        if not w["silent"]:
            line["scores"].append(w["score"])
    return _ranked([_hall_line(line) for line in halls.values()])


def _hall_line(line):
    """A hall's totals with its share, average and score (None and ``silent`` with no window ranked)."""
    scores, rated = line.pop("scores"), line["rated"]
    return dict(line, satisfied_share=line["satisfied"] / rated if rated else None,
                average=line["score_sum"] / rated if rated else None, silent=not scores,
                score=round(sum(scores) / len(scores), 1) if scores else None)
