"""Inspection sheets in the store (R7): one per window of an inspection, correctable until the inspection is
closed, kept per hall, and read back over a month for the summary."""
import sqlite3

import psycopg
import pytest

from hub.store.errors import InspectionClosed

from ..conftest import DAY, local

pytestmark = pytest.mark.backends
SHEET = {"clerk": "c05", "present": 1, "dress": 1, "desk": 1, "attitude": 1, "note": ""}


def an_inspection(store, slot="manual-090000", day=DAY, at="09:00"):
    """A manual check of the store's hall; (hall, id)."""
    hall = store.configs.resolve()
    taken = store.inspections.add(hall=hall, day=day.isoformat(), slot=slot, kind="manual", due_at=local(day, at),
                                  taken_at=local(day, at), taken_by="office",
                                  snapshot=[{"window": "w03", "state": "nobody"}])
    return hall, taken


def test_a_sheet_is_filed_then_corrected_until_the_inspection_is_closed(store):
    hall, inspection = an_inspection(store)
    assert store.inspections.save_sheet(hall=hall, inspection=inspection, window="w03", sheet=SHEET,
                                        saved_by="office", saved_at=local(DAY, "09:05")) is False
    corrected = dict(SHEET, present=0, dress=None, attitude=None, desk=0, note="桌面堆放私人物品")
    assert store.inspections.save_sheet(hall=hall, inspection=inspection, window="w03", sheet=corrected,
                                        saved_by="office", saved_at=local(DAY, "09:07")) is True
    (sheet,) = store.inspections.sheets(inspection).values()
    assert {k: sheet[k] for k in SHEET} == corrected
    assert sheet["saved_at"].startswith(f"{DAY.isoformat()}T01:07"), "kept in UTC"
    store.inspections.close(hall=hall, inspection=inspection, closed_by="office", closed_at=local(DAY, "09:10"))
    assert store.inspections.get(inspection, hall)["closed_by"] == "office"
    with pytest.raises(InspectionClosed, match=f"inspection {inspection}: closed"):
        store.inspections.save_sheet(hall=hall, inspection=inspection, window="w03", sheet=SHEET, saved_by="office",
                                     saved_at=local(DAY, "09:12"))
    with pytest.raises(InspectionClosed):
        store.inspections.close(hall=hall, inspection=inspection, closed_by="office", closed_at=local(DAY, "09:13"))
    assert store.inspections.sheets(inspection)["w03"]["note"] == "桌面堆放私人物品", "the closed sheet is unchanged"


def test_another_halls_inspection_is_neither_read_nor_written(store):
    hall, inspection = an_inspection(store)
    assert store.inspections.get(inspection, "elsewhere") is None
    with pytest.raises(InspectionClosed, match="not of hall 'elsewhere'"):
        store.inspections.save_sheet(hall="elsewhere", inspection=inspection, window="w03", sheet=SHEET,
                                     saved_by="office", saved_at=local(DAY, "09:05"))
    assert store.inspections.sheets(inspection) == {}


def test_a_judgement_is_in_order_a_problem_or_not_judged(store):
    hall, inspection = an_inspection(store)
    with pytest.raises((sqlite3.IntegrityError, psycopg.errors.CheckViolation)):
        store.inspections.save_sheet(hall=hall, inspection=inspection, window="w03", sheet=dict(SHEET, dress=2),
                                     saved_by="office", saved_at=local(DAY, "09:05"))
    assert store.inspections.sheets(inspection) == {}


def test_the_months_sheets_come_with_their_inspection(store):
    hall, first = an_inspection(store)
    _, second = an_inspection(store, slot="manual-150000", at="15:00")
    _, next_month = an_inspection(store, slot="manual-090000", day=DAY.replace(month=12, day=1))
    for inspection, window, at in ((second, "w03", "15:05"), (first, "w01", "09:02"), (first, "w03", "09:03"),
                                   (next_month, "w03", "09:04")):
        store.inspections.save_sheet(hall=hall, inspection=inspection, window=window, sheet=SHEET, saved_by="office",
                                     saved_at=local(DAY, at))
    month = store.inspections.sheets_between("2026-11-01", "2026-11-30", hall)
    assert [(s["inspection"], s["window"], s["day"], s["kind"]) for s in month] == [
        (first, "w01", DAY.isoformat(), "manual"), (first, "w03", DAY.isoformat(), "manual"),
        (second, "w03", DAY.isoformat(), "manual")]
    assert store.inspections.sheets_between("2026-11-01", "2026-11-30", "elsewhere") == []
    assert len(store.inspections.sheets_between("2026-11-01", "2026-12-31")) == 4, "None: every hall"
