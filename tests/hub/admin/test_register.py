"""The month's attendance register (月度考勤表, R8): one row per clerk, a mark per day, printable, CSV and Excel."""
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from ..conftest import DAY, local, script
from .test_reports import read_csv

DAY_COLUMN = 2 + DAY.day - 1         # clerk, department, then day 1..30


@pytest.fixture
def marked_day(terminal, clock):
    """w03 on DAY: 陈静 (A, c05) on time in the morning; late and leaves early in the afternoon; 杨帆 (B, c06)
    holds the post for a while without being scheduled (顶岗). Reported past the end of the day."""
    day = script("win-03")
    day.presence("08:20", "A")
    day.presence("12:06", "A", False)
    day.presence("14:40", "A")
    day.handover("16:00", "A", "meeting")
    day.presence("16:00:30", "B")
    day.presence("16:50", "B", False)
    day.presence("16:50:10", "A")
    day.presence("17:00", "A", False)
    day.clock(local(DAY + timedelta(days=1), "00:00:10"))
    clock.set(local(DAY + timedelta(days=1), "00:00:20"))
    assert terminal.push(day.facts).status_code == 200
    return day


def cells(client, month="2026-11"):
    """The register page's cells as {clerk id: {ISO day: text}}."""
    page = client.get(f"/admin/attendance/register?month={month}").text
    out = {}
    for clerk, body in re.findall(r'<tr data-clerk="([^"]+)">(.*?)</tr>', page, re.S):
        out[clerk] = dict(re.findall(r'data-day="([^"]+)">([^<]*)</td>', body))
    return out


def test_each_session_is_marked_in_the_days_cell(marked_day, client, auth):
    """Morning √, afternoon 迟 and 早 (one cell, sessions separated by a slash); B's unscheduled hour is 顶."""
    auth.login()
    grid = cells(client)
    assert grid["c05"][DAY.isoformat()] == "√/迟早"
    assert grid["c06"][DAY.isoformat()] == "顶"
    assert grid["c05"][(DAY - timedelta(days=1)).isoformat()] == "？"       # scheduled, terminal not heard that day
    assert grid["c05"][(DAY + timedelta(days=2)).isoformat()] == ""          # still to come


def test_the_print_view_is_titled_and_signed(marked_day, client, auth):
    """The printed register names the hall and month, explains its marks, and has the signature lines."""
    auth.login()
    page = client.get("/admin/attendance/register?month=2026-11&print=1").text
    assert "梅溪湖街道便民服务大厅2026年11月考勤表" in page
    assert "制表：" in page and "审核：" in page and "负责人：" in page and "打印日期：2026-11-25" in page
    assert "迟 迟到" in page and "顶 未排班顶岗" in page and '<header class="top"' not in page


def test_csv_and_excel_hold_the_same_marks(marked_day, client, auth):
    """The Excel workbook (A4 landscape) and the CSV carry the page's marks and the month's figures."""
    auth.login()
    rows = read_csv(client.get("/admin/attendance/register.csv?month=2026-11"))
    chen = next(row for row in rows if row[0] == "陈静")
    assert chen[DAY_COLUMN] == "√/迟早" and rows[0][DAY_COLUMN] == str(DAY.day)
    answer = client.get("/admin/attendance/register.xlsx?month=2026-11")
    assert answer.status_code == 200 and "register-2026-11.xlsx" in answer.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(answer.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "梅溪湖街道便民服务大厅2026年11月考勤表"
    xlsx_chen = next(row for row in values if row[0] == "陈静")
    assert xlsx_chen[DAY_COLUMN] == "√/迟早"
    assert rows[0][-8:] == ["应出勤（时段）", "实出勤（时段）", "迟到", "早退", "旷工", "脱岗", "请假天数", "暂定"]
    assert chen[-8:] == ["42", "2", "1", "1", "0", "0", "0.0", "1"]      # 21 workdays; the 24th's two sessions
    assert xlsx_chen[:2] == chen[:2] and [float(v) for v in xlsx_chen[-8:]] == [float(v) for v in chen[-8:]]
    assert sheet.page_setup.orientation == "landscape" and any("制表：" in str(row[0]) for row in values)


def test_a_name_that_looks_like_a_formula_stays_text(store, client, auth):
    """A clerk named "=HYPERLINK(...)" is written as text in the workbook, never as a formula."""
    document = store.configs.current()[1]
    store.configs.save({**document, "clerks": [dict(c, name="=HYPERLINK(\"x\")") if c["id"] == "c05" else c
                                               for c in document["clerks"]]}, "office")
    auth.login()
    sheet = load_workbook(io.BytesIO(client.get("/admin/attendance/register.xlsx?month=2026-11").data)).active
    cell = next(row[0] for row in sheet.iter_rows() if str(row[0].value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"


def test_a_department_viewer_sees_only_their_clerks(marked_day, client, auth):
    """The viewer of 民政 gets 陈静 and 杨帆 only, on the page and in the exports."""
    auth.login("viewer")
    assert set(cells(client)) == {"c05", "c06"}
    rows = read_csv(client.get("/admin/attendance/register.csv?month=2026-11"))
    assert sorted(row[0] for row in rows[1:]) == ["杨帆", "陈静"]
