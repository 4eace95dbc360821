"""The ranking's stated score (hub/ranking.py) on hand-made window records: each deduction, a silent hall."""
from hub.ranking import rank_halls, rank_windows

BLANK = {"services": 0, "rated": 0, "score_sum": 0, "satisfied": 0, "bad": 0, "late": 0, "early_leave": 0,
         "off_post": 0, "empty_window": 0, "absent": 0, "empty_window_s": 0, "handovers": 0, "wait_s": 0,
         "silent": False, "provisional": False}


def window(hall, wid, **counts):
    return dict(BLANK, hall=hall, window=wid, name=wid, **counts)


def test_every_deduction_is_taken_as_stated():
    lines = rank_windows([
        window("a", "w1", services=10, rated=4, score_sum=20, satisfied=4),                    # 30 + 40 + 30
        window("a", "w2", services=10, rated=4, score_sum=20, satisfied=4, late=1, early_leave=1, off_post=1,
               empty_window=1, absent=1, empty_window_s=1200, handovers=1, wait_s=600),         # − 1−1−2−2−5−2−1
        window("a", "w3", services=5),                                                          # 15, nobody rated
    ])
    assert [(w["window"], w["rank"], w["deducted"], w["score"]) for w in lines] == [
        ("w1", 1, 0, 100.0), ("w2", 2, 14.0, 86.0), ("w3", 3, 0, 15.0)]
    assert lines[2]["average"] is None and lines[2]["satisfied_share"] is None


def test_a_hall_of_silent_windows_is_not_ranked_and_a_lone_provisional_window_makes_its_hall_provisional():
    windows = rank_windows([window("a", "w1", services=1, provisional=True), window("b", "w1", silent=True)])
    halls = rank_halls(windows, {"a": "A", "b": "B"})
    assert [(h["hall"], h["rank"], h["score"], h["provisional"]) for h in halls] == [
        ("a", 1, 30.0, True), ("b", None, None, False)]
