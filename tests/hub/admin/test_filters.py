"""The filter parser and the date shortcuts, without a server: month boundaries, weeks from Monday, the hall's
time zone, the role's sight never widened, every bad value refused with its argument named."""
from datetime import date, datetime, timezone

import pytest

from hub.admin.filters import Filter, clerks_of, parse, period_span
from hub.admin.periods import BadArgument, local_day
from protocol.config import load_config

from ..conftest import DAY, HALL_TOML, TZ

CONFIG = load_config(HALL_TOML.read_text(encoding="utf-8"))
MINZHENG = [w for w in CONFIG.windows if w.department == "民政"]        # w03: 陈静 (c05) A, 杨帆 (c06) B


def office(args, page="violations", **kwargs):
    return parse(args, page, config=CONFIG, windows=list(CONFIG.windows), clerks=list(CONFIG.clerks.values()),
                 today_=DAY, **kwargs)


def viewer(args, page="violations"):
    clerks = [c for c in CONFIG.clerks.values() if c.id in ("c05", "c06")]
    return parse(args, page, config=CONFIG, windows=MINZHENG, clerks=clerks, today_=DAY)


@pytest.mark.parametrize("period, day, span", [
    ("today", DAY, (DAY, DAY)),
    ("week", DAY, (date(2026, 11, 23), date(2026, 11, 29))),                   # Tuesday: from Monday
    ("week", date(2026, 11, 29), (date(2026, 11, 23), date(2026, 11, 29))),    # Sunday ends the week
    ("week", date(2026, 11, 30), (date(2026, 11, 30), date(2026, 12, 6))),     # Monday starts one
    ("week", date(2026, 12, 31), (date(2026, 12, 28), date(2027, 1, 3))),      # across the year
    ("month", DAY, (date(2026, 11, 1), date(2026, 11, 30))),
    ("month", date(2028, 2, 10), (date(2028, 2, 1), date(2028, 2, 29))),       # a leap February
    ("month", date(2026, 12, 31), (date(2026, 12, 1), date(2026, 12, 31))),
    ("last_month", date(2026, 3, 31), (date(2026, 2, 1), date(2026, 2, 28))),
    ("last_month", date(2027, 1, 1), (date(2026, 12, 1), date(2026, 12, 31))),  # January: last year's December
])
def test_the_shortcuts_span_whole_days_weeks_and_months(period, day, span):
    assert period_span(period, day) == span


def test_the_shortcuts_count_in_the_halls_time_zone():
    """00:30 on 1 December in 梅溪湖 is still 30 November in UTC: 本月 is December there."""
    moment = datetime(2026, 11, 30, 16, 30, tzinfo=timezone.utc)
    assert local_day(moment, TZ) == date(2026, 12, 1)
    assert period_span("month", local_day(moment, TZ)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert period_span("today", local_day(moment, timezone.utc)) == (date(2026, 11, 30), date(2026, 11, 30))


def test_a_period_sets_the_dates_and_round_trips_through_the_query():
    flt = office({"period": "last_month", "department": "民政", "clerk": "陈", "status": "late"})
    assert (flt.first, flt.last) == (date(2026, 10, 1), date(2026, 10, 31))
    assert flt.windows == ("w03",) and flt.clerks == {"c05"} and flt.kinds() == ("late",)
    assert flt.args() == {"period": "last_month", "department": "民政", "clerk": "陈", "status": "late"}
    assert office(flt.args()) == flt
    assert flt.export_args("violations") == {"from": "2026-10-01", "to": "2026-10-31", "department": "民政",
                                             "clerk": "陈", "status": "late"}
    assert "status" not in flt.export_args("empty"), "the empty intervals have no violation kind"
    assert flt.period_args("week") == {"period": "week", "department": "民政", "clerk": "陈", "status": "late"}


def test_dates_default_to_today_or_the_lists_span():
    assert (office({}).first, office({}).last) == (DAY, DAY)
    assert (office({"date": "2026-11-02"}).first, office({"date": "2026-11-02"}).last) == (date(2026, 11, 2),) * 2
    ratings = office({}, "ratings")
    assert (ratings.first, ratings.last) == (date(2026, 10, 26), DAY)
    assert office({"from": "2026-11-20"}).last == date(2026, 11, 20)


@pytest.mark.parametrize("text, clerks", [("陈", {"c05"}), ("C05", {"c05"}), ("ｃ０５", {"c05"}), (" 杨帆 ", {"c06"}),
                                          ("c0", {f"c0{n}" for n in range(1, 10)}), ("nobody", set())])
def test_the_clerk_search_matches_names_and_ids_in_either_script(text, clerks):
    assert office({"clerk": text}).clerks == clerks


def test_a_search_never_reaches_a_clerk_outside_the_roles_sight():
    assert viewer({"clerk": "张敏"}).clerks == set() and viewer({"clerk": "c0"}).clerks == {"c05", "c06"}


@pytest.mark.parametrize("args, name, code", [
    ({"department": "社保"}, "department", 403),              # another department: not widened
    ({"window": "w01"}, "window", 403),
    ({"department": "税务"}, "department", 400),              # none such in the hall
    ({"window": "w99"}, "window", 400),
    ({"from": "2026-11-24", "to": "2026-11-23"}, "to", 400),
    ({"from": "24.11.2026"}, "from", 400),
    ({"period": "yesterday"}, "period", 400),
    ({"status": "asleep"}, "status", 400),
    ({"settled": "maybe"}, "settled", 400),
    ({"followup": "open"}, "followup", 400),                 # not on this list
    ({"clerk": "x" * 51}, "clerk", 400),
])
def test_bad_or_widening_values_are_refused_naming_the_argument(args, name, code):
    with pytest.raises(BadArgument) as refused:
        viewer(args)
    assert (refused.value.name, refused.value.code) == (name, code)


def test_the_viewer_sees_their_department_whatever_else_is_asked():
    assert viewer({}).windows == ("w03",) and viewer({"department": "民政", "window": "w03"}).windows == ("w03",)
    assert office({"department": "民政", "window": "w01"}).windows == (), "a window of another department: nothing"


def test_statuses_are_each_lists_own():
    assert office({"status": "low"}, "ratings").kinds() == ("1", "2")
    assert office({"status": "5"}, "ratings").kinds() == ("5",)
    handovers = office({"status": "waiting"}, "handovers")
    assert handovers.kinds() is None
    assert handovers.keeps({"taken": None}) and not handovers.keeps({"taken": "2026-11-24T09:30:00+08:00"})
    assert office({"followup": "overdue"}, "ratings", followups=True).followup == "overdue"
    assert office({"settled": "final"}).provisional is False and office({}).provisional is None


def test_a_row_names_every_clerk_it_concerns():
    assert clerks_of({"clerk": None, "charged_to": [{"clerk": "c05", "seconds": 60}, {"clerk": None}]}) == {"c05"}
    assert clerks_of({"from_clerk": "c05", "to_clerk": "c06"}) == {"c05", "c06"}
    flt = Filter(DAY, DAY, "violations", clerk="陈", clerks=frozenset({"c05"}))
    assert flt.keeps({"clerk": None, "charged_to": [{"clerk": "c05"}]}) and not flt.keeps({"window": "w03"})
