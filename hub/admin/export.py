"""CSV exports: every CSV the office downloads is written here, each cell safe to open in a spreadsheet."""
import csv
import io

from flask import Response, request

from .context import audit

# A cell starting with one of these is read as a formula by Excel, WPS and LibreOffice (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
    """A CSV download *name*.csv (UTF-8 with BOM, so spreadsheet programs read the Chinese), audited."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(heading(cell)) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    audit("export csv", {"report": name, "query": request.query_string.decode()})
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}.csv"})
