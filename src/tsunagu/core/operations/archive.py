"""``tsunagu backup`` and ``tsunagu restore``: one tar archive (docs/adr/0009).

Members, in this order::

    database/tsunagu.sqlite3 | database/tsunagu.pgdump   the snapshot (see .databases)
    media/<path>                                        every uploaded file (MEDIA_ROOT)
    manifest.json                                       what the archive holds (below)
    manifest.sha256                                     the manifest's own SHA-256

The manifest holds the Tsunagu version, the database vendor, the migrations applied in the
snapshot (per app), its row counts (per table), the size and SHA-256 of every member and the
time it was made. The archive is written to ``OUT.partial`` and renamed when complete, so a
file named ``OUT`` is always a whole archive.

A restore reads the archive twice: first to check it all (end-of-archive marker, every member
against the manifest, the manifest against its checksum, the vendor, the migrations against
this version's code, the target empty) — any problem refuses before anything is changed —
then to load the database and the files, and finally compares the row counts.

The secret key is deliberately not in the archive (see :func:`secret_key_reminder`).
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.migrations.loader import MigrationLoader

from tsunagu import __version__
from tsunagu.core.errors import TsunaguError
from tsunagu.core.operations import databases

FORMAT = "tsunagu-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_CHECKSUM = "manifest.sha256"
MEDIA_PREFIX = "media/"
DATABASE_MEMBERS = {
    "sqlite": "database/tsunagu.sqlite3",
    "postgresql": "database/tsunagu.pgdump",
}
CHUNK = 1024 * 1024
TAR_BLOCK = 512


class ArchiveRefused(TsunaguError):
    """The archive cannot be restored here; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="backup_refused")


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    size: int


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    files: int
    rows: int
    safety_backup: Path | None = None
    notes: list[str] = field(default_factory=list)


def _media_root(media_root: Path | None) -> Path:
    return Path(media_root if media_root is not None else settings.MEDIA_ROOT)


# -- writing --------------------------------------------------------------------------------


class _HashingReader:
    """Reads exactly ``size`` bytes of ``raw``, hashing them on the way (into the tar)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        return data


def _add_file(tar: tarfile.TarFile, source: Path, name: str) -> dict[str, Any]:
    with source.open("rb") as raw:
        info = tar.gettarinfo(fileobj=raw, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mode = 0o600
        reader = _HashingReader(raw)
        tar.addfile(info, reader)  # reads info.size bytes; fails if the file shrank
    return {"sha256": reader.digest.hexdigest(), "size": info.size}


def _add_bytes(tar: tarfile.TarFile, data: bytes, name: str) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(datetime.now(tz=UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def media_files(media_root: Path) -> Iterator[tuple[Path, str]]:
    """Every regular file under ``media_root`` with its archive name, in a stable order."""
    if not media_root.is_dir():
        return
    for path in sorted(media_root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, MEDIA_PREFIX + path.relative_to(media_root).as_posix()


def create_backup(
    out: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    media_root: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> BackupResult:
    """Write the archive ``out``: the database ``using`` as it is now, and the uploads."""
    media = _media_root(media_root)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    vendor = databases.vendor_of(using)
    if vendor not in DATABASE_MEMBERS:
        raise TsunaguError(f"このデータベース（{vendor}）のバックアップには対応していません。")
    members: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="tsunagu-backup-", dir=out.parent) as work:
        snapshot_file = Path(work) / "database"
        if progress:
            progress("データベースを読み取っています…")
        snapshot = databases.take_snapshot(using, snapshot_file)
        try:
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
                name = DATABASE_MEMBERS[vendor]
                members[name] = _add_file(tar, snapshot_file, name)
                snapshot_file.unlink()
                if progress:
                    progress("アップロードされたファイルを書き込んでいます…")
                for path, name in media_files(media):
                    members[name] = _add_file(tar, path, name)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "tsunagu_version": __version__,
                    "created_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
                    "database": {
                        "vendor": snapshot.vendor,
                        "server_version": snapshot.server_version,
                        "member": DATABASE_MEMBERS[vendor],
                    },
                    "migrations": snapshot.migrations,
                    "row_counts": snapshot.row_counts,
                    "members": members,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
                encoded = data.encode()
                _add_bytes(tar, encoded, MANIFEST)
                _add_bytes(tar, hashlib.sha256(encoded).hexdigest().encode(), MANIFEST_CHECKSUM)
            with partial.open("rb") as written:
                os.fsync(written.fileno())
            os.replace(partial, out)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupResult(path=out, manifest=manifest, size=out.stat().st_size)


def secret_key_reminder() -> str:
    """Printed after every backup: the key that signs sessions is kept elsewhere."""
    key_file = Path(settings.DATA_DIR) / "secret_key"
    if os.environ.get("TSUNAGU_SECRET_KEY"):
        where = (
            "鍵は環境変数 TSUNAGU_SECRET_KEY（例: systemd の EnvironmentFile "
            "/etc/tsunagu/tsunagu.env）に設定されています。"
        )
    elif key_file.exists():
        where = (
            f"このサーバーの鍵はファイル {key_file} にあります（データディレクトリの外へ控えを）。"
        )
    else:
        where = "今は開発用の鍵で動いています（本番では TSUNAGU_SECRET_KEY を設定してください）。"
    return (
        "【重要】秘密鍵（TSUNAGU_SECRET_KEY）はこのバックアップに含まれていません。"
        + where
        + "バックアップとは別の安全な場所（鍵のかかる保管庫・パスワード管理ツールなど）に"
        "控えを保管してください。鍵が変わると、ログイン中のセッションやパスワード再設定の"
        "リンクなど、鍵で署名された情報はすべて無効になります。"
    )


# -- reading and checking -----------------------------------------------------------------------


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def _ends_with_end_marker(archive: Path) -> bool:
    """A whole tar ends with two zero blocks; a truncated one (cut anywhere) does not."""
    size = archive.stat().st_size
    if size < 3 * TAR_BLOCK or size % TAR_BLOCK:
        return False
    with archive.open("rb") as raw:
        raw.seek(-2 * TAR_BLOCK, os.SEEK_END)
        return raw.read(2 * TAR_BLOCK) == bytes(2 * TAR_BLOCK)


def _read_members(archive: Path) -> tuple[dict[str, dict[str, Any]], bytes | None, bytes | None]:
    """Every member's size and SHA-256, and the manifest and its checksum (if present)."""
    found: dict[str, dict[str, Any]] = {}
    manifest = checksum = None
    try:
        with tarfile.open(archive, "r|") as tar:
            for info in tar:
                if not _safe_member_name(info.name) or not (info.isfile() or info.isdir()):
                    raise ArchiveRefused(
                        f"バックアップファイルに不正な項目があります（{info.name}）。復元しません。"
                    )
                if info.isdir():
                    continue
                stream = tar.extractfile(info)
                assert stream is not None
                if info.name in (MANIFEST, MANIFEST_CHECKSUM):
                    data = stream.read()
                    if info.name == MANIFEST:
                        manifest = data
                    else:
                        checksum = data
                    continue
                digest = hashlib.sha256()
                size = 0
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                found[info.name] = {"sha256": digest.hexdigest(), "size": size}
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveRefused(
            f"バックアップファイルが壊れているか、途中で切れています（{exc}）。復元しません。"
        ) from exc
    return found, manifest, checksum


