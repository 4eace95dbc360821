"""/admin/notify: receivers' health (failing highlighted, secrets masked), routes, and the office's silences."""
import html

import pytest

from tests.hub.admin.conftest import auth, client, password_hash, users  # noqa: F401  (fixtures)
from tests.hub.notify.conftest import add_wecom, deliver
from tests.hub.notify.robots import change

pytestmark = pytest.mark.backends


def test_the_office_sees_each_receivers_health_and_a_failing_one_highlighted(  # noqa: F811
        store, sink, robot, auth, client):
    recorder, base = robot
    add_wecom(store, "office-wecom", base)
    add_wecom(store, "leader-wecom", base, department="民政", quiet_from="22:00", quiet_until="07:00")
    recorder.answers.append((200, {"errcode": 93000, "errmsg": "invalid webhook url"}))
    sink.put(change())
    deliver(store)
    auth.login()
    page = client.get("/admin/notify").text
    rows = {name: page.split(f'data-receiver="{name}"')[1].split("</tr>")[0]
            for name in ("office-wecom", "leader-wecom")}
    failing = [name for name, row in rows.items() if "errcode 93000: invalid webhook url" in row]
    assert len(failing) == 1 and 'class="failing"' in page.split(f'data-receiver="{failing[0]}"')[0][-40:]
    healthy = ({"office-wecom", "leader-wecom"} - set(failing)).pop()
    assert "failing" not in page.split(f'data-receiver="{healthy}"')[0][-40:]
    assert "key=office-wecom" not in page and "…ecom" in page              # the robot key is masked
    assert "22:00–07:00" in page and "民政" in page


def test_a_silence_set_on_the_page_holds_the_alerts_and_is_audited(  # noqa: F811
        store, sink, robot, auth, client, clock):
    recorder, base = robot
    add_wecom(store, "office-wecom", base)
    auth.login()
    answer = auth.post("/admin/notify/silences", window="w03", kind="", **{"from": "2026-11-24T07:00",
                                                                            "to": "2026-11-24T09:00"},
                       comment="w03 设备维修")
    assert answer.status_code == 302
    sink.put(change())
    assert deliver(store) == 0
    (silence,) = store.notify.silences()
    assert silence["window"] == "w03" and silence["hall"] == "hall" and silence["created_by"] == "office"
    assert store.audit.entries(action="add notify silence")[0]["detail"]["comment"] == "w03 设备维修"
    assert "w03 设备维修" in client.get("/admin/notify").text
    assert auth.post(f"/admin/notify/silences/{silence['id']}/expire").status_code == 302
    clock.advance(1)
    assert deliver(store) == 1
    assert store.audit.entries(action="expire notify silence")[0]["actor"] == "office"


@pytest.mark.parametrize("form, error", [
    ({"window": "w03", "from": "2026-11-24T07:00", "to": "2026-11-24T09:00", "comment": "x" * 501}, "a comment"),
    ({"window": "w99", "from": "2026-11-24T07:00", "to": "2026-11-24T09:00", "comment": "x"}, "no window 'w99'"),
    ({"window": "w03", "from": "2026-11-24T07:00", "to": "2026-11-24T07:10", "comment": "x"}, "is not after"),
    ({"window": "w03", "from": "2026-11-24T07:00", "to": "2026-11-24T09:00", "comment": ""}, "a comment"),
    ({"window": "w03", "from": "yesterday", "to": "2026-11-24T09:00", "comment": "x"}, "from: not a date"),
])
def test_a_bad_silence_is_refused_with_a_400_naming_the_field(store, auth, client, form, error):  # noqa: F811
    auth.login()
    answer = auth.post("/admin/notify/silences", **form)
    assert answer.status_code == 400 and error in html.unescape(answer.text)
    assert store.notify.silences() == []


def test_only_the_office_reaches_the_page(store, auth, client):  # noqa: F811
    auth.login("leader")
    assert client.get("/admin/notify").status_code == 403
    assert auth.post("/admin/notify/silences", window="w03", comment="x").status_code == 403
