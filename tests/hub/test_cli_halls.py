"""``hallpost hub hall add|list`` and ``enrol-code --hall``: a center's hub grows hall by hall."""
from hub.store import Store
from protocol.cli import main

from .store.test_halls import TAOHUALING
from .test_cli import initialised  # noqa: F401  (fixture)


def test_a_hall_is_added_listed_and_enrols_its_terminals(initialised, tmp_path, capsys):  # noqa: F811
    db, _ = initialised
    other = tmp_path / "taohualing.toml"
    other.write_text(TAOHUALING, encoding="utf-8")
    assert main(["hub", "hall", "add", "--db", str(db), "--config", str(other)]) == 0
    assert capsys.readouterr().out == "added hall 'taohualing' (桃花岭服务大厅): 1 windows\n"
    assert main(["hub", "hall", "list", "--db", str(db)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "hall\t8 windows\tconfig version 1\t梅溪湖街道便民服务大厅", "taohualing\t1 windows\tconfig version 1\t桃花岭服务大厅"]
    assert main(["hub", "enrol-code", "--db", str(db), "--window", "w01", "--hall", "taohualing"]) == 0
    code = capsys.readouterr().out.strip()
    with Store.open(db) as store:
        assert store.terminals.enrol(code)[0] == "thl-01"
        assert store.terminals.get("thl-01")["hall"] == "taohualing"


def test_adding_a_hall_twice_or_before_init_is_refused(initialised, tmp_path, capsys):  # noqa: F811
    db, _ = initialised
    other = tmp_path / "taohualing.toml"
    other.write_text(TAOHUALING, encoding="utf-8")
    assert main(["hub", "hall", "add", "--db", str(db), "--config", str(other)]) == 0
    assert main(["hub", "hall", "add", "--db", str(db), "--config", str(other)]) == 2
    assert "hall.id: the hub already has a hall 'taohualing'" in capsys.readouterr().err
    assert main(["hub", "hall", "add", "--db", str(tmp_path / "new.sqlite"), "--config", str(other)]) == 2
    assert "not initialised (run `hallpost hub init` first)" in capsys.readouterr().err


def test_the_text_wall_shows_the_hall_asked_for(initialised, tmp_path, capsys):  # noqa: F811
    db, _ = initialised
    other = tmp_path / "taohualing.toml"
    other.write_text(TAOHUALING, encoding="utf-8")
    assert main(["hub", "hall", "add", "--db", str(db), "--config", str(other)]) == 0
    capsys.readouterr()
    assert main(["hub", "wall", "--db", str(db), "--once", "--hall", "taohualing"]) == 0
    windows = [line.split()[0] for line in capsys.readouterr().out.splitlines()[2:] if line.startswith("w0")]
    assert windows == ["w01"]
    assert main(["hub", "wall", "--db", str(db), "--once", "--hall", "nowhere"]) == 2
    assert "hall: no hall 'nowhere' in this hub" in capsys.readouterr().err
