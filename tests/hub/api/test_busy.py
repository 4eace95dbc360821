"""A push the database is too busy to take (another process holds its lock past the hub's wait) is a 503 with
Retry-After naming why, nothing of it stored; the same push sent again once the lock is gone is held."""
import pytest

from hub.api import openapi

from ..busy import database_held
from ..conftest import fingerprint, script

pytestmark = pytest.mark.backends


def test_a_push_the_database_is_too_busy_for_is_a_503_with_retry_after_and_stores_nothing(
        terminal, database, monkeypatch):
    day = script("win-03")
    day.presence("08:20", "A", True)
    body = terminal.batch(day.facts)
    before = fingerprint(database)
    with database_held(database, "facts", monkeypatch):
        answer = terminal.request("POST", "/api/v1/facts", body)
    assert answer.status_code == 503, answer.text
    assert answer.headers["Retry-After"] == "2"
    assert answer.json()["error"].startswith("database: busy (")
    assert "nothing of this request was stored, retry in 2 s" in answer.json()["error"]
    assert fingerprint(database) == before, "nothing half-stored (not even the request's nonce)"
    again = terminal.request("POST", "/api/v1/facts", body)
    assert again.status_code == 200 and again.json()["acked"] == day.facts[-1]["seq"]


def test_the_api_document_says_a_busy_hub_answers_503_with_retry_after():
    for path, method in (("/api/v1/facts", "post"), ("/api/v1/config", "get"), ("/api/v1/enrol", "post")):
        busy = openapi.document()["paths"][path][method]["responses"]["503"]
        assert "Retry-After" in busy["headers"] and "nothing was stored" in busy["description"]
