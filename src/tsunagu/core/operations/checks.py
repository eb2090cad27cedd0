"""What ``tsunagu serve`` and ``tsunagu migrate`` check before they start.

Each problem is one Japanese sentence naming what is wrong and what to do, instead of a
traceback: the database unreachable (its address, never the password), migrations not
applied (the command to run), the data directory not writable or short of free space.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from tsunagu.core.operations.databases import display_url


@dataclass(frozen=True)
class Problem:
    message: str


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else error.__class__.__name__


def database_problem(using: str = DEFAULT_DB_ALIAS) -> Problem | None:
    connection = connections[using]
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # every way of failing to connect is reported the same way
        password = connection.settings_dict.get("PASSWORD")
        detail = _first_line(error)
        if password:
            detail = detail.replace(str(password), "***")
        return Problem(
            f"データベースに接続できません: {display_url(using)}（{detail}）。"
            "TSUNAGU_DATABASE_URL と、データベースサーバーが動いているかを確かめてください。"
        )
    return None


def pending_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    recorded = MigrationRecorder(connections[using]).applied_migrations()
    return [f"{app}.{name}" for app, name in recorded]


def migrations_problem(using: str = DEFAULT_DB_ALIAS) -> Problem | None:
    pending = pending_migrations(using)
    if not pending:
        return None
    if not applied_migrations(using):
        return Problem(
            "データベースがまだ作られていません。先に `tsunagu migrate` を実行してください。"
        )
    shown = ", ".join(pending[:3]) + (" など" if len(pending) > 3 else "")
    return Problem(
        f"データベースに未適用のマイグレーションが {len(pending)} 件あります（{shown}）。"
        "先に `tsunagu migrate` を実行してください（その前に `tsunagu backup` を）。"
    )


def disk_problems(*, minimum_mb: int | None = None) -> list[Problem]:
    """The data directory (database file, uploads, cache) writable, with free space."""
    minimum = settings.MIN_FREE_DISK_MB if minimum_mb is None else minimum_mb
    problems = []
    devices: set[int] = set()
    for folder in dict.fromkeys([Path(settings.DATA_DIR), Path(settings.MEDIA_ROOT)]):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder) as probe:
                probe.write(b"tsunagu")
                probe.flush()
        except OSError as error:
            problems.append(
                Problem(
                    f"データの保存先 {folder} に書き込めません（{_first_line(error)}）。"
                    "TSUNAGU_DATA_DIR の場所と、サービスを動かす利用者の書き込み権限を確かめてください。"
                )
            )
            continue
        device = folder.stat().st_dev
        if device in devices:
            continue  # one disk, reported once
        devices.add(device)
        free_mb = shutil.disk_usage(folder).free // (1024 * 1024)
        if free_mb < minimum:
            problems.append(
                Problem(
                    f"データの保存先 {folder} の空き容量が {free_mb} MB しかありません"
                    f"（必要: {minimum} MB 以上）。古いバックアップやログを移すか削除してください"
                    "（下限は TSUNAGU_MIN_FREE_DISK_MB で変えられます）。"
                )
            )
    return problems


def startup_problems(*, require_migrated: bool) -> list[Problem]:
    """Everything in the way of starting; the database first (the rest needs it)."""
    problems = disk_problems()
    database = database_problem()
    if database:
        return [*problems, database]
    if require_migrated:
        migrations = migrations_problem()
        if migrations:
            problems.append(migrations)
    return problems


def refuse_to_start_on_problems(*, require_migrated: bool) -> None:
    """Print every problem to stderr and exit 1 (``tsunagu serve`` / ``tsunagu migrate``)."""
    import sys

    problems = startup_problems(require_migrated=require_migrated)
    if problems:
        for problem in problems:
            print(problem.message, file=sys.stderr)
        raise SystemExit(1)
