"""The record over the real hub, in the regulations' words: absence is a person's (R2), empty-window time is
charged to whoever was responsible (R4), figures are provisional until heard (R3), and the monthly summary
covers everyone who worked (R8)."""
from datetime import timedelta

from ..conftest import DAY, fresh, local, script
from .test_reports import read_csv

NEXT_DAY = DAY + timedelta(days=1)


def monthly(client, month="2026-11"):
    """The monthly CSV as {clerk name: {heading: cell}}."""
    rows = read_csv(client.get(f"/admin/reports/monthly.csv?month={month}"))
    return {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}


def on_time_morning(terminal, post):
    """*post* signs in on time and out at noon; the terminal reports up to 13:40."""
    day = script(terminal)
    day.presence("08:20", post)
    day.presence("12:01", post, False)
    day.clock("13:40")
    return day.facts


def test_a_clerk_at_his_own_window_is_not_absent_at_the_window_he_covers(store, enrol, clock, client, auth):
    """Y AB岗 第三条: "B岗顶岗期间…同时做好本职工作". 王伟 (c03) is A of w02 and B of w01 while 张敏 (c01) is on sick leave
    (the morning of DAY); he works at w02. He is not 旷工; w01 was an empty window, charged to him (R4)."""
    document = store.configs.current()[1]
    store.configs.save({**document, "windows": [dict(w, b="c03") if w["id"] == "w01" else w
                                                for w in document["windows"]]}, "office")
    clock.set(local(DAY, "13:45"))
    w01, w02 = enrol("w01"), enrol("w02")
    silent = script("win-01")
    silent.clock("13:40")
    assert w01.push(silent.facts).status_code == 200
    before = fresh(store).projections.rows("attendance", start=DAY.isoformat(), end=DAY.isoformat(), window="w01", clerk="c03")
    assert [(r["clerk"], r["status"], r["provisional"]) for r in before] == [("c03", "absent", True)]  # w02 unheard
    assert w02.push(on_time_morning("win-02", "A")).status_code == 200
    covered = fresh(store).projections.rows("attendance", start=DAY.isoformat(), end=DAY.isoformat(), window="w01", clerk="c03")
    assert [(r["clerk"], r["status"], r["signed_in_at"], r["provisional"]) for r in covered] == [
        ("c03", "on_time", "w02", False)]
    violations = fresh(store).projections.rows("violations", start=DAY.isoformat(), end=DAY.isoformat())
    assert [(v["kind"], v["window"]) for v in violations] == [("empty_window", "w01")]
    auth.login()
    table = client.get(f"/admin/violations?from={DAY}&to={DAY}").text.split("<h2")[1]
    assert "旷工" not in table and "空岗" in table and "王伟" in table        # the empty window, charged to him
    wang = monthly(client)["王伟"]
    assert (wang["旷工"], wang["实出勤（时段）"], wang["空岗"], wang["空岗分钟"]) == ("0", "1", "1", "210")
    assert monthly(client)["张敏"]["空岗分钟"] == "0"


def test_empty_minutes_are_charged_to_the_clerk_responsible_at_each_minute(enrol, clock, client, auth):
    """R4: while 张敏 (c01) is on leave her B 李娜 (c02) answers for w01; B left at 11:00 without a handover:
    that hour is B's. 张敏 came 10 minutes late in the afternoon: those minutes are hers."""
    clock.set(local(NEXT_DAY, "00:30"))
    day = script("win-01")
    day.presence("08:20", "B")
    day.presence("11:00", "B", False)
    day.presence("14:40", "A")
    day.presence("17:31", "A", False)
    day.clock(local(NEXT_DAY, "00:10"))
    assert enrol("w01").push(day.facts).status_code == 200
    auth.login()
    lines = monthly(client)
    assert (lines["李娜"]["空岗分钟"], lines["李娜"]["空岗"]) == ("60", "1")
    assert (lines["张敏"]["空岗分钟"], lines["张敏"]["空岗"]) == ("10", "1")


def test_the_morning_is_final_in_the_afternoon(terminal, store, clock):
    """R3: a session's verdicts are final once its terminal has reported past the session's sign-out window."""
    clock.set(local(DAY, "15:00"))
    day = script()
    day.presence("08:20", "A")
    day.presence("12:01", "A", False)
    day.presence("14:20", "A")
    day.clock("14:50")
    terminal.push(day.facts)
    rows = fresh(store).projections.rows("attendance", start=DAY.isoformat(), end=DAY.isoformat())
    assert [(r["session"], r["provisional"]) for r in rows] == [("morning", False), ("afternoon", True)]


