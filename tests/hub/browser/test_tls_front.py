"""The office logs in through the shipped nginx site over HTTPS in Chromium, trusting the hub's own CA."""
import subprocess

import pytest

from hub.store import Store
from tests.browser import another_chromium
from tests.nginx import hub_behind_nginx
from tests.tls import require

from ..admin.conftest import PASSWORD

pytestmark = pytest.mark.browser


def trusting_home(home, certificate):
    """A HOME whose NSS database (what Chromium on Linux trusts besides its roots) holds *certificate* as a CA."""
    certutil = require("certutil", "libnss3-tools")
    nssdb = home / ".pki" / "nssdb"
    nssdb.mkdir(parents=True)
    for args in (["-N", "--empty-password"], ["-A", "-t", "C,,", "-n", "hallpost-hub", "-i", str(certificate.cert)]):
        subprocess.run([certutil, "-d", f"sql:{nssdb}", *args], check=True, capture_output=True, timeout=30)
    return home


def test_the_office_logs_in_over_https_and_gets_a_secure_cookie(browser, tmp_path, password_hash):
    with hub_behind_nginx(tmp_path / "front") as front:
        with Store.open(front.db) as store:
            store.users.add("office", password_hash, "office")
        home = trusting_home(tmp_path / "home", front.certificate)
        with another_chromium(browser, {"HOME": str(home)}) as trusting:     # Chromium reads NSS at launch
            context = trusting.new_context(base_url=front.https)        # certificate errors are NOT ignored
            page = context.new_page()
            page.set_default_timeout(10_000)
            page.goto("/admin/login")
            page.fill("input[name=username]", "office")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/admin/wall")
            page.wait_for_selector("#win-w03[data-state]")
            session = next(c for c in context.cookies() if c["name"] == "session")
            context.close()
    assert page.url.startswith(front.https)
    assert (session["secure"], session["httpOnly"], session["sameSite"]) == (True, True, "Lax")
