"""Stale items (動きのない担当, issue 16 item 6): what a user stewards that has had no activity.

A record's last activity is the latest of: its own history (any change), the contact log
about it (or with it, for organisations) and what its app tells through
``StewardedKind.last_activity`` (visits, stage changes, comments …). Which kinds are checked
and after how many days is ``TSUNAGU_STALE_DAYS`` (``{"app_label.model": days}``, merged over
:data:`DEFAULT_STALE_DAYS`; 0 turns a kind off). Finished records (``is_open``) are not listed.

Mail: the engagements' reminder command (``tsunagu engagements send-reminders``) calls the
``reminder_senders`` hook; :func:`send_stale_digests` is registered there and mails each
steward their digest when ``TSUNAGU_STALE_DIGEST_MAIL`` is on, at most once every
``TSUNAGU_STALE_DIGEST_INTERVAL_DAYS`` days (default 7; logged in ``StaleDigest``).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Q

from tsunagu.continuity.models import Interaction, StaleDigest, Stewardship
from tsunagu.continuity.registry import kind_for_model

logger = logging.getLogger(__name__)

DEFAULT_STALE_DAYS = {
    "regional_issues.regionalissue": 90,
    "engagements.engagement": 90,
    "directory.organisation": 180,
    "bodies.actionitem": 30,
}
DEFAULT_INTERVAL_DAYS = 7


def stale_days() -> dict[str, int]:
    configured = getattr(settings, "TSUNAGU_STALE_DAYS", {}) or {}
    merged = {**DEFAULT_STALE_DAYS, **{k.lower(): int(v) for k, v in configured.items()}}
    return {k: v for k, v in merged.items() if v > 0}


@dataclass(frozen=True)
class StaleItem:
    kind_label: str
    title: str
    url: str
    role: str
    last_activity: datetime.date | None
    limit_days: int
    timeline_url: str

    def idle_days(self, today: datetime.date) -> int | None:
        return (today - self.last_activity).days if self.last_activity else None


def last_activity_of(obj: Any) -> datetime.date | None:
    from django.utils import timezone

    days: list[datetime.date] = []
    if hasattr(obj, "history"):
        latest = obj.history.aggregate(latest=Max("history_date"))["latest"]
        if latest is not None:
            days.append(timezone.localtime(latest).date())
    about = Q(subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk)
    if obj._meta.label_lower == "directory.organisation":
        about |= Q(organisations=obj)
    contact = Interaction.objects.filter(about).aggregate(latest=Max("occurred_on"))["latest"]
    if contact is not None:
        days.append(contact)
    kind = kind_for_model(type(obj))
    own = kind.last_activity(obj) if kind is not None else None
    if own is not None:
        days.append(own)
    return max(days, default=None)


def stale_items_for(*, user: Any, today: datetime.date) -> list[StaleItem]:
    """What ``user`` is 担当/副担当 of today that has been idle longer than its kind allows."""
    from django.urls import reverse

    limits = stale_days()
    rows = list(
        Stewardship.objects.filter(user=user).active_on(today).select_related("content_type")
    )
    items = []
    for row in rows:
        model = row.content_type.model_class()
        limit = limits.get(row.content_type.app_label + "." + row.content_type.model)
        kind = kind_for_model(model) if model is not None else None
        if limit is None or kind is None:
            continue
        obj = model._default_manager.filter(pk=row.object_id).first()  # type: ignore[union-attr]
        if obj is None or not kind.can_view(user, obj) or not kind.is_open(obj):
            continue
        last = last_activity_of(obj)
        if last is not None and (today - last).days < limit:
            continue
        items.append(
            StaleItem(
                str(kind.label),
                kind.title(obj),
                kind.url(obj),
                row.get_role_display(),
                last,
                limit,
                reverse("continuity:timeline", args=[row.content_type_id, row.object_id]),
            )
        )
    return sorted(items, key=lambda i: (i.last_activity or datetime.date.min, i.title))


def _message(user: Any, items: list[StaleItem], today: datetime.date) -> tuple[str, str]:
    from tsunagu.core.wareki import format_date

    base_url = getattr(settings, "TSUNAGU_BASE_URL", "").rstrip("/")
    lines = [
        f"{user.display_name} さん",
        "",
        f"担当している次の{len(items)}件は、しばらく動きがありません（{format_date(today)}時点）。",
        "",
    ]
    for item in items:
        last = format_date(item.last_activity) if item.last_activity else "記録なし"
        lines.append(f"・{item.kind_label}「{item.title}」 最後の動き: {last}")
        if base_url:
            lines.append(f"  {base_url}{item.url}")
    if base_url:
        lines += ["", f"一覧: {base_url}/continuity/stale/"]
    return f"【つなぐ】動きのない担当が{len(items)}件あります", "\n".join(lines)


def send_stale_digests(*, today: datetime.date, dry_run: bool = False) -> list[str]:
    """Mail each steward their digest (the ``reminder_senders`` hook). Returns lines to print."""
    if not getattr(settings, "TSUNAGU_STALE_DIGEST_MAIL", False):
        return [
            "動きのない担当のお知らせ: メール送信は設定されていません（TSUNAGU_STALE_DIGEST_MAIL）。"
        ]
    interval = int(getattr(settings, "TSUNAGU_STALE_DIGEST_INTERVAL_DAYS", DEFAULT_INTERVAL_DAYS))
    stewards = (
        get_user_model()
        .objects.filter(
            is_active=True,
            pk__in=Stewardship.objects.active_on(today).values("user_id"),
        )
        .exclude(email="")
    )
    lines = []
    for user in stewards:
        if StaleDigest.objects.filter(
            user=user, sent_on__gt=today - datetime.timedelta(days=interval)
        ).exists():
            continue
        items = stale_items_for(user=user, today=today)
        if not items:
            continue
        if dry_run:
            lines.append(f"送信予定\t動きのない担当\t{user.email}\t{len(items)}件")
            continue
        subject, body = _message(user, items, today)
        try:
            with transaction.atomic():
                StaleDigest.objects.create(user=user, sent_on=today, item_count=len(items))
                send_mail(subject, body, None, [user.email], fail_silently=False)
        except Exception as exc:  # not logged, so retried on the next run
            logger.exception("stale digest for user %s failed", user.pk)
            lines.append(f"失敗: {exc}\t動きのない担当\t{user.email}")
            continue
        lines.append(f"送信済み\t動きのない担当\t{user.email}\t{len(items)}件")
    return lines
