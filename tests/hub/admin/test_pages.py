"""Every value shown has its words, and the facts behind a verdict are one click away."""
import re

import pytest

from hub.admin import terms
from hub.admin.auth import ROLES
from hub.passwords import WeakPassword, check_policy
from protocol.facts import HANDOVER_REASONS
from protocol.hall import APPROVERS, LEAVE_KINDS

from ..conftest import DAY, report, script


def test_every_value_shown_through_a_table_has_its_words():
    tables = {"STATUS": ("on_time", "not_early", "late", "absent", "leave", "pending", "approved", "rejected"),
              "VIOLATIONS": ("late", "early_leave", "absent", "off_post", "empty_window"),
              "REASONS": HANDOVER_REASONS, "LEAVE_KINDS": LEAVE_KINDS, "TIERS": APPROVERS,
              "INSPECTIONS": ("scheduled", "random", "manual"), "ROLES": ROLES}
    missing = [(table, value) for table, values in tables.items() for value in values
               if value not in getattr(terms, table)]
    assert not missing


@pytest.mark.parametrize("password", ["short", "x" * 200, "abababababab", "password123", "alice-and-more"])
def test_every_refused_password_rule_has_its_words(password):
    with pytest.raises(WeakPassword) as refused:
        check_policy(password, "alice")
    assert refused.value.key in terms.WEAK_PASSWORDS


@pytest.fixture
def late_sign_in(terminal, clock):
    """陈静 (c05, A of w03) signs in at 08:42; the hub's clock is at 10:00."""
    day = script("win-03")
    day.presence("08:42", "A", True)
    report(terminal, clock, day, "10:00")


@pytest.mark.parametrize("lang, word, signed_in, anchors", [
    ("zh", "迟到", "A岗签到：陈静", "终端校时记录（1条）"), ("en", "late", "Post A signed in: 陈静", "clock checks (1)")])
def test_the_facts_behind_a_late_sign_in(late_sign_in, client, auth, lang, word, signed_in, anchors):
    auth.login()
    auth.post(f"/admin/language/{lang}")
    page = client.get(f"/admin/attendance?date={DAY}").text
    row = re.search(r'<tr data-clerk="c05" data-session="morning" data-status="late">.*?</tr>', page, re.S).group(0)
    assert word in row and "08:42:00" in row
    link = re.search(r'href="(/admin/facts\?[^"]+)"', row).group(1).replace("&amp;", "&")
    facts = client.get(link).text
    happened = re.search(r'<table id="facts">.*?</table>', facts, re.S).group(0)
    assert re.search(rf"<td>08:42:00</td><td>[^<]+</td><td>{signed_in}</td>", happened), happened
    assert "presence" not in facts and "on=True" not in facts and "clock" not in happened, "no raw fact fields"
    folded = re.search(r'<details class="anchors" id="clock-anchors">(.*?)</details>', facts, re.S).group(1)
    assert anchors in folded and "<td>10:00:00</td>" in folded, "the clock anchor is folded away, at local time"


def test_the_month_of_one_clerk(late_sign_in, client, auth):
    auth.login()
    page = client.get("/admin/attendance/month?clerk=c05&month=2026-11").text
    assert "陈静" in page and "迟到：1" in page and "3号窗口 民政救助（A）" in page


@pytest.mark.parametrize("lang, handover, date_range", [("zh", ("交出", "接岗"), ("自", "至")),
                                                        ("en", ("From", "To"), ("From", "To"))])
def test_one_english_word_reads_as_the_page_means_it(client, auth, lang, handover, date_range):
    auth.login()
    auth.post(f"/admin/language/{lang}")
    page = client.get(f"/admin/handovers?from={DAY}&to={DAY}").text
    assert re.search(rf"<th>\w+</th><th>{handover[0]}</th><th>{handover[1]}</th>", page)
    assert f'<label>{date_range[0]} <input type="date" name="from"' in page
    assert f'<label>{date_range[1]} <input type="date" name="to"' in page
