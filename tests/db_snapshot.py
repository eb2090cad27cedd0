"""A copy of the built SQLite test database, reused by later runs while nothing it was built
from has changed.

Each xdist worker builds its test database the same way: tables from the models, the
migrations' data steps, then the demo dataset (~6 s of CPU, most of it the demo load). The
first worker to finish saves the result with SQLite's backup API under
``<data dir>/test-db/<key>.sqlite3``; a later run whose key is the same restores it into its
in-memory database instead of loading the demo again.

The key hashes everything the database could depend on: every file under ``src/tsunagu``
(models, migrations, the demo loaders and their data), this file and ``tests/conftest.py``,
the installed distributions and their versions, the SQLite library's version and
``TSUNAGU_TEST_MIGRATIONS``. A change to any of them builds afresh. ``TSUNAGU_TEST_DB_CACHE=0``
turns the copy off; PostgreSQL test databases are always built.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import sqlite3
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (ROOT / "src" / "tsunagu",)
FILES = (Path(__file__).resolve(), ROOT / "tests" / "conftest.py")


def enabled() -> bool:
    from django.db import connection

    return connection.vendor == "sqlite" and os.environ.get("TSUNAGU_TEST_DB_CACHE", "1") != "0"


def _key() -> str:
    digest = hashlib.sha256()
    files = list(FILES)
    for root in SOURCES:
        files += sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    distributions = sorted(
        f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()
    )
    digest.update("\n".join(distributions).encode())
    digest.update(sqlite3.sqlite_version.encode())
    digest.update(os.environ.get("TSUNAGU_TEST_MIGRATIONS", "").encode())
    return digest.hexdigest()[:24]


def _folder() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "test-db"


def _path() -> Path:
    return _folder() / f"{_key()}.sqlite3"


def restore() -> bool:
    """Copy a saved database into the test database; False when there is none to use."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    path = _path()
    if not path.exists():
        return False
    connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        source.backup(connection.connection)
    except sqlite3.DatabaseError:
        return False  # a damaged copy: build afresh (and save over it)
    finally:
        source.close()
    # Content types were cached while the tables were created; the copy's ids are the same
    # (same models, same order), but nothing should rest on that.
    ContentType.objects.clear_cache()
    return True


def save() -> None:
    """Save the test database for later runs (atomically: workers may save at once)."""
    from django.db import connection

    folder = _folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    except OSError:
        return  # a read-only data directory: every run builds its own database
    os.close(handle)
    path = _path()
    for old in folder.glob("*.sqlite3"):
        if old != path:
            old.unlink(missing_ok=True)  # built from older sources
    try:
        target = sqlite3.connect(temporary)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
