"""Inspection sheets (R7 两督查、两抽查): the office opens a check, files a sheet per window, corrects one, closes
it; others read their windows' sheets; bad input is refused and stores nothing; the month's summary counts them."""
import csv
import io
import re

import pytest
from openpyxl import load_workbook

from ..conftest import DAY, local, script
from ..store.test_halls import TAOHUALING, document

pytestmark = pytest.mark.backends
GOOD = {"present": "1", "clerk": "c05", "dress": "1", "desk": "1", "attitude": "1", "note": ""}


def open_check(auth, clock, at="09:00"):
    """The office takes a manual check at *at*; the id of the inspection it is sent to."""
    clock.set(local(DAY, at))
    auth.login()
    answer = auth.post("/admin/inspections/take")
    assert answer.status_code == 302
    return int(re.fullmatch(r"/admin/inspections/(\d+)", answer.headers["Location"]).group(1))


def sheet_path(inspection, window):
    return f"/admin/inspections/{inspection}/windows/{window}"


def test_the_office_files_corrects_and_closes(store, clock, auth, terminal):
    day = script("win-03")
    day.presence("08:20", "A", True)
    day.clock("08:58")
    clock.set(local(DAY, "08:59"))
    terminal.push(day.facts)
    inspection = open_check(auth, clock)
    page = auth.client.get(f"/admin/inspections/{inspection}").text
    assert page.count('class="sheet-row"') == 8 and "未填写" in page
    form = auth.client.get(sheet_path(inspection, "w03")).text
    assert re.search(r'name="present" value="1" checked', form), "present prefilled: A held w03 at the snapshot"
    assert re.search(r'<option value="c05" selected>陈静</option>', form)
    answer = auth.post(sheet_path(inspection, "w03"), **GOOD)
    assert answer.headers["Location"] == sheet_path(inspection, "w04"), "on to the next window"
    unknown = auth.client.get(sheet_path(inspection, "w01")).text
    assert not re.search(r'name="present" value="[01]" checked', unknown), "unknown at the snapshot: not prefilled"
    auth.post(sheet_path(inspection, "w01"), **dict(GOOD, present="0", clerk="c01", dress="0", desk="0", note="空岗"))
    auth.post(sheet_path(inspection, "w03"), **dict(GOOD, attitude="0", note="与群众争执"))
    sheets = store.inspections.sheets(inspection)
    assert {w: (s["present"], s["dress"], s["desk"], s["attitude"], s["note"]) for w, s in sheets.items()} == {
        "w01": (0, None, 0, None, "空岗"), "w03": (1, 1, 1, 0, "与群众争执")}, "nobody there: dress not judged"
    assert auth.post(f"/admin/inspections/{inspection}/close").status_code == 302
    assert auth.post(sheet_path(inspection, "w03"), **GOOD).status_code == 409
    assert auth.client.get(sheet_path(inspection, "w03")).status_code == 409
    assert auth.post(f"/admin/inspections/{inspection}/close").status_code == 409
    assert store.inspections.sheets(inspection)["w03"]["attitude"] == 0, "the closed sheet is unchanged"
    actions = [e["action"] for e in reversed(store.audit.entries()) if "inspection" in e["action"]]
    assert actions == ["take inspection", "save inspection sheet", "save inspection sheet",
                       "correct inspection sheet", "close inspection"]
    closed = auth.client.get(f"/admin/inspections/{inspection}").text
    assert "服务态度差" in closed and "不在岗" in closed and 'class="sheet-row" href' not in closed


@pytest.mark.parametrize("field, value, message", [
    ("present", "", "present：请选择一项（收到 &#39;&#39;）"), ("dress", "2", "dress：请选择一项（收到 &#39;2&#39;）"),
    ("clerk", "c01", "clerk：c01 不是该窗口的工作人员"), ("note", "长" * 501, "note：最多 500 个字（收到 501 个）")])
def test_a_bad_sheet_is_refused_naming_the_field(store, clock, auth, field, value, message):
    inspection = open_check(auth, clock)
    answer = auth.post(sheet_path(inspection, "w03"), **dict(GOOD, **{field: value}))
    assert answer.status_code == 400 and message in answer.text
    assert store.inspections.sheets(inspection) == {}


def test_unknown_inspections_and_windows_are_404(store, clock, auth):
    inspection = open_check(auth, clock)
    assert auth.client.get(f"/admin/inspections/{inspection + 1}").status_code == 404
    assert auth.post(sheet_path(inspection, "w99"), **GOOD).status_code == 404
    assert auth.client.get("/admin/inspections/x1").status_code == 404


