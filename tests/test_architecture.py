"""Dependencies point one way (docs/architecture.md, docs/adr/0004-app-layers-and-scope.md).

Every ``import`` in ``src/tsunagu`` is read with ``ast`` — at module level AND inside
functions, so a function-local import cannot dodge the rule — and checked against the layers
below: an app may import its own modules, apps of lower layers, and nothing else (not an app
of its own layer, not one above). No cycle between modules either (within an app too).
"""

from __future__ import annotations

import ast
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.source_code import SRC as SOURCE
from tests.source_code import parsed

# Lowest first. Apps in one layer are independent of each other. "project" holds the
# top-level modules (settings, urls, api, cli, wsgi) that assemble the apps.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"core"}),
    frozenset({"accounts"}),
    frozenset({"areas"}),
    frozenset({"directory"}),
    frozenset({"continuity"}),
    frozenset({"bodies", "transit", "care"}),
    frozenset({"regional_issues", "mobility", "programs"}),
    frozenset({"engagements"}),
    frozenset({"plans"}),
    frozenset({"dashboard"}),
    frozenset({"demo"}),
    frozenset({"project"}),
)


@dataclass(frozen=True)
class Import:
    importer: str  # module, e.g. "tsunagu.bodies.views"
    imported: str  # module or package imported, e.g. "tsunagu.regional_issues.selectors"
    line: int
    local: bool  # inside a function or method

    def __str__(self) -> str:
        where = "function-local " if self.local else ""
        return f"{self.importer}:{self.line} {where}import of {self.imported}"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_in(tree: ast.Module, module: str, *, is_package: bool) -> Iterable[Import]:
    """Every import of a ``tsunagu`` module in ``tree`` (relative ones resolved)."""
    package = module if is_package else module.rpartition(".")[0]
    functions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)

    def walk(node: ast.AST, local: bool) -> Iterable[Import]:
        for child in ast.iter_child_nodes(node):
            inner = local or isinstance(child, functions)
            targets: list[str] = []
            if isinstance(child, ast.Import):
                targets = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                # "from tsunagu.x import y" may import the module tsunagu.x.y
                targets = [f"{target}.{alias.name}" for alias in child.names] or [target]
            for target in targets:
                if target == "tsunagu" or target.startswith("tsunagu."):
                    yield Import(module, target, child.lineno, inner)
            yield from walk(child, inner)

    yield from walk(tree, False)


def collect(root: Path) -> tuple[set[str], list[Import]]:
    modules: set[str] = set()
    found: list[Import] = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue  # generated; they name apps by label, not by import
        name = module_name(path, root)
        modules.add(name)
        stat = path.stat()
        found.extend(_file_imports(path, stat.st_mtime_ns, stat.st_size, name))
    return modules, found


@functools.cache
def _file_imports(path: Path, mtime_ns: int, size: int, name: str) -> tuple[Import, ...]:
    """A file's imports, read once per test process (the checks below each need them all);
    a file changed since is read again."""
    return tuple(imports_in(parsed(path), name, is_package=path.name == "__init__.py"))


def resolve(imported: str, modules: set[str]) -> str | None:
    """The module actually imported ("from pkg import name" names a module or an attribute)."""
    while imported and imported not in modules:
        imported = imported.rpartition(".")[0]
    return imported or None


def layer_of(app: str, layers: tuple[frozenset[str], ...]) -> int:
    for index, apps in enumerate(layers):
        if app in apps:
            return index
    raise AssertionError(f"app {app!r} is in no layer of test_architecture.LAYERS: add it")


def forbidden_imports(root: Path, layers: tuple[frozenset[str], ...] = LAYERS) -> list[str]:
    """Imports of an app that is not below the importing one."""
    modules, found = collect(root)
    apps = {p.name for p in root.iterdir() if (p / "__init__.py").exists()}

    def app(module: str) -> str:
        parts = module.split(".")
        return parts[1] if len(parts) > 1 and parts[1] in apps else "project"

    problems = []
    for edge in found:
        target = resolve(edge.imported, modules)
        if target is None or target == "tsunagu":
            continue
        source_app, target_app = app(edge.importer), app(target)
        if source_app == target_app:
            continue
        if layer_of(target_app, layers) >= layer_of(source_app, layers):
            problems.append(f"{edge} ({source_app} may not import {target_app})")
    return problems


