"""Reminders of unanswered referrals (つなぎの催促), run by the ``reminder_senders`` hook of
``tsunagu engagements send-reminders`` (one cron line for every app's reminders).

A referral sent ``TSUNAGU_REFERRAL_REMIND_AFTER_DAYS`` days ago (default 7) and still
unanswered mails its sender (``created_by``) and the receiving organisation's members, at most
once every that many days (``last_reminded_on``, set with a history row). Mail is not a safe
place for personal data: the message names the referral by number and its destination, never
the person; the link leads to pages that check the reader's side.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from tsunagu.accounts.models import Role
from tsunagu.accounts.services import system_actor
from tsunagu.care.referrals.models import Referral, ReferralStatus
from tsunagu.care.referrals.selectors import remind_after_days
from tsunagu.core.history import save_with_history

logger = logging.getLogger(__name__)


def due_referrals(today: datetime.date) -> list[Referral]:
    """Sent, unanswered for N days, and not reminded in the last N days."""
    days = remind_after_days()
    cut = today - datetime.timedelta(days=days)
    return list(
        Referral.objects.filter(status=ReferralStatus.SENT, sent_on__lte=cut)
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lte=cut))
        .select_related("created_by", "receiving_organisation", "resource", "program")
        .order_by("pk")
    )


def _receivers(referral: Referral, today: datetime.date) -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role=Role.ORGANISATION_MEMBER,
            memberships__organisation_id=referral.receiving_organisation_id,
            memberships__starts_on__lte=today,
        )
        .filter(Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=today))
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _place(referral: Referral) -> str:
    place = referral.resource or referral.program
    return place.name if place is not None else ""


def _link(name: str, *args: int) -> str:
    base = getattr(settings, "TSUNAGU_BASE_URL", "").rstrip("/")
    return f"{base}{reverse(name, args=args)}" if base else ""


def _sender_mail(referral: Referral, days: int) -> tuple[str, str]:
    lines = [
        f"つなぎ #{referral.pk}（つなぎ先: {_place(referral)}・{referral.receiving_organisation.name}）は、"
        f"送付から{days}日、まだ返事がありません。受け手に電話などで確かめてください。",
    ]
    link = _link("care_referrals:referral_detail", referral.pk)
    if link:
        lines += ["", link]
    return f"【つなぐ】つなぎ #{referral.pk} の返事がまだありません", "\n".join(lines)


def _receiver_mail(referral: Referral, days: int) -> tuple[str, str]:
    lines = [
        f"{referral.receiving_organisation.name} の皆さま",
        "",
        f"「{_place(referral)}」への紹介（つなぎ #{referral.pk}）が、{days}日前から返事を待っています。",
        "受け付けるか、お断りするかを選んでください。",
    ]
    link = _link("care_referrals:inbox")
    if link:
        lines += ["", link]
    return "【つなぐ】紹介の返事をお願いします", "\n".join(lines)


def send_referral_reminders(*, today: datetime.date, dry_run: bool = False) -> list[str]:
    """Mail the reminders that are due (the ``reminder_senders`` hook). Returns lines to print."""
    lines: list[str] = []
    actor = None
    for referral in due_referrals(today):
        days = (today - referral.sent_on).days if referral.sent_on else 0
        mails = []
        if referral.created_by.is_active and referral.created_by.email:
            mails.append((_sender_mail(referral, days), [referral.created_by.email]))
        receivers = [u.email for u in _receivers(referral, today)]
        if receivers:
            mails.append((_receiver_mail(referral, days), receivers))
        count = sum(len(to) for _mail, to in mails)
        if dry_run:
            lines.append(f"送信予定\tつなぎの催促\t#{referral.pk}\t{count}人")
            continue
        actor = actor or system_actor()
        try:
            with transaction.atomic():
                locked = Referral.objects.select_for_update().get(pk=referral.pk)
                locked.last_reminded_on = today
                save_with_history(locked, actor=actor, action="care.referral.remind")
                for (subject, body), to in mails:
                    send_mail(subject, body, None, to, fail_silently=False)
        except Exception as exc:  # not recorded, so tried again on the next run
            logger.exception("referral reminder for referral %s failed", referral.pk)
            lines.append(f"失敗: {exc}\tつなぎの催促\t#{referral.pk}")
            continue
        lines.append(f"送信済み\tつなぎの催促\t#{referral.pk}\t{count}人")
    return lines
