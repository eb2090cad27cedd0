"""``tsunagu check-data [--fail-on-inconsistency] [--verbose]``: statistics inconsistencies."""

from __future__ import annotations

import argparse

from tsunagu.areas.selectors import inconsistencies_all
from tsunagu.core.plugins import CommandLine


def add_commands(cli: CommandLine) -> None:
    check = cli.command("check-data", help="統計の矛盾を一覧表示", handler=cmd_check_data)
    check.add_argument(
        "--fail-on-inconsistency",
        action="store_true",
        help="矛盾が1件でもあれば終了コード1を返す（CIや定期チェック用）",
    )
    check.add_argument(
        "--verbose",
        action="store_true",
        help="計算した率を端数処理前の値でも表示する（通常は小数第1位・四捨五入）",
    )


def cmd_check_data(args: argparse.Namespace) -> int:
    found = inconsistencies_all()
    for inconsistency in found:
        print(inconsistency.line(verbose=args.verbose))
    print(f"{len(found)} inconsistencies")
    return 1 if (found and args.fail_on_inconsistency) else 0