@functools.cache
def known_migrations() -> dict[str, frozenset[str]]:
    """The migrations this version's code has, per app (read once: the code does not change)."""
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    known: dict[str, set[str]] = {}
    for app, name in loader.disk_migrations:
        known.setdefault(app, set()).add(name)
    return {app: frozenset(names) for app, names in known.items()}


def verify_archive(archive: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Check everything about ``archive`` a restore into ``using`` needs; the manifest.

    Raises :class:`ArchiveRefused` naming the first problem found.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise ArchiveRefused(f"バックアップファイル {archive} が見つかりません。")
    if not tarfile.is_tarfile(archive):
        raise ArchiveRefused(
            f"{archive} はバックアップファイル（tar 形式）ではないか、壊れています。復元しません。"
        )
    if not _ends_with_end_marker(archive):
        raise ArchiveRefused(
            f"バックアップファイル {archive} は途中で切れています（末尾がありません）。"
            "コピーや転送が最後まで終わっているか確かめてください。復元しません。"
        )
    found, manifest_bytes, checksum = _read_members(archive)
    if manifest_bytes is None:
        raise ArchiveRefused(
            f"バックアップファイル {archive} に目録（{MANIFEST}）がありません。"
            "tsunagu backup で作ったファイルではありません。復元しません。"
        )
    if checksum is None or hashlib.sha256(manifest_bytes).hexdigest() != checksum.decode(
        errors="replace"
    ):
        raise ArchiveRefused(
            f"バックアップファイルの目録（{MANIFEST}）のチェックサムが一致しません。"
            "ファイルが壊れています。復元しません。"
        )
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise ArchiveRefused(f"目録（{MANIFEST}）を読めません（{exc}）。復元しません。") from exc
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveRefused(
            f"このバックアップの形式（{manifest.get('format')} "
            f"{manifest.get('format_version')}）には対応していません。復元しません。"
        )
    listed: dict[str, dict[str, Any]] = manifest["members"]
    for name, expected in listed.items():
        actual = found.get(name)
        if actual is None:
            raise ArchiveRefused(
                f"バックアップファイルに {name} がありません（目録にはあります）。"
                "ファイルが壊れているか途中で切れています。復元しません。"
            )
        if actual != expected:
            raise ArchiveRefused(
                f"{name} のチェックサムが目録と一致しません。"
                "バックアップファイルが壊れています。復元しません。"
            )
    extra = sorted(set(found) - set(listed))
    if extra:
        raise ArchiveRefused(
            f"目録にない項目がバックアップファイルに含まれています（{extra[0]} など）。復元しません。"
        )
    vendor = manifest["database"]["vendor"]
    target_vendor = databases.vendor_of(using)
    if vendor != target_vendor:
        raise ArchiveRefused(
            f"このバックアップは {vendor} のデータベースのものです。復元先は {target_vendor} です。"
            "種類の違うデータベースへの復元には対応していません"
            "（移行は tsunagu manage dumpdata / loaddata で行ってください）。復元しません。"
        )
    known = known_migrations()
    newer = sorted(
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if name not in known.get(app, frozenset())
    )
    if newer:
        raise ArchiveRefused(
            f"このバックアップは新しいバージョンの Tsunagu（{manifest.get('tsunagu_version')}）で"
            f"作られ、このバージョン（{__version__}）にないマイグレーション（{', '.join(newer[:3])}"
            f"{' など' if len(newer) > 3 else ''}）が適用されています。"
            "同じか新しいバージョンの Tsunagu で復元してください。復元しません。"
        )
    return manifest


def target_is_empty(*, using: str, media_root: Path) -> tuple[bool, bool]:
    """(database has no tables, media directory has no files)."""
    return not databases.table_names(using), next(media_files(media_root), None) is None


# -- restoring ---------------------------------------------------------------------------------


def _extract(archive: Path, manifest: dict[str, Any], database_file: Path, media_dir: Path) -> int:
    """Write the members out, checking each checksum again as it is written."""
    files = 0
    with tarfile.open(archive, "r|") as tar:
        for info in tar:
            expected = manifest["members"].get(info.name)
            if not info.isfile() or expected is None:
                continue
            if info.name == manifest["database"]["member"]:
                target = database_file
            else:
                target = media_dir / PurePosixPath(info.name).relative_to("media")
                files += 1
            target.parent.mkdir(parents=True, exist_ok=True)
            stream = tar.extractfile(info)
            assert stream is not None
            digest = hashlib.sha256()
            with target.open("wb") as out:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != expected["sha256"]:
                raise ArchiveRefused(
                    f"{info.name} が読み直すと変わっていました。バックアップファイルを"
                    "別の場所にコピーしてからやり直してください。"
                )
    return files


def restore_backup(
    archive: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    media_root: Path | None = None,
    force: bool = False,
    safety_backup_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> RestoreResult:
    """Restore ``archive`` into the database ``using`` and ``media_root``.

    The target must be empty (no tables, no uploaded files) unless ``force``; then the
    current state is first saved as a backup in ``safety_backup_dir`` (default:
    ``<data dir>/backups``) and replaced.
    """
    archive = Path(archive)
    media = _media_root(media_root)
    if progress:
        progress("バックアップファイルを確認しています…")
    manifest = verify_archive(archive, using=using)
    database_empty, media_empty = target_is_empty(using=using, media_root=media)
    if not (database_empty and media_empty) and not force:
        what = "、".join(
            part
            for part, empty in (
                (f"データベース（{databases.display_url(using)}）", database_empty),
                (f"アップロードファイルの場所（{media}）", media_empty),
            )
            if not empty
        )
        raise ArchiveRefused(
            f"復元先の{what}が空ではありません。空のデータベースに復元するか、"
            "今のデータを置き換えてよい場合は --force を付けてください"
            "（置き換える前の状態は自動でバックアップされます）。"
        )
    result = RestoreResult(manifest=manifest, files=0, rows=0)
    if not (database_empty and media_empty):
        folder = Path(safety_backup_dir or Path(settings.DATA_DIR) / "backups")
        stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
        if progress:
            progress("置き換える前の状態をバックアップしています…")
        saved = create_backup(folder / f"before-restore-{stamp}.tar", using=using, media_root=media)
        result.safety_backup = saved.path
    media.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".tsunagu-restore-", dir=media.parent) as work:
        database_file = Path(work) / "database"
        new_media = Path(work) / "media"
        new_media.mkdir()
        if progress:
            progress("バックアップファイルを展開しています…")
        result.files = _extract(archive, manifest, database_file, new_media)
        if progress:
            progress("データベースを復元しています…")
        databases.restore_snapshot(using, database_file, replace=not database_empty)
        # The files: the uploads directory becomes exactly the archive's.
        old_media = Path(work) / "media-before"
        if media.exists():
            media.rename(old_media)
        new_media.rename(media)
        shutil.rmtree(old_media, ignore_errors=True)
    expected = manifest["row_counts"]
    actual = databases.row_counts(using)
    wrong = sorted(t for t in set(expected) | set(actual) if expected.get(t) != actual.get(t))
    if wrong:
        table = wrong[0]
        raise TsunaguError(
            f"復元後の件数が目録と一致しません（{table}: 目録 {expected.get(table)} 件、"
            f"復元後 {actual.get(table)} 件。ほか {len(wrong) - 1} 表）。"
        )
    result.rows = sum(actual.values())
    known = known_migrations()
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    if any((app, name) not in applied for app, names in known.items() for name in names):
        result.notes.append(
            "このバックアップはこのバージョンより前のものです。"
            "tsunagu migrate を実行してから起動してください。"
        )
    return result
