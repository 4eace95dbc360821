"""Reports: weekly case counts (R6) and monthly attendance (R8) as pages, CSV and a print view."""
import csv
import io
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import g

from hub.admin.extensions import DEFAULTS
from hub.deriver import catch_up

from ..conftest import DAY, local, script


@pytest.fixture
def worked_day(terminal, clock):
    """w03 on DAY: A on time, three services, B never needed; reported past the end of the day."""
    day = script("win-03")
    day.presence("08:20", "A", True)
    for minute in ("09:00", "09:10", "09:20"):
        day.done(minute)
    day.presence("12:06", "A", False)
    day.presence("14:20", "A", True)
    day.presence("17:36", "A", False)
    day.clock(local(DAY + timedelta(days=1), "00:00:10"))
    clock.set(local(DAY + timedelta(days=1), "00:00:20"))
    terminal.push(day.facts)
    return day


def read_csv(answer):
    text = answer.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_weekly_counts_csv(worked_day, client, auth):
    auth.login()
    answer = client.get(f"/admin/reports/weekly.csv?week={DAY}")
    assert answer.mimetype == "text/csv" and "weekly-2026-11-23.csv" in answer.headers["Content-Disposition"]
    rows = read_csv(answer)
    assert rows[0] == ["窗口", "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "合计", "暂定"]
    # 26th, 27th: still to come, so the week's total is provisional (R3: not reported past the period)
    assert rows[3] == ["3号窗口 民政救助", "0", "3", "0", "", "", "3", "1"]
    assert len(rows) == 9


def test_monthly_attendance_csv_in_english(worked_day, client, auth):
    auth.login()
    auth.post("/admin/language/en")
    rows = read_csv(client.get("/admin/reports/monthly.csv?month=2026-11"))
    header = rows[0]
    assert header[:5] == ["Clerk", "Department", "Scheduled sessions", "Attended sessions", "On time"]
    chen = dict(zip(header, next(r for r in rows if r[0] == "陈静")))
    assert (chen["Scheduled sessions"], chen["Attended sessions"], chen["On time"]) == ("42", "2", "2")


def test_a_department_viewer_exports_only_their_department(worked_day, client, auth):
    auth.login("viewer")
    rows = read_csv(client.get("/admin/reports/monthly.csv?month=2026-11"))
    assert sorted(r[0] for r in rows[1:]) == ["杨帆", "陈静"]
    assert [r[0] for r in read_csv(client.get(f"/admin/reports/weekly.csv?week={DAY}"))[1:]] == ["3号窗口 民政救助"]


@pytest.mark.parametrize("path", ["/admin/reports/monthly.csv?month=2026-11", f"/admin/reports/weekly.csv?week={DAY}"])
def test_english_csv_headings_are_all_in_sentence_case(worked_day, client, auth, path):
    auth.login()
    auth.post("/admin/language/en")
    header = read_csv(client.get(path))[0]
    assert [h for h in header if h[:1].islower()] == [] and header[-1] == "Provisional"


def test_exports_are_audited(worked_day, store, client, auth):
    auth.login()
    client.get("/admin/reports/monthly.csv?month=2026-11")
    assert any(e["action"] == "export csv" for e in store.audit.entries())


def test_print_view_has_no_menu(worked_day, client, auth):
    auth.login()
    page = client.get(f"/admin/reports?week={DAY}&month=2026-11&print=1").text
    assert '<body class="print">' in page and "<nav>" not in page and "陈静" in page
    assert "<nav>" in client.get("/admin/reports").text


def test_each_report_prints_alone_as_a_form(worked_day, client, auth):
    auth.login()
    month = client.get(f"/admin/reports?week={DAY}&month=2026-11&print=month").text
    assert 'id="print-hall">梅溪湖街道便民服务大厅</p>' in month and "<h2>2026年11月考勤汇总表</h2>" in month
    assert 'id="weekly-report"' not in month and 'id="monthly-report"' in month
    signatures = re.search(r'<div class="signatures" id="signatures">(.*?)</div>', month).group(1)
    assert re.sub(r"<[^>]+>", " ", signatures).split() == ["制表：", "审核：", "负责人：", "打印日期：2026-11-25"], "the print date is the hub's day"
    week = client.get(f"/admin/reports?week={DAY}&month=2026-11&print=week").text
    assert "<h2>2026年11月23日至2026年11月29日窗口办件统计表</h2>" in week and 'id="monthly-report"' not in week
    assert 'id="signatures"' not in client.get(f"/admin/reports?week={DAY}&month=2026-11").text


def test_provisional_tags_come_with_their_legend(worked_day, client, auth):
    auth.login()
    page = client.get(f"/admin/reports?week={DAY}&month=2026-11&print=week").text
    assert '<span class="tag provisional">暂定</span>' in page
    assert '<p class="muted legend-provisional">注：标“暂定”的数据可能变化' in page


@pytest.mark.parametrize("query", ["week=2026-13-01", "month=2026-1x", "date=yesterday"])
def test_bad_periods_are_400(client, auth, query):
    auth.login()
    path = "/admin/attendance" if query.startswith("date") else "/admin/reports"
    assert client.get(f"{path}?{query}").status_code == 400


def test_three_absent_days_in_a_year_flag_the_clerk(terminal, clock, client, auth):
    facts, seq = [], 0
    for offset in (-1, 0, 1):
        day = script("win-03", day=DAY + timedelta(days=offset), first_seq=seq + 1)
        day.presence("08:20", "B", True)
        day.clock("23:00")
        facts += day.facts
        seq = day.seq
    clock.set(local(DAY + timedelta(days=1), "23:30"))
    terminal.push(facts)
    auth.login()
    rows = read_csv(client.get("/admin/reports/monthly.csv?month=2026-11"))
    chen = dict(zip(rows[0], next(r for r in rows if r[0] == "陈静")))
    assert (chen["旷工"], chen["年内旷工天数"]) == ("6", "3.0")
    page = client.get("/admin/reports?month=2026-11").text
    assert page.count("年内旷工≥3天") == 1


def test_a_backlog_past_the_budget_is_left_to_the_deriver_the_page_saying_so(worked_day, app, store, client, auth):
    app.config["ADMIN_DERIVE_BUDGET_S"] = 0             # the page derives nothing itself, as after a city's outage
    dirty = store.projections.dirty()
    assert dirty > 0 and store.projections.dirty(start="2026-01-01", end="2026-11-30") == dirty
    auth.login()
    page = client.get("/admin/reports?month=2026-11").data.decode()
    assert f"本期间尚有 {dirty} 个窗口日的考勤正根据迟到的记录重新判定" in page
    assert '<meta http-equiv="refresh" content="10">' in page
    export = client.get("/admin/reports/monthly.csv?month=2026-11")
    assert (export.status_code, export.headers["Retry-After"]) == (503, "30")
    assert export.json["error"].startswith(f"本期间尚有 {dirty} 个窗口日") and "一分钟后再试" in export.json["error"]
    assert not any(e["action"] == "export csv" for e in store.audit.entries()), "nothing exported, nothing audited"
    assert store.projections.dirty() == dirty, "nothing derived by the page"

    assert catch_up(store) == dirty                     # the background deriver's round
    page = client.get("/admin/reports?month=2026-11").data.decode()
    assert "本期间尚有" not in page and "http-equiv" not in page
    assert client.get("/admin/reports/monthly.csv?month=2026-11").status_code == 200


def test_a_page_derives_a_day_s_backlog_itself_within_the_default_budget(worked_day, app, store, client, auth):
    app.config["ADMIN_DERIVE_BUDGET_S"] = DEFAULTS["ADMIN_DERIVE_BUDGET_S"]
    assert store.projections.dirty() > 0
    auth.login()
    assert "本期间尚有" not in client.get("/admin/reports?month=2026-11").data.decode()
    assert store.projections.dirty() == 0


def test_the_spans_a_page_asks_for_share_one_budget(app, monkeypatch):
    from hub.admin import context
    moments, budgets = iter([10.0, 10.0, 11.0, 11.0, 12.0, 12.0, 12.0]), []   # the deadline, then each look
    monkeypatch.setattr(context, "time", SimpleNamespace(monotonic=lambda: next(moments)))
    monkeypatch.setattr(context, "catch_up", lambda store, budget_s, **span: budgets.append(budget_s))
    app.config["ADMIN_DERIVE_BUDGET_S"] = 1.5
    with app.test_request_context("/admin/reports"):
        g.user, g.hall = {"hall": None}, "hall"
        for _ in range(3):
            context.fresh("2026-11-01", "2026-11-30")
        assert budgets == [1.5, 0.5, 0.0], "the second span gets what the first left, the third nothing"
        assert g.still_deriving == 0, "nothing dirty in the span: nothing to say"
