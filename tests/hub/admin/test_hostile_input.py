"""The admin pages over real HTTP against hostile input: every date, month and id argument is a precise 4xx
(never a 5xx), names refuse control characters, and CSV exports never carry a live formula."""
import csv
import html
import io

import pytest
import requests

from protocol.config import config_to_dict

from .conftest import Actions


class Http:
    """The admin pages on a real server, one browser-like session (driven by the conftest's Actions)."""

    def __init__(self, base):
        self.base, self.session = base, requests.Session()

    def get(self, path):
        return self.session.get(self.base + path, allow_redirects=False, timeout=10)

    def post(self, path, data):
        return self.session.post(self.base + path, data=data, allow_redirects=False, timeout=10)


@pytest.fixture
def office_http(server, users):
    """The office user logged in over HTTP, reading English."""
    actions = Actions(Http(server))
    assert actions.login().status_code == 302
    assert actions.post("/admin/language/en").status_code == 302
    yield actions
    actions.client.session.close()


OUTSIDE = "is outside 1969-12-31..2099-12-31"
BAD_QUERIES = [
    ("/admin/attendance?date=9999-12-31", f"date: 9999-12-31 {OUTSIDE}"),
    ("/admin/attendance?date=0001-01-01", f"date: 0001-01-01 {OUTSIDE}"),
    ("/admin/attendance/month?month=9999-12", f"month: 9999-12 {OUTSIDE}"),
    ("/admin/attendance/month?month=0001-01", f"month: 0001-01 {OUTSIDE}"),
    ("/admin/facts?window=w03&date=9999-12-31", f"date: 9999-12-31 {OUTSIDE}"),
    ("/admin/violations?to=0001-01-10", f"to: 0001-01-10 {OUTSIDE}"),
    ("/admin/violations?from=9999-12-31", f"from: 9999-12-31 {OUTSIDE}"),
    ("/admin/violations?from=2026-01-01&to=2027-06-01",
     "to: at most 365 days after the first day (2026-01-01 to 2027-06-01 is longer)"),
    ("/admin/handovers?from=0001-01-01&to=0001-01-10", f"from: 0001-01-01 {OUTSIDE}"),
    ("/admin/ratings?to=0001-01-10", f"to: 0001-01-10 {OUTSIDE}"),
    ("/admin/ratings?from=0001-01-01&to=9999-12-31", f"from: 0001-01-01 {OUTSIDE}"),
    ("/admin/ratings?from=2026-11-24&to=2026-11-01", "to: 2026-11-01 is before the first day 2026-11-24"),
    ("/admin/inspections?date=9999-12-31", f"date: 9999-12-31 {OUTSIDE}"),
    ("/admin/reports?week=9999-12-31", f"week: 9999-12-31 {OUTSIDE}"),
    ("/admin/reports?month=9999-12", f"month: 9999-12 {OUTSIDE}"),
    ("/admin/reports/weekly.csv?week=9999-12-31", f"week: 9999-12-31 {OUTSIDE}"),
    ("/admin/reports/monthly.csv?month=9999-12", f"month: 9999-12 {OUTSIDE}"),
]


@pytest.mark.parametrize("path, message", BAD_QUERIES)
def test_dates_beyond_the_recordable_years_are_a_400_naming_the_argument(office_http, path, message):
    answer = office_http.client.get(path)
    assert answer.status_code == 400
    assert message in html.unescape(answer.text)


@pytest.mark.parametrize("path", ["/admin/attendance?date=2099-12-31", "/admin/attendance?date=1969-12-31",
                                  "/admin/reports?week=2099-12-31&month=2099-12", "/admin/ratings?to=1969-12-31",
                                  "/admin/reports/weekly.csv?week=2099-12-31", "/admin/inspections?date=2099-12-31"])
def test_the_first_and_last_recordable_days_are_served(office_http, path):
    assert office_http.client.get(path).status_code == 200


@pytest.mark.parametrize("path, data, message", [
    ("/admin/leave/new", {"clerk": "c05", "from": "9999-12-30T00:00", "to": "9999-12-31T23:59", "kind": "sick"},
     f"from: '9999-12-30T00:00' {OUTSIDE}"),
    ("/admin/leave/new", {"clerk": "c05", "from": "2026-11-24T08:00", "to": "0001-01-01T00:00", "kind": "sick"},
     f"to: '0001-01-01T00:00' {OUTSIDE}"),
    ("/admin/permits/new", {"window": "w03", "from": "0001-01-01T00:00", "to": "0001-01-02T00:00"},
     f"from: '0001-01-01T00:00' {OUTSIDE}"),
])
def test_leave_and_permits_beyond_the_recordable_years_are_a_400_and_the_leave_page_still_opens(
        office_http, store, path, data, message):
    answer = office_http.post(path, **data)
    assert answer.status_code == 400
    assert message in html.unescape(answer.text)
    assert store.leave.requests() == []
    assert office_http.client.get("/admin/leave").status_code == 200


def test_a_user_id_past_sqlites_integers_is_a_404(office_http):
    assert office_http.post(f"/admin/setup/user/{2 ** 70}/active", active="1").status_code == 404


@pytest.mark.parametrize("path, data, field", [
    ("/admin/setup/clerk", {"id": "c99", "name": "王\x1b[2J五"}, "name"),
    ("/admin/setup/window", {"id": "w03", "name": "民政\x9b窗口"}, "name"),
    ("/admin/setup/clerk", {"id": "c05", "name": "陈静", "department": "民政\x7f"}, "department"),
    ("/admin/setup/user", {"username": "eve\x1b", "password": "correct horse 9", "role": "viewer"}, "username"),
])
def test_setup_forms_refuse_control_characters_in_names(office_http, store, path, data, field):
    before = store.configs.current()[2]
    answer = office_http.post(path, **data)
    assert answer.status_code == 400
    assert f"{field}: must not contain control characters" in html.unescape(answer.text)
    assert store.configs.current()[2] == before
    assert store.users.by_name("eve\x1b") is None


def rows_of(answer):
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))


def test_csv_exports_neutralise_cells_a_spreadsheet_would_run(office_http, store):
    document = config_to_dict(store.configs.hall())
    formulas = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A9)"]
    for window, name in zip(document["windows"], formulas):
        window["name"] = name
    document["clerks"][0]["name"] = "=cmd|' /C calc'!A0"
    document["clerks"][0]["department"] = "@dept"
    store.configs.save(document, "test")
    weekly = rows_of(office_http.client.get("/admin/reports/weekly.csv?week=2026-11-23"))
    assert [row[0] for row in weekly[1:5]] == ["'" + name for name in formulas]
    assert weekly[1][-2:] == ["0", "1"]             # numbers stay numbers (the total; provisional: nothing heard)
    monthly = rows_of(office_http.client.get("/admin/reports/monthly.csv?month=2026-11"))
    clerk = next(row for row in monthly if "cmd" in row[0])
    assert clerk[:2] == ["'=cmd|' /C calc'!A0", "'@dept"]
    cells = [cell for row in weekly + monthly for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
