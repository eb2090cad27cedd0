"""`tsunagu engagements send-reminders [--dry-run]`: follow-up reminders that are due (for cron).

Each due reminder is sent once (logged in FollowUpReminder); a failed send is retried next run.
"""

from __future__ import annotations

import argparse
import sys

from django.utils import timezone


def run(args: argparse.Namespace) -> int:
    if getattr(args, "engagements_command", "send-reminders") != "send-reminders":
        print(f"不明なコマンドです: {args.engagements_command}", file=sys.stderr)
        return 2
    from tsunagu.core.wareki import format_date
    from tsunagu.engagements.services import send_due_reminders

    today = timezone.localdate()
    dry_run = bool(getattr(args, "dry_run", False))
    reminders = send_due_reminders(today=today, dry_run=dry_run)
    if not reminders:
        print(f"{format_date(today)}: 期日が来たフォローアップの通知はありません。")
        return 0
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
    return 1 if failed else 0
