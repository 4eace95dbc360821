"""好差评 cases (issue 16 items 1 and 2): a 差评 verified, rectified, called back and closed, each step audited; an
appeal filed by the group leader and decided by the office, an upheld rating marked and out of the rates."""
import re

import pytest

from hub.deriver import catch_up
from protocol.config import config_to_dict, load_config

from ..conftest import DAY, HALL_TOML, local, script


@pytest.fixture
def bad_rating(terminal, clock, client, auth):
    """w03 (民政, 陈静 c05 on A) on DAY: a service rated 1 at 09:20; the office logged in; the case's query."""
    day = script("win-03")
    day.presence("08:20", "A")
    done = day.done("09:20")
    day.rating("09:20:20", done, 1)
    day.clock("09:30")
    clock.set(local(DAY, "09:31"))
    assert terminal.push(day.facts).status_code == 200
    auth.login()
    return {"window": "w03", "service": done["seq"], "done": local(DAY, "09:20").isoformat()}


def state_of(client, case):
    page = client.get("/admin/cases/case", query_string=case).text
    return re.search(r'id="case-state">([^<]+)<', page).group(1), page


def rate(client, table, key, field):
    page = client.get(f"/admin/cases?month={DAY:%Y-%m}").text
    block = re.search(rf'id="{table}">(.*?)</table>', page, re.S).group(1)
    row = re.search(rf'<tr data-key="{key}">(.*?)</tr>', block, re.S).group(1)
    return re.search(rf'data-field="{field}">([^<]+)<', row).group(1)


def test_a_bad_rating_is_handled_step_by_step_and_closed_only_when_complete(bad_rating, client, auth, store):
    assert re.search(rf'data-service="{bad_rating["service"]}" data-window="w03" data-state="open"',
                     client.get(f"/admin/cases?month={DAY:%Y-%m}").text)
    assert auth.post("/admin/cases/step", step="verify", finding="办事群众材料不全，窗口人员解释不耐心",
                     verified_by="协调股王芳", **bad_rating).status_code == 302
    assert state_of(client, bad_rating)[0] == "已核实"
    assert auth.post("/admin/cases/step", step="rectify", measure="批评教育，学习服务规范", **bad_rating).status_code == 302
    assert auth.post("/admin/cases/step", step="callback", method="phone", note="无人接听",
                     **bad_rating).status_code == 302
    refused = auth.post("/admin/cases/close", note="办结", **bad_rating)
    assert refused.status_code == 409 and "回访" in refused.text, "a callback that did not reach the citizen"
    assert auth.post("/admin/cases/step", step="callback", method="sms", reached="1", satisfaction="basically",
                     **bad_rating).status_code == 302
    assert auth.post("/admin/cases/close", note="已整改并回访", **bad_rating).status_code == 302
    state, page = state_of(client, bad_rating)
    assert state == "已关闭" and "批评教育" in page and "短信" in page and "基本满意" in page
    assert 'id="verify-form"' not in page, "a closed case takes no more steps"
    actions = [e["action"] for e in store.audit.entries(limit=10)]
    assert actions.count("case step") == 4 and "close follow-up" in actions
    log = client.get("/admin/audit").text
    assert "记录了差评处理步骤" in log and "短信回访" in log and "核实人" in log, "the log reads in the hall's words"
    assert rate(client, "case-rates-window", "w03", "callback_rate") == "100%"
    assert rate(client, "case-rates-clerk", "c05", "rectify_rate") == "100%"


