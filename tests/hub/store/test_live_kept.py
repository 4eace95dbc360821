"""The wall's kept replays (hub/store/live_days.py): every write that changes a window-day's facts, and every
config change, shows on the next read exactly as a replay of the day's facts from scratch would."""
from datetime import datetime

import pytest

from hub.deriver import catch_up
from hub.store import Store
from hub.store.live_days import kept_days
from protocol.config import config_to_dict, load_config
from protocol.facts import held_fact
from protocol.window_state import window_state
from protocol.wire import encode_batch, parse_batch

from ..conftest import DAY, HALL_TOML, local, script

pytestmark = pytest.mark.backends


def push(store, facts, terminal="win-03", journal="0123abcd"):
    """*facts* of *terminal* straight into the store (the API's path after verification)."""
    store.facts.ingest(parse_batch(encode_batch(terminal, journal, facts), terminal))


def w03(store):
    """w03's entry on the wall now."""
    return next(w for w in store.live.wall() if w["window"] == "w03")


def replayed(store):
    """w03's state now replayed from every post fact of its day (what the wall answered before it kept them)."""
    facts = [held_fact(f, datetime.fromisoformat(f["time"])) for f in store.facts.of_window("w03", DAY.isoformat())]
    return window_state(store.configs.hall(), facts, "w03", store.now())


def agrees(store):
    """w03's wall entry now, checked against the replay from scratch."""
    entry, state = w03(store), replayed(store)
    assert (entry["holder"], entry["waiting"], entry["session"], entry["alarm"]) == \
        (state.holder, state.waiting, state.session, state.alarm)
    return entry


@pytest.fixture
def held(store, clock):
    """w03 enrolled, A signed in at 08:20 and heard at 09:00; the wall read once (its replay kept)."""
    store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    day = script()
    day.presence("08:20", "A")
    day.clock("08:59")
    clock.set(local(DAY, "09:00"))
    push(store, day.facts)
    assert agrees(store)["holder"] == "A"
    return day


@pytest.mark.parametrize("derived", [False, True], ids=["still-dirty", "derived-between"])
def test_a_late_fact_changes_the_kept_state(store, clock, held, derived):
    if derived:
        catch_up(store)
        assert agrees(store)["holder"] == "A"       # kept under the derived window-day's stamp
    held.handover("08:50", "A")                     # pushed late, timed before the facts already replayed
    push(store, held.facts)
    if derived:
        catch_up(store)
    entry = agrees(store)
    assert (entry["state"], entry["waiting"]) == ("nobody", "B")
    held.presence("08:55", "B")
    push(store, held.facts)
    assert agrees(store)["holder"] == "B", "a push to a window-day still dirty shows on the next read"


def test_a_window_day_still_dirty_is_read_again_only_once_a_write_touches_it(store, clock, held):
    def kept_replay():
        days = kept_days(store.conn, store.settings).days
        return next(replay for (_, window, day), (_, replay) in days.items() if (window, day) == ("w03", DAY.isoformat()))
    first = kept_replay()
    assert store.conn.execute("SELECT dirty FROM window_days WHERE \"window\" = 'w03'").fetchone()[0] == 1
    agrees(store)
    assert kept_replay() is first, "no write touched it: its replay is kept though it is dirty"
    held.presence("08:55", "B")
    push(store, held.facts)
    assert agrees(store)["holder"] == "B" and kept_replay() is not first


def test_facts_of_a_boot_without_an_anchor_show_once_it_comes(store, clock, held):
    later = script(boot="win-03-reboot", booted="09:01", anchor=False, first_seq=held.seq + 1)
    later.handover("09:02", "A")
    clock.set(local(DAY, "09:05"))
    push(store, later.facts)
    assert agrees(store)["holder"] == "A", "untimed facts are not on any day yet"
    later.clock("09:04")
    push(store, later.facts)
    assert agrees(store)["waiting"] == "B"


def test_a_fact_timed_ahead_of_the_hub_applies_when_the_clock_reaches_it(store, clock, held):
    held.handover("09:01", "A")
    held.clock("09:01")
    push(store, held.facts)                         # the terminal's clock a minute ahead: allowed
    assert agrees(store)["holder"] == "A"
    clock.set(local(DAY, "09:01:30"))
    assert agrees(store)["waiting"] == "B"


def test_a_config_change_moves_sessions_and_terminals(store, clock, held):
    config = config_to_dict(load_config(HALL_TOML.read_text(encoding="utf-8")))
    held.presence("11:50", "A", on=False)
    held.clock("12:09")
    clock.set(local(DAY, "12:10"))
    push(store, held.facts)
    assert (agrees(store)["state"], agrees(store)["session"]) == ("nobody", None)
    morning = next(s for s in config["sessions"] if s["name"] == "morning")
    morning["end"] = "12:30"
    store.configs.save(config, "office")
    assert agrees(store)["session"] == "morning"
    clock.set(local(DAY, "11:00"))
    assert agrees(store)["holder"] == "A", "an earlier moment replays the kept facts anew"
    window = next(w for w in config["windows"] if w["id"] == "w03")
    window["terminal"] = "win-99"
    store.configs.save(config, "office")
    assert agrees(store)["holder"] is None, "the window's facts are its terminal's"


def test_another_database_with_the_same_halls_keeps_its_own(store, clock, held, tmp_path):
    catch_up(store)
    assert agrees(store)["holder"] == "A"           # kept under the stamp the other's window-day will have too
    with Store.open(str(tmp_path / "other.sqlite"), clock=clock) as other:
        other.configs.save(config_to_dict(load_config(HALL_TOML.read_text(encoding="utf-8"))), "init")
        other.terminals.enrol(other.terminals.new_enrolment_code("w03", "office"))
        day = script()
        day.presence("08:20", "B")
        day.clock("08:59")
        push(other, day.facts)
        catch_up(other)
        assert w03(other)["holder"] == "B"
    assert agrees(store)["holder"] == "A"
