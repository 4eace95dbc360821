"""公开 (issue 16 item 5): a hall's month of ratings on a public page without login, and the notice it posts."""
import re

import pytest
import requests

from protocol.config import config_to_dict, load_config

from ..conftest import DAY, HALL_TOML, local, script
from .conftest import close_case


EXAMPLE_PUBLIC = '[public]\nenabled = true\nclerk_names = "surname"\n'


def publish(store, section):
    """Save the example hall with *section* as its [public] table."""
    text = HALL_TOML.read_text(encoding="utf-8")
    assert EXAMPLE_PUBLIC in text
    text = text.replace(EXAMPLE_PUBLIC, f"[public]\n{section}\n")
    store.configs.save(config_to_dict(load_config(text)), "office")


@pytest.fixture
def rated_month(terminal, clock, store, client, auth):
    """w03 (陈静 on A) on DAY: three services rated 5, 4 and 1; the office closed the 1's follow-up."""
    day = script("win-03")
    day.presence("08:20", "A")
    for minute, score in (("09:00", 5), ("09:10", 4), ("09:20", 1)):
        day.rating(f"{minute}:20", day.done(f"{minute}:00"), score)
    day.clock("09:30")
    clock.set(local(DAY, "09:31"))
    assert terminal.push(day.facts).status_code == 200
    auth.login()
    client.get(f"/admin/ratings?from={DAY}&to={DAY}")       # derives the day
    [bad] = [s for s in store.projections.rows("services", start=DAY.isoformat(), end=DAY.isoformat())
             if s["score"] == 1]
    assert close_case(auth, "w03", bad["service"], bad["done"], "已回访，已整改").status_code == 302


def line_of(page, window):
    """{field: text} of *window*'s row of the published results."""
    row = re.search(rf'<tr data-window="{window}">(.*?)</tr>', page, re.S).group(1)
    return dict(re.findall(r'data-field="(\w+)">([^<]*)<', row)), row


def test_the_public_page_shows_the_month_without_login_and_clerks_by_surname(rated_month, store, server):
    publish(store, "enabled = true")
    answer = requests.get(f"{server}/public/hall/ratings?month={DAY:%Y-%m}", timeout=10)
    assert answer.status_code == 200 and "public" in answer.headers["Cache-Control"]
    assert "Set-Cookie" not in answer.headers, "a public page starts no session"
    fields, row = line_of(answer.text, "w03")
    assert fields == {"bad": "1", "bad_handled": "1", "satisfied": "66.7%"}
    assert "陈*" in row and "陈静" not in answer.text, "only the surname, as the hall's config says by default"
    assert "梅溪湖街道便民服务大厅" in answer.text
    assert "基本满意" in answer.text and "3" in re.search(r'id="satisfied-definition">([^<]*)<', answer.text).group(1)


@pytest.mark.parametrize("section, shown, hidden", [
    ('enabled = true\nclerk_names = "full"', "陈静", None),
    ('enabled = true\nclerk_names = "none"', None, "陈*"),
])
def test_the_hall_decides_how_clerks_are_named(rated_month, store, server, section, shown, hidden):
    publish(store, section)
    page = requests.get(f"{server}/public/hall/ratings?month={DAY:%Y-%m}", timeout=10).text
    assert shown is None or shown in page
    assert hidden is None or (hidden not in page and "staff" not in page)


def test_a_hall_that_does_not_publish_has_no_public_page(rated_month, store, server):
    publish(store, "enabled = false")
    assert requests.get(f"{server}/public/hall/ratings", timeout=10).status_code == 404
    assert requests.get(f"{server}/public/nowhere/ratings", timeout=10).status_code == 404


def test_a_bad_month_is_refused_in_words(store, server):
    publish(store, "enabled = true")
    answer = requests.get(f"{server}/public/hall/ratings?month=2026-13", timeout=10)
    assert answer.status_code == 400 and "2026-13" in answer.text


def test_the_notice_for_the_board_has_the_results_and_a_qr_code_to_the_public_page(rated_month, store, client, auth):
    publish(store, "enabled = true")
    page = client.get(f"/admin/ratings/notice?month={DAY:%Y-%m}").text
    assert line_of(page, "w03")[0]["bad_handled"] == "1"
    assert "梅溪湖街道便民服务大厅" in page and "2026-11" in page
    qr = re.search(r'id="notice-qr">(.*?)</figure>', page, re.S).group(1)
    assert "<svg" in qr and "/public/hall/ratings?month=2026-11" in qr
    auth.logout()
    auth.login("viewer")
    assert client.get("/admin/ratings/notice").status_code == 403


def test_without_a_public_page_the_notice_has_no_qr_code(rated_month, store, client):
    publish(store, "enabled = false")
    page = client.get(f"/admin/ratings/notice?month={DAY:%Y-%m}").text
    assert 'id="notice-qr"' not in page and 'id="notice-no-public"' in page


def test_a_rating_whose_appeal_was_upheld_leaves_the_published_figures(rated_month, store, server):
    publish(store, "enabled = true")
    [bad] = [s for s in store.projections.rows("services", start=DAY.isoformat(), end=DAY.isoformat())
             if s["score"] == 1]
    case = ("hall", "w03", bad["service"], bad["done"])
    store.cases.file_appeal(case, grounds="malicious", reason="与服务无关", by="leader", at="2026-11-24T06:00:00+00:00")
    store.cases.decide_appeal(case, outcome="upheld", decision="录像核实", by="office", at="2026-11-24T06:10:00+00:00")
    page = requests.get(f"{server}/public/hall/ratings?month={DAY:%Y-%m}", timeout=10).text
    assert line_of(page, "w03")[0] == {"bad": "0", "bad_handled": "0", "satisfied": "100.0%"}
