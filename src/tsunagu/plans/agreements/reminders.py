"""Review reminders of role agreements (``tsunagu plans send-review-reminders``): an
agreement neither agreed nor reviewed in the fiscal year gets one reminder per fiscal year
from 1 January on, to the municipality's staff, logged in ``AgreementReviewReminder``; a
failed mail leaves no log row and is retried on the next run (as the engagements' follow-up
reminders do)."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from tsunagu.core.wareki import fiscal_year as fiscal_year_of
from tsunagu.core.wareki import format_fiscal_year
from tsunagu.plans.agreements.models import AgreementReviewReminder, RoleAgreement
from tsunagu.plans.agreements.selectors import last_reviewed_on, review_due

logger = logging.getLogger(__name__)


@dataclass
class DueReview:
    agreement: RoleAgreement
    fiscal_year: int
    recipients: list[str] = field(default_factory=list)
    sent: bool = False
    emailed: bool = False
    error: str = ""


def recipients_for(agreement: RoleAgreement) -> list[str]:
    """Addresses of the municipality's staff now (active accounts with an address)."""
    from tsunagu.accounts.models import Membership, Role

    today = timezone.localdate()
    emails = (
        Membership.objects.filter(
            starts_on__lte=today,
            user__is_active=True,
            role=Role.MUNICIPALITY_STAFF,
            municipality_id=agreement.municipality_id,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(set(emails))


def due_reviews(*, today: datetime.date | None = None) -> list[DueReview]:
    today = today or timezone.localdate()
    year = fiscal_year_of(today)
    due = []
    agreements = RoleAgreement.objects.select_related("municipality").prefetch_related(
        "reviews", "review_reminders"
    )
    for agreement in agreements:
        if not review_due(agreement, today):
            continue
        if any(r.fiscal_year == year for r in agreement.review_reminders.all()):
            continue
        due.append(DueReview(agreement, year, recipients_for(agreement)))
    return due


def _message(due: DueReview) -> tuple[str, str]:
    from tsunagu.core.wareki import format_date

    agreement = due.agreement
    last = last_reviewed_on(agreement)
    subject = f"【つなぐ】目指す姿と役割分担の見直しの時期です: {agreement.municipality} {agreement.title}"
    lines = [
        f"{agreement.municipality}の「{agreement.title}」は、"
        f"{format_fiscal_year(due.fiscal_year)}にまだ見直していません。",
        "年度に一度は関係部署・団体で目指す姿と役割分担を確かめ、見直しを記録してください。",
        "",
        f"最後に合意・見直した日: {format_date(last) if last else '—'}",
    ]
    base_url = getattr(settings, "TSUNAGU_BASE_URL", "").rstrip("/")
    if base_url:
        lines.append(f"{base_url}/plans/agreements/{agreement.pk}/")
    return subject, "\n".join(lines)


def send_due_reviews(
    *, today: datetime.date | None = None, dry_run: bool = False
) -> list[DueReview]:
    due = due_reviews(today=today)
    if dry_run:
        return due
    for item in due:
        try:
            with transaction.atomic():
                AgreementReviewReminder.objects.create(
                    agreement=item.agreement,
                    fiscal_year=item.fiscal_year,
                    recipients=", ".join(item.recipients),
                )
                if item.recipients:
                    subject, body = _message(item)
                    send_mail(subject, body, None, item.recipients, fail_silently=False)
                    item.emailed = True
        except IntegrityError:
            continue
        except Exception as exc:  # the mail server: not logged, so retried next run
            logger.exception("review reminder for agreement %s failed", item.agreement.pk)
            item.error = str(exc)
            continue
        item.sent = True
    return due
