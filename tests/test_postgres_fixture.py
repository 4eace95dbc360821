"""The throwaway PostgreSQL cluster: reachable through its URL, listening on 127.0.0.1 only, gone afterwards."""
import socket
from urllib.parse import urlsplit

import psycopg
import pytest

from tests.postgres import postgres_cluster

pytestmark = pytest.mark.postgresql


def test_a_table_round_trips_through_the_url(postgresql_url):
    with psycopg.connect(postgresql_url) as conn:
        conn.execute("CREATE TABLE sign_in (clerk text PRIMARY KEY, window_no int NOT NULL)")
        conn.execute("INSERT INTO sign_in VALUES (%s, %s), (%s, %s)", ("c01", 3, "c02", 5))
        rows = conn.execute("SELECT clerk, window_no FROM sign_in ORDER BY clerk").fetchall()
        conn.rollback()
    assert rows == [("c01", 3), ("c02", 5)]


def test_the_server_listens_on_loopback_only(postgresql_url):
    with psycopg.connect(postgresql_url) as conn:
        assert conn.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
        assert conn.execute("SELECT current_database()").fetchone() == ("hallpost",)


def test_the_cluster_stops_and_its_directory_goes():
    with postgres_cluster("handover") as cluster:
        port = urlsplit(cluster.url).port
        assert (cluster.directory / "data" / "postmaster.pid").exists()
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    assert not cluster.directory.exists()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
