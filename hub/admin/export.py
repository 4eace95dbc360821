"""Exports: every CSV and Excel workbook the office downloads is written here, each cell safe in a spreadsheet."""
import csv
import io

from flask import Response, request
from openpyxl import Workbook

from .context import audit, complete

# A cell starting with one of these is read as a formula by Excel, WPS and LibreOffice (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """*value* for a CSV cell: text that a spreadsheet would run as a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def heading(text):
    """A column heading in sentence case (the words come from both headings and in-table tags)."""
    text = str(text)
    return text[:1].upper() + text[1:]


def csv_response(name, header, rows):
    """A CSV download *name*.csv (UTF-8 with BOM, so spreadsheet programs read the Chinese), audited; refused
    while window-days it read are still being derived (StillDeriving)."""
    complete()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(heading(cell)) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    audit("export csv", {"report": name, "query": request.query_string.decode()})
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}.csv"})


def xlsx_response(name, title, header, rows, footer=()):
    """An Excel workbook download *name*.xlsx: *title* on the first row, *header*, *rows*, then *footer* lines;
    every text cell typed as text (a leading ``=`` is never a formula), audited and refused like a CSV."""
    complete()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = name[:31]
    for row in ([title], header, *rows, *([line] for line in footer)):
        sheet.append([cell if cell is None or isinstance(cell, (int, float)) else str(cell) for cell in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.freeze_panes = "B3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit("export xlsx", {"report": name, "query": request.query_string.decode()})
    return Response(buffer.getvalue(), mimetype=XLSX_TYPE,
                    headers={"Content-Disposition": f"attachment; filename={name}.xlsx"})
