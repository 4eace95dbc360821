"""Which database the hub names (a SQLite path or ``sqlite:///path``, or ``postgresql://…``), and a connection to it."""
import os
from urllib.parse import urlsplit

from .connection import SQLiteConnection, connect

SCHEMES = ("sqlite", "postgresql", "postgres")


def dialect_of(database):
    """``"sqlite"`` or ``"postgresql"``: which server *database* (a path or a URL) names."""
    text = os.fspath(database)
    if "://" not in text:
        return "sqlite"
    scheme = urlsplit(text).scheme
    if scheme not in SCHEMES:
        raise ValueError(f"database: unknown scheme {scheme!r} in {shown(text)!r} (sqlite:///path or postgresql://…)")
    return "sqlite" if scheme == "sqlite" else "postgresql"


def sqlite_path(database):
    """The file of a SQLite *database*: the path itself, or the path of ``sqlite:///path`` (absolute)."""
    text = os.fspath(database)
    if "://" not in text:
        return database
    parts = urlsplit(text)
    if parts.netloc or not parts.path:
        raise ValueError(f"database: {text!r} names no file (write sqlite:///absolute/path)")
    return parts.path


def shown(database):
    """*database* as it may be printed: a URL's password replaced by ``***``."""
    text = os.fspath(database)
    parts = urlsplit(text) if "://" in text else None
    if parts is None or parts.password is None:
        return text
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)).geturl()


def open_connection(database):
    """A Connection to *database* (a SQLite path or URL, or a PostgreSQL URL), migrated by the caller."""
    if dialect_of(database) == "postgresql":
        from .postgresql import connect_postgresql
        return connect_postgresql(os.fspath(database))
    return SQLiteConnection(connect(sqlite_path(database)))
