"""The month's evaluations for the provincial platform (issue 16 item 6): every rated service, its 差评 handling and
appeal, as JSON Lines and CSV, to the documented schema, byte-stable, the same from the page and the CLI."""
import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from hub.provincial import CSV_COLUMNS
from protocol.cli import main

from ..conftest import DAY, local, script

SCHEMA = json.loads((Path(__file__).parents[3] / "protocol/schema/evaluation.schema.json").read_text())


@pytest.fixture
def handled_month(terminal, clock, client, auth, store):
    """w03 on DAY: services rated 5 and 1, one not rated; the 1 verified, rectified, called back, closed, appealed."""
    day = script("win-03")
    day.presence("08:20", "A")
    good, bad, unrated = day.done("09:00"), day.done("09:10"), day.done("09:20")
    day.rating("09:00:20", good, 5)
    day.rating("09:10:20", bad, 1)
    day.rating_missed("09:21:30", unrated)
    day.clock("09:30")
    clock.set(local(DAY, "09:31"))
    assert terminal.push(day.facts).status_code == 200
    auth.login()
    case = {"window": "w03", "service": bad["seq"], "done": local(DAY, "09:10").isoformat()}
    for step in ({"step": "verify", "finding": "=HYPERLINK(\"x\") 窗口解释不清", "verified_by": "王芳"},
                 {"step": "rectify", "measure": "完善告知单"},
                 {"step": "callback", "method": "phone", "reached": "1", "satisfaction": "satisfied"}):
        assert auth.post("/admin/cases/step", **case, **step).status_code == 302
    assert auth.post("/admin/cases/close", note="已回访", **case).status_code == 302
    assert auth.post("/admin/cases/appeal", grounds="mistaken", reason="误按", **case).status_code == 302
    return good["seq"], bad["seq"]


def test_every_rated_service_is_a_record_to_the_schema_with_its_handling(handled_month, client):
    good, bad = handled_month
    answer = client.get(f"/admin/evaluations.jsonl?month={DAY:%Y-%m}")
    assert answer.status_code == 200 and "evaluations-hall-2026-11.jsonl" in answer.headers["Content-Disposition"]
    records = [json.loads(line) for line in answer.data.decode("utf-8").splitlines()]
    for record in records:
        jsonschema.validate(record, SCHEMA)
    assert [(r["service"], r["level"], r["level_name"], r["channel"]) for r in records] == [
        (good, 5, "非常满意", "评价器"), (bad, 1, "非常不满意", "评价器")], "the unrated service is no evaluation"
    assert records[0]["handling"] is None and records[0]["clerk_name"] == "陈静"
    handling = records[1]["handling"]
    assert handling["state"] == "closed" and handling["closing_note"] == "已回访"
    assert [s["step"] for s in handling["steps"]] == ["verify", "rectify", "callback"]
    assert records[1]["appeal"]["grounds"] == "mistaken" and records[1]["appeal"]["outcome"] is None


def test_the_export_is_byte_stable_and_the_cli_gives_the_same_bytes(handled_month, client, app, tmp_path, capsys):
    url = f"/admin/evaluations.jsonl?month={DAY:%Y-%m}"
    first, again = client.get(url).data, client.get(url).data
    assert first == again
    out = tmp_path / "november.jsonl"
    assert main(["hub", "export-evaluations", "--db", app.config["DATABASE"], "--month", "2026-11",
                 "--out", str(out)]) == 0
    assert out.read_bytes() == first
    assert "2 evaluations of hall in 2026-11" in capsys.readouterr().err


def test_the_csv_has_the_documented_columns_and_no_formula_cell(handled_month, client):
    text = client.get(f"/admin/evaluations.csv?month={DAY:%Y-%m}").data.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 2
    assert rows[1]["case_state"] == "closed" and rows[1]["callback_reached"] == "true"
    assert rows[1]["finding"].startswith("'=HYPERLINK"), "a spreadsheet never runs it"


@pytest.mark.parametrize("args, message", [
    (["--month", "2026-13"], "--month: '2026-13' is not a month YYYY-MM"),
    (["--month", "2026-11", "--hall", "nowhere"], "hall: no hall 'nowhere' in this hub"),
])
def test_the_cli_refuses_a_bad_month_or_hall(app, capsys, args, message):
    assert main(["hub", "export-evaluations", "--db", app.config["DATABASE"], *args]) == 2
    assert message in capsys.readouterr().err


def test_a_viewer_cannot_export(handled_month, client, auth):
    auth.logout()
    auth.login("viewer")
    assert client.get("/admin/evaluations.jsonl").status_code == 403
