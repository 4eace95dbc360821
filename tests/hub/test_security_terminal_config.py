"""A terminal's config carries its own window's approved overtime (a span is a session for its lamps, R10)
and nothing of another window's: the clerk on duty by id only, no name (item 12)."""
import json

OVERTIME = {"window": "w03", "from": "2026-11-28T09:00:00+08:00", "to": "2026-11-28T12:00:00+08:00",
            "clerks": ["c01"], "approved_by": "office"}         # c01 (张敏) is w01's A, on duty at w03


def test_a_terminal_gets_its_windows_overtime_with_the_clerk_by_id_and_others_nothing(enrol, store):
    win03, win01 = enrol("w03"), enrol("w01")
    etag01 = win01.config().json()["etag"]
    document = store.configs.current()[1]
    document["overtime"] = [OVERTIME]
    store.configs.save(document, "test")
    served = win03.config()
    assert served.status_code == 200
    config = served.json()["config"]
    assert config["overtime"] == [OVERTIME]
    assert {"id": "c01", "name": "c01"} in config["clerks"]
    assert "张敏" not in json.dumps(config, ensure_ascii=False)
    assert win01.config(etag01).status_code == 304, "another window's overtime is not w01's business"
