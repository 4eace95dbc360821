"""The packages' import graph (every import, also inside functions) runs one way: no cycle at any level."""
import pytest

from tests.import_graph import collapse, cycles, graph


@pytest.fixture(scope="module")
def edges():
    return graph()


def test_no_module_imports_itself_through_others(edges):
    assert cycles(edges) == []


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_no_package_imports_itself_through_others(edges, depth):
    assert cycles(collapse(edges, depth)) == []


def test_the_graph_sees_lazy_relative_and_from_imports(edges):
    assert "hub.store" in edges["hub.cli"]                     # `from .store import Store` inside a function
    assert "firmware.terminal.pinmap" in edges["hardware.wiring"]
    assert "protocol.config" in edges["hub"]


def test_a_cycle_is_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles(collapse({"x.one": {"y.two"}, "y.two": {"x.three"}, "x.three": set()}, 1)) == [["x", "y"]]
