"""``tsunagu case-sheet --prefecture 大分県 --format pdf|xlsx -o FILE`` (added to the
engagements command through its ``case_sheet_subjects`` hook)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tsunagu.core.errors import NotFound, TsunaguError


def cmd_prefecture_case_sheet(args: argparse.Namespace) -> int:
    from tsunagu.accounts.services import system_actor
    from tsunagu.engagements.casesheets.pdf import render_case_sheet_pdf
    from tsunagu.engagements.casesheets.xlsx import render_case_sheet_xlsx
    from tsunagu.plans.casesheets.builder import (
        build_prefecture_case_sheet,
        prefecture_for_case_sheet,
    )

    actor = system_actor()
    key = str(args.prefecture or "").strip()
    try:
        prefecture = prefecture_for_case_sheet(user=actor, key=key)
    except NotFound:
        print(
            f"都道府県「{key}」が見つかりません。登録されている都道府県名（例: 大分県）または"
            "6桁の都道府県コード（例: 440001）を指定してください。",
            file=sys.stderr,
        )
        return 1
    out = Path(args.out)
    if out.parent and not out.parent.exists():
        print(f"出力先のフォルダがありません: {out.parent}", file=sys.stderr)
        return 1
    fmt = (args.format or "pdf").lower()
    try:
        sheet = build_prefecture_case_sheet(user=actor, prefecture=prefecture)
        content = render_case_sheet_pdf(sheet) if fmt == "pdf" else render_case_sheet_xlsx(sheet)
        out.write_bytes(content)
    except TsunaguError as error:
        print(error.message, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"ファイルに書き込めません: {out}（{error.strerror}）", file=sys.stderr)
        return 1
    print(f"{sheet.title}を書き出しました: {out}（{len(content):,} バイト）")
    return 0
