"""``tsunagu case-sheet --municipality 出水市 --format pdf|xlsx -o FILE`` (事例表 from the records)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tsunagu.core.errors import NotFound, TsunaguError
from tsunagu.core.plugins import load_callable


def cmd_case_sheet(args: argparse.Namespace) -> int:
    """Write one municipality's case sheet; exit 1 with a Japanese message on bad input."""
    from tsunagu.accounts.services import system_actor
    from tsunagu.engagements.casesheets.builder import build_case_sheet, municipality_for_case_sheet
    from tsunagu.engagements.casesheets.pdf import render_case_sheet_pdf
    from tsunagu.engagements.casesheets.xlsx import render_case_sheet_xlsx

    for dest, handler in getattr(args, "case_sheet_subject_handlers", {}).items():
        if getattr(args, dest, None):  # another subject (``--prefecture``) from a higher app
            return int(load_callable(handler)(args) or 0)
    started = time.perf_counter()
    actor = system_actor()
    key = str(args.municipality or "").strip()
    try:
        municipality = municipality_for_case_sheet(user=actor, key=key)
    except NotFound:
        from tsunagu.areas.models import Municipality

        if not key.isdigit() and Municipality.objects.filter(name=key).count() > 1:
            print(
                f"「{key}」という名前の市町村が複数あります。6桁の市町村コードで指定してください。",
                file=sys.stderr,
            )
            return 1
        print(
            f"市町村「{key}」が見つかりません。登録されている市町村名（例: 出水市）または"
            "6桁の市町村コード（例: 462080）を指定してください。",
            file=sys.stderr,
        )
        return 1
    out = Path(args.out)
    if out.parent and not out.parent.exists():
        print(f"出力先のフォルダがありません: {out.parent}", file=sys.stderr)
        return 1
    fmt = (args.format or "pdf").lower()
    if fmt not in ("pdf", "xlsx"):
        print(
            f"形式「{args.format}」には対応していません。pdf か xlsx を指定してください。",
            file=sys.stderr,
        )
        return 1
    try:
        sheet = build_case_sheet(user=actor, municipality=municipality)
        content = render_case_sheet_pdf(sheet) if fmt == "pdf" else render_case_sheet_xlsx(sheet)
        out.write_bytes(content)
    except TsunaguError as error:
        print(error.message, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"ファイルに書き込めません: {out}（{error.strerror}）", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    print(f"{sheet.title}を書き出しました: {out}（{len(content):,} バイト, {seconds:.1f} 秒）")
    return 0
