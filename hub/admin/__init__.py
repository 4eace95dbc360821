"""The coordination office's admin pages (协调股): login, live wall, records, leave, reports, setup."""
from . import (account, attendance, auth, center, halls, inspections, layout, leave, login,  # noqa: F401 (views)
               overtime, ratings, records, reports, setup, wall)
from .blueprint import bp

__all__ = ["bp"]
