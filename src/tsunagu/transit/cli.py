"""``tsunagu mobility import-gtfs PATH [--municipality X] [--name N]``, and the registration
of transit's commands in the ``tsunagu mobility`` group (``gap`` is in :mod:`cli_gap`).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tsunagu.core.plugins import CommandLine

# How many warnings the CLI prints after a successful import (all are kept on the feed).
CLI_WARNING_LINES = 20


def add_commands(cli: CommandLine) -> None:
    # Users look for them among the mobility tools; mobility names and describes the group.
    mobility = cli.group("mobility")
    gtfs = mobility.command(
        "import-gtfs",
        help="GTFS / GTFS-JP（zip またはフォルダー）を読み込む",
        handler=cmd_import_gtfs,
    )
    gtfs.add_argument("path", help="GTFS の zip ファイルまたはフォルダー")
    gtfs.add_argument("--municipality", help="市町村名または市町村コード（省略時は全国共通）")
    gtfs.add_argument("--name", help="データ名（省略時は feed_info または ファイル名）")

    gap = mobility.command(
        "gap",
        help="最寄りバス停までの距離と便数（空白分析）",
        handler="tsunagu.transit.gap.cli:cmd_gap",  # numpy: imported when the command runs
    )
    gap.add_argument(
        "--points", required=True, help="id,lat,lon[,weight] または mesh_code,population の CSV"
    )
    gap.add_argument("--feed", required=True, help="GTFS の zip ファイルまたはフォルダー")
    gap.add_argument("--date", help="便数を数える日（YYYY-MM-DD、省略時は今日）")
    gap.add_argument(
        "--thresholds", default="300,500,1000", help="距離のしきい値（m、カンマ区切り）"
    )
    gap.add_argument("--min-departures", type=int, default=None, help="この便数未満も空白とみなす")
    gap.add_argument(
        "--all-stops",
        action="store_true",
        help="その日に便のない停留所も数える（既定: その日に便のある停留所だけ）",
    )
    gap.add_argument("-o", "--out", required=True, help="地点ごとの結果 CSV")


def _find_municipality(value: str) -> Any:
    from tsunagu.areas.models import Municipality
    from tsunagu.core.errors import TsunaguError

    value = value.strip()
    found = Municipality.objects.filter(code=value).first() if value.isdigit() else None
    if found is None:
        matches = list(Municipality.objects.filter(name=value))
        if len(matches) > 1:
            raise TsunaguError(f"市町村「{value}」が複数あります。市町村コードで指定してください。")
        found = matches[0] if matches else None
    if found is None and value.isdigit() and len(value) == 5:
        # A 5-digit code without its check digit.
        found = Municipality.objects.filter(code__startswith=value).first()
    if found is None:
        raise TsunaguError(f"市町村「{value}」が見つかりません（名前または市町村コード）。")
    return found


def cmd_import_gtfs(args: argparse.Namespace) -> int:
    """Import a feed as the system account; one summary line, or the problems and exit 1."""
    from tsunagu.accounts.services import system_actor
    from tsunagu.core.errors import TsunaguError
    from tsunagu.transit.gtfs.problems import GtfsError
    from tsunagu.transit.services import feed_import

    try:
        municipality = _find_municipality(args.municipality) if args.municipality else None
        result = feed_import(
            path=args.path,
            municipality=municipality,
            name=args.name or "",
            actor=system_actor(),
        )
    except GtfsError as error:
        for problem in error.problems:
            print(_where(problem) + problem.message, file=sys.stderr)
        if error.truncated:
            print(
                f"（問題が多いため最初の {len(error.problems)} 件だけ表示しています）",
                file=sys.stderr,
            )
        print("問題があるため、何も取り込んでいません。", file=sys.stderr)
        return 1
    except TsunaguError as error:
        print(error.message, file=sys.stderr)
        return 1
    feed = result.feed
    print(
        f"{feed.name}: stops={feed.stop_count} routes={feed.route_count} "
        f"trips={feed.trip_count} stop_times={feed.stop_time_count} "
        f"seconds={result.seconds:.2f} warnings={result.warning_count}"
        + (" (replaced)" if result.replaced else "")
    )
    if result.warning_count:
        print(f"注意 {result.warning_count} 件（データは取り込み済みです）:")
        for problem in result.warnings[:CLI_WARNING_LINES]:
            print("  " + _where(problem) + problem.message)
        if len(result.warnings) > CLI_WARNING_LINES:
            print(
                f"  （ほか {len(result.warnings) - CLI_WARNING_LINES} 行は画面の取り込み結果で確認できます）"
            )
    return 0


def _where(problem: Any) -> str:
    line = f":{problem.line}" if problem.line else ""
    return f"{problem.file}{line}: "
