"""The package's shape: no import cycles among its modules, a light ``pipeline.config``."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "pipeline"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports() -> dict[str, set[str]]:
    """Module -> the package's modules it imports (at top level or inside functions; not those
    under ``if TYPE_CHECKING``, which never run)."""
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        edges = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue  # imports for type checking only: no cycle at run time
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
            else:
                continue
            for target in targets:
                if target in files and target != name:
                    edges.add(target)
        graph[name] = edges
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_among_the_packages_modules() -> None:
    """Packages' ``__init__`` files are facades that re-export: an edge into one is an edge to the
    package, which every module is part of, so they are left out; every other edge counts,
    function-level imports included."""
    graph = _imports()
    facades = {name for name, path in ((_module_name(p), p) for p in PACKAGE.rglob("__init__.py"))}
    inner = {name: {e for e in edges if e not in facades} for name, edges in graph.items() if name not in facades}
    assert sum(len(e) for e in inner.values()) > 40  # the graph was read
    assert _cycle(inner) is None, " -> ".join(_cycle(inner) or [])


def test_importing_the_config_loads_neither_pandas_nor_pyarrow() -> None:
    code = "import sys, pipeline.config; print(sorted(m for m in ('pandas', 'pyarrow') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_the_han_range_is_defined_once() -> None:
    """``pipeline/chars.py`` holds it; no other module spells a Han range of its own."""
    spelled = [
        str(p.relative_to(ROOT))
        for p in PACKAGE.rglob("*.py")
        if p.name != "chars.py" and any(r in p.read_text(encoding="utf-8") for r in ("\\u9fff", "\\u4e00", "\\u3400"))
    ]
    assert spelled == []
