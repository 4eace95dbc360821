"""Reports across halls (the center's office): a clerk of two halls on one attendance line, each session once;
weekly counts and ratings per hall, window and clerk; the CSV; no hall-scoped user reaches them."""
import csv
import io
import re
from collections import Counter

import pytest

from protocol.wire import encode_batch, parse_batch

from ..conftest import DAY, local, script
from ..conftest import fresh as catch_up
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

def sheet(answer):
    """The CSV *answer*'s rows by clerk name (the first column), its header apart."""
    rows = list(csv.reader(io.StringIO(answer.text.lstrip("\ufeff"))))
    return rows[0], {line[0]: line[1:] for line in rows[1:]}


def test_the_centers_attendance_of_a_one_hall_clerk_is_that_halls_own(record, auth, client):
    auth.login("office")
    header, center = sheet(client.get("/admin/center/monthly.csv?month=2026-11"))
    compared = 0
    for hall, name in (("hall", "梅溪湖街道便民服务大厅"), ("taohualing", "桃花岭服务大厅")):
        _, own = sheet(client.get(f"/admin/reports/monthly.csv?month=2026-11&hall={hall}"))
        for clerk, line in own.items():
            if center[clerk][0] == name:            # one hall's clerk: every column but the halls is the hall's
                assert center[clerk][1:] == line, clerk
                compared += 1
    assert compared >= 2 and center["陈静"][0] == BOTH


@pytest.mark.backends
def test_the_set_based_reads_across_halls_equal_the_per_hall_ones(record, store, clock):
    evening = script("win-04", boot="win-04-evening", booted="18:20",
                     first_seq=store.terminals.get("win-04")["acked_seq"] + 1)
    clock.set(local(DAY, "18:25"))                  # w04 heard past the afternoon, nobody signed in: absent
    store.facts.ingest(parse_batch(encode_batch("win-04", "0123abcd", evening.facts), "win-04"))
    reports, start, end = catch_up(store).reports, "2026-11-01", "2026-11-30"
    every = {line["clerk"]: line for line in reports.attendance_summary(start, end, hall=None)}
    absent = reports.absent_sessions(start, end)
    assert {clerk: absent[clerk] for clerk in every} == {clerk: line["absent"] for clerk, line in every.items()}
    assert sum(absent.values()) > 0
    for hall in ("hall", "taohualing"):
        assert store.terminals.heard_by_hall()[hall] == store.terminals.heard(hall)
        services = store.projections.rows("services", start=start, end=end, hall=hall)
        assert {day: n for day, (n, _) in reports.services_by_hall_day(start, end)[hall].items()} == \
            Counter(s["day"] for s in services)


@pytest.mark.parametrize("user, told", [("thl-office", "taohualing"), ("street-office", "hall"), ("office", None)])
def test_a_backlog_is_counted_in_the_halls_the_user_reads(record, app, store, auth, client, user, told):
    catch_up(store)
    halls = store.configs.every()
    with store.transaction():
        store.dirty.mark("hall", halls, [("w03", "2026-11-24"), ("w04", "2026-11-24"), ("w05", "2026-11-25")])
        store.dirty.mark("taohualing", halls, [("w01", "2026-11-24")])
    app.config["ADMIN_DERIVE_BUDGET_S"] = 0
    expected = store.projections.dirty(hall=told)
    assert 0 < store.projections.dirty(hall="taohualing") < store.projections.dirty(hall="hall") < store.projections.dirty()
    auth.login(user)
    assert f"本期间尚有 {expected} 个窗口日" in client.get("/admin/ranking?month=2026-11").text
