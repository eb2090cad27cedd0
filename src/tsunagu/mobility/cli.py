"""``tsunagu mobility …``: the mobility tools on the command line.

Each handler is imported only when its command runs, so ``tsunagu --help`` stays fast and
``solve-darp``, ``gap`` and ``legal-check`` run without a database.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any


def _lazy(target: str, *, django: bool) -> Any:
    module_name, function_name = target.split(":")

    def run(args: argparse.Namespace) -> int:
        if django:
            from tsunagu.cli import _setup

            _setup()
        handler = getattr(importlib.import_module(module_name), function_name)
        return int(handler(args) or 0)

    return run


def add_mobility_commands(commands: Any) -> None:
    mobility = commands.add_parser(
        "mobility", help="移動支援（GTFS、空白分析、配車計画、法令チェック）"
    )
    sub = mobility.add_subparsers(dest="mobility_command", required=True)

    gtfs = sub.add_parser("import-gtfs", help="GTFS / GTFS-JP（zip またはフォルダー）を読み込む")
    gtfs.add_argument("path", help="GTFS の zip ファイルまたはフォルダー")
    gtfs.add_argument("--municipality", help="市町村名または市町村コード（省略時は全国共通）")
    gtfs.add_argument("--name", help="データ名（省略時は feed_info または ファイル名）")
    gtfs.set_defaults(func=_lazy("tsunagu.transit.cli:cmd_import_gtfs", django=True))

    gap = sub.add_parser("gap", help="最寄りバス停までの距離と便数（空白分析）")
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
    gap.set_defaults(func=_lazy("tsunagu.transit.cli_gap:cmd_gap", django=False))

    darp = sub.add_parser(
        "solve-darp", help="Cordeau 形式の DARP インスタンスを解く（ベンチマーク用）"
    )
    darp.add_argument("instance", help="インスタンスファイル（Cordeau 形式）")
    darp.add_argument("--time-limit", type=float, default=30.0, help="計算時間の上限（秒）")
    darp.set_defaults(func=_lazy("tsunagu.mobility.scheduling.cli:cmd_solve_darp", django=False))

    legal = sub.add_parser("legal-check", help="道路運送法の確認（PLAN.json）を JSON で出力")
    legal.add_argument("plan", help="計画の JSON ファイル（- で標準入力）")
    legal.set_defaults(func=_lazy("tsunagu.mobility.legal_cli:cmd_legal_check", django=False))
