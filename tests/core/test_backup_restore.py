"""``tsunagu backup`` / ``tsunagu restore`` (tsunagu.core.operations.archive).

The round trip backs up the test database (the demo data) and restores it into an empty
scratch database of the same vendor — a file on SQLite, a database created for the test on
PostgreSQL — then compares every row of every table and every file's checksum.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import tarfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder

from tsunagu.core.operations import archive as backups
from tsunagu.core.operations import databases
from tsunagu.core.operations.archive import ArchiveRefused, create_backup, restore_backup

pytestmark = pytest.mark.django_db

MEDIA = {
    "attachments/2026/04/議事録.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 40,
    "attachments/photo.jpg": b"\xff\xd8\xff" + b"\x00\x01" * 3000,
    "readme.txt": "つなぐ\n".encode(),
}


def _write_media(root: Path) -> None:
    for name, data in MEDIA.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _all_rows(using: str) -> dict[str, list[str]]:
    """Every row (all columns) of every table, in a stable order."""
    connection = connections[using]
    rows = {}
    with connection.cursor() as cursor:
        for table in databases.table_names(using):
            cursor.execute(f"SELECT * FROM {databases._qualified(table)}")
            rows[table] = sorted(repr(row) for row in cursor.fetchall())
    return rows


# -- scratch databases -----------------------------------------------------------------------


def _add_alias(alias: str, settings_dict: dict[str, Any]) -> None:
    """A connection of this thread only, not in settings.DATABASES: the test case's guard
    lets such dynamically created connections through."""
    from django.db.utils import load_backend

    connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)


def _drop_alias(alias: str) -> None:
    connections[alias].close()
    del connections[alias]


@pytest.fixture
def scratch_database(db: Any, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Makes empty databases of the test database's vendor, as new aliases."""
    default = connections[DEFAULT_DB_ALIAS]
    made: list[tuple[str, str]] = []

    def make() -> str:
        alias = f"scratch_{len(made)}"
        settings_dict = dict(default.settings_dict)
        settings_dict.pop("TEST", None)
        if default.vendor == "sqlite":
            settings_dict["NAME"] = str(tmp_path / f"{alias}.sqlite3")
            settings_dict["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
        else:
            name = f"{default.settings_dict['NAME']}_{alias}_{uuid.uuid4().hex[:8]}"
            raw = default.get_new_connection(default.get_connection_params())
            raw.autocommit = True
            raw.cursor().execute(f'CREATE DATABASE "{name}"')
            raw.close()
            settings_dict["NAME"] = name
        _add_alias(alias, settings_dict)
        made.append((alias, settings_dict["NAME"]))
        return alias

    yield make
    for alias, name in made:
        _drop_alias(alias)
        if default.vendor == "postgresql":
            raw = default.get_new_connection(default.get_connection_params())
            raw.autocommit = True
            raw.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            raw.close()


@pytest.fixture
def media_root(tmp_path: Path) -> Path:
    root = tmp_path / "media"
    _write_media(root)
    return root


@pytest.fixture
def backup_file(tmp_path: Path, media_root: Path) -> Path:
    return create_backup(tmp_path / "backup.tar", media_root=media_root).path


# -- the round trip ---------------------------------------------------------------------------


def test_restore_into_an_empty_database_gives_back_every_row_and_every_file(
    scratch_database: Callable[[], str], tmp_path: Path, media_root: Path, backup_file: Path
) -> None:
    target = scratch_database()
    restored_media = tmp_path / "restored" / "media"

    result = restore_backup(backup_file, using=target, media_root=restored_media)

    assert _all_rows(target) == _all_rows(DEFAULT_DB_ALIAS)
    assert _checksums(restored_media) == _checksums(media_root)
    assert result.files == len(MEDIA)
    assert result.safety_backup is None


def test_the_manifest_describes_the_database_and_every_member(
    backup_file: Path, media_root: Path
) -> None:
    with tarfile.open(backup_file) as tar:
        manifest = json.load(tar.extractfile(backups.MANIFEST))  # type: ignore[arg-type]
        names = tar.getnames()

    assert manifest["database"]["vendor"] == connections[DEFAULT_DB_ALIAS].vendor
    assert manifest["row_counts"] == databases.row_counts(DEFAULT_DB_ALIAS)
    applied = MigrationRecorder(connections[DEFAULT_DB_ALIAS]).applied_migrations()
    assert manifest["migrations"] == {
        app: sorted(name for a, name in applied if a == app) for app, _ in applied
    }
    assert set(manifest["members"]) == set(names) - {backups.MANIFEST, backups.MANIFEST_CHECKSUM}
    assert {
        name.removeprefix("media/"): member["sha256"]
        for name, member in manifest["members"].items()
        if name.startswith("media/")
    } == _checksums(media_root)


def test_the_backup_command_reminds_that_the_secret_key_is_not_in_the_archive(
    settings: Any, tmp_path: Path, media_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tsunagu.core.operations.cli import cmd_backup

    settings.MEDIA_ROOT = media_root

    assert cmd_backup(argparse.Namespace(out=tmp_path / "out.tar")) == 0
    output = capsys.readouterr().out
    assert "秘密鍵（TSUNAGU_SECRET_KEY）はこのバックアップに含まれていません" in output
    assert (tmp_path / "out.tar").is_file()
    assert not (tmp_path / "out.tar.partial").exists()


# -- refusals: nothing changes -----------------------------------------------------------------


def _rewrite(source: Path, destination: Path, change: Callable[[str, bytes], bytes | None]) -> None:
    """Copy the archive member by member; ``change`` returns new bytes or None to drop."""
    with tarfile.open(source) as old, tarfile.open(destination, "w") as new:
        for info in old.getmembers():
            data = change(info.name, old.extractfile(info).read())  # type: ignore[union-attr]
            if data is not None:
                info.size = len(data)
                new.addfile(info, io.BytesIO(data))


def _with_manifest(source: Path, destination: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    with tarfile.open(source) as tar:
        manifest = json.load(tar.extractfile(backups.MANIFEST))  # type: ignore[arg-type]
    edit(manifest)
    encoded = json.dumps(manifest).encode()

    def change(name: str, data: bytes) -> bytes:
        if name == backups.MANIFEST:
            return encoded
        if name == backups.MANIFEST_CHECKSUM:
            return hashlib.sha256(encoded).hexdigest().encode()
        return data

    _rewrite(source, destination, change)


@pytest.fixture
def unchanged(media_root: Path) -> Iterator[None]:
    """The test's refusal leaves the database and the uploaded files as they were."""
    rows, files = databases.row_counts(DEFAULT_DB_ALIAS), _checksums(media_root)
    yield
    assert databases.row_counts(DEFAULT_DB_ALIAS) == rows
    assert _checksums(media_root) == files


def _refusal(archive: Path, media_root: Path) -> str:
    with pytest.raises(ArchiveRefused) as refused:
        restore_backup(archive, media_root=media_root, force=True)
    return refused.value.message


def test_a_flipped_byte_is_refused(backup_file: Path, media_root: Path, unchanged: None) -> None:
    with tarfile.open(backup_file) as tar:
        member = tar.getmember(f"media/{next(iter(MEDIA))}")
    data = bytearray(backup_file.read_bytes())
    data[member.offset_data + 100] ^= 0x01
    backup_file.write_bytes(bytes(data))

    message = _refusal(backup_file, media_root)

    assert f"media/{next(iter(MEDIA))} のチェックサムが目録と一致しません" in message


def test_a_truncated_archive_is_refused(
    backup_file: Path, media_root: Path, unchanged: None
) -> None:
    data = backup_file.read_bytes()
    backup_file.write_bytes(data[: len(data) // 2])

    assert "途中で切れています" in _refusal(backup_file, media_root)


def test_an_archive_without_a_manifest_is_refused(
    backup_file: Path, tmp_path: Path, media_root: Path, unchanged: None
) -> None:
    without = tmp_path / "without.tar"
    _rewrite(backup_file, without, lambda name, data: None if name == backups.MANIFEST else data)

    assert "目録（manifest.json）がありません" in _refusal(without, media_root)


def test_an_archive_from_newer_migrations_is_refused(
    backup_file: Path, tmp_path: Path, media_root: Path, unchanged: None
) -> None:
    newer = tmp_path / "newer.tar"
    _with_manifest(
        backup_file,
        newer,
        lambda m: m["migrations"].setdefault("core", []).append("9999_from_the_future"),
    )

    message = _refusal(newer, media_root)

    assert "このバージョン（0.1.0）にないマイグレーション（core.9999_from_the_future）" in message


def test_an_archive_of_another_database_vendor_is_refused(
    backup_file: Path, tmp_path: Path, media_root: Path, unchanged: None
) -> None:
    other = tmp_path / "other.tar"
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    other_vendor = "postgresql" if vendor == "sqlite" else "sqlite"
    _with_manifest(backup_file, other, lambda m: m["database"].update(vendor=other_vendor))

    assert f"このバックアップは {other_vendor} のデータベースのものです" in _refusal(
        other, media_root
    )


def test_a_database_that_is_not_empty_is_refused_without_force(
    backup_file: Path, media_root: Path, unchanged: None
) -> None:
    with pytest.raises(ArchiveRefused) as refused:
        restore_backup(backup_file, media_root=media_root)

    assert "が空ではありません" in refused.value.message
    assert "--force" in refused.value.message


def test_force_replaces_a_database_after_saving_its_state(
    scratch_database: Callable[[], str], tmp_path: Path, backup_file: Path
) -> None:
    target = scratch_database()
    with connections[target].cursor() as cursor:
        cursor.execute("CREATE TABLE leftover (id integer)")
    old_media = tmp_path / "target-media"
    (old_media / "old.txt").parent.mkdir(parents=True)
    (old_media / "old.txt").write_text("before")

    result = restore_backup(
        backup_file,
        using=target,
        media_root=old_media,
        force=True,
        safety_backup_dir=tmp_path / "saved",
    )

    assert "leftover" not in databases.table_names(target)
    assert not (old_media / "old.txt").exists()
    assert _checksums(old_media) == {
        name: hashlib.sha256(d).hexdigest() for name, d in MEDIA.items()
    }
    assert result.safety_backup is not None
    with tarfile.open(result.safety_backup) as saved:
        assert "media/old.txt" in saved.getnames()


# -- a backup while users write ---------------------------------------------------------------


def _raw(connection: Any) -> Any:
    raw = connection.get_new_connection(connection.get_connection_params())
    if connection.vendor == "sqlite":
        raw.isolation_level = None  # explicit BEGIN / COMMIT below
    else:
        raw.autocommit = True
    return raw


def test_a_backup_taken_while_pairs_are_written_never_holds_half_a_pair(
    scratch_database: Callable[[], str], tmp_path: Path
) -> None:
    source, target = scratch_database(), scratch_database()
    source_connection = connections[source]
    setup = _raw(source_connection)
    setup.cursor().execute(
        "CREATE TABLE pair (id integer PRIMARY KEY, pair integer NOT NULL, padding text)"
    )
    setup.close()
    stop = threading.Event()
    written = [0]

    def write_pairs() -> None:
        raw = _raw(source_connection)
        cursor = raw.cursor()
        padding = "x" * 2000
        placeholder = "?" if source_connection.vendor == "sqlite" else "%s"
        number = 0
        while not stop.is_set():
            number += 1
            cursor.execute("BEGIN")
            for half in (0, 1):
                cursor.execute(
                    "INSERT INTO pair (id, pair, padding) VALUES (%s, %s, %s)".replace(
                        "%s", placeholder
                    ),
                    (number * 2 + half, number, padding),
                )
                time.sleep(0.0005)  # the pair's first row waits, uncommitted
            cursor.execute("COMMIT")
            written[0] = number
        raw.close()

    writer = threading.Thread(target=write_pairs)
    writer.start()
    try:
        while written[0] < 50:
            time.sleep(0.01)
        before = written[0]
        archive = create_backup(tmp_path / "live.tar", using=source, media_root=tmp_path / "none")
        after = written[0]
    finally:
        stop.set()
        writer.join()
    restore_backup(archive.path, using=target, media_root=tmp_path / "restored-media")

    with connections[target].cursor() as cursor:
        cursor.execute("SELECT pair, COUNT(*) FROM pair GROUP BY pair")
        halves = dict(cursor.fetchall())
    assert before <= len(halves) <= after + 1
    assert set(halves.values()) == {2}


def test_the_restore_command_refuses_with_its_message_and_exit_code_1(
    settings: Any,
    backup_file: Path,
    media_root: Path,
    unchanged: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tsunagu.core.operations.cli import cmd_restore

    settings.MEDIA_ROOT = media_root
    data = backup_file.read_bytes()
    backup_file.write_bytes(data[: len(data) // 2])

    assert cmd_restore(argparse.Namespace(archive=backup_file, force=True)) == 1
    assert capsys.readouterr().err.startswith("復元できませんでした: バックアップファイル")
