"""Guessing passwords at a real hub on 127.0.0.1: lockout with backoff, shared by every hub process, audited."""
import pytest
import requests

from hub import passwords
from hub.admin.extensions import limiter
from hub.store import accounts

from ..conftest import hub_app, serving
from .conftest import PASSWORD, WebUser


def guess(browser, username, times):
    """*times* wrong passwords for *username*; the statuses answered."""
    return [browser.post("/admin/login", username=username, password=f"wrong guess {i}").status_code
            for i in range(times)]


@pytest.fixture
def guesser(web):
    browser = web()
    browser.login("nobody-yet", "x")          # reads the login form (and its CSRF token); a failure of its own
    return browser


def test_five_wrong_passwords_lock_the_account_then_it_opens_with_backoff(guesser, web, clock):
    assert guess(guesser, "office", 4) == [401] * 4
    assert guess(guesser, "office", 1) == [401], "the fifth failure is answered, and starts the lock"
    owner = web()
    locked = owner.login("office", PASSWORD)
    assert locked.status_code == 429 and "1分钟后再试" in locked.text, "the right password waits out the lock"
    assert locked.headers["Retry-After"] == "60"
    clock.advance(61)
    assert guess(guesser, "office", 1) == [401]
    assert owner.login("office", PASSWORD).status_code == 429, "the sixth failure locks for two minutes"
    clock.advance(61)
    assert owner.login("office", PASSWORD).status_code == 429
    clock.advance(60)
    assert owner.login("office", PASSWORD).status_code == 302


def test_an_unknown_name_locks_like_a_known_one(guesser):
    assert guess(guesser, "office", 5) == guess(guesser, "no-such-user", 5) == [401] * 5
    assert guess(guesser, "office", 1) == guess(guesser, "no-such-user", 1) == [429]


def test_a_right_password_clears_the_accounts_count(guesser, web):
    guess(guesser, "viewer", 4)
    assert web().login("viewer", PASSWORD).status_code == 302
    assert guess(guesser, "viewer", 4) == [401] * 4, "four more are not the fifth"


def test_twenty_failures_from_one_address_lock_the_address(guesser, web, store):
    for name in range(5):
        guess(guesser, f"spray-{name}", 4)
    assert web().login("office", PASSWORD).status_code == 429, "a right password from that address waits too"
    row = store.conn.execute("SELECT failures, locked_until FROM login_failures WHERE scope = 'address'").fetchone()
    assert row["failures"] == 20 and row["locked_until"] is not None


@pytest.mark.backends
def test_the_lockout_is_shared_by_every_hub_process(app, guesser, clock):
    guess(guesser, "office", 5)
    other = hub_app(app.config["DATABASE"], clock)
    with serving(other) as second_hub:
        browser = WebUser(second_hub)
        try:
            assert browser.login("office", PASSWORD).status_code == 429
        finally:
            browser.close()


@pytest.mark.backends
def test_guesses_spread_over_two_hub_processes_lock_the_address_at_twenty_in_all(app, guesser, clock, store):
    """Flask-Limiter's request cap counts in each process's memory; what bounds guessing is the lockouts in the
    database: ten failures at each of two hub processes lock the address (twenty in all), on both."""
    other = hub_app(app.config["DATABASE"], clock)
    with serving(other) as second_hub:
        there = WebUser(second_hub)
        try:
            there.login("nobody-either", "x")
            for name in range(2):
                assert guess(guesser, f"spray-{name}", 4) + guess(there, f"other-{name}", 4) == [401] * 8
            assert guess(guesser, "spray-2", 1) + guess(there, "other-2", 1) == [401] * 2
            assert there.login("office", PASSWORD).status_code == 429
        finally:
            there.close()
    row = store.conn.execute("SELECT failures FROM login_failures WHERE scope = 'address'").fetchone()
    assert row["failures"] == 20


def test_failed_logins_and_locks_are_audited(guesser, store, web):
    guess(guesser, "office", 5)
    web().login("viewer", PASSWORD)
    entries = [(e["actor"], e["action"], e["detail"]) for e in reversed(store.audit.entries())]
    failed = [detail for actor, action, detail in entries if actor == "office" and action == "login failed"]
    assert len(failed) == 5 and all(d["reason"] == "wrong password" and d["address"] == "127.0.0.1" for d in failed)
    assert "locked_until" in failed[-1] and "account" in failed[-1]["locked_until"]
    assert ("nobody-yet", "login failed", {"address": "127.0.0.1", "reason": "unknown user"}) in entries
    assert ("viewer", "login", {"address": "127.0.0.1"}) in entries


def test_the_request_rate_per_address_is_capped(app, guesser):
    app.config["ADMIN_LOGIN_RATE"] = "3 per minute"
    statuses = [guesser.post("/admin/login", username=f"someone-{i}", password="x").status_code for i in range(4)]
    assert statuses == [401, 401, 401, 429], "the fourth attempt in a minute is refused before any check"


def test_an_unknown_user_is_checked_against_a_dummy_hash(guesser, monkeypatch):
    checked = []
    real = passwords.check_password_hash
    monkeypatch.setattr(passwords, "check_password_hash", lambda stored, given: checked.append(stored) or
                        real(stored, given))
    guess(guesser, "no-such-user", 1)
    guess(guesser, "office", 1)
    assert checked[0] == passwords.dummy_hash(), "an unknown user costs one hash, like a known one"
    assert checked[1].startswith("scrypt:") and checked[1] != checked[0]


def test_a_login_finds_busy_hashing_slots_and_is_answered_at_once(guesser, web, terminal):
    for _ in range(passwords.HASH_SLOTS):
        assert passwords.SLOTS.acquire(blocking=False)
    try:
        busy = web().login("office", PASSWORD)
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "1"
        assert terminal.request("GET", "/api/v1/config").status_code == 200, "the API still answers"
    finally:
        for _ in range(passwords.HASH_SLOTS):
            passwords.SLOTS.release()
    assert web().login("office", PASSWORD).status_code == 302, "a busy answer is not a failure"


def test_lock_lengths_double_up_to_an_hour():
    rule = accounts.LOCKOUTS["account"]
    assert [rule.lock_for(n).total_seconds() for n in (4, 5, 6, 7, 11, 12, 60)] == [0, 60, 120, 240, 3600, 3600, 3600]


def test_the_terminal_api_is_never_looked_at_by_the_rate_limiter(monkeypatch, server, terminal):
    resolved = []
    resolve = limiter.limit_manager.resolve_limits
    monkeypatch.setattr(limiter.limit_manager, "resolve_limits",
                        lambda app, endpoint, *rest: resolved.append(endpoint) or resolve(app, endpoint, *rest))
    assert terminal.push([]).status_code == 200
    assert requests.get(server + "/api/v1/clock", timeout=10).status_code == 200
    assert resolved == []
    assert requests.get(server + "/admin/login", timeout=10).status_code == 200
    assert set(resolved) == {"admin.login"}, "the office's pages are still rate-limited"
