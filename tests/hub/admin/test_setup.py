"""Setup: windows, clerks, A/B posts, sessions, holidays as new config versions; terminals; users."""
import re

import pytest



def version(store):
    return store.configs.current()[2]


def test_changing_the_b_post_saves_a_new_version(store, auth):
    auth.login()
    answer = auth.post("/admin/setup/window", id="w03", name="3号窗口 民政救助", department="民政", a="c05", b="c16")
    assert answer.status_code == 302
    assert version(store) == 2 and store.configs.hall().window("w03").b == "c16"
    assert store.configs.history()[0]["actor"] == "office"


def test_a_bad_change_is_refused_with_the_configs_message(store, client, auth):
    auth.login()
    auth.post("/admin/setup/window", id="w03", name="3号窗口", department="民政", a="c05", b="c05")
    assert version(store) == 1
    assert "windows[2].b: must differ from a" in client.get("/admin/setup").text


def test_adding_a_clerk_and_a_window(store, auth):
    auth.login()
    auth.post("/admin/setup/departments", departments="\n".join(store.configs.hall().department_choices() + ["税务"]))
    auth.post("/admin/setup/clerk", id="c17", name="林晓", department="税务")
    auth.post("/admin/setup/clerk", id="c18", name="何平", department="税务")
    auth.post("/admin/setup/window", id="w09", name="9号窗口 税务", terminal="win-09", a="c17", b="c18",
              department="税务")
    config = store.configs.hall()
    assert config.clerks["c17"].department == "税务" and config.window("w09").terminal == "win-09"
    assert version(store) == 5


def test_adding_with_an_id_that_exists_is_refused_not_an_overwrite(store, auth):
    auth.login()
    answer = auth.post("/admin/setup/clerk", mode="add", id="c05", name="王五")
    assert answer.status_code == 409 and "编号：c05 已存在（陈静），请在其所在行修改" in answer.text
    answer = auth.post("/admin/setup/window", mode="add", id="w03", name="新窗口", terminal="win-99", a="c17", b="c18")
    assert answer.status_code == 409 and "w03 已存在（3号窗口 民政救助）" in answer.text
    assert version(store) == 1 and store.configs.hall().clerks["c05"].name == "陈静"


def test_a_new_window_names_its_posts_rather_than_defaulting_to_the_first_clerk(store, client, auth):
    auth.login()
    form = re.search(r'<form[^>]*id="add-window".*?</form>', client.get("/admin/setup").text, re.S).group(0)
    for post in ("a", "b"):
        select = re.search(rf'<select name="{post}" required><option value="">— 请选择 —</option>', form)
        assert select, f"the {post} post starts unchosen"
    answer = auth.post("/admin/setup/window", mode="add", id="w09", name="9号窗口", terminal="win-09", a="c05", b="")
    assert answer.status_code == 400 and "B岗：请选择工作人员" in answer.text and version(store) == 1


@pytest.mark.parametrize("lang, words", [("zh", ("上午", "周一", "周日")), ("en", ("morning", "Mon", "Sun"))])
def test_the_sessions_read_in_the_readers_language(client, auth, lang, words):
    auth.login()
    auth.post(f"/admin/language/{lang}")
    form = re.search(r'<form[^>]*id="setup-sessions".*?</form>', client.get("/admin/setup").text, re.S).group(0)
    legend = re.search(r'<fieldset data-session="morning"><legend>(.*?)</legend>', form).group(1)
    days = re.findall(r'<label class="check"><input type="checkbox" name="days-morning" value="\w+" ?(?:checked)?>(.*?)</label>',
                      form)
    assert (legend, days[0], days[-1]) == words and len(days) == 7


def test_sessions_and_calendar(store, auth):
    auth.login()
    auth.post("/admin/setup/sessions", **{"start-morning": "08:00", "end-morning": "12:00"})
    assert store.configs.hall().sessions[0].start.strftime("%H:%M") == "08:00"
    auth.post("/admin/setup/calendar", holidays="2027-01-01\n2027-02-17\n", workdays="")
    config = store.configs.hall()
    assert {d.isoformat() for d in config.holidays} == {"2027-01-01", "2027-02-17"} and not config.workdays


def test_enrolment_code_is_shown_once_and_revoking_refuses_the_terminal(store, client, auth):
    auth.login()
    page = auth.post("/admin/setup/terminal/w03/code").data.decode()
    code = re.search(r'id="enrolment-code">.*?<strong>([0-9A-F-]+)</strong>', page).group(1)
    assert code not in client.get("/admin/setup").text
    terminal, _ = store.terminals.enrol(code)
    assert store.terminals.get(terminal)["enrolled"]
    assert auth.post(f"/admin/setup/terminal/{terminal}/revoke").status_code == 302
    assert not store.terminals.get(terminal)["enrolled"]
    assert auth.post("/admin/setup/terminal/win-99/revoke").status_code == 404
    actions = [e["action"] for e in store.audit.entries()]
    assert "new enrolment code" in actions and "revoke terminal" in actions


def test_users_are_added_and_disabled(store, client, auth, users):
    auth.login()
    assert auth.post("/admin/setup/user", username="wang", password="longenough", role="viewer",
                     department="社保").status_code == 302
    assert store.users.by_name("wang")["department"] == "社保"
    auth.post(f"/admin/setup/user/{users['viewer']}/active", active="0")
    assert store.users.by_id(users["viewer"]) is None
    assert auth.post(f"/admin/setup/user/{users['office']}/active", active="0").status_code == 400


@pytest.mark.parametrize("form", [{"username": "x", "password": "short", "role": "viewer"},
                                  {"username": "y", "password": "longenough", "role": "king"},
                                  {"username": "office", "password": "longenough", "role": "office"}])
def test_bad_users_are_refused(store, auth, form):
    auth.login()
    before = len(store.users.all())
    auth.post("/admin/setup/user", **form)
    assert len(store.users.all()) == before


def test_a_disabled_user_is_logged_out(store, client, auth, users, app):
    auth.login("viewer")
    store.users.set_active(users["viewer"], False)
    assert client.get("/admin/wall").status_code == 302
