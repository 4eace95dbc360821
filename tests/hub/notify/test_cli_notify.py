"""``hallpost hub notify``: receivers from a settings file (secrets never on the command line or shown back),
routes checked before they are stored, every change audited."""
import json

from hub.store import Store
from protocol.cli import main
from tests.hub.test_cli import initialised  # noqa: F401  (fixture)

ROBOT = {"url": "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef", "secret": "SECverysecret42"}


def test_a_receiver_and_its_route_are_added_listed_masked_and_removed(initialised, tmp_path, capsys):  # noqa: F811
    db, _ = initialised
    settings = tmp_path / "robot.json"
    settings.write_text(json.dumps(ROBOT), encoding="utf-8")
    assert main(["hub", "notify", "add-receiver", "--database", db, "leader-ding", "--kind", "dingtalk",
                 "--settings", str(settings)]) == 0
    assert main(["hub", "notify", "add-route", "--database", db, "leader-ding", "--department", "民政",
                 "--repeat", "2h", "--quiet", "22:00-07:30", "--kind", "window_empty"]) == 0
    capsys.readouterr()
    assert main(["hub", "notify", "list", "--database", db]) == 0
    out = capsys.readouterr().out
    assert "SECverysecret42" not in out and "0123456789abcdef" not in out and '"secret": "…et42"' in out
    assert "route 1\tleader-ding\thall *\tdepartment 民政\tkinds window_empty\trepeat 7200 s\tquiet 22:00-07:30" in out
    with Store.open(db) as store:
        assert store.notify.receiver("leader-ding")["settings"] == ROBOT
        actions = [e["action"] for e in store.audit.entries(actor="cli")]
        assert actions[:2] == ["add notify route", "add notify receiver"]
        assert "SECverysecret42" not in json.dumps(store.audit.entries(actor="cli"), ensure_ascii=False)
    assert main(["hub", "notify", "remove-receiver", "--database", db, "leader-ding"]) == 0
    with Store.open(db) as store:
        assert store.notify.receivers() == [] and store.notify.routes() == []


def test_bad_receivers_and_routes_are_refused_naming_the_value(initialised, tmp_path, capsys):  # noqa: F811
    db, _ = initialised
    settings = tmp_path / "robot.json"
    settings.write_text(json.dumps({"url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"}), encoding="utf-8")
    assert main(["hub", "notify", "add-receiver", "--database", db, "office", "--kind", "wecom",
                 "--settings", str(settings)]) == 2
    assert "is not a robot webhook" in capsys.readouterr().err
    assert main(["hub", "notify", "add-route", "--database", db, "nobody"]) == 2
    assert "route: no receiver 'nobody'; nothing was stored" in capsys.readouterr().err
    settings.write_text(json.dumps({"url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}), encoding="utf-8")
    assert main(["hub", "notify", "add-receiver", "--database", db, "office", "--kind", "wecom",
                 "--settings", str(settings)]) == 0
    for option, error in [(["--repeat", "soon"], "repeat: 'soon' is not a duration"),
                          (["--repeat", "30s"], "repeat: '30s' is under a minute"),
                          (["--quiet", "22:00"], "quiet hours: '22:00' is not two different local times"),
                          (["--hall", "nowhere"], "route: hall 'nowhere' is not a hall of this hub")]:
        assert main(["hub", "notify", "add-route", "--database", db, "office", *option]) == 2
        assert error in capsys.readouterr().err
    with Store.open(db) as store:
        assert store.notify.routes() == []
