"""A person is judged once per session across the halls of one hub (R2): their sign-ins in another hall count,
and absent everywhere is one 旷工 per person-session, recorded by one hall only."""
from protocol.config import load_config
from protocol.elsewhere import OtherHall, post_order
from protocol.facts import parse_fact
from protocol.people import linked_windows
from protocol.rules import derive
from protocol.scenario import TerminalScript

from .support import DAY, HALL, rows, script, t

# 桃花岭服务大厅: mornings only; 王伟 (c03), A of the street hall's w02, is also A of its w01 (same window id).
TAOHUALING = """
[hall]
id = "taohualing"
name = "桃花岭服务大厅"
timezone = "Asia/Shanghai"

[[sessions]]
name = "am"
start = "09:00"
end = "12:00"

[[clerks]]
id = "c03"
name = "王伟"
[[clerks]]
id = "c05"
name = "陈静"

[[windows]]
id = "w01"
name = "桃花岭1号窗口"
terminal = "thl-01"
a = "c03"
b = "c05"
"""
STREET, THL = load_config(HALL.replace('name = "测试大厅"', 'id = "street"\nname = "测试大厅"')), load_config(TAOHUALING)


def facts_of(*scripts):
    return tuple(parse_fact(f) for s in scripts for f in s.facts)


def at(hhmm):
    return TerminalScript("x", DAY, STREET.tz, anchor=False).at(hhmm)


def judged(config, hall, mine, other_hall, other_config, theirs, heard=None):
    """Derive *hall*'s day with the other hall's facts (*theirs*) as evidence."""
    other = OtherHall(other_hall, other_config, theirs, heard or {})
    return derive(config, mine, as_of=at("23:00"), since=DAY, hall=hall, elsewhere=[other])


def test_a_sign_in_in_the_other_hall_is_not_absence_here():
    s = script("thl-01")
    s.presence("08:50", "A")
    s.presence("12:01", "A", False)
    report = judged(STREET, "street", facts_of(script("win-02")), "taohualing", THL, facts_of(s))
    morning, afternoon = rows(report, "attendance", clerk="c03", window="w02")
    assert (morning["status"], morning["signed_in_at"]) == ("on_time", "taohualing:w01")
    assert afternoon["status"] == "absent"
    assert [v["start"] for v in rows(report, "violations", kind="absent", clerk="c03")] == [t("14:30")]


def test_without_the_other_hall_the_same_morning_is_absent():
    """The evidence is what saves the morning above: judged alone, the street hall sees no sign-in."""
    report = derive(STREET, facts_of(script("win-02")), as_of=at("23:00"), since=DAY)
    assert [r["status"] for r in rows(report, "attendance", clerk="c03", window="w02")] == ["absent", "absent"]


def test_absent_everywhere_is_one_absence_per_person_session_whichever_hall_is_judged():
    street = judged(STREET, "street", facts_of(script("win-02")), "taohualing", THL, facts_of(script("thl-01")))
    thl = judged(THL, "taohualing", facts_of(script("thl-01")), "street", STREET, facts_of(script("win-02")))
    assert [r["status"] for r in rows(thl, "attendance", clerk="c03")] == ["absent"]
    absent = rows(street, "violations", kind="absent", clerk="c03") + rows(thl, "violations", kind="absent")
    assert [(v["window"], v["session"]) for v in absent] == [("w02", "morning"), ("w02", "afternoon")]


def test_absence_stays_provisional_while_the_other_halls_window_is_unheard():
    """Unknown is not empty (R3): the other hall's w01, silent since 10:00, may still hold his sign-in."""
    report = judged(STREET, "street", facts_of(script("win-02")), "taohualing", THL, (), {"w01": at("10:00")})
    morning, afternoon = rows(report, "attendance", clerk="c03", window="w02")
    assert (morning["status"], morning["provisional"]) == ("absent", True)
    assert (afternoon["status"], afternoon["provisional"]) == ("absent", False)


def test_the_other_halls_windows_linked_through_a_shared_clerk():
    assert linked_windows(STREET, "w02", DAY, THL) == ["w01"]
    assert linked_windows(STREET, "w01", DAY, THL) == []
    assert linked_windows(THL, "w01", DAY, STREET) == ["w02"]


def test_every_hall_orders_posts_alike():
    pairs = [("A", "w02"), ("A", "taohualing:w01")]
    assert min(pairs, key=post_order("street")) == ("A", "w02")
    assert min([("A", "street:w02"), ("A", "w01")], key=post_order("taohualing")) == ("A", "street:w02")


def test_the_halls_id_is_checked_and_kept():
    from protocol.config import config_from_dict, config_to_dict

    from .support import config_error
    assert THL.id == "taohualing" and config_from_dict(config_to_dict(THL)).id == "taohualing"
    assert "id" not in config_to_dict(load_config(HALL))["hall"]
    assert config_error(TAOHUALING, 'id = "taohualing"', 'id = "桃花岭"').startswith("hall.id: must be an id")
    assert config_error(TAOHUALING, 'id = "taohualing"', 'id = "taohualing\\n"').startswith("hall.id: must be an id")
