"""``tsunagu checklist score IN.csv OUT.csv``: score basic checklists from a CSV file.

Runs without a database. Exit status 0 scored, 2 the file was refused (each problem on
stderr, with its row and column; OUT is not written).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tsunagu.core.plugins import CommandLine


def add_commands(cli: CommandLine) -> None:
    checklist = cli.group("checklist", help="基本チェックリスト（一括判定）")
    score = checklist.command(
        "score",
        help="CSV の基本チェックリストを判定し、結果の列を加えた CSV を書き出す",
        handler="tsunagu.care.checklist.cli:cmd_score",
    )
    score.add_argument("input", help="回答の CSV（id, q1〜q11, q13〜q25, height_cm, weight_kg）")
    score.add_argument("output", help="書き出す CSV（エラーのときは作成・上書きしません）")
    score.add_argument(
        "--encoding",
        choices=("utf-8", "utf-8-bom"),
        default="utf-8",
        help="書き出す文字コード（既定: utf-8。Excel で直接開くなら utf-8-bom）",
    )


def _fail(message: str) -> int:
    sys.stderr.write(message + "\n")
    return 2


def cmd_score(args: argparse.Namespace) -> int:
    from tsunagu.care.checklist.bulk import score_bulk
    from tsunagu.care.checklist.io import (
        OUTPUT_ENCODINGS,
        read_checklist_csv,
        scored_rows,
        write_csv_atomically,
    )
    from tsunagu.core.errors import TsunaguError

    started = time.perf_counter()
    source, target = Path(args.input), Path(args.output)
    try:
        data = source.read_bytes()
    except OSError as exc:
        return _fail(f"{source}: 読めません（{exc.strerror or exc}）")
    try:
        table = read_checklist_csv(data, source.name)
        result = score_bulk(table.answers, table.height_cm, table.weight_kg)
        rows = scored_rows(table, result)
    except TsunaguError as exc:
        return _fail(f"{exc.message}\n{target} は書き出していません。")
    try:
        write_csv_atomically(target, rows, encoding=OUTPUT_ENCODINGS[args.encoding])
    except OSError as exc:
        return _fail(f"{target}: 書き出せません（{exc.strerror or exc}）")
    except UnicodeEncodeError as exc:
        return _fail(
            f"{target}: {args.encoding} で書けない文字があります（{exc.object[exc.start]!r}）"
        )
    eligible = int((result.eligible == 1).sum())
    undetermined = int((result.eligible == -1).sum())
    print(
        f"{len(result)} 件を判定しました（事業対象者 {eligible} 件、判定できず {undetermined} 件）"
        f": {target}（{time.perf_counter() - started:.1f} 秒）"
    )
    return 0
