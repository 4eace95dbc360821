"""The lists' filters over the test client: narrowing by department, window, clerk, status and state; the export
links carry the page's filter; a tampered query never widens a role; bad values are a 400 in the reader's words."""
import html
import re
from datetime import timedelta

import pytest

from ..conftest import DAY, local, report, script
from .test_charts import rough_day  # noqa: F401 (fixture)
from .test_halls import center  # noqa: F401 (fixture)
from .test_ratings import rated_day  # noqa: F401 (fixture)
from .test_reports import read_csv

RANGE = f"from={DAY}&to={DAY}"


@pytest.fixture
def two_windows(rough_day, enrol):  # noqa: F811
    """rough_day at w03 (民政, 陈静 late and off post) and w01 (社保): 李娜 leaves 2 minutes early in the morning,
    张敏 is 20 minutes late in the afternoon."""
    w01 = enrol("w01")
    day = script("win-01")
    day.presence("08:25", "B")
    day.presence("11:58", "B", False)
    day.presence("14:50", "A")
    day.presence("17:35", "A", False)
    day.clock(local(DAY + timedelta(days=1), "00:00:10"))
    assert w01.push(day.facts).status_code == 200


def table(page, table_id):
    """The rows of table *table_id* on *page* as lists of cell texts (tags stripped)."""
    body = re.search(rf'<table id="{table_id}">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row,
                                                                                         re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S) if 'class="muted"' not in row]


def violations(client, query):
    return [(row[0], row[2]) for row in table(client.get(f"/admin/violations?{query}").text, "violations")]


def test_department_clerk_and_status_narrow_the_violations(two_windows, client, auth):
    auth.login()
    assert len(violations(client, RANGE)) == 8
    assert set(violations(client, f"{RANGE}&department=民政")) == {("空岗", "陈静 40分钟"), ("脱岗", "陈静"),
                                                                 ("空岗", "陈静 15分钟"), ("迟到", "陈静")}
    assert violations(client, f"{RANGE}&clerk=张") == [("空岗", "张敏 20分钟"), ("迟到", "张敏")]
    assert violations(client, f"{RANGE}&clerk=C02") == [("早退", "李娜"), ("空岗", "李娜 2分钟")]
    assert violations(client, f"{RANGE}&status=late&window=w01") == [("迟到", "张敏")]
    page = client.get(f"/admin/violations?{RANGE}&clerk=陈").text
    assert table(page, "empty-intervals") == [], "an empty interval names no clerk: a clerk's search leaves it out"
    assert 'value="陈"' in page, "the search box shows the current choice"


def test_the_export_links_carry_the_pages_filter(two_windows, client, auth):
    auth.login()
    page = client.get(f"/admin/violations?{RANGE}&department=社保&status=late").text
    link = html.unescape(re.search(r'href="(/admin/export/violations\.csv\?[^"]+)"', page).group(1))
    assert "department=%E7%A4%BE%E4%BF%9D" in link and "status=late" in link
    assert [(row[1], row[3]) for row in read_csv(client.get(link))[1:]] == [("迟到", "张敏")]
    empty_link = html.unescape(re.search(r'href="(/admin/export/empty\.csv\?[^"]+)"', page).group(1))
    assert "status" not in empty_link and {row[1] for row in read_csv(client.get(empty_link))[1:]} == {"1号窗口 社保医保"}


def test_a_shortcut_keeps_the_other_choices_and_reset_clears_them(two_windows, client, auth):
    auth.login()
    page = client.get(f"/admin/violations?{RANGE}&department=民政").text
    month = html.unescape(re.search(r'data-period="month"[^>]*href="([^"]+)"', page).group(1))
    assert month == "/admin/violations?department=%E6%B0%91%E6%94%BF&period=month"
    shown = client.get(month).text
    assert 'aria-current="true" href="/admin/violations?period=month' in shown.replace('data-period="month" ', "")
    assert 'value="2026-11-01"' in shown and 'value="2026-11-30"' in shown and len(table(shown, "violations")) == 4
    assert 'id="filter-reset" href="/admin/violations"' in shown


def test_a_tampered_query_never_widens_a_viewer(two_windows, client, auth):
    auth.login("viewer")                          # 民政: w03 alone
    assert {row[1] for row in table(client.get(f"/admin/violations?{RANGE}").text, "violations")} == {"3号窗口 民政救助"}
    for query in ("department=社保", "window=w01"):
        answer = client.get(f"/admin/violations?{RANGE}&{query}")
        assert answer.status_code == 403 and "不在您的查看范围内" in answer.text
        assert client.get(f"/admin/export/violations.xlsx?{RANGE}&{query}").status_code == 403
    assert violations(client, f"{RANGE}&clerk=张") == [], "a clerk of another department is not found"


