"""``tsunagu mobility …``: the mobility tools on the command line.

Each handler is imported only when its command runs, so ``tsunagu --help`` stays fast and
``solve-darp`` and ``legal-check`` run without a database. Transit adds ``import-gtfs``
and ``gap`` to this group itself (see :mod:`tsunagu.transit.cli`).
"""

from __future__ import annotations

from tsunagu.core.plugins import CommandLine


def add_commands(cli: CommandLine) -> None:
    mobility = cli.group("mobility", help="移動支援（GTFS、空白分析、配車計画、法令チェック）")

    darp = mobility.command(
        "solve-darp",
        help="Cordeau 形式の DARP インスタンスを解く（ベンチマーク用）",
        handler="tsunagu.mobility.scheduling.cli:cmd_solve_darp",
    )
    darp.add_argument("instance", help="インスタンスファイル（Cordeau 形式）")
    darp.add_argument("--time-limit", type=float, default=30.0, help="計算時間の上限（秒）")

    legal = mobility.command(
        "legal-check",
        help="道路運送法の確認（PLAN.json）を JSON で出力",
        handler="tsunagu.mobility.legal.cli:cmd_legal_check",
    )
    legal.add_argument("plan", help="計画の JSON ファイル（- で標準入力）")
