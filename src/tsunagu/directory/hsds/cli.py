"""``tsunagu hsds export|import``: the command lines and the file handling behind them."""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

from tsunagu.accounts.services import system_actor
from tsunagu.areas.models import Municipality
from tsunagu.core.codes import normalize_code
from tsunagu.core.errors import TsunaguError
from tsunagu.core.plugins import CommandLine
from tsunagu.directory.hsds.export import export_json, export_tabular
from tsunagu.directory.hsds.importer import import_json, import_tabular
from tsunagu.directory.hsds.reading import ImportSummary, _decode


def add_commands(cli: CommandLine) -> None:
    hsds_commands = cli.group("hsds", help="Open Referral HSDS 3.0 形式の書き出し・読み込み")
    hsds_export = hsds_commands.command("export", help="公開の地域資源を書き出す", handler=cmd_hsds)
    hsds_export.add_argument("--format", choices=["json", "csv"], default="json")
    hsds_export.add_argument("--municipality", help="市町村コード（省略時は全市町村）")
    hsds_export.add_argument("out", help="出力先（json: ファイル、csv: フォルダまたは .zip）")
    hsds_import = hsds_commands.command("import", help="HSDS のデータを読み込む", handler=cmd_hsds)
    hsds_import.add_argument(
        "path", help=".json ファイル、または datapackage.json を含むフォルダ・.zip"
    )
    hsds_import.add_argument("--municipality", required=True, help="読み込み先の市町村コード")
    hsds_import.add_argument(
        "--enqueue",
        action="store_true",
        help="ここでは実行せず、バックグラウンドのジョブとしてワーカーに任せる",
    )


def cmd_hsds(args: argparse.Namespace) -> int:
    """Open Referral HSDS 3.0 exchange of the public directory."""
    try:
        if args.hsds_command == "export":
            cli_export(args.format, Path(args.out), municipality_code=args.municipality)
            print(f"書き出しました: {args.out}")
        elif getattr(args, "enqueue", False):
            from tsunagu.directory.jobs import hsds_import_job_start

            job = hsds_import_job_start(
                path=Path(args.path), municipality_code=args.municipality, actor=system_actor()
            )
            print(f"ジョブ {job.pk} として登録しました（ワーカーが実行します）: /jobs/{job.pk}/")
        else:
            summary = cli_import(Path(args.path), municipality_code=args.municipality)
            print(str(summary))
    except TsunaguError as error:
        print(error.message, file=sys.stderr)
        return 1
    return 0


def cli_export(fmt: str, out: Path, *, municipality_code: str | None = None) -> None:
    """``tsunagu hsds export --format json|csv OUT``: public records as HSDS 3.0.

    json writes one file (OUT, or OUT/hsds.json when OUT is a folder); csv writes the
    tabular form, one CSV per table + datapackage.json, into the folder OUT (or the
    zip file OUT when it ends in .zip). ``municipality_code`` limits it to one
    municipality (the form to import into another one: names are unique per municipality).
    """
    out = Path(out)
    municipality = _municipality_by_code(municipality_code) if municipality_code else None
    if fmt == "json":
        if out.is_dir():
            out = out / "hsds.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(export_json(municipality=municipality), ensure_ascii=False, indent=2)
        out.write_text(text + "\n", encoding="utf-8")
    elif fmt == "csv":
        export_tabular(out, municipality=municipality)
    else:
        raise TsunaguError(f"形式は json か csv を指定してください（{fmt}）。", field="format")


def _municipality_by_code(municipality_code: str) -> Any:
    code = normalize_code(municipality_code)
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise TsunaguError(f"市町村コード {code} の市町村が見つかりません。", field="municipality")
    return municipality


def cli_import(path: Path, *, municipality_code: str) -> ImportSummary:
    """``tsunagu hsds import PATH``: a .json file, or a folder / .zip with datapackage.json."""
    municipality = _municipality_by_code(municipality_code)
    path = Path(path)
    if not path.exists():
        raise TsunaguError(f"{path} が見つかりません。", field="path")
    actor = system_actor()
    if path.is_dir() or (path.is_file() and zipfile.is_zipfile(path)):
        return import_tabular(path, municipality=municipality, actor=actor)
    try:
        text = _decode(path.read_bytes())
    except UnicodeDecodeError:
        raise TsunaguError(f"{path.name}: 文字コードを UTF-8 にしてください。") from None
    return import_json(text, municipality=municipality, actor=actor, source_name=path.name)
