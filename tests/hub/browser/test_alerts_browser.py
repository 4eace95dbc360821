"""The alert inbox in real headless Chromium: the office acknowledges an alert with a note (audited) and it stays
listed; a hall office never sees another hall's alerts."""
import pytest

from ..admin.test_alerts import alerts  # noqa: F401 (fixture)
from ..admin.test_halls import center  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def test_the_office_acknowledges_an_alert_with_a_note_and_it_stays_listed(open_page, alerts, store):  # noqa: F811
    page = open_page("street-office")
    page.click("nav >> text=告警")
    row = page.locator(f"#alert-{alerts['street-w03']}")
    assert "空岗" in row.inner_text() and "陈静" in row.inner_text()
    row.locator("button[type=submit]").click()
    assert row.locator("input[name=note]").evaluate("el => el.validity.valueMissing")
    assert store.alerts.get(alerts["street-w03"])["acked_by"] is None, "no note, nothing acknowledged"
    row.locator("input[name=note]").fill("已电话联系陈静，5分钟内到岗")
    row.locator("button[type=submit]").click()
    page.wait_for_selector(f"#alert-{alerts['street-w03']} >> text=已电话联系陈静，5分钟内到岗")
    assert "street-office" in page.locator(f"#alert-{alerts['street-w03']}").inner_text()
    assert [e["detail"]["note"] for e in store.audit.entries(action="acknowledge alert")] == ["已电话联系陈静，5分钟内到岗"]


def test_a_hall_office_sees_only_its_halls_alerts(open_page, alerts):  # noqa: F811
    page = open_page("thl-office")
    page.goto("/admin/alerts")
    shown = page.locator("#alerts tbody tr").evaluate_all("rows => rows.map(r => r.id)")
    assert shown == [f"alert-{alerts['thl-w01']}"]
    assert page.goto("/admin/alerts?hall=hall").status == 403
