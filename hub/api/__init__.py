"""The terminal API (``/api/v1``): enrol, push facts, pull config, read the hub's clock."""
from .views import bp  # noqa: F401
