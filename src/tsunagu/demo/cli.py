"""The demo app's ``tsunagu`` command: ``demo-handover`` puts the demo in the second state of
the 鹿児島市 transfer (issue 16), to compare with the planned one the demo starts in."""

from __future__ import annotations

import argparse

from tsunagu.accounts.services import system_actor
from tsunagu.continuity.registry import kind_of
from tsunagu.core.plugins import CommandLine
from tsunagu.demo.continuity_loader import complete_demo_handover


def cmd_demo_handover(args: argparse.Namespace) -> int:
    handover = complete_demo_handover(system_actor())
    print(f"鹿児島市の引継ぎ #{handover.pk} を完了しました（効力発生日 {handover.effective_on}）。")
    for item in handover.items.select_related("successor", "stewardship__content_type"):
        obj = item.stewardship.subject
        kind = kind_of(obj) if obj is not None else None
        if kind is not None and item.successor is not None:
            print(f"  {kind.label}「{kind.title(obj)}」 → {item.successor.display_name}")
    print("後任（kagoshima-anshin-successor）の「わたしの担当」で引き継いだ記録を確かめられます。")
    return 0


def add_commands(cli: CommandLine) -> None:
    cli.command(
        "demo-handover",
        help="デモ: 鹿児島市の引継ぎを完了した状態にする（比較用）",
        handler=cmd_demo_handover,
    )
