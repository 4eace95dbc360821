"""Security headers on every answer, no-store on admin pages, the session cookie's flags, proxy headers (item 10)."""
import pytest
import requests

from hub.web_security import CONTENT_SECURITY_POLICY

from ..conftest import HALL_TOML, serving
from .conftest import PASSWORD, token_of

ADMIN_PAGES = ["/admin/wall", "/admin/violations", "/admin/handovers", "/admin/attendance", "/admin/attendance/month",
               "/admin/facts?window=w03", "/admin/inspections", "/admin/leave", "/admin/ratings", "/admin/reports",
               "/admin/setup", "/admin/audit", "/admin/wall.json", "/admin/reports/weekly.csv",
               "/admin/ranking", "/admin/center/reports"]


def logged_in(base):
    """A requests session logged in as the office user at *base*; and the login's response."""
    http = requests.Session()
    token = token_of(http.get(base + "/admin/login", timeout=10).text)
    answer = http.post(base + "/admin/login", data={"username": "office", "password": PASSWORD, "csrf_token": token},
                       allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    return http, answer


def assert_protected(answer):
    assert answer.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "same-origin"


def test_every_admin_page_carries_the_headers_and_is_never_stored(server, users):
    http, _ = logged_in(server)
    for path in ADMIN_PAGES:
        answer = http.get(server + path, timeout=10)
        assert answer.status_code == 200, path
        assert_protected(answer)
        assert answer.headers["Cache-Control"] == "no-store", path


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/admin/login", 200), ("GET", "/admin/wall", 302), ("GET", "/admin/wall.json", 401),
    ("GET", "/admin/nowhere", 404), ("POST", "/admin/logout", 400), ("GET", "/api/v1/clock", 200),
    ("POST", "/api/v1/enrol", 415)])
def test_login_errors_and_the_api_carry_them_too(server, method, path, status):
    answer = requests.request(method, server + path, allow_redirects=False, timeout=10)
    assert answer.status_code == status
    assert_protected(answer)
    assert answer.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached_but_not_sniffed(server):
    answer = requests.get(server + "/static/wall.js", timeout=10)
    assert answer.status_code == 200 and answer.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" not in answer.headers.get("Cache-Control", "")


def cookie_flags(answer):
    """The attributes of the session cookie set by *answer*, lower-cased."""
    header = next(value for value in answer.raw.headers.getlist("Set-Cookie") if value.startswith("session="))
    return {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}


def test_the_session_cookie_is_httponly_and_same_site_but_not_secure_over_plain_http(server, users):
    _, answer = logged_in(server)
    flags = cookie_flags(answer)
    assert {"httponly", "samesite"} <= flags and "secure" not in flags
    assert "SameSite=Lax" in answer.headers["Set-Cookie"]


def test_a_forwarded_https_is_believed_only_from_a_trusted_proxy(app):
    """Behind the TLS proxy the cookie is Secure; a client claiming HTTPS to an untrusted hub gains nothing."""
    from hub import create_app
    for hops, secure in ((0, False), (1, True)):
        proxied = create_app({"DATABASE": app.config["DATABASE"], "HALL_CONFIG": str(HALL_TOML),
                              "SECRET_KEY": "test", "TRUSTED_PROXIES": hops})
        with serving(proxied) as base:      # the login form puts its CSRF token in a new session cookie
            answer = requests.get(base + "/admin/login", headers={"X-Forwarded-Proto": "https"}, timeout=10)
        assert answer.status_code == 200
        assert ("secure" in cookie_flags(answer)) is secure, hops


@pytest.mark.parametrize("hops", [-1, True, "1"])
def test_a_bad_proxy_count_is_refused(tmp_path, hops):
    from hub import create_app
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        create_app({"DATABASE": str(tmp_path / "h.sqlite"), "TRUSTED_PROXIES": hops})
