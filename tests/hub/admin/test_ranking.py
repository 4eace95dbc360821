"""The month's ranking page (通报): the center ranks every hall and window, a hall office its own windows only;
CSV and Excel carry the same lines."""
import io
import re

import pytest
from openpyxl import load_workbook

from ..store.test_ranking import two_halls
from .test_halls import center  # noqa: F401 (the fixture: 桃花岭 and its users)


@pytest.fixture
def record(center, store, clock):  # noqa: F811
    """The scripted two-hall month of tests/hub/store/test_ranking.py."""
    store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    store.terminals.enrol(store.terminals.new_enrolment_code("w01", "office", hall="taohualing"))
    return two_halls(store, clock)


def ranks(page, table):
    """[(hall, window or None, rank)] of *table*'s rows on *page*."""
    body = page.split(f'id="{table}"')[1].split("</table>")[0]
    return re.findall(r'<tr data-hall="([^"]+)"(?: data-window="([^"]+)")? data-rank="(\d*)"', body)


def test_the_center_ranks_every_hall_and_window(record, auth, client):
    auth.login("office")
    page = client.get("/admin/ranking?month=2026-11").text
    assert ranks(page, "hall-ranking") == [("hall", "", "1"), ("taohualing", "", "2")]
    windows = ranks(page, "window-ranking")
    assert windows[:3] == [("hall", "w03", "1"), ("hall", "w04", "1"), ("taohualing", "w01", "3")]
    assert [w for w in windows[3:] if w[2]] == [], "the street hall's silent windows are not ranked"
    assert page.count("未排名：本月未收到任何记录") == 6 and "并列" in page and "暂定" in page
    assert "梅溪湖街道便民服务大厅窗口工作通报（2026年11月）" in page and 'id="ranking-formula"' in page


@pytest.mark.parametrize("user, hall, windows", [
    ("thl-office", "taohualing", [("taohualing", "w01", "1")]),
    ("street-office", "hall", [("hall", "w03", "1"), ("hall", "w04", "1")]),
])
def test_a_hall_office_ranks_its_own_windows_only(record, auth, client, user, hall, windows):
    auth.login(user)
    page = client.get("/admin/ranking?month=2026-11").text
    assert 'id="hall-ranking"' not in page
    assert [w for w in ranks(page, "window-ranking") if w[2]] == windows
    assert {w[0] for w in ranks(page, "window-ranking")} == {hall}
    other = "hall" if hall == "taohualing" else "taohualing"
    assert client.get(f"/admin/ranking?month=2026-11&hall={other}").status_code == 403
    assert client.get(f"/admin/ranking.csv?month=2026-11&hall={other}").status_code == 403


@pytest.mark.parametrize("user", ["viewer", "leader", "thl-viewer", "auditor"])
def test_the_ranking_is_the_offices(record, users, auth, client, user):
    auth.login(user)
    assert client.get("/admin/ranking?month=2026-11").status_code == 403
    assert client.get("/admin/ranking.xlsx?month=2026-11").status_code == 403


def test_a_month_that_is_not_one_is_refused(center, auth, client):  # noqa: F811
    auth.login("office")
    answer = client.get("/admin/ranking?month=2026-13")
    assert answer.status_code == 400 and "2026-13" in answer.text


def test_csv_and_excel_carry_the_ranking_the_formula_and_signatures(record, auth, client):
    auth.login("office")
    lines = client.get("/admin/ranking.csv?month=2026-11").text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("排名对象,名次,大厅,窗口,办件量")
    assert lines[1].startswith("大厅,1,梅溪湖街道便民服务大厅,,4,4,4.5,100.0,0,")
    assert lines[3].startswith("窗口,1,梅溪湖街道便民服务大厅,3号窗口 民政救助,2,")
    answer = client.get("/admin/ranking.xlsx?month=2026-11")
    assert "ranking-2026-11.xlsx" in answer.headers["Content-Disposition"]
    rows = [[c for c in row] for row in load_workbook(io.BytesIO(answer.data)).active.iter_rows(values_only=True)]
    assert rows[0][0] == "梅溪湖街道便民服务大厅窗口工作通报（2026年11月）"
    assert [row[1] for row in rows[2:5]] == [1, 2, 1]
    assert rows[-2][0].startswith("得分 =") and rows[-1][0].startswith("制表：")
