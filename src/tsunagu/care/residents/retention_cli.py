"""``tsunagu care retention [--dry-run] [--today YYYY-MM-DD]``: anonymise resident records
past the retention period (``TSUNAGU_PERSONAL_RECORDS_RETENTION_DAYS``, ADR 0007)."""

from __future__ import annotations

import argparse
import datetime

from django.utils import timezone

from tsunagu.accounts.services import system_actor
from tsunagu.care.residents.retention import retention_run
from tsunagu.core.plugins import CommandLine


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日付は YYYY-MM-DD で指定してください: {text!r}"
        ) from None


def add_commands(cli: CommandLine) -> None:
    care = cli.group("care", help="介護予防（住民の記録）")
    retention = care.command(
        "retention",
        help="保存期間を過ぎた、終了した住民の記録を匿名化する",
        handler="tsunagu.care.residents.retention_cli:cmd_retention",
    )
    retention.add_argument("--dry-run", action="store_true", help="件数を数えるだけで、変更しない")
    retention.add_argument(
        "--today", type=_day, default=None, help="基準日（YYYY-MM-DD。既定: 今日）"
    )


def cmd_retention(args: argparse.Namespace) -> int:
    today = args.today or timezone.localdate()
    result = retention_run(actor=system_actor(), today=today, dry_run=args.dry_run)
    verb = "匿名化の対象" if args.dry_run else "匿名化しました"
    print(
        f"基準日 {today.isoformat()}：{result.cutoff.isoformat()} より前に終了した住民の記録 "
        f"{result.due} 件が保存期間を過ぎています。"
        + (f"{verb}（変更していません）。" if args.dry_run else f"{result.anonymised} 件を{verb}。")
    )
    return 0
