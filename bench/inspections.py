"""Inspection sheets at a month's scale: a hall of 8 windows with R7's four checks on every working day of a
month, each with 8 sheets, then the phone's pages and the month's summary timed in process (Flask test client).

Usage: python bench/inspections.py [--repeat 20]
Last line: {"sheets": .., "save_sheet_median_ms": .., "inspection_page_median_ms": .., "summary_median_ms": ..,
"summary_xlsx_median_ms": ..}
"""
import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, time as clock_time, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from werkzeug.security import generate_password_hash  # noqa: E402

from hub import create_app  # noqa: E402
from hub.inspections import snapshot  # noqa: E402
from hub.store import Store  # noqa: E402

PASSWORD = "bench inspection phrase"
MONTH = date(2026, 11, 1)
SHEET = {"clerk": None, "present": 1, "dress": 1, "desk": 0, "attitude": 1, "note": "桌面有私人物品"}


def median_ms(action, repeat):
    """The median wall time of *action* over *repeat* runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def fill_month(store):
    """Four inspections on every working day of the month, 8 sheets each; the save times (ms) and one id."""
    config, hall = store.configs.hall(), store.configs.resolve()
    saves, last = [], None
    for offset in range(30):
        day = MONTH + timedelta(days=offset)
        for n, hour in enumerate((9, 11, 15, 17) if config.is_workday(day) else ()):
            at = datetime.combine(day, clock_time(hour), config.tz)
            last = store.inspections.add(hall=hall, day=day.isoformat(), slot=f"manual-{n}", kind="manual", due_at=at,
                                         taken_at=at, taken_by="office", snapshot=snapshot(store, at, hall))
            for window in config.windows:
                start = time.perf_counter()
                store.inspections.save_sheet(hall=hall, inspection=last, window=window.id,
                                             sheet=dict(SHEET, clerk=window.a), saved_by="office", saved_at=at)
                saves.append((time.perf_counter() - start) * 1000)
    return saves, last


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    moment = datetime(2026, 11, 30, 9, 0, tzinfo=__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    with tempfile.TemporaryDirectory() as workdir:
        database = os.path.join(workdir, "hub.sqlite")
        app = create_app({"DATABASE": database, "HALL_CONFIG": os.path.join(ROOT, "hardware/hall/hall.toml"),
                          "SECRET_KEY": "bench", "CLOCK": lambda: moment, "ADMIN_CLOCK": lambda: moment})
        with Store.open(database, clock=lambda: moment) as store:
            store.users.add("office", generate_password_hash(PASSWORD), "office")
            saves, inspection = fill_month(store)
        client = app.test_client()
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin/login").text).group(1)
        client.post("/admin/login", data={"username": "office", "password": PASSWORD, "csrf_token": token})
        pages = {"inspection_page": f"/admin/inspections/{inspection}", "summary": "/admin/inspections/summary",
                 "summary_xlsx": "/admin/inspections/summary.xlsx"}
        result = {"sheets": len(saves), "save_sheet_median_ms": round(statistics.median(saves), 2)}
        for name, path in pages.items():
            assert client.get(path).status_code == 200, path
            result[f"{name}_median_ms"] = median_ms(lambda p=path: client.get(p), args.repeat)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