def test_a_silent_window_makes_its_week_provisional_until_heard_past(terminal, clock, client, auth):
    """R6 counts, R3 "unknown is not empty": w03 went silent on Thursday morning; w05 never reported."""
    wednesday = DAY + timedelta(days=1)
    day = script(day=wednesday)
    day.presence("08:20", "A")
    for minute in ("09:00", "09:10"):
        day.done(minute)
    day.clock(local(wednesday + timedelta(days=1), "09:00"))
    clock.set(local(wednesday + timedelta(days=2), "18:00"))
    terminal.push(day.facts)
    auth.login()
    rows = {r[0]: r for r in read_csv(client.get(f"/admin/reports/weekly.csv?week={DAY}"))}
    assert rows["3号窗口 民政救助"][1:] == ["0", "0", "2", "0", "0", "2", "1"]
    assert rows["5号窗口 市场监管"][-1] == "1"
    page = client.get(f"/admin/reports?week={DAY}").text
    w03 = page.split('data-window="w03"')[1].split("</tr>")[0]
    assert w03.count('class="num provisional"') == 3         # Thursday, Friday and the week's total
    later = script(day=wednesday + timedelta(days=3), first_seq=day.seq + 1, booted="00:05")
    clock.set(local(wednesday + timedelta(days=3), "00:10"))
    assert terminal.push(later.facts).status_code == 200
    auth.login()                                             # six hours later: the idle session has ended
    rows = {r[0]: r for r in read_csv(client.get(f"/admin/reports/weekly.csv?week={DAY}"))}
    assert rows["3号窗口 民政救助"][-1] == "0" and rows["5号窗口 市场监管"][-1] == "1"


def test_no_verdict_after_the_hubs_own_time_is_final(terminal, store, clock):
    """Facts timed days ahead (issue 11: a stolen key; an anchor that far ahead is refused, but a fact's
    monotonic clock can still run past a true anchor) must not turn those days into final 旷工."""
    clock.set(local(DAY, "09:00"))
    ahead = script()                                               # anchored at 07:00, truly
    ahead.presence(local(DAY + timedelta(days=2), "17:40"), "A")     # the same boot, days ahead
    assert terminal.push(ahead.facts).status_code == 200
    rows = fresh(store).projections.rows("attendance", start=DAY.isoformat(), end=(DAY + timedelta(days=2)).isoformat())
    assert [r for r in rows if not r["provisional"]] == []
    assert {line["clerk"]: line for line in fresh(store).reports.month_attendance(2026, 11)}["c05"]["provisional"] is True


def test_the_monthly_summary_covers_everyone_who_worked(terminal, clock, client, auth):
    """R8 一月一汇总: 杨帆 (B of w03) held the window all morning while 陈静 (A) never came; 张敏 is on approved
    sick leave that morning. Attended (实出勤) counts no leave and no 旷工 session."""
    clock.set(local(NEXT_DAY, "00:30"))
    day = script()
    day.presence("08:20", "B")
    day.presence("12:02", "B", False)
    day.clock(local(NEXT_DAY, "00:10"))
    terminal.push(day.facts)
    auth.login()
    lines = monthly(client)
    yang, chen, zhang = lines["杨帆"], lines["陈静"], lines["张敏"]
    assert (yang["应出勤（时段）"], yang["实出勤（时段）"]) == ("0", "1")
    assert (chen["应出勤（时段）"], chen["实出勤（时段）"], chen["旷工"]) == ("42", "0", "2")
    assert (zhang["请假天数"], zhang["请假天数·病假"], zhang["请假天数·事假"]) == ("0.5", "0.5", "0.0")
    page = client.get("/admin/reports?month=2026-11").text
    assert "病假 0.5" in page.split('data-clerk="c01"')[1].split("</tr>")[0]


def test_a_silent_windows_clerks_show_as_unknown_on_the_day(terminal, clock, client, auth):
    """R3: a window the hub cannot hear from is unknown, never empty and never absent: 周杰 (A of the silent w05)
    has a provisional unknown line for the morning begun, none for the afternoon to come."""
    clock.set(local(DAY, "10:00"))
    day = script()
    day.presence("08:20", "A")
    day.clock("09:59")
    terminal.push(day.facts)
    auth.login()
    page = client.get(f"/admin/attendance?date={DAY}").text
    zhou = [row for row in page.split("<tr")[1:] if 'data-clerk="c09"' in row]
    assert len(zhou) == 1 and 'data-status="unknown"' in zhou[0] and "暂定" in zhou[0]
    chen = [row for row in page.split("<tr")[1:] if 'data-clerk="c05"' in row]
    assert len(chen) == 1 and 'data-status="on_time"' in chen[0]
