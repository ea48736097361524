"""Read the whole sphinx_dossier package as source (AST): imports and warning calls.

Guard tests use it instead of hand-kept module lists, so a new module is covered the
moment it exists.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "_ext" / "sphinx_dossier"
#: Calls whose first argument (or ``subtype=``) names a warning subtype.
WARNING_CALLS = frozenset({"warn", "warn_at", "report", "warn_here", "_emit", "_emit_at"})


@dataclass(frozen=True)
class Module:
    name: str  # dotted, e.g. "sphinx_dossier.core.model"
    path: Path
    tree: ast.Module

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"


@cache
def modules() -> tuple[Module, ...]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found.append(Module(name, path, ast.parse(path.read_text(encoding="utf-8"))))
    return tuple(found)


def _runtime_imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports that run: at module level or in a function, not under ``if TYPE_CHECKING``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            yield from (i for c in child.orelse for i in _runtime_imports_of(c))
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        yield from _runtime_imports(child)


def _runtime_imports_of(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    yield from _runtime_imports(node)


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports at run time."""
    names = {m.name for m in modules()}
    graph: dict[str, set[str]] = {}
    for module in modules():
        edges: set[str] = set()
        for node in _runtime_imports(module.tree):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = module.name.split(".")
                    if not module.is_package:
                        base = base[:-1]
                    base = base[: len(base) - node.level + 1]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                candidates = [target, *(f"{target}.{alias.name}" for alias in node.names)]
            else:
                candidates = [alias.name for alias in node.names]
            edges |= {c for c in candidates if c in names and c != module.name}
        graph[module.name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


@dataclass(frozen=True)
class WarningUse:
    module: str
    line: int
    text: str


def build_warning_members() -> set[str]:
    """Names of ``BuildWarning`` members the package uses (``BuildWarning.MARKUP`` ...)."""
    used: set[str] = set()
    for module in modules():
        if module.name.endswith("core.buildwarnings"):
            continue
        for node in ast.walk(module.tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "BuildWarning"
            ):
                used.add(node.attr)
    return used


def untyped_warnings() -> list[WarningUse]:
    """Warnings that bypass the typed helpers: ``logger.warning(..., type=...)`` outside
    ``sphinx_ext._shared``, a ``subtype=`` given as a string, or a warning call whose
    subtype argument is a string literal."""
    bad: list[WarningUse] = []
    for module in modules():
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            keywords = {k.arg: k.value for k in node.keywords}
            literal_subtype = isinstance(keywords.get("subtype"), ast.Constant)
            typed_call = name == "warning" and "type" in keywords
            literal_first = (
                name in WARNING_CALLS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            )
            if name in {"warn_at", "_emit_at"} and len(node.args) > 2:
                literal_first = isinstance(node.args[2], ast.Constant)
            outside_shared = not module.name.endswith("sphinx_ext._shared")
            if literal_subtype or literal_first or (typed_call and outside_shared):
                bad.append(WarningUse(module.name, node.lineno, ast.unparse(node)[:120]))
    return bad
