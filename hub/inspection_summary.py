"""The month's inspection summary (R7 两督查、两抽查 recorded, "并对……结果做好记录"): per window and per clerk, how
often inspected, how often not at the post, and the problems the sheets found, with their notes.

What a sheet judges comes from the seeds: 着装 "按行政中心的着装规定,统一穿工作服" (dress), 台面 "不得在办公桌面堆放与
办公无关的个人物品,做到服务窗口整洁、有序、统一" (desk), 服务态度 "热情接待、受理业务不推诿怠慢" (attitude).
"""
from dataclasses import dataclass, field

PROBLEMS = ("dress", "desk", "attitude")


@dataclass
class Tally:
    """One window's or clerk's month: inspections, not at the post, each kind of problem, the notes."""

    key: str
    name: str
    inspections: int = 0
    absent: int = 0
    problems: dict = field(default_factory=lambda: dict.fromkeys(PROBLEMS, 0))
    notes: list = field(default_factory=list)

    def add(self, sheet, note):
        """Count one sheet (its *note* as the summary lists it, or None)."""
        self.inspections += 1
        self.absent += not sheet["present"]
        for problem in PROBLEMS:
            self.problems[problem] += sheet[problem] == 0
        if note:
            self.notes.append(note)


def tally(sheets, key, names, note_of):
    """Tallies of *sheets* grouped by the field *key* ("window" or "clerk"; sheets without one are left out),
    in the order of *names* ({key: name}) and then of first appearance; *note_of(sheet)* words a sheet's note."""
    tallies = {k: Tally(k, name) for k, name in names.items()}
    for sheet in sheets:
        if sheet[key] is None:
            continue
        if sheet[key] not in tallies:
            tallies[sheet[key]] = Tally(sheet[key], sheet[key])
        tallies[sheet[key]].add(sheet, note_of(sheet))
    return [t for t in tallies.values() if t.inspections]
