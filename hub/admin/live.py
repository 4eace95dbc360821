"""The wall as the office sees it: the store's live state of each visible window, with names and local times."""
from datetime import datetime

from .i18n import text


def _local(value, tz):
    return None if value is None else datetime.fromisoformat(value).astimezone(tz).isoformat(timespec="seconds")


def _troubles(entry, language):
    """The terminal's faults and its keypad's unrecorded stray keys, in *language*."""
    words = [text(f"fault_{fault}", language) for fault in entry["faults"]]
    if entry["strays_dropped"]:
        words.append(text("strays_dropped", language).format(n=entry["strays_dropped"]))
    return words


def wall(store, config, windows, at, language):
    """Every one of *windows* at *at* (``state`` "A", "B", "empty", "closed" or "unknown"), ready for JSON.

    ``troubles`` are the terminal's faults (and its keypad's unrecorded stray keys) in *language*.
    """
    tz, clerks = config.tz, config.clerks
    wanted = {w.id for w in windows}
    shown = []
    for entry in store.live.wall(at):
        if entry["window"] not in wanted:
            continue
        state = entry["state"]
        if state == "nobody":
            state = "empty" if entry["session"] else "closed"
        empty_since = entry["empty_since"] if state == "empty" else None
        shown.append({
            "id": entry["window"], "name": entry["name"], "state": state, "holder": entry["holder"],
            "holder_name": clerks[entry["holder_clerk"]].name if entry["holder_clerk"] else None,
            "waiting": entry["waiting"], "alarm": bool(entry["alarm"]), "session": entry["session"],
            "empty_since": _local(empty_since, tz),
            "empty_seconds": None if empty_since is None else
            int((at - datetime.fromisoformat(empty_since)).total_seconds()),
            "keypad": entry["keypad"], "strays_dropped": entry["strays_dropped"],
            "faults": entry["faults"], "troubles": _troubles(entry, language),
            "last_sync": entry["last_sync"],
            "last_sync_local": _local(entry["last_sync"], tz), "offline_since": entry["offline_since"],
            "offline_since_local": _local(entry["offline_since"], tz),
            "a_name": clerks[entry["a"]].name, "b_name": clerks[entry["b"]].name,
        })
    return {"now": at.isoformat(timespec="seconds"), "now_local": at.astimezone(tz).isoformat(timespec="seconds"),
            "windows": shown}
