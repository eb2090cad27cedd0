"""``tsunagu backup OUT`` and ``tsunagu restore IN`` (added by core's plugin)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tsunagu.core.plugins import CommandLine


def register(cli: CommandLine) -> None:
    backup = cli.command(
        "backup",
        help="データベースとアップロードファイルを1つのファイルにバックアップ（運用中でも可）",
        handler="tsunagu.core.operations.cli:cmd_backup",
    )
    backup.add_argument(
        "out", type=Path, help="書き出すファイル（例: /srv/backup/tsunagu-20260401.tar）"
    )
    restore = cli.command(
        "restore",
        help="tsunagu backup のファイルから復元（空のデータベースへ）",
        handler="tsunagu.core.operations.cli:cmd_restore",
    )
    restore.add_argument("archive", type=Path, help="tsunagu backup で作ったファイル")
    restore.add_argument(
        "--force",
        action="store_true",
        help="空でないデータベースを置き換える（置き換える前の状態は data/backups に保存）",
    )


def _say(message: str) -> None:
    print(message, flush=True)


def cmd_backup(args: argparse.Namespace) -> int:
    from tsunagu.core.errors import TsunaguError
    from tsunagu.core.operations.archive import create_backup, secret_key_reminder

    started = time.perf_counter()
    try:
        result = create_backup(args.out, progress=_say)
    except TsunaguError as error:
        print(f"バックアップできませんでした: {error.message}", file=sys.stderr)
        return 1
    media = sum(1 for name in result.manifest["members"] if name.startswith("media/"))
    rows = sum(result.manifest["row_counts"].values())
    _say(
        f"バックアップしました: {result.path}（{result.size / 1_000_000:.1f} MB、"
        f"{len(result.manifest['row_counts'])} 表 {rows} 行、ファイル {media} 件、"
        f"{time.perf_counter() - started:.1f} 秒）"
    )
    _say(secret_key_reminder())
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from django.core.cache import cache

    from tsunagu.core.errors import TsunaguError
    from tsunagu.core.operations.archive import restore_backup

    started = time.perf_counter()
    try:
        result = restore_backup(args.archive, force=args.force, progress=_say)
    except TsunaguError as error:
        print(f"復元できませんでした: {error.message}", file=sys.stderr)
        return 1
    cache.clear()  # nothing cached from the replaced data survives
    if result.safety_backup:
        _say(f"置き換える前の状態: {result.safety_backup}")
    _say(
        f"復元しました: {result.manifest['created_at']} のバックアップ"
        f"（Tsunagu {result.manifest['tsunagu_version']}、{result.rows} 行、"
        f"ファイル {result.files} 件、件数は目録と一致、"
        f"{time.perf_counter() - started:.1f} 秒）"
    )
    for note in result.notes:
        _say(note)
    _say("動いている tsunagu serve とワーカーを再起動してください。")
    return 0
