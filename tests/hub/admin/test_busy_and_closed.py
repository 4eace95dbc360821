"""An admin write the database is too busy for is a 503 page with Retry-After, nothing of it stored; closing a
follow-up closed already (a second office user, or the same one twice) is a 409 page, the first note kept."""
import pytest

from ..busy import database_held
from ..conftest import DAY
from .conftest import handle_case
from .test_ratings import open_follow_up, rated_day  # noqa: F401 - the fixture

pytestmark = pytest.mark.backends


def the_follow_up(client, auth):
    """The (service, done) of the day's one open follow-up, read from the ratings page, its case handled."""
    service, done = open_follow_up(client.get(f"/admin/ratings?from={DAY}&to={DAY}").text)
    handle_case(auth, "w03", service, done)
    return service, done


def test_a_write_the_database_is_too_busy_for_is_a_503_page_and_stores_nothing(rated_day, store, client,  # noqa: F811
                                                                                 auth, database, monkeypatch):
    auth.login()
    service, done = the_follow_up(client, auth)
    with database_held(database, "followup_closures", monkeypatch):
        answer = auth.post("/admin/cases/close", window="w03", service=service, done=done, note="已回访")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "2"
    assert 'data-code="503"' in answer.text and "系统繁忙，本次操作未保存" in answer.text
    assert "同一时间提交的请求较多，请2秒后再试。" in answer.text
    assert store.followups.closures() == {}
    assert not any(e["action"] == "close follow-up" for e in store.audit.entries())
    assert auth.post("/admin/cases/close", window="w03", service=service, done=done,
                     note="已回访").status_code == 302


def test_closing_a_closed_follow_up_again_is_a_409_and_keeps_the_first_note(rated_day, store, client,  # noqa: F811
                                                                            auth):
    auth.login()
    service, done = the_follow_up(client, auth)
    assert auth.post("/admin/cases/close", window="w03", service=service, done=done,
                     note="已回访，群众表示理解").status_code == 302
    again = auth.post("/admin/cases/close", window="w03", service=service, done=done, note="第二次")
    assert again.status_code == 409
    assert "该回访已办结，本次填写的说明未保存。" in again.text
    [closure] = store.followups.closures().values()
    assert closure["note"] == "已回访，群众表示理解"
    assert [e["action"] for e in store.audit.entries()].count("close follow-up") == 1
