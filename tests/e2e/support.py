"""Shared checks of the end-to-end tests: one run's records must agree three ways."""
from firmware.sim.record import differences, verdicts


def assert_records_agree(outcome):
    """Hub = ``hallpost derive`` over the journals (rows), = the scenario's intent (verdicts); facts once."""
    print(outcome.summary())
    assert outcome.errors == [], f"steps failed: {outcome.errors}"
    assert outcome.counts["completed"] == 1
    assert outcome.fact_problems == [], "\n".join(outcome.fact_problems[:20])
    assert outcome.fact_counts["hub_facts"] == outcome.fact_counts["distinct_in_hub"]
    assert differences(outcome.hub, outcome.journals) == []
    hub, intended = verdicts(outcome.hub), verdicts(outcome.intended)
    for table in intended:
        assert hub[table] == intended[table], f"{table}: hub {hub[table]} != intended {intended[table]}"
