"""Fixtures shared by every test directory: a throwaway PostgreSQL cluster (tests.postgres)."""
import pytest

from tests.postgres import postgres_cluster


@pytest.fixture(scope="session")
def postgresql_url():
    """The URL of a database on a throwaway PostgreSQL cluster on 127.0.0.1, for the whole session."""
    with postgres_cluster() as cluster:
        yield cluster.url
