"""Fixtures shared by every test directory: a throwaway PostgreSQL cluster (tests.postgres), a fresh database
on it per test."""
import pytest

from tests.postgres import fresh_database, migrated_template, postgres_cluster


@pytest.fixture(scope="session")
def postgresql_url():
    """The URL of a database on a throwaway PostgreSQL cluster on 127.0.0.1, for the whole session."""
    with postgres_cluster() as cluster:
        yield cluster.url


@pytest.fixture(scope="session")
def postgresql_template(postgresql_url):
    """The name of a database holding the hub's migrated schema on the session's cluster."""
    with migrated_template(postgresql_url) as name:
        yield name


@pytest.fixture
def postgresql_database(postgresql_url, postgresql_template):
    """The URL of a new database for this test alone, with the hub's schema (dropped afterwards)."""
    with fresh_database(postgresql_url, postgresql_template) as url:
        yield url