def test_a_group_leader_appeals_and_the_office_upholds_it(bad_rating, client, auth, store):
    auth.logout()
    auth.login("leader")
    assert auth.post("/admin/cases/step", step="rectify", measure="x", **bad_rating).status_code == 403
    assert auth.post("/admin/cases/appeal", grounds="malicious", reason="群众因政策规定不满，与服务无关",
                     **bad_rating).status_code == 302
    again = auth.post("/admin/cases/appeal", grounds="mistaken", reason="再次", **bad_rating)
    assert again.status_code == 409
    auth.logout()
    auth.login()
    assert rate(client, "case-rates-window", "w03", "callback_rate") == "0%"
    assert auth.post("/admin/cases/decide", outcome="upheld", decision="调取录像核实，窗口服务规范",
                     **bad_rating).status_code == 302
    page = client.get(f"/admin/cases?month={DAY:%Y-%m}").text
    assert "申诉成立" in page and 'data-outcome="upheld"' in page
    assert 'data-key="w03"' not in re.search(r'id="case-rates-window">(.*?)</table>', page, re.S).group(1), \
        "an upheld rating leaves the rates"
    actions = [e["action"] for e in store.audit.entries(limit=10)]
    assert actions[0] == "decide appeal" and "file appeal" in actions


@pytest.mark.parametrize("form, status", [
    ({"step": "inspect"}, 400),
    ({"step": "verify", "finding": " ", "verified_by": "王芳"}, 400),
    ({"step": "callback", "method": "fax"}, 400),
    ({"step": "verify", "finding": "x", "verified_by": "y", "service": "999"}, 404),
    ({"step": "verify", "finding": "x", "verified_by": "y", "window": "w99"}, 404),
])
def test_bad_steps_are_refused_and_nothing_is_stored(bad_rating, auth, store, form, status):
    assert auth.post("/admin/cases/step", **{**bad_rating, **form}).status_code == status
    assert store.cases.steps("hall") == []


def test_a_viewer_may_read_a_case_but_not_appeal(bad_rating, client, auth):
    auth.logout()
    auth.login("viewer")
    assert client.get("/admin/cases/case", query_string=bad_rating).status_code == 200
    assert auth.post("/admin/cases/appeal", grounds="mistaken", reason="x", **bad_rating).status_code == 403


@pytest.mark.backends
def test_an_upheld_rating_leaves_the_summaries_and_the_ranking_but_stays_a_service(bad_rating, store):
    def lines():
        catch_up(store)
        summary = [line for line in store.reports.service_summary(str(DAY), str(DAY), hall="hall")
                   if line["window"] == "w03"]
        record = [line for line in store.reports.window_record(str(DAY), str(DAY), hall="hall")
                  if line["window"] == "w03"]
        return [(line["services"], line["rated"]) for line in summary], [(r["rated"], r["bad"]) for r in record]
    assert lines() == ([(1, 1)], [(1, 1)])
    case = ("hall", "w03", bad_rating["service"], bad_rating["done"])
    store.cases.file_appeal(case, grounds="malicious", reason="与服务无关", by="leader", at="2026-11-24T06:00:00+00:00")
    store.cases.decide_appeal(case, outcome="upheld", decision="录像核实", by="office", at="2026-11-24T06:10:00+00:00")
    assert lines() == ([(1, 0)], [(0, 0)])


@pytest.mark.backends
@pytest.mark.parametrize("satisfied_from, share", [(3, 2 / 3), (4, 1 / 3)])
def test_the_satisfied_share_counts_from_the_halls_own_score(terminal, clock, store, satisfied_from, share):
    text = HALL_TOML.read_text(encoding="utf-8").replace("satisfied_min_score = 3",
                                                         f"satisfied_min_score = {satisfied_from}")
    store.configs.save(config_to_dict(load_config(text)), "office")
    day = script("win-03")
    day.presence("08:20", "A")
    for minute, score in (("09:00", 5), ("09:10", 3), ("09:20", 2)):
        day.rating(f"{minute}:20", day.done(f"{minute}:00"), score)
    day.clock("09:30")
    clock.set(local(DAY, "09:31"))
    assert terminal.push(day.facts).status_code == 200
    catch_up(store)
    [line] = [line for line in store.reports.service_summary(str(DAY), str(DAY), hall="hall") if line["window"] == "w03"]
    assert line["satisfied_share"] == pytest.approx(share)
    [record] = [r for r in store.reports.window_record(str(DAY), str(DAY), hall="hall") if r["window"] == "w03"]
    assert record["satisfied"] == round(share * 3)
