"""The saved test database (tests/db_snapshot.py) is reused only while what it was built
from is unchanged: a changed source file, or another package version, gives another key."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from tests import db_snapshot


@pytest.fixture
def sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "src" / "tsunagu"
    (root / "demo").mkdir(parents=True)
    (root / "demo" / "data.json").write_text('{"a": 1}', encoding="utf-8")
    (root / "models.py").write_text("X = 1\n", encoding="utf-8")
    monkeypatch.setattr(db_snapshot, "ROOT", tmp_path)
    monkeypatch.setattr(db_snapshot, "SOURCES", (root,))
    monkeypatch.setattr(db_snapshot, "FILES", ())
    return root


def test_the_key_changes_with_a_source_file_and_not_without(sources: Path) -> None:
    key = db_snapshot._key()
    assert db_snapshot._key() == key
    (sources / "demo" / "data.json").write_text('{"a": 2}', encoding="utf-8")
    changed = db_snapshot._key()
    assert changed != key
    (sources / "__pycache__").mkdir()
    (sources / "__pycache__" / "models.cpython-311.pyc").write_bytes(b"\0")
    assert db_snapshot._key() == changed  # compiled files are not sources


def test_the_key_changes_with_a_package_version(
    sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = db_snapshot._key()
    real = list(importlib.metadata.distributions())

    class Upgraded:
        metadata = {"Name": "Django"}
        version = "99.0"

    monkeypatch.setattr(importlib.metadata, "distributions", lambda: [*real, Upgraded()])
    assert db_snapshot._key() != key


@pytest.mark.django_db
def test_nothing_is_restored_without_a_saved_copy(sources: Path, settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"
    assert db_snapshot.restore() is False
