"""The translation table is complete, and the facts behind a verdict are one click away."""
import re
from pathlib import Path

import pytest

from hub.admin.auth import ROLES
from hub.admin.i18n import MESSAGES
from protocol.facts import HANDOVER_REASONS
from protocol.hall import APPROVERS, LEAVE_KINDS

from ..conftest import DAY, report, script

HUB = Path(__file__).resolve().parents[3] / "hub"


def used_keys():
    keys = set()
    for path in [*HUB.glob("templates/admin/*.html"), *HUB.glob("admin/*.py")]:
        if path.name == "i18n.py":
            continue
        keys |= set(re.findall(r'\bt\("([a-z_]+)"\)', path.read_text(encoding="utf-8")))
    return keys


def test_every_key_in_use_has_both_languages():
    missing = sorted(used_keys() - set(MESSAGES))
    assert not missing, f"keys without a translation: {missing}"
    assert all(zh and en for zh, en in MESSAGES.values())


def test_every_value_shown_through_a_key_family_has_a_translation():
    families = {"status_": ("on_time", "not_early", "late", "absent", "leave", "pending", "approved", "rejected"),
                "vio_": ("late", "early_leave", "absent", "off_post", "empty_window"), "reason_": HANDOVER_REASONS,
                "leave_": LEAVE_KINDS, "tier_": APPROVERS, "insp_": ("scheduled", "random", "manual"),
                "role_": ROLES}
    missing = [prefix + value for prefix, values in families.items() for value in values
               if prefix + value not in MESSAGES]
    assert not missing


@pytest.fixture
def late_sign_in(terminal, clock):
    """陈静 (c05, A of w03) signs in at 08:42; the hub's clock is at 10:00."""
    day = script("win-03")
    day.presence("08:42", "A", True)
    report(terminal, clock, day, "10:00")


@pytest.mark.parametrize("lang, word", [("zh", "迟到"), ("en", "late")])
def test_the_facts_behind_a_late_sign_in(late_sign_in, client, auth, lang, word):
    auth.login()
    auth.post(f"/admin/language/{lang}")
    page = client.get(f"/admin/attendance?date={DAY}").text
    row = re.search(r'<tr data-clerk="c05" data-session="morning" data-status="late">.*?</tr>', page, re.S).group(0)
    assert word in row and "08:42:00" in row
    link = re.search(r'href="(/admin/facts\?[^"]+)"', row).group(1).replace("&amp;", "&")
    facts = client.get(link).text
    assert "presence" in facts and "post=A" in facts and "on=True" in facts and "08:42:00" in facts


def test_the_month_of_one_clerk(late_sign_in, client, auth):
    auth.login()
    page = client.get("/admin/attendance/month?clerk=c05&month=2026-11").text
    assert "陈静" in page and "迟到: 1" in page
