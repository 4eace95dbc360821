"""Accounts in real headless Chromium: an idle wall logs out, a password is changed, an auditor reads the log."""
import pytest

from .conftest import PASSWORD

pytestmark = pytest.mark.browser
NEW_PASSWORD = "a fresh one for the hall"


def test_a_wall_left_open_returns_to_the_login_when_the_idle_time_runs_out(open_page, users, clock):
    page = open_page("office")
    page.wait_for_selector("#win-w03")
    clock.advance(31 * 60)
    page.wait_for_url("**/admin/login**")
    assert page.locator("input[name=password]").is_visible()


def test_changing_the_password_in_the_browser(open_page, users):
    page = open_page("office")
    page.click("#account")
    page.fill("input[name=current_password]", PASSWORD)
    page.fill("input[name=new_password]", NEW_PASSWORD)
    page.fill("input[name=repeat_password]", NEW_PASSWORD)
    page.click("#change-password button[type=submit]")
    page.wait_for_selector("text=密码已修改，其他登录已退出")
    page.click("#logout")
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", NEW_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/wall")


def test_an_auditor_lands_on_the_audit_log(open_page, users):
    page = open_page()
    page.goto("/admin/login")
    page.fill("input[name=username]", "auditor")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/audit")
    assert "日志哈希链完整" in page.locator("#audit-chain").inner_text()
    assert page.locator("table#audit tr[data-action=login] td").nth(2).inner_text() == "登录"
    assert page.locator("table#audit tr[data-action=login] dl.detail").inner_text().split() == ["IP地址", "127.0.0.1"]
    fits = page.evaluate("() => { const w = document.querySelector('.table-wrap'); return w.scrollWidth <= w.clientWidth; }")
    assert fits, "the audit table fits the page, nothing runs past its edge"
    assert [link.get_attribute("href") for link in page.locator("header nav a").all()] == ["/admin/audit"]