def test_a_viewer_reads_their_windows_sheets_and_files_none(store, clock, auth):
    inspection = open_check(auth, clock)
    auth.post(sheet_path(inspection, "w03"), **dict(GOOD, dress="0"))
    auth.logout()
    auth.login("viewer")
    page = auth.client.get(f"/admin/inspections/{inspection}").text
    assert page.count('class="sheet-row"') == 1 and "着装不规范" in page and "close-inspection" not in page
    assert auth.client.get(sheet_path(inspection, "w03")).status_code == 403
    assert auth.post(sheet_path(inspection, "w03"), **GOOD).status_code == 403
    assert auth.post(f"/admin/inspections/{inspection}/close").status_code == 403
    assert store.inspections.sheets(inspection)["w03"]["dress"] == 0


def test_the_months_summary_counts_per_window_and_clerk(store, clock, auth):
    first = open_check(auth, clock)
    auth.post(sheet_path(first, "w03"), **dict(GOOD, present="0", clerk="c05", note="离岗"))
    auth.post(sheet_path(first, "w01"), **dict(GOOD, clerk="c01", desk="0"))
    second = open_check(auth, clock, "15:00")
    auth.post(sheet_path(second, "w03"), **dict(GOOD, clerk="c06", dress="0", attitude="0"))
    page = auth.client.get("/admin/inspections/summary?month=2026-11").text
    assert "梅溪湖街道便民服务大厅2026年11月督查抽查汇总表" in page
    rows = list(csv.reader(io.StringIO(auth.client.get("/admin/inspections/summary.csv?month=2026-11").text[1:])))
    assert rows[0] == ["对象", "名称", "检查次数", "不在岗", "着装不规范", "台面不整洁", "服务态度差", "备注"]
    assert rows[1:] == [["窗口", "1号窗口 社保医保", "1", "0", "0", "1", "0", ""],
                        ["窗口", "3号窗口 民政救助", "2", "1", "1", "0", "1", "11-24 09:00 3号窗口 民政救助：离岗"],
                        ["工作人员", "张敏", "1", "0", "0", "1", "0", ""],
                        ["工作人员", "陈静", "1", "1", "0", "0", "0", "11-24 09:00 3号窗口 民政救助：离岗"],
                        ["工作人员", "杨帆", "1", "0", "1", "0", "1", ""]]
    workbook = load_workbook(io.BytesIO(auth.client.get("/admin/inspections/summary.xlsx?month=2026-11").data))
    values = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    assert values[0][0] == "梅溪湖街道便民服务大厅2026年11月督查抽查汇总表"
    assert values[3][:7] == ["窗口", "3号窗口 民政救助", 2, 1, 1, 0, 1]
    assert values[-1][0].startswith("制表：")
    auth.logout()
    auth.login("viewer")
    viewer = list(csv.reader(io.StringIO(auth.client.get("/admin/inspections/summary.csv?month=2026-11").text[1:])))
    assert [row[1] for row in viewer[1:]] == ["3号窗口 民政救助", "陈静", "杨帆"], "their department's only"
    assert auth.client.get("/admin/inspections/summary?month=2026-13").status_code == 400


def test_a_check_taken_twice_in_one_second_is_kept_once(store, clock, auth):
    first = open_check(auth, clock)
    again = auth.post("/admin/inspections/take")
    assert again.headers["Location"] == "/admin/inspections"
    assert "这一秒已有一次检查" in auth.client.get("/admin/inspections").text
    assert [t["id"] for t in store.inspections.of_day(DAY.isoformat()) if t["kind"] == "manual"] == [first]


def test_another_halls_office_neither_reads_nor_files_this_halls_sheets(store, clock, auth, password_hash):
    store.configs.add_hall(document(TAOHUALING), "office")
    store.users.add("thl-office", password_hash, "office", hall="taohualing")
    inspection = open_check(auth, clock)
    auth.post(sheet_path(inspection, "w01"), **dict(GOOD, clerk="c01"))      # 桃花岭 has a w01 too
    auth.logout()
    auth.login("thl-office")
    assert auth.client.get(f"/admin/inspections/{inspection}").status_code == 404
    assert auth.post(sheet_path(inspection, "w03"), **GOOD).status_code == 404
    assert auth.post(f"/admin/inspections/{inspection}/close").status_code == 404
    summary = auth.client.get("/admin/inspections/summary.csv?month=2026-11").text
    assert len(summary.splitlines()) == 1, "the header only: nothing of the other hall"
    assert list(store.inspections.sheets(inspection)) == ["w01"]
    assert store.inspections.get(inspection)["closed_at"] is None
