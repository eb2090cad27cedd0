"""``tsunagu directory import|export`` (Excel/CSV) of the directory, and ``tsunagu hsds
export|import`` (Open Referral HSDS 3.0) from :mod:`tsunagu.directory.hsds.cli`."""

from __future__ import annotations

import argparse
import sys

from tsunagu.accounts.services import system_actor
from tsunagu.core.errors import TsunaguError
from tsunagu.core.plugins import CommandLine
from tsunagu.directory.exporting import export_file
from tsunagu.directory.hsds import cli as hsds_cli
from tsunagu.directory.imports.commit import import_file

KINDS = ["organisation", "person", "resource"]


def add_commands(cli: CommandLine) -> None:
    hsds_cli.add_commands(cli)  # ``tsunagu hsds`` first, as before

    directory = cli.group("directory", help="地域資源ディレクトリの Excel/CSV 入出力")
    directory_import = directory.command(
        "import", help=".xlsx / .csv を読み込む", handler=cmd_directory
    )
    directory_import.add_argument("path")
    directory_import.add_argument("--kind", choices=KINDS, required=True)
    directory_import.add_argument("--municipality", required=True, help="市町村コード")
    directory_import.add_argument(
        "--on-duplicate",
        choices=["skip", "update", "keep_both"],
        default="skip",
        help="重複したとき: skip（登録しない）/ update（上書き）/ keep_both（両方残す）",
    )
    directory_export = directory.command(
        "export", help=".xlsx / .csv に書き出す", handler=cmd_directory
    )
    directory_export.add_argument("out")
    directory_export.add_argument("--kind", choices=KINDS, required=True)
    directory_export.add_argument("--municipality", help="市町村コード（省略時は全市町村）")
    directory_export.add_argument("--format", choices=["xlsx", "csv", "csv-sjis"], default=None)
    reindex = directory.command(
        "reindex", help="団体・地域資源の検索索引を作り直す", handler=cmd_reindex
    )
    reindex.add_argument(
        "--enqueue",
        action="store_true",
        help="ここでは実行せず、バックグラウンドのジョブとしてワーカーに任せる",
    )


def cmd_directory(args: argparse.Namespace) -> int:
    """Excel/CSV import and export of organisations, people and resources."""
    try:
        if args.directory_command == "export":
            count = export_file(
                args.out,
                kind=args.kind,
                user=system_actor(),
                fmt=args.format,
                municipality_code=args.municipality,
            )
            print(f"{count} 件を書き出しました: {args.out}")
            return 0
        report = import_file(
            args.path,
            kind=args.kind,
            municipality_code=args.municipality,
            actor=system_actor(),
            on_duplicate=args.on_duplicate,
        )
    except TsunaguError as error:
        print(error.message, file=sys.stderr)
        return 1
    for line in report.errors:
        print(line, file=sys.stderr)
    if not report.ok:
        print("エラーがあるため、何も登録していません。", file=sys.stderr)
        return 1
    print(
        f"{report.municipality}: 新規 {report.created} 件 / 更新 {report.updated} 件 / "
        f"スキップ {report.skipped} 件（{report.total_rows} 行, {report.seconds:.1f} 秒）"
    )
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    """Rebuild the search index here (default), or enqueue it for the worker."""
    import time

    from tsunagu.directory import jobs
    from tsunagu.directory.search.index import rebuild_index

    if args.enqueue:
        job = jobs.reindex_job_start(actor=system_actor())
        print(f"ジョブ {job.pk} として登録しました（ワーカーが実行します）: /jobs/{job.pk}/")
        return 0
    started = time.perf_counter()
    count = rebuild_index()
    print(f"検索索引を作り直しました: {count} 件（{time.perf_counter() - started:.1f} 秒）")
    return 0
