"""好差评 cases in the store: steps numbered in order and final once closed; one appeal per rating, decided once."""
import pytest

from hub.store import AlreadyClosed, Conflict

pytestmark = pytest.mark.backends
CASE = ("hall", "w03", 7, "2026-11-24T09:20:00+08:00")
AT = "2026-11-24T06:00:00+00:00"


def test_steps_are_numbered_in_order_and_refused_once_the_case_is_closed(store):
    assert store.cases.add_step(CASE, "verify", by="office", at=AT, detail={"finding": "态度生硬", "verified_by": "王主任"}) == 1
    assert store.cases.add_step(CASE, "callback", by="office", at=AT, detail={"method": "phone", "reached": False}) == 2
    assert store.cases.add_step(("hall", "w03", 8, CASE[3]), "verify", by="office", at=AT, detail={}) == 1
    steps = store.cases.steps("hall", window="w03", service=7, done=CASE[3])
    assert [(s["seq"], s["step"], s["detail"]) for s in steps] == [
        (1, "verify", {"finding": "态度生硬", "verified_by": "王主任"}), (2, "callback", {"method": "phone", "reached": False})]
    assert len(store.cases.steps("hall")) == 3 and store.cases.steps("taohualing") == []
    store.followups.close(hall="hall", window="w03", service=7, done=CASE[3], closed_by="office", closed_at=AT, note="已回访")
    with pytest.raises(AlreadyClosed, match="service 7 at window w03 is closed"):
        store.cases.add_step(CASE, "rectify", by="office", at=AT, detail={"measure": "批评教育"})
    assert len(store.cases.steps("hall", window="w03", service=7, done=CASE[3])) == 2


def test_a_rating_is_appealed_once_and_decided_once(store):
    store.cases.file_appeal(CASE, grounds="malicious", reason="群众因政策不满", by="leader", at=AT)
    with pytest.raises(Conflict, match="appealed already"):
        store.cases.file_appeal(CASE, grounds="mistaken", reason="again", by="leader", at=AT)
    assert store.cases.upheld() == set()
    store.cases.decide_appeal(CASE, outcome="upheld", decision="录像核实", by="office", at=AT)
    with pytest.raises(Conflict, match="no pending appeal"):
        store.cases.decide_appeal(CASE, outcome="rejected", decision="改判", by="office", at=AT)
    [appeal] = store.cases.appeals("hall", start="2026-11-01", end="2026-11-30")
    assert (appeal["grounds"], appeal["outcome"], appeal["decision"], appeal["filed_by"]) == (
        "malicious", "upheld", "录像核实", "leader")
    assert store.cases.upheld("hall") == {CASE} and store.cases.upheld("taohualing") == set()
    assert store.cases.appeals("hall", start="2026-12-01", end="2026-12-31") == []
