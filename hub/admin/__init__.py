"""The coordination office's admin pages (协调股): login, live wall, records, leave, reports, setup."""
from . import (attendance, auth, inspections, layout, leave, ratings, records, reports,  # noqa: F401 (views)
               setup, wall)
from .blueprint import bp

__all__ = ["bp"]
