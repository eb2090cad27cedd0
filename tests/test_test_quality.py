"""Tests that cannot pass by accident (issue 13): no runtime skip of something that is
committed, and no test whose only checks sit inside a loop over data that could be empty."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.source_code import TESTS, nodes

# A skip that depends on the database the suite runs on, not on what is committed.
# (test_serve_processes: the served copy of the database is made from the SQLite test file.)
VENDOR_SKIPS = {"core/test_bulk.py", "core/test_serve_processes.py"}


def _test_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("test_*.py") if "browser" not in p.parts)


def _literal(node: ast.expr) -> bool:
    """A loop over a written-out, non-empty collection (or range of constants) always runs."""
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return bool(node.elts)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id in {"range", "zip", "enumerate", "sorted", "reversed"} and node.args:
            return all(_literal(a) or isinstance(a, ast.Constant) for a in node.args)
    return False


def _checks(node: ast.AST, in_loop: bool = False) -> Iterator[bool]:
    """For each assert (or pytest.raises) in a test: whether it sits in a loop that may not run."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        if isinstance(child, ast.Assert):
            yield in_loop
        if isinstance(child, ast.With) and "raises" in ast.unparse(child):
            yield in_loop
        loops = isinstance(child, ast.While) or (
            isinstance(child, ast.For | ast.AsyncFor) and not _literal(child.iter)
        )
        yield from _checks(child, in_loop or loops)


def test_no_test_checks_only_inside_a_loop_that_may_not_run() -> None:
    files = _test_files()
    assert files
    only_in_loops = []
    for path in files:
        for node in nodes(path):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                checks = list(_checks(node))
                if checks and all(checks):
                    only_in_loops.append(f"{path.relative_to(TESTS)}::{node.name}")
    assert only_in_loops == []


def test_the_loop_check_catches_a_loop_over_data() -> None:
    tree = ast.parse("def test_x():\n    for row in rows():\n        assert row\n")
    assert list(_checks(tree.body[0])) == [True]
    tree = ast.parse("def test_y():\n    for n in (1, 2):\n        assert n\n")
    assert list(_checks(tree.body[0])) == [False]


def test_no_runtime_skip_of_committed_code_or_data() -> None:
    skips = []
    for path in _test_files():
        name = str(path.relative_to(TESTS))
        for node in nodes(path):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"skip", "importorskip"}
                and name not in VENDOR_SKIPS
            ):
                skips.append(f"{name}:{node.lineno}")
    assert skips == []
