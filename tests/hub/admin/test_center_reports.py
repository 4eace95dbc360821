"""Reports across halls (the center's office): a clerk of two halls on one attendance line, each session once;
weekly counts and ratings per hall, window and clerk; the CSV; no hall-scoped user reaches them."""
import re

import pytest

from .test_halls import center  # noqa: F401 (the fixture: 桃花岭 and its users)
from .test_ranking import record  # noqa: F401 (the scripted two-hall month)

BOTH = "梅溪湖街道便民服务大厅、桃花岭服务大厅"


def row(page, table, attribute, value):
    """The cells' texts of the row of *table* whose data-*attribute* is *value*."""
    body = page.split(f'id="{table}"')[1].split("</table>")[0]
    line = body.split(f'data-{attribute}="{value}"')[1].split("</tr>")[0]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", line)]


def test_the_center_reports_every_hall_counting_a_two_hall_clerk_once(record, auth, client):
    auth.login("office")
    page = client.get("/admin/center/reports?month=2026-11&week=2026-11-24").text
    chen = row(page, "monthly-halls", "clerk", "c05")
    assert chen[1] == BOTH
    fields = dict(zip(re.findall(r'data-field="([^"]+)"', page.split('data-clerk="c05"')[1].split("</tr>")[0]),
                      chen[3:]))
    assert (fields["attended"], fields["on_time"], fields["absent_violations"]) == ("1", "1", "0"), \
        "signed in at both halls' windows in one morning: one session attended"
    assert row(page, "weekly-halls", "hall", "hall")[-1] == "4"
    assert row(page, "weekly-halls", "hall", "taohualing")[-1] == "1"
    assert row(page, "ratings-halls", "hall", "hall")[1:] == ["4", "4", "4.50", "100.0"]
    assert row(page, "ratings-halls", "hall", "taohualing")[1:] == ["1", "1", "2.00", "0.0"]
    assert row(page, "ratings-windows", "window", "w04")[2:] == ["2", "2", "4.50", "100.0"]
    assert row(page, "ratings-clerks", "clerk", "c05")[1:] == [BOTH, "3", "3", "3.67", "66.7"]


def test_the_center_exports_the_attendance_across_halls(record, auth, client):
    auth.login("office")
    lines = client.get("/admin/center/monthly.csv?month=2026-11").text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("工作人员,大厅,部门,")
    assert [line for line in lines if line.startswith("陈静,")][0].startswith(f"陈静,{BOTH},民政,")


@pytest.mark.parametrize("user", ["thl-office", "street-office", "viewer"])
def test_reports_across_halls_are_the_centers(record, users, auth, client, user):
    auth.login(user)
    assert client.get("/admin/center/reports").status_code == 403
    assert client.get("/admin/center/monthly.csv").status_code == 403


def test_the_center_sees_each_halls_bad_rating_rates(record, auth, client):
    auth.login("office")
    page = client.get("/admin/cases?month=2026-11").text
    assert row(page, "case-rates-hall", "key", "桃花岭服务大厅") == ["桃花岭服务大厅", "1", "0%", "0%", "—"], \
        "one 差评 in 桃花岭, not yet called back, rectified or due"
    assert 'data-key="梅溪湖街道便民服务大厅"' not in page.split('id="case-rates-hall"')[1].split("</table>")[0], \
        "a hall without 差评 has no line"
    auth.logout()
    auth.login("thl-office")
    assert 'id="case-rates-hall"' not in client.get("/admin/cases?month=2026-11").text
