"""The terminal's own clock: wall time until the hub anchors this boot, then anchored time."""
from datetime import timedelta

from firmware.terminal import faults
from tests.terminal.conftest import at


def test_a_clock_anchor_corrects_a_wrong_wall_clock(open_window, clock):
    window = open_window()
    window.to(at(8, 0))                                   # the Pi thinks it is 08:00 (before the session)
    assert window.lamps() == {"a": "off", "b": "off", "empty": "off"}
    assert faults.CLOCK_UNCERTAIN in window.terminal.faults()
    hub_time = at(9, 0)                                   # the hub says it is 09:00: the window is empty
    window.terminal.record_clock(clock.monotonic_ms(), clock.wall(), hub_time).result(10)
    window.terminal.settle()
    assert window.terminal.judgement.now(clock) == hub_time
    assert window.lamp("empty") == "on"                   # empty since 08:30, long past the grace
    assert faults.CLOCK_UNCERTAIN not in window.terminal.faults()
    window.press("presence_a")
    press = window.facts()[-1]
    assert press["kind"] == "presence" and press["wall"].startswith(clock.wall().isoformat()[:16])
    assert window.lamps() == {"a": "on", "b": "off", "empty": "off"}


def test_facts_of_a_boot_without_anchor_keep_their_wall_time_after_a_restart(open_window, clock):
    window = open_window(boot="boot1")
    window.to(at(9, 0))
    window.press("presence_a")
    window.close()
    clock.advance(timedelta(minutes=5).total_seconds())
    again = open_window(boot="boot2")
    assert again.lamp("a") == "on"                        # boot1's sign-in judged at its wall time
    assert again.terminal.state.holder == "A"


def test_window_state_needs_only_the_lamp_kinds(hall):
    """The terminal keeps only LAMP_KINDS for its lamps: the engine must judge the same without the rest."""
    from datetime import date

    from firmware.terminal.judgement import LAMP_KINDS
    from protocol.facts import parse_fact
    from protocol.rules import window_state
    from protocol.scenario import TerminalScript
    from tests.terminal.conftest import TZ

    day = TerminalScript("win-03", date(2026, 11, 24), TZ)
    day.keypad("08:00", True)
    day.presence("08:20", "A")
    for minute in range(35, 59, 4):
        done = day.done(f"08:{minute}", "A")
        day.rating(f"08:{minute}:30", done["seq"], 5)
    day.stray_key("09:01", 2)
    day.handover("09:10", "A", "meeting")
    day.presence("09:12", "B")
    missed = day.done("09:30", "B")
    day.rating_missed("09:31", missed["seq"])
    day.keypad("09:40", False)
    day.presence("09:50", "A")                              # A takes back without B handing over
    day.presence("10:30", "A", on=False)                    # A leaves without a handover: empty
    day.done("10:45", "A")
    day.presence("10:50", "B")
    day.handover("11:30", "B")
    day.presence("11:58", "A")
    facts = [parse_fact(f) for f in day.facts]
    lamp_facts = [f for f in facts if f.kind in LAMP_KINDS or f.kind == "clock"]
    assert len(lamp_facts) < len(facts)
    for minute in range(7 * 60, 19 * 60, 3):
        moment = day.at(f"{minute // 60:02d}:{minute % 60:02d}")
        assert window_state(hall, facts, "w03", moment, trust_wall_clock=True) == \
            window_state(hall, lamp_facts, "w03", moment, trust_wall_clock=True), moment


def test_local_judgement_equals_the_engine_over_the_journal_after_every_fact(hall):
    """Fed fact by fact, the judgement equals the engine over all facts: a late anchor, a clock step, a restart."""
    from datetime import date

    from firmware.terminal.judgement import LocalJudgement
    from protocol.facts import parse_fact
    from protocol.rules import window_state
    from protocol.scenario import TerminalScript
    from tests.terminal.conftest import TZ

    day = TerminalScript("win-03", date(2026, 11, 24), TZ, booted="06:00", anchor=False, wall_skew_s=-30)
    judgement, journal = LocalJudgement(terminal="win-03", boot=day.boot), []
    minute = 8 * 60
    for step in range(120):
        minute += 3
        when = f"{minute // 60:02d}:{minute % 60:02d}:{step % 60:02d}"
        if step == 70:
            journal.append(day.add(when, "clock", hub_time=day.at(when).isoformat()))   # the wall was 30 s off
        elif step == 90:
            journal.append(day.presence(f"{(minute - 20) // 60:02d}:{(minute - 20) % 60:02d}", "B"))  # clock step
        else:
            journal.append(day.presence(when, "AB"[step % 5 == 0], on=step % 3 != 2) if step % 7 else
                           day.handover(when, "AB"[step % 2]))
        if step == 100:                                       # a restart: rebuilt from the journal alone
            judgement = LocalJudgement(terminal="win-03", boot=day.boot)
            judgement.load(journal, since=day.at("00:00"))
        else:
            judgement.add(journal[-1])
        facts = [parse_fact(f) for f in journal]
        for later_s in (0, 40, 200):
            moment = day.at(when) + timedelta(seconds=later_s)
            assert judgement.state(hall, "w03", moment) == \
                window_state(hall, facts, "w03", moment, trust_wall_clock=True), (step, moment)
