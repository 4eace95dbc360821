"""The documented PostgreSQL backup: ``pg_dump --format=custom`` of a hub restored with ``pg_restore`` into an
empty database gives a hub holding the same facts, whose audit chain still verifies and still refuses changes."""
import subprocess

import psycopg
import pytest

from hub.store import Store
from protocol.wire import encode_batch, parse_batch
from tests.postgres import fresh_database, server_bindir

from ..conftest import DAY, local, script

pytestmark = pytest.mark.backends("postgresql")


def test_a_pg_dump_restored_by_pg_restore_is_the_same_hub(app, store, clock, database, postgresql_url, tmp_path):
    store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    clock.set(local(DAY, "12:00"))
    day = script()
    day.presence("08:20", "A", True)
    store.facts.ingest(parse_batch(encode_batch("win-03", "0123abcd", day.facts), "win-03"))
    dump, bindir = tmp_path / "hub.pgdump", server_bindir()
    subprocess.run([bindir / "pg_dump", "--format=custom", f"--file={dump}", database], check=True, timeout=60)
    with fresh_database(postgresql_url, "template0") as restored:
        subprocess.run([bindir / "pg_restore", "--single-transaction", f"--dbname={restored}", dump], check=True,
                       timeout=60, capture_output=True)
        with Store.open(restored, clock=clock) as copy:
            assert copy.facts.held() == store.facts.held() and copy.audit.entries() == store.audit.entries()
            assert copy.audit.verify() is None
            copy.audit.add("office", "after the restore", {})
            assert copy.audit.verify() is None
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                copy.conn.execute("UPDATE audit SET actor = 'someone else'")
