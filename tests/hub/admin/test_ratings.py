"""Ratings (R5): counts, average, share satisfied, trend; a 1-2 rating opens a follow-up, closed on its case."""
import re
from datetime import date

import pytest

from hub.admin.chart import PAD, WIDTH, trend_svg

from ..conftest import DAY, report, script
from .conftest import close_case, handle_case

pytestmark = pytest.mark.backends


@pytest.fixture
def rated_day(terminal, clock):
    """w03's morning: four services rated 5, 4, 1 and one not rated."""
    day = script("win-03")
    day.presence("08:20", "A", True)
    for minute, score in (("09:00", 5), ("09:10", 4), ("09:20", 1), ("09:30", None)):
        done = day.done(minute)
        if score is None:
            day.rating_missed(minute + ":59", done)
        else:
            day.rating(minute + ":20", done, score)
    report(terminal, clock, day, "10:00", "10:01")
    return day


def test_summary_per_window_and_clerk(rated_day, client, auth):
    auth.login()
    page = client.get(f"/admin/ratings?from={DAY}&to={DAY}").text
    row = re.search(r"<tr><td>3号窗口 民政救助.*?</tr>", page, re.S).group(0)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    assert cells == ["4", "3", "3.33", "67%"]
    assert "<svg" in page and "<polyline" in page


def open_follow_up(page):
    """The (service, done) of the page's one open follow-up."""
    return re.search(r'data-service="(\d+)" data-done="([^"]+)" data-closed="no"', page).groups()


def test_a_low_rating_opens_a_follow_up_that_the_office_closes(rated_day, store, client, auth):
    auth.login()
    page = client.get(f"/admin/ratings?from={DAY}&to={DAY}").text
    assert page.count('data-closed="no"') == 1
    assert "2026-12-15" in page, "due 15 working days after the rating"
    service, done = open_follow_up(page)
    assert auth.post("/admin/cases/close", window="w03", service=service, done=done, note="x").status_code == 409, \
        "not before it was verified, rectified and the citizen called back"
    handle_case(auth, "w03", service, done)
    assert auth.post("/admin/cases/close", window="w03", service=service, done=done, note="").status_code == 400
    assert store.followups.closures() == {}
    answer = auth.post("/admin/cases/close", window="w03", service=service, done=done, note="已回访，群众表示理解")
    assert answer.status_code == 302
    page = client.get(f"/admin/ratings?from={DAY}&to={DAY}").text
    assert 'data-closed="yes"' in page and "已回访，群众表示理解" in page
    assert any(e["action"] == "close follow-up" for e in store.audit.entries())


def test_only_a_real_follow_up_can_be_closed(rated_day, auth):
    auth.login()
    answer = auth.post("/admin/cases/close", window="w03", service="3", done="2026-11-24T09:00:00+08:00",
                       note="x")
    assert answer.status_code == 404


def test_a_viewer_reads_the_case_but_has_no_close_form(rated_day, client, auth):
    auth.login("viewer")
    page = client.get(f"/admin/ratings?from={DAY}&to={DAY}").text
    service, done = open_follow_up(page)
    case = client.get("/admin/cases/case", query_string={"window": "w03", "service": service, "done": done}).text
    assert 'id="case-state"' in case and 'id="close-form"' not in case


def test_an_open_follow_up_stays_listed_after_its_period(rated_day, client, auth):
    auth.login()
    later = "2026-12-20"
    page = client.get(f"/admin/ratings?from={later}&to={later}").text
    assert 'data-closed="no"' in page
    service, done = open_follow_up(page)
    assert close_case(auth, "w03", service, done, "已处理").status_code == 302
    assert "data-closed" not in client.get(f"/admin/ratings?from={later}&to={later}").text


def test_an_open_follow_up_from_after_the_period_is_listed_too(rated_day, client, auth):
    auth.login()
    page = client.get("/admin/ratings?from=2026-11-01&to=2026-11-20").text
    assert page.count('data-closed="no"') == 1, "open and due: not hidden by a period chosen before it"


def test_open_only_hides_the_closed_follow_ups(rated_day, client, auth):
    auth.login()
    service, done = open_follow_up(client.get(f"/admin/ratings?from={DAY}&to={DAY}").text)
    assert close_case(auth, "w03", service, done, "已回访").status_code == 302
    assert 'data-closed="yes"' in client.get(f"/admin/ratings?from={DAY}&to={DAY}").text
    assert "data-closed" not in client.get(f"/admin/ratings?from={DAY}&to={DAY}&followup=open").text


def test_the_trend_places_days_on_the_whole_period_and_labels_its_ends():
    svg = str(trend_svg([(date(2026, 11, 9), 2.0), (date(2026, 11, 24), 4.5)], start=date(2026, 10, 26),
                        end=date(2026, 11, 24)))
    assert f'<circle cx="{PAD + 14 / 29 * (WIDTH - 2 * PAD):.1f}"' in svg and f'<circle cx="{WIDTH - PAD:.1f}"' in svg
    assert ">2026-10-26</text>" in svg and ">2026-11-24</text>" in svg and "<title>2026-11-09: 2.00</title>" in svg


def test_the_headline_is_the_bad_rating_rate_the_satisfied_rate_and_the_five_levels(rated_day, client, auth):
    auth.login()
    page = client.get(f"/admin/ratings?from={DAY}&to={DAY}").text
    assert re.search(r'id="bad-rate">([^<]+)<', page).group(1) == "33.3%"
    assert re.search(r'id="satisfied-rate">([^<]+)<', page).group(1) == "66.7%"
    levels = re.search(r'id="levels">.*?<tbody><tr>(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r'<td class="num">(\d+)', levels) == ["1", "1", "0", "0", "1"], "5 first, then 4 … 1"
    assert "满意率：评价为3分及以上" in page, "the definition stated on the page"