def module_cycles(root: Path) -> list[list[str]]:
    """Strongly connected groups of more than one module (function-local imports count)."""
    modules, found = collect(root)
    graph: dict[str, set[str]] = defaultdict(set)
    for edge in found:
        target = resolve(edge.imported, modules)
        if target and target != edge.importer and target != "tsunagu":
            graph[edge.importer].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(modules):
        if node not in index:
            visit(node)
    return cycles


# --- the project ---------------------------------------------------------------------------


def test_every_app_is_in_a_layer() -> None:
    apps = {p.name for p in SOURCE.iterdir() if (p / "__init__.py").exists()}
    placed = set().union(*LAYERS)
    assert apps - placed == set()


def test_no_app_imports_an_app_of_its_layer_or_above() -> None:
    assert forbidden_imports(SOURCE) == []


def test_no_import_cycle_between_modules() -> None:
    assert module_cycles(SOURCE) == []


# --- the test of the test -------------------------------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "tsunagu"
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


SMALL_LAYERS = (frozenset({"core"}), frozenset({"bodies"}), frozenset({"regional_issues"}))
CLEAN = {
    "core/__init__.py": "",
    "core/plugins.py": "",
    "bodies/__init__.py": "",
    "bodies/views.py": "from tsunagu.core import plugins\n",
    "regional_issues/__init__.py": "",
    "regional_issues/selectors.py": "from tsunagu.bodies.views import x\n",
}


def test_the_check_passes_a_tree_whose_imports_point_down(tmp_path: Path) -> None:
    root = _tree(tmp_path, CLEAN)
    assert forbidden_imports(root, SMALL_LAYERS) == []
    assert module_cycles(root) == []


@pytest.mark.parametrize(
    "statement",
    [
        "from tsunagu.regional_issues.selectors import issue_list\n",  # module level
        "def page():\n    from tsunagu.regional_issues import selectors\n",  # function-local
        "import tsunagu.regional_issues.selectors\n",
        "from ..regional_issues import selectors\n",  # relative
    ],
)
def test_the_check_fails_on_an_upward_import(tmp_path: Path, statement: str) -> None:
    root = _tree(tmp_path, {**CLEAN, "bodies/views.py": statement})
    problems = forbidden_imports(root, SMALL_LAYERS)
    assert len(problems) == 1
    assert "tsunagu.bodies.views:" in problems[0]
    assert "bodies may not import regional_issues" in problems[0]


def test_the_check_fails_on_an_import_between_apps_of_one_layer(tmp_path: Path) -> None:
    root = _tree(tmp_path, {**CLEAN, "core/plugins.py": "from tsunagu.core import x\n"})
    layers = (frozenset({"core"}), frozenset({"bodies", "regional_issues"}))
    problems = forbidden_imports(root, layers)
    assert problems == [
        "tsunagu.regional_issues.selectors:1 import of tsunagu.bodies.views.x"
        " (regional_issues may not import bodies)"
    ]


def test_the_check_fails_on_a_cycle_inside_an_app_hidden_in_a_function(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            **CLEAN,
            "bodies/services.py": "from tsunagu.bodies import planning\n",
            "bodies/planning.py": "def plan():\n    from tsunagu.bodies.services import save\n",
        },
    )
    assert forbidden_imports(root, SMALL_LAYERS) == []
    assert module_cycles(root) == [["tsunagu.bodies.planning", "tsunagu.bodies.services"]]


def test_the_check_names_an_app_missing_from_the_layers(tmp_path: Path) -> None:
    root = _tree(
        tmp_path, {**CLEAN, "care/__init__.py": "", "care/views.py": CLEAN["bodies/views.py"]}
    )
    with pytest.raises(AssertionError, match="'care' is in no layer"):
        forbidden_imports(root, SMALL_LAYERS)
