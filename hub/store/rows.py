"""Rows as plain dicts, the way the repositories return them."""


def rows(cursor):
    """Every row of *cursor* as a dict."""
    return [dict(row) for row in cursor]


def one(cursor):
    """The next row of *cursor* as a dict, or None."""
    row = cursor.fetchone()
    return None if row is None else dict(row)
