"""The audit log page: each entry's action in words, its detail as named values (clerks by name, local times),
never raw JSON; filtered by action, actor and dates."""
import html
import re

import pytest

from ..conftest import DAY

LEAVE = {"from": "2026-11-25T08:30", "to": "2026-11-25T12:00"}


def rows(page):
    """The audit table's rows as text (tags dropped, entities read)."""
    table = re.search(r'<table id="audit".*?</table>', page, re.S).group(0)
    return [html.unescape(re.sub(r"<[^>]+>", " ", row)) for row in re.findall(r"<tr data-action.*?</tr>", table, re.S)]


@pytest.fixture
def filed(client, auth, clock):
    """The office logged in at 07:30 on DAY and filed a sick leave for 陈静 (c05)."""
    auth.login()
    auth.post("/admin/leave/new", clerk="c05", kind="sick", certificate="1", **LEAVE)


@pytest.mark.parametrize("lang, words", [
    ("zh", ["填报请假", "工作人员", "陈静（c05）", "2026-11-25 08:30:00", "病假", "诊断证明", "是"]),
    ("en", ["filed leave", "Clerk", "陈静 (c05)", "2026-11-25 08:30:00", "sick", "Certificate", "yes"]),
])
def test_an_entry_reads_in_the_halls_words_not_as_json(filed, client, auth, lang, words):
    auth.post(f"/admin/language/{lang}")
    page = client.get("/admin/audit").text
    [leave] = [row for row in rows(page) if words[0] in row]
    assert [leave.index(word) for word in words] == sorted(leave.index(word) for word in words), leave
    assert "{" not in leave and "\\u" not in page and '"clerk"' not in page


def test_the_log_is_filtered_by_action_actor_and_dates(filed, client, auth):
    everything = rows(client.get("/admin/audit").text)
    assert [row.split()[3] for row in everything] == ["填报请假", "登录", "保存大厅配置新版本"]
    only_leave = rows(client.get("/admin/audit?action=file+leave").text)
    assert len(only_leave) == 1 and "填报请假" in only_leave[0]
    assert rows(client.get("/admin/audit?actor=viewer").text) == []
    assert len(rows(client.get("/admin/audit?actor=office&action=login").text)) == 1
    assert len(rows(client.get(f"/admin/audit?from={DAY}&to={DAY}").text)) == 3
    assert rows(client.get("/admin/audit?from=2026-11-25").text) == []
    assert rows(client.get("/admin/audit?to=2026-11-23").text) == []


def test_a_reversed_date_filter_is_refused_with_the_reason(client, auth):
    auth.login()
    answer = client.get("/admin/audit?from=2026-11-24&to=2026-11-20")
    assert answer.status_code == 400 and "早于开始日期" in answer.text
