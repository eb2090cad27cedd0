"""``tsunagu worker [--batch] [--no-schedule]``: run a background-job worker."""

from __future__ import annotations

import argparse

from tsunagu.core.plugins import CommandLine


def add_commands(cli: CommandLine) -> None:
    worker = cli.command(
        "worker",
        help="バックグラウンドのジョブ（取り込み、計画の作成、毎日の通知など）を実行するワーカーを起動",
        handler="tsunagu.core.jobs.cli:cmd_worker",
    )
    worker.add_argument(
        "--batch", action="store_true", help="待っているジョブを実行し終えたら終了する"
    )
    worker.add_argument(
        "--no-schedule",
        action="store_true",
        help="毎日のジョブ（通知、保存期間）を予約しない（ほかのワーカーに任せる）",
    )


def cmd_worker(args: argparse.Namespace) -> int:
    from tsunagu.core.jobs.worker import run_worker

    print("ワーカーを起動します（Ctrl+C で、実行中のジョブが終わってから停止）。", flush=True)
    run_worker(batch=args.batch, schedule=not args.no_schedule)
    return 0
