"""Every list downloadable as CSV and Excel (issue 14): the page's rows, in the hall's words and local times."""
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from ..conftest import DAY
from .test_charts import rough_day  # noqa: F401 (fixture)
from .test_reports import read_csv

NEXT_DAY = DAY + timedelta(days=1)


def both(client, name, last=DAY):
    """The list *name* of DAY..*last* as CSV rows and as the Excel sheet's rows after its title (cells as text),
    each without its first column, the hall (checked here)."""
    rows = read_csv(client.get(f"/admin/export/{name}.csv?from={DAY}&to={last}"))
    answer = client.get(f"/admin/export/{name}.xlsx?from={DAY}&to={last}")
    assert answer.status_code == 200 and f"{name}-hall-{DAY}-{last}.xlsx" in answer.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(answer.data)).active
    values = [["" if cell.value is None else str(cell.value) for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == f"梅溪湖街道便民服务大厅 {DAY} – {last}"
    assert [row[0] for row in rows] == [row[0] for row in values[1:]] == ["大厅"] + ["梅溪湖街道便民服务大厅"] * (len(rows) - 1), \
        "every row says its hall"
    return [row[1:] for row in rows], [row[1:] for row in values[1:]]


def test_each_list_exports_the_same_rows_as_csv_and_excel(rough_day, client, auth):  # noqa: F811
    auth.login()
    violations, sheet = both(client, "violations")
    assert violations == sheet
    assert violations[0][:4] == ["类型", "窗口", "工作人员", "开始"]
    assert sorted((row[0], row[5]) for row in violations[1:]) == sorted([("脱岗", "40"), ("迟到", "15"),
                                                                        ("空岗", "15"), ("空岗", "40")])
    assert {row[3] for row in violations[1:]} >= {f"{DAY} 10:40:00"}             # local time, not UTC
    ratings, sheet = both(client, "ratings")
    assert ratings == sheet and [row[4] for row in ratings[1:]] == ["1"]
    attendance, sheet = both(client, "attendance")
    assert attendance == sheet
    assert [(row[1], row[2], row[7]) for row in attendance[1:]] == [("上午", "陈静", "按时"), ("下午", "陈静", "迟到")]


def test_inspections_export_one_row_per_window_seen(rough_day, client, auth):  # noqa: F811
    auth.login()
    assert auth.post("/admin/inspections/take").status_code == 302       # taken now: just past DAY's midnight
    rows, sheet = both(client, "inspections", NEXT_DAY)
    assert rows == sheet and len(rows) > 2 and {row[0] for row in rows[1:]} == {"临时检查"}
    auth.login("viewer")                                  # 民政: w03 alone
    rows, _ = both(client, "inspections", NEXT_DAY)
    assert [row[3] for row in rows[1:]] == ["3号窗口 民政救助"]


def test_a_viewer_exports_only_their_windows(rough_day, client, auth):  # noqa: F811
    auth.login("viewer")
    rows, _ = both(client, "violations")
    assert {row[1] for row in rows[1:]} == {"3号窗口 民政救助"}


@pytest.mark.parametrize("path, status", [("nothing.csv", 404), ("violations.pdf", 404),
                                          (f"violations.csv?from={DAY}&to=2026-01-01", 400)])
def test_unknown_lists_formats_and_ranges_are_refused(client, auth, users, path, status):
    auth.login()
    assert client.get(f"/admin/export/{path}").status_code == status
