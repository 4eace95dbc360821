"""The import graph of HallPost's packages, read from the source with ``ast`` (nothing is imported).

Every import counts, also those inside functions (a lazy import is still a dependency).
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("protocol", "hub", "firmware", "hardware")


def modules(root=ROOT):
    """Dotted module name → source path, for every ``.py`` file of the packages."""
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imported(node, name, is_package, known):
    """The dotted names an Import or ImportFrom node names (relative ones resolved against *name*).

    ``from package import module`` names the module, not the package (whose ``__init__`` runs implicitly).
    """
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = name if is_package else name.rpartition(".")[0]
    for _ in range(node.level - 1):
        base = base.rpartition(".")[0]
    stem = ".".join(part for part in (base if node.level else "", node.module or "") if part)
    return [f"{stem}.{alias.name}" if f"{stem}.{alias.name}" in known else stem for alias in node.names]


def graph(root=ROOT):
    """Module → the set of the packages' modules it imports."""
    known = modules(root)
    edges = {}
    for name, path in known.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for dotted in _imported(node, name, path.name == "__init__.py", known):
                    while dotted and dotted not in known:
                        dotted = dotted.rpartition(".")[0]
                    if dotted and dotted != name:
                        targets.add(dotted)
        edges[name] = targets
    return edges


def collapse(edges, depth):
    """The graph with every module replaced by its package of *depth* parts (``firmware.terminal``: 2)."""
    short = {}
    for source, targets in edges.items():
        key = ".".join(source.split(".")[:depth])
        short.setdefault(key, set()).update(".".join(t.split(".")[:depth]) for t in targets)
    return {source: targets - {source} for source, targets in short.items()}


def cycles(edges):
    """The strongly connected components with more than one node (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)
