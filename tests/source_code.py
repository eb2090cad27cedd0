"""The project's Python source, parsed once per test process.

Several tests read the whole tree with ``ast`` (import direction, plugins, copied helpers,
the API kit, the tests' own quality): parsing ~430 files costs a few seconds of CPU, which
each of them used to pay again. :func:`parsed` keeps every file's tree for the process,
keyed by path, modification time and size, so a file written during a test (the tests of
the tests build small trees in ``tmp_path``) is read afresh. The trees are shared: read
them, never change them.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "tsunagu"
TESTS = Path(__file__).resolve().parent


@functools.cache
def _parse(path: Path, mtime_ns: int, size: int) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def parsed(path: Path) -> ast.Module:
    """The syntax tree of ``path`` (shared; do not modify it)."""
    stat = path.stat()
    return _parse(path.resolve(), stat.st_mtime_ns, stat.st_size)


@functools.cache
def _nodes(path: Path, mtime_ns: int, size: int) -> tuple[ast.AST, ...]:
    return tuple(ast.walk(_parse(path, mtime_ns, size)))


def nodes(path: Path) -> tuple[ast.AST, ...]:
    """Every node of ``path``'s tree, in ``ast.walk`` order (shared; do not modify them)."""
    stat = path.stat()
    return _nodes(path.resolve(), stat.st_mtime_ns, stat.st_size)
