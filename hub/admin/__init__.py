"""The coordination office's admin pages (协调股): login, live wall, records, leave, reports, setup."""
from . import (account, attendance, auth, inspections, layout, leave, login, ratings, records,  # noqa: F401 (views)
               reports, setup, wall)
from .blueprint import bp

__all__ = ["bp"]
