"""Projections.matching: the filtered lists' query narrows by windows, clerks, kinds and settledness in SQL, on
SQLite and PostgreSQL alike."""
import pytest

from ..admin.test_charts import rough_day  # noqa: F401 (fixture)
from ..admin.test_filter_pages import two_windows  # noqa: F401 (fixture)
from ..conftest import DAY, fresh

pytestmark = pytest.mark.backends


def test_the_query_narrows_to_what_is_asked(backend, two_windows, store):  # noqa: F811
    projections, hall, day = fresh(store).projections, store.configs.resolve(None), DAY.isoformat()

    def matching(table, **narrowed):
        return projections.matching(table, start=day, end=day, hall=hall, **narrowed)

    every = matching("violations", windows=("w01", "w03"))
    assert every == projections.rows("violations", start=day, end=day, hall=hall)
    assert [(v["window"], v["kind"], v["clerk"]) for v in matching("violations", windows=("w01", "w03"),
                                                                    kinds=("late",))] == \
        [("w01", "late", "c01"), ("w03", "late", "c05")]
    assert {v["window"] for v in matching("violations", windows=("w03",))} == {"w03"}
    assert {a["clerk"] for a in matching("attendance", windows=("w01", "w03"), clerks=("c05",))} == {"c05"}
    assert matching("violations", windows=()) == [] and matching("violations", windows=("w03",), clerks=()) == []
    final = matching("violations", windows=("w01", "w03"), provisional=False)
    assert final == [v for v in every if not v["provisional"]]
    with pytest.raises(ValueError, match="table: unknown projection 'nothing'"):
        matching("nothing", windows=("w03",))
