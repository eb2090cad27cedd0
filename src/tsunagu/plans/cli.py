"""`tsunagu plans send-review-reminders [--dry-run]`: the yearly review reminders of role
agreements that are due (for cron)."""

from __future__ import annotations

import argparse

from tsunagu.core.plugins import CommandLine


def add_commands(cli: CommandLine) -> None:
    plans = cli.group("plans", help="計画・目指す姿と役割分担（見直しの通知など）")
    reminders = plans.command(
        "send-review-reminders",
        help="年度内に見直していない役割分担の合意に通知を送る（cron 用）",
        handler="tsunagu.plans.cli:run_review_reminders",
    )
    reminders.add_argument("--dry-run", action="store_true", help="送らずに一覧だけ表示")


def run_review_reminders(args: argparse.Namespace) -> int:
    from tsunagu.plans.agreements.reminders import send_due_reviews

    due = send_due_reviews(dry_run=args.dry_run)
    for item in due:
        state = "送信予定" if args.dry_run else ("送信済み" if item.sent else f"失敗: {item.error}")
        print(f"{item.agreement.municipality} {item.agreement.title}: {state}")
    if not due:
        print("通知の対象はありません。")
    return 1 if any(item.error for item in due) else 0
