"""The ``tsunagu`` command.

tsunagu demo [--host 127.0.0.1] [--port 8000]   demo server with embedded SQLite + demo data
tsunagu serve [--host] [--port] [--threads]     production server (TSUNAGU_ENV=production)
tsunagu migrate | createadmin | load-demo | check-data
tsunagu case-sheet --municipality 出水市 --format pdf -o FILE   事例表 (PDF / .xlsx)
tsunagu engagements send-reminders              follow-up reminders that are due (for cron)
tsunagu mobility import-gtfs|gap|solve-darp|legal-check ...   mobility support tools
tsunagu manage <django command> [args]          any Django management command
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path


def _setup(*, production: bool = False) -> None:
    if production:
        os.environ.setdefault("TSUNAGU_ENV", "production")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    import django

    django.setup()


def _data_dir() -> Path:
    path = Path(os.environ.get("TSUNAGU_DATA_DIR", "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _demo_secret_key(data_dir: Path) -> str:
    """A random key kept in the data directory, so demo sessions survive restarts."""
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _serve(host: str, port: int, threads: int) -> None:
    from waitress import serve

    from tsunagu.wsgi import application

    serve(application, host=host, port=port, threads=threads, ident="tsunagu")


def cmd_demo(args: argparse.Namespace) -> int:
    data_dir = _data_dir()
    os.environ.setdefault("TSUNAGU_SECRET_KEY", _demo_secret_key(data_dir))
    hosts = {"localhost", "127.0.0.1", "[::1]", args.host}
    if args.host in ("0.0.0.0", "::"):
        hosts.add("*")  # the demo listens on every interface: accept any Host header
    os.environ.setdefault("TSUNAGU_ALLOWED_HOSTS", ",".join(sorted(hosts)))
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    from tsunagu.demo.loader import DEMO_PASSWORD, load_demo

    print(f"データベース: {settings.DATABASES['default']['NAME']}")
    _migrate()
    summary = load_demo()
    call_command("collectstatic", interactive=False, verbosity=0)
    print(
        f"デモデータ: 新規 {summary.created} 件 / 更新 {summary.updated} 件 / 変更なし {summary.unchanged} 件"
    )
    shown_host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    print(f"\nつなぐ Tsunagu デモ: http://{shown_host}:{args.port}/")
    print(f"デモアカウント（パスワードはすべて {DEMO_PASSWORD}）:")
    from tsunagu.demo.loader import DEMO_USERS

    for demo in DEMO_USERS:
        print(f"  {demo.username:<16} {DEMO_PASSWORD}  {demo.full_name}")
    print("終了するには Ctrl+C を押してください。", flush=True)
    _serve(args.host, args.port, args.threads)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _setup(production=True)
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"つなぐ Tsunagu: http://{args.host}:{args.port}/", flush=True)
    _serve(args.host, args.port, args.threads)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    _data_dir()
    _setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False)
    return 0


def cmd_createadmin(args: argparse.Namespace) -> int:
    _setup()
    import getpass

    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from tsunagu.accounts.models import Membership, Role

    User = get_user_model()
    username = args.username or input("ユーザー名: ").strip()
    password = os.environ.get("TSUNAGU_ADMIN_PASSWORD") or getpass.getpass("パスワード: ")
    try:
        validate_password(password)
    except ValidationError as error:
        print("パスワードが条件を満たしていません: " + " ".join(error.messages), file=sys.stderr)
        return 2
    user, _ = User.objects.get_or_create(username=username)
    user.is_staff = True
    user.is_active = True
    user.set_password(password)
    user.save()
    Membership.objects.get_or_create(user=user, role=Role.SYSTEM_ADMIN)
    print(f"システム管理者 {username} を作成しました。")
    return 0


def cmd_load_demo(args: argparse.Namespace) -> int:
    _data_dir()
    _setup()
    _migrate()
    from tsunagu.demo.loader import load_demo

    summary = load_demo()
    print(f"デモデータ: {summary.describe()}")
    return 0


def cmd_check_data(args: argparse.Namespace) -> int:
    _setup()
    from tsunagu.areas.selectors import inconsistencies_all

    found = inconsistencies_all()
    for inconsistency in found:
        print(inconsistency.line(verbose=args.verbose))
    print(f"{len(found)} inconsistencies")
    return 1 if (found and args.fail_on_inconsistency) else 0


def cmd_hsds(args: argparse.Namespace) -> int:
    """Open Referral HSDS 3.0 exchange of the public directory."""
    _setup()
    from tsunagu.core.errors import TsunaguError
    from tsunagu.directory import hsds

    try:
        if args.hsds_command == "export":
            hsds.cli_export(args.format, Path(args.out), municipality_code=args.municipality)
            print(f"書き出しました: {args.out}")
        else:
            summary = hsds.cli_import(Path(args.path), municipality_code=args.municipality)
            print(str(summary))
    except TsunaguError as error:
        print(error.message, file=sys.stderr)
        return 1
    return 0


def cmd_directory(args: argparse.Namespace) -> int:
    """Excel/CSV import and export of organisations, people and resources."""
    _setup()
    from tsunagu.accounts.services import system_actor
    from tsunagu.core.errors import TsunaguError
    from tsunagu.directory.exporting import export_file
    from tsunagu.directory.importing import import_file

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


def cmd_case_sheet(args: argparse.Namespace) -> int:
    """事例表 of one municipality, from the records."""
    _setup()
    from tsunagu.engagements.casesheet_cli import cmd_case_sheet as run

    return run(args)


def cmd_engagements(args: argparse.Namespace) -> int:
    _setup()
    from tsunagu.engagements.cli import run

    return run(args)


def cmd_manage(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tsunagu manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tsunagu", description="つなぐ Tsunagu")
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="デモを起動（SQLite + デモデータ）")
    demo.add_argument(
        "--host",
        default="127.0.0.1",
        help="待ち受けるアドレス（既定: 127.0.0.1 = このPCからだけ。0.0.0.0 で同じネットワークの他のPCからも）",
    )
    demo.add_argument("--port", type=int, default=8000, help="待ち受けるポート番号（既定: 8000）")
    demo.add_argument(
        "--threads", type=int, default=8, help="同時に処理するリクエストの数（既定: 8）"
    )
    demo.set_defaults(func=cmd_demo)

    serve = commands.add_parser("serve", help="本番用サーバーを起動")
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--threads", type=int, default=8)
    serve.set_defaults(func=cmd_serve)

    commands.add_parser("migrate", help="データベースを作成・更新").set_defaults(func=cmd_migrate)

    admin = commands.add_parser("createadmin", help="システム管理者を作成")
    admin.add_argument("--username")
    admin.set_defaults(func=cmd_createadmin)

    commands.add_parser("load-demo", help="デモデータを読み込む").set_defaults(func=cmd_load_demo)
    check = commands.add_parser("check-data", help="統計の矛盾を一覧表示")
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
    check.set_defaults(func=cmd_check_data)
    hsds = commands.add_parser("hsds", help="Open Referral HSDS 3.0 形式の書き出し・読み込み")
    hsds_commands = hsds.add_subparsers(dest="hsds_command", required=True)
    hsds_export = hsds_commands.add_parser("export", help="公開の地域資源を書き出す")
    hsds_export.add_argument("--format", choices=["json", "csv"], default="json")
    hsds_export.add_argument("--municipality", help="市町村コード（省略時は全市町村）")
    hsds_export.add_argument("out", help="出力先（json: ファイル、csv: フォルダまたは .zip）")
    hsds_import = hsds_commands.add_parser("import", help="HSDS のデータを読み込む")
    hsds_import.add_argument(
        "path", help=".json ファイル、または datapackage.json を含むフォルダ・.zip"
    )
    hsds_import.add_argument("--municipality", required=True, help="読み込み先の市町村コード")
    hsds.set_defaults(func=cmd_hsds)

    directory = commands.add_parser("directory", help="地域資源ディレクトリの Excel/CSV 入出力")
    directory_commands = directory.add_subparsers(dest="directory_command", required=True)
    kinds = ["organisation", "person", "resource"]
    directory_import = directory_commands.add_parser("import", help=".xlsx / .csv を読み込む")
    directory_import.add_argument("path")
    directory_import.add_argument("--kind", choices=kinds, required=True)
    directory_import.add_argument("--municipality", required=True, help="市町村コード")
    directory_import.add_argument(
        "--on-duplicate",
        choices=["skip", "update", "keep_both"],
        default="skip",
        help="重複したとき: skip（登録しない）/ update（上書き）/ keep_both（両方残す）",
    )
    directory_export = directory_commands.add_parser("export", help=".xlsx / .csv に書き出す")
    directory_export.add_argument("out")
    directory_export.add_argument("--kind", choices=kinds, required=True)
    directory_export.add_argument("--municipality", help="市町村コード（省略時は全市町村）")
    directory_export.add_argument("--format", choices=["xlsx", "csv", "csv-sjis"], default=None)
    directory.set_defaults(func=cmd_directory)

    case_sheet = commands.add_parser("case-sheet", help="市町村の事例表を PDF / .xlsx で出力")
    case_sheet.add_argument("--municipality", required=True, help="市町村名または市町村コード")
    case_sheet.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
    case_sheet.add_argument("-o", "--out", required=True, help="出力ファイル")
    case_sheet.set_defaults(func=cmd_case_sheet)

    engagements = commands.add_parser("engagements", help="伴走的支援（フォローアップの通知など）")
    engagements_commands = engagements.add_subparsers(dest="engagements_command", required=True)
    reminders = engagements_commands.add_parser(
        "send-reminders", help="期日が来たフォローアップの通知を送る（cron 用）"
    )
    reminders.add_argument("--dry-run", action="store_true", help="送らずに一覧だけ表示")
    engagements.set_defaults(func=cmd_engagements)

    from tsunagu.mobility.cli import add_mobility_commands

    add_mobility_commands(commands)

    manage = commands.add_parser("manage", help="Django の管理コマンド")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