@pytest.mark.parametrize("user", ["thl-viewer", "thl-office"])
def test_a_hall_user_cannot_ask_for_another_hall(center, client, auth, user):  # noqa: F811
    auth.login(user)
    assert client.get(f"/admin/violations?{RANGE}&hall=hall").status_code == 403
    assert client.get(f"/admin/export/handovers.csv?{RANGE}&hall=hall").status_code == 403


@pytest.mark.parametrize("query, message", [
    ("window=w99", "窗口：本大厅没有窗口“w99”"),
    ("department=税务", "部门：本大厅没有部门“税务”"),
    ("from=2026-11-24&to=2026-11-20", "结束日期：2026-11-20 早于开始日期 2026-11-24"),
    ("from=24.11.2026", "24.11.2026"),
    ("status=asleep", "状态：asleep 不是可选值"),
    ("period=yesterday", "时段：yesterday"),
])
def test_bad_values_are_a_400_in_the_readers_language(client, auth, query, message):
    auth.login()
    answer = client.get(f"/admin/violations?{query}")
    assert answer.status_code == 400 and message in html.unescape(answer.text)


def test_bad_values_read_in_english_in_english(client, auth):
    auth.login()
    auth.post("/admin/language/en")
    answer = client.get("/admin/handovers?window=w99")
    assert answer.status_code == 400 and "window: w99 is not a window of this hall" in answer.text


def test_attendance_over_a_range_by_clerk_and_status(two_windows, client, auth):
    auth.login()
    rows = table(client.get(f"/admin/attendance?{RANGE}&status=late").text, "attendance")
    assert sorted((row[0], row[3]) for row in rows) == [("张敏", "下午"), ("陈静", "下午")]
    rows = table(client.get(f"/admin/attendance?from={DAY - timedelta(days=1)}&to={DAY}&clerk=陈静").text,
                 "attendance")
    assert {row[0] for row in rows} == {"陈静"} and {row[2] for row in rows} == {str(DAY - timedelta(days=1)),
                                                                                   str(DAY)}
    assert "unknown" not in client.get(f"/admin/attendance?{RANGE}&settled=final").text.split('id="attendance"')[1] \
        .split("</table>")[0], "the unknown rows are provisional"


def test_handovers_taken_or_waiting(terminal, clock, client, auth):
    day = script("win-03")
    day.presence("08:20", "A", True)
    day.handover("09:00", "A", reason="meeting")
    day.presence("09:30", "B", True)
    day.handover("10:00", "B", reason="break")
    report(terminal, clock, day, "10:30")
    auth.login()
    waiting = table(client.get(f"/admin/handovers?{RANGE}&status=waiting").text, "handovers")
    taken = table(client.get(f"/admin/handovers?{RANGE}&status=taken").text, "handovers")
    assert [row[1] for row in taken] == ["A 陈静"] and [row[1] for row in waiting] == ["B 杨帆"]


def test_ratings_by_level_and_follow_ups_by_state(rated_day, client, auth, clock):  # noqa: F811
    auth.login()
    page = client.get(f"/admin/ratings?{RANGE}&status=low").text
    assert [row[3][:1] for row in table(page, "services")] == ["1"]
    assert [row[3][:1] for row in table(client.get(f"/admin/ratings?{RANGE}").text, "services")] == ["5", "4", "1", "—"]
    assert len(table(client.get(f"/admin/ratings?{RANGE}&followup=open").text, "followups")) == 1
    assert table(client.get(f"/admin/ratings?{RANGE}&followup=overdue").text, "followups") == []
    assert table(client.get(f"/admin/ratings?{RANGE}&status=5").text, "followups") == [], "a 5 has no follow-up"
    clock.set(local(DAY + timedelta(days=30), "09:00"))            # past the follow-up due 2026-12-15
    auth.login()
    overdue = client.get(f"/admin/ratings?{RANGE}&followup=overdue").text
    assert len(table(overdue, "followups")) == 1 and "已超期" in overdue
    assert table(client.get(f"/admin/ratings?{RANGE}&followup=closed").text, "followups") == []


def test_the_centers_office_chooses_the_hall_and_the_exports_follow(center, client, auth):  # noqa: F811
    auth.login()
    page = client.get(f"/admin/handovers?{RANGE}&hall=taohualing").text
    bar = re.search(r'<form class="filters filter-bar".*?</form>', page, re.S).group(0)
    assert re.search(r'<option value="taohualing" selected>', bar) and '<option value="w01"' in bar
    assert '<option value="w02"' not in bar, "the windows of the hall chosen"
    assert "hall=taohualing" in re.search(r'href="(/admin/export/handovers\.xlsx\?[^"]+)"', page).group(1)
    assert client.get(f"/admin/handovers?{RANGE}&hall=taohualing&window=w03").status_code == 400
