"""The ``tsunagu`` command.

tsunagu demo [--host 127.0.0.1] [--port 8000]   demo server with embedded SQLite + demo data
tsunagu serve [--host] [--port] [--server] [--workers] [--threads]
                                                production server (TSUNAGU_ENV=production):
                                                gunicorn worker processes (waitress on Windows)
tsunagu migrate | load-demo
tsunagu worker [--batch]                        background-job worker (the demo starts one itself)
tsunagu manage <django command> [args]          any Django management command

These are the project's own commands: they prepare the environment and the database before
any app runs (the demo data comes through the ``demo_data`` hook). Every other command
(``createadmin``, ``check-data``, ``hsds``, ``directory``, ``case-sheet``, ``engagements``,
``mobility`` …) is added by its app's plugin (``AppPlugin.cli``, see
:mod:`tsunagu.core.plugins`); the registry is filled in the apps' ``ready()``, so Django is
set up before those commands are listed or parsed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.apps import apps

from tsunagu.core.plugins import CommandLine, hooks, load_callable, registered_apps


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
    """One waitress process (the demo, Windows, ``tsunagu serve --server waitress``)."""
    from tsunagu.core.operations.server import run_waitress

    run_waitress(_wsgi_application(), host=host, port=port, threads=threads)


def _wsgi_application() -> Any:
    from tsunagu.wsgi import application

    return application


def _load_demo_data() -> Any:
    """The demo dataset, from the app that provides it (the ``demo_data`` hook)."""
    [load] = hooks("demo_data")
    return load()


def cmd_demo(args: argparse.Namespace) -> int:
    data_dir = _data_dir()
    os.environ.setdefault("TSUNAGU_SECRET_KEY", _demo_secret_key(data_dir))
    hosts = {"localhost", "127.0.0.1", "[::1]", args.host}
    if args.host in ("0.0.0.0", "::"):
        hosts.add("*")  # the demo listens on every interface: accept any Host header
    os.environ.setdefault("TSUNAGU_ALLOWED_HOSTS", ",".join(sorted(hosts)))
    # The demo shows resident records (synthetic people only); deployments opt in.
    os.environ.setdefault("TSUNAGU_ENABLE_PERSONAL_RECORDS", "1")
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    print(f"データベース: {settings.DATABASES['default']['NAME']}")
    _migrate()
    summary = _load_demo_data()
    call_command("collectstatic", interactive=False, verbosity=0)
    print(
        f"デモデータ: 新規 {summary.created} 件 / 更新 {summary.updated} 件 / 変更なし {summary.unchanged} 件"
    )
    shown_host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    print(f"\nつなぐ Tsunagu デモ: http://{shown_host}:{args.port}/")
    for accounts in hooks("demo_accounts"):
        print("\n".join(accounts()))
    print("終了するには Ctrl+C を押してください。", flush=True)
    worker = _start_demo_worker()
    try:
        # One waitress process, not gunicorn's several: the demo runs the same on Windows
        # and on a laptop, starts at once, and one process is all one person trying it
        # needs (its jobs run in the worker child, so a long import does not slow pages).
        _serve(args.host, args.port, args.threads)
    finally:
        _stop_demo_worker(worker)
    return 0


def _start_demo_worker() -> subprocess.Popen[bytes]:
    """The demo's background-job worker (``tsunagu worker``) in a child process of its own, so
    a long import does not slow the pages; it gets the demo's settings from the environment."""
    command = [sys.executable, "-m", "tsunagu.cli", "worker"]
    print("バックグラウンドのジョブ用のワーカーも起動しました。", flush=True)
    return subprocess.Popen(command, env=os.environ.copy())


def _stop_demo_worker(worker: subprocess.Popen[bytes]) -> None:
    worker.terminate()  # the worker finishes its current job's step and stops
    try:
        worker.wait(timeout=10)
    except subprocess.TimeoutExpired:
        worker.kill()


def cmd_serve(args: argparse.Namespace) -> int:
    _setup(production=True)
    from django.core.management import call_command

    from tsunagu.core.operations import checks, metrics
    from tsunagu.core.operations.server import (
        GUNICORN_THREADS,
        WAITRESS_THREADS,
        default_server,
        default_workers,
        run_gunicorn,
    )

    # Database reachable, migrations applied, data directory writable with free space.
    checks.refuse_to_start_on_problems(require_migrated=True)
    metrics.reset_folder()

    call_command("collectstatic", interactive=False, verbosity=0)
    server = args.server or default_server()
    if server == "gunicorn" and sys.platform == "win32":
        print("gunicorn は Windows では動きません。--server waitress を使ってください。")
        return 2
    print(f"つなぐ Tsunagu: http://{args.host}:{args.port}/", flush=True)
    if server == "gunicorn":
        workers = args.workers or default_workers()
        threads = args.threads or GUNICORN_THREADS
        print(f"gunicorn: ワーカープロセス {workers} 個 × スレッド {threads}", flush=True)
        run_gunicorn(
            _wsgi_application, host=args.host, port=args.port, workers=workers, threads=threads
        )
    else:
        _serve(args.host, args.port, args.threads or WAITRESS_THREADS)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    _data_dir()
    _setup()
    from django.core.management import call_command

    from tsunagu.core.operations import checks

    checks.refuse_to_start_on_problems(require_migrated=False)

    call_command("migrate", interactive=False)
    return 0


def cmd_load_demo(args: argparse.Namespace) -> int:
    _data_dir()
    _setup()
    _migrate()
    summary = _load_demo_data()
    print(f"デモデータ: {summary.describe()}")
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tsunagu manage", *args.rest])
    return 0


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"1以上の整数を指定してください（{value!r}）")
    return number


def build_parser(*, with_apps: bool = True) -> argparse.ArgumentParser:
    """The ``tsunagu`` command; ``with_apps`` adds the apps' commands (sets up Django)."""
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
    demo.set_defaults(handler=cmd_demo)

    serve = commands.add_parser("serve", help="本番用サーバーを起動")
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--server",
        choices=("gunicorn", "waitress"),
        default=None,
        help="HTTPサーバー（既定: Linux などでは gunicorn の複数プロセス、Windows では waitress）",
    )
    serve.add_argument(
        "--workers",
        type=_positive,
        default=None,
        help="gunicorn のワーカープロセス数（既定: CPUコア数+1、最大8）",
    )
    serve.add_argument(
        "--threads",
        type=_positive,
        default=None,
        help="1プロセスあたりのスレッド数（既定: gunicorn 4、waitress 8）",
    )
    serve.set_defaults(handler=cmd_serve)

    commands.add_parser("migrate", help="データベースを作成・更新").set_defaults(
        handler=cmd_migrate
    )

    commands.add_parser("load-demo", help="デモデータを読み込む").set_defaults(
        handler=cmd_load_demo
    )

    if with_apps:
        if not apps.ready:
            _setup()
        cli = CommandLine(commands)
        for plugin in registered_apps():
            if plugin.cli:
                load_callable(plugin.cli)(cli)

    manage = commands.add_parser("manage", help="Django の管理コマンド")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=cmd_manage)
    return parser


# Set up Django themselves, after preparing what the settings read (``demo`` its secret key
# and hosts, ``serve`` the production mode): parsed without asking the apps.
PROJECT_COMMANDS = frozenset({"demo", "serve", "migrate", "load-demo", "manage"})


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    with_apps = not (argv and argv[0] in PROJECT_COMMANDS)
    args = build_parser(with_apps=with_apps).parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
