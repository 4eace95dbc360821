"""/admin/notify in real headless Chromium: a failing receiver stands out, the office sets and ends a silence."""
import pytest

from hub.notify.sink import OutboxSink

from tests.hub.notify.conftest import add_wecom, deliver
from tests.hub.notify.robots import change, receiving

pytestmark = pytest.mark.browser


def test_the_office_sees_a_failing_receiver_and_sets_then_ends_a_silence(open_page, users, store):
    with receiving() as (recorder, base):
        add_wecom(store, "office-wecom", base)
        recorder.down = True
        OutboxSink(store).put(change())
        deliver(store)
    office = open_page("office")
    office.goto("/admin/notify")
    row = office.locator("tr[data-receiver='office-wecom']")
    assert "failing" in row.get_attribute("class") and "发送异常" in row.inner_text()
    assert "HTTP 503" in row.inner_text() and "key=office-wecom" not in office.content()
    form = office.locator("#add-silence")
    form.locator("select[name=window]").select_option("w03")
    form.locator("input[name=to]").fill("2026-11-24T12:00")
    form.locator("input[name=comment]").fill("w03 设备维修")
    form.locator("button[type=submit]").click()
    office.wait_for_selector("text=已设置静默")
    (silence,) = store.notify.silences()
    assert silence["window"] == "w03" and silence["created_by"] == "office"
    office.locator(f"tr[data-silence='{silence['id']}'] button").click()
    office.wait_for_selector("text=静默已结束")
    assert store.notify.silences()[0]["expired_by"] == "office"
