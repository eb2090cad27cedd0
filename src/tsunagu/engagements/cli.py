"""`tsunagu engagements send-reminders [--dry-run]`: follow-up reminders that are due (for cron),
and the registration of the app's commands (``tsunagu case-sheet`` too).

Each due reminder is sent once (logged in FollowUpReminder); a failed send is retried next run.
"""

from __future__ import annotations

import argparse
import sys

from django.utils import timezone

from tsunagu.core.plugins import CommandLine, hooks


def add_commands(cli: CommandLine) -> None:
    case_sheet = cli.command(
        "case-sheet",
        help="市町村（または都道府県）の事例表を PDF / .xlsx で出力",
        handler="tsunagu.engagements.casesheets.cli:cmd_case_sheet",  # loads fonts, PDF: lazily
    )
    # Higher apps add other subjects (plans: ``--prefecture``) through the
    # ``case_sheet_subjects`` hook: (option, help, "module:handler"); exactly one is given.
    subjects = case_sheet.add_mutually_exclusive_group(required=True)
    subjects.add_argument("--municipality", help="市町村名または市町村コード")
    handlers = {}
    for subject in hooks("case_sheet_subjects"):
        option, help_text, handler = subject()
        subjects.add_argument(option, help=help_text)
        handlers[option.lstrip("-").replace("-", "_")] = handler
    case_sheet.set_defaults(case_sheet_subject_handlers=handlers)
    case_sheet.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
    case_sheet.add_argument("-o", "--out", required=True, help="出力ファイル")

    engagements = cli.group("engagements", help="伴走的支援（フォローアップの通知など）")
    reminders = engagements.command(
        "send-reminders", help="期日が来たフォローアップの通知を送る（cron 用）", handler=run
    )
    reminders.add_argument("--dry-run", action="store_true", help="送らずに一覧だけ表示")


def run(args: argparse.Namespace) -> int:
    if getattr(args, "engagements_command", "send-reminders") != "send-reminders":
        print(f"不明なコマンドです: {args.engagements_command}", file=sys.stderr)
        return 2
    from tsunagu.core.plugins import REMINDER_SENDERS, hooks
    from tsunagu.core.wareki import format_date
    from tsunagu.engagements.reminders import send_due_reminders

    failed_elsewhere = False
    today = timezone.localdate()
    dry_run = bool(getattr(args, "dry_run", False))
    reminders = send_due_reminders(today=today, dry_run=dry_run)
    for sender in hooks(REMINDER_SENDERS):  # other apps' reminders (continuity: stale digest)
        for line in sender(today=today, dry_run=dry_run):
            print(line)
            failed_elsewhere = failed_elsewhere or line.startswith("失敗")
    if not reminders:
        print(f"{format_date(today)}: 期日が来たフォローアップの通知はありません。")
        return 1 if failed_elsewhere else 0
    failed = 0
    for reminder in reminders:
        engagement = reminder.engagement
        who = "、".join(reminder.recipients) or "（メールアドレスのある送信先なし）"
        if dry_run:
            state = "送信予定"
        elif reminder.sent and reminder.emailed:
            state = "送信済み"
        elif reminder.sent:
            state = "記録のみ（メールは送っていません）"
        elif reminder.error:
            state = f"失敗: {reminder.error}"
            failed += 1
        else:
            state = "ほかの実行で送信済み"
        print(
            f"{state}\t{engagement.municipality}\t{engagement.theme}\t"
            f"期日 {format_date(reminder.due_on)}\t{who}"
        )
    print(f"{len(reminders)}件{'（送信していません）' if dry_run else ''}")
    return 1 if failed or failed_elsewhere else 0
