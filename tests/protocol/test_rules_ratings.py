"""R5 办结评价: one rating per finished service, not rated is not a score, follow-ups for 1-2."""
import pytest

from .support import hall_config, judge, rows, script, t


@pytest.mark.parametrize("score, due", [(5, None), (3, None), (2, "2026-12-15"), (1, "2026-12-15")])
def test_low_ratings_open_a_follow_up_due_in_working_days(score, due):
    hall = hall_config()           # 15 working days from Tue 24 Nov: weekends and the 1 Dec holiday skipped, make-up Sun 29 Nov counted
    s = script()
    s.presence("08:20", "A")
    done = s.done("09:00", "A")
    s.rating("09:00:20", done, score)
    service = rows(judge(hall, s), "services")[0]
    assert (service["service"], service["clerk"], service["score"], service["followup_due"]) == (
        done["seq"], "c01", score, due)


def test_no_rating_in_time_is_not_rated_never_a_score(hall):
    s = script()
    done = s.done("09:00", "B")
    s.rating_missed("09:01", done)
    service = rows(judge(hall, s), "services")[0]
    assert (service["score"], service["missed"], service["clerk"]) == (None, True, "c02")


def test_only_the_first_rating_of_a_service_counts(hall):
    s = script()
    done = s.done("09:00", "A")
    s.rating("09:00:10", done, 5)
    s.rating("09:00:20", done, 1)
    assert [r["score"] for r in rows(judge(hall, s), "services")] == [5]


def test_stray_keys_are_counted_not_scored(hall):
    s = script()
    s.stray_key("09:00", 1)
    s.stray_key("09:01", 5)
    report = judge(hall, s)
    assert report["services"] == []
    assert report["stray_keys"] == [{"window": "w01", "date": "2026-11-24", "count": 2, "provisional": True}]


def test_a_service_still_inside_the_rating_window_is_open(hall):
    s = script()
    s.done("09:00", "A")
    service = judge(hall, s, as_of="09:00:30")["services"][0]
    assert (service["score"], service["open"], service["done"]) == (None, True, t("09:00"))


@pytest.mark.parametrize("pressed, score", [("09:01:05", 4), ("09:01:06", None)])
def test_a_key_after_the_rating_window_is_not_a_rating(hall, pressed, score):
    s = script()
    done = s.done("09:00", "A")
    s.rating(pressed, done, 4)
    service = judge(hall, s)["services"][0]
    assert (service["score"], service["missed"]) == (score, score is None)
