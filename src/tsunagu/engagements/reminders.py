"""Follow-up reminders: when an engagement's follow-up is due (program → prefecture setting →
default delays after the last visit), to whom, and sending the due ones once (``tsunagu
engagements send-reminders``; logged in ``FollowUpReminder``, a failed send is retried).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from tsunagu.engagements.models import (
    DEFAULT_FIRST_REMINDER_DAYS,
    DEFAULT_REPEAT_REMINDER_DAYS,
    FOLLOW_UP_STATUSES,
    Engagement,
    FollowUpReminder,
    FollowUpSettings,
)

logger = logging.getLogger(__name__)


def reminder_delays(engagement: Engagement) -> tuple[int, int]:
    """(days after the last visit, repeat interval): program → prefecture setting → default."""
    program = engagement.program
    config = FollowUpSettings.objects.filter(
        prefecture_id=engagement.municipality.prefecture_id
    ).first()
    first = program.first_reminder_days or (
        config.first_reminder_days if config else DEFAULT_FIRST_REMINDER_DAYS
    )
    repeat = program.repeat_reminder_days or (
        config.repeat_reminder_days if config else DEFAULT_REPEAT_REMINDER_DAYS
    )
    return first, repeat


def last_visit_on(engagement: Engagement) -> datetime.date | None:
    days = [v.visited_on for v in engagement.visits.all()]
    return max(days) if days else engagement.ended_on


def follow_up_base_due(engagement: Engagement) -> datetime.date | None:
    """The first date a follow-up is due, counting from the latest follow-up or the last visit.

    None when the engagement is not in a follow-up status (支援終了・フォローアップ中・停滞) or
    has no visit or end date to count from.
    """
    if engagement.status not in FOLLOW_UP_STATUSES:
        return None
    first, repeat = reminder_delays(engagement)
    follow_ups = sorted(engagement.follow_ups.all(), key=lambda f: (f.followed_on, f.pk))
    if follow_ups:
        latest = follow_ups[-1]
        return latest.next_due_on or latest.followed_on + datetime.timedelta(days=repeat)
    anchor = last_visit_on(engagement)
    if anchor is None:
        return None
    return anchor + datetime.timedelta(days=first)


def follow_up_due_on(engagement: Engagement, today: datetime.date) -> datetime.date | None:
    """The due date in force on ``today``: the base date, then every repeat interval after it.

    Before the base date this is the base date (upcoming); after it, the latest periodic date
    that has passed, so a reminder goes out again every interval until a follow-up is recorded.
    """
    base = follow_up_base_due(engagement)
    if base is None or today < base:
        return base
    _first, repeat = reminder_delays(engagement)
    periods = (today - base).days // repeat
    return base + datetime.timedelta(days=periods * repeat)


@dataclass
class DueReminder:
    engagement: Engagement
    due_on: datetime.date
    recipients: list[str] = field(default_factory=list)
    sent: bool = False  # logged as sent (shown in the app)
    emailed: bool = False  # and mailed to ``recipients``
    error: str = ""


def recipients_for(engagement: Engagement) -> list[str]:
    """E-mail addresses of whoever holds the roles now (not at the due date): the
    municipality's staff and the prefecture's staff, active accounts with an address."""
    from django.db.models import Q

    from tsunagu.accounts.models import Membership, Role

    today = timezone.localdate()
    memberships = (
        Membership.objects.filter(starts_on__lte=today, user__is_active=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .filter(
            Q(role=Role.MUNICIPALITY_STAFF, municipality_id=engagement.municipality_id)
            | Q(role=Role.PREFECTURE_STAFF, prefecture_id=engagement.municipality.prefecture_id)
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(set(memberships))


def due_reminders(
    *, today: datetime.date | None = None, engagements: Any = None
) -> list[DueReminder]:
    """Reminders due on ``today`` that have not been sent (one per engagement and due date)."""
    today = today or timezone.localdate()
    if engagements is None:
        engagements = Engagement.objects.filter(status__in=FOLLOW_UP_STATUSES)
    engagements = engagements.select_related(
        "program", "municipality__prefecture"
    ).prefetch_related("visits", "follow_ups", "reminders")
    due: list[DueReminder] = []
    for engagement in engagements:
        due_on = follow_up_due_on(engagement, today)
        if due_on is None or due_on > today:
            continue
        if any(r.due_on == due_on for r in engagement.reminders.all()):
            continue
        due.append(DueReminder(engagement, due_on, recipients_for(engagement)))
    return due


def _reminder_message(reminder: DueReminder) -> tuple[str, str]:
    from tsunagu.core.wareki import format_date, format_fiscal_year

    engagement = reminder.engagement
    subject = f"【つなぐ】フォローアップの時期です: {engagement.municipality} {engagement.theme}"
    last = last_visit_on(engagement)
    base_url = getattr(settings, "TSUNAGU_BASE_URL", "").rstrip("/")
    lines = [
        f"{engagement.municipality}の伴走的支援（{engagement.program}、"
        f"{format_fiscal_year(engagement.fiscal_year)}、テーマ: {engagement.theme}）の"
        "フォローアップの時期になりました。",
        "",
        f"状態: {engagement.get_status_display()}",
        f"最後の訪問: {format_date(last) if last else '—'}",
        f"フォローアップの期日: {format_date(reminder.due_on)}",
        "",
        "取組の様子を確かめ、フォローアップを記録してください。",
    ]
    if base_url:
        lines.append(f"{base_url}/engagements/{engagement.pk}/")
    return subject, "\n".join(lines)


def send_due_reminders(
    *, today: datetime.date | None = None, dry_run: bool = False
) -> list[DueReminder]:
    """Send every due reminder once (by e-mail where the prefecture allows) and log it.

    The log row and the mail are in one transaction per reminder: a failed send leaves no
    log row, so the next run tries again; a sent one is never sent twice (unique row).
    """
    today = today or timezone.localdate()
    reminders = due_reminders(today=today)
    if dry_run:
        return reminders
    for reminder in reminders:
        engagement = reminder.engagement
        config = FollowUpSettings.objects.filter(
            prefecture_id=engagement.municipality.prefecture_id
        ).first()
        try:
            with transaction.atomic():
                FollowUpReminder.objects.create(
                    engagement=engagement,
                    due_on=reminder.due_on,
                    recipients=", ".join(reminder.recipients),
                )
                if reminder.recipients and (config is None or config.send_email):
                    subject, body = _reminder_message(reminder)
                    send_mail(
                        subject,
                        body,
                        None,
                        reminder.recipients,
                        fail_silently=False,
                    )
                    reminder.emailed = True
        except IntegrityError:  # another run logged it meanwhile
            continue
        except Exception as exc:  # a mail server problem: not logged, so retried next run
            logger.exception("follow-up reminder for engagement %s failed", engagement.pk)
            reminder.error = str(exc)
            continue
        reminder.sent = True
    return reminders
