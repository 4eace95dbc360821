"""Fixtures for the protocol tests."""
import pytest

from .support import hall_config


@pytest.fixture
def hall():
    """The two-window test hall with default rules."""
    return hall_config()
