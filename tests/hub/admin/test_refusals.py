"""The front door and the refusals: ``/`` leads to the user's page; 400, 403 and 404 are pages in the reader's
language with the navigation, a bad date range says what is wrong; the terminal API keeps its JSON errors."""
import html
import re

import pytest


def said(page):
    """The refusal's title and message as the reader sees them."""
    title = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    message = re.search(r'<p class="said" id="refusal-said">(.*?)</p>', page, re.S)
    return html.unescape(title), html.unescape(message.group(1)) if message else None


def test_the_front_door_leads_to_the_login_then_to_the_users_landing_page(client, auth):
    assert client.get("/").headers["Location"] == "/admin/"
    assert client.get("/admin/").headers["Location"].startswith("/admin/login")
    auth.login()
    assert client.get("/admin/").headers["Location"] == "/admin/wall"
    auth.logout()
    auth.login("auditor")
    assert client.get("/", follow_redirects=True).request.path == "/admin/audit"


@pytest.mark.parametrize("lang, title", [("zh", "没有这个页面"), ("en", "There is no such page")])
def test_an_unknown_address_is_a_404_page_in_the_readers_language_with_the_navigation(client, auth, lang, title):
    auth.login()
    auth.post(f"/admin/language/{lang}")
    for path in ("/admin/nowhere", "/nowhere"):
        answer = client.get(path)
        assert answer.status_code == 404 and said(answer.text) == (title, None)
        assert 'id="logout"' in answer.text and 'href="/admin/wall"' in answer.text, "the navigation is there"


def test_an_unknown_address_logged_out_offers_the_login(client):
    answer = client.get("/nowhere")
    assert answer.status_code == 404 and said(answer.text) == ("没有这个页面", None)
    assert 'id="logout"' not in answer.text and 'href="/admin/login"' in answer.text


@pytest.mark.parametrize("lang, title", [("zh", "您无权查看此页面"), ("en", "This page is not open to you")])
def test_a_page_not_open_to_the_role_is_a_403_page(client, auth, lang, title):
    auth.login("viewer")
    auth.post(f"/admin/language/{lang}")
    answer = client.get("/admin/setup")
    assert answer.status_code == 403 and said(answer.text) == (title, None) and 'id="logout"' in answer.text


@pytest.mark.parametrize("lang, words", [
    ("zh", ("请求有误，无法办理", "结束日期：2026-11-01 早于开始日期 2026-11-24")),
    ("en", ("This request cannot be answered", "to: 2026-11-01 is before the first day 2026-11-24")),
])
def test_a_reversed_date_range_says_what_is_wrong(client, auth, lang, words):
    auth.login()
    auth.post(f"/admin/language/{lang}")
    answer = client.get("/admin/violations?from=2026-11-24&to=2026-11-01")
    assert answer.status_code == 400 and said(answer.text) == words


def test_a_malformed_date_names_the_field_in_chinese(client, auth):
    auth.login()
    answer = client.get("/admin/attendance?date=2026-13-01")
    assert answer.status_code == 400 and said(answer.text)[1] == "日期：2026-13-01 不是日期（格式：YYYY-MM-DD）"


def test_the_terminal_api_is_not_given_the_offices_page(client):
    answer = client.get("/api/v1/nowhere")
    assert answer.status_code == 404 and 'id="refusal"' not in answer.text
