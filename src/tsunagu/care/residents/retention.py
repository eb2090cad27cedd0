"""Retention of resident records (ADR 0007): closed residents whose ``closed_on`` lies more
than ``settings.PERSONAL_RECORDS_RETENTION_DAYS`` before today are anonymised."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from tsunagu.care.models import Resident, ResidentStatus
from tsunagu.care.residents.services import resident_anonymise

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionResult:
    cutoff: datetime.date  # closed before this day → past retention
    due: int
    anonymised: int


def retention_cutoff(today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=int(settings.PERSONAL_RECORDS_RETENTION_DAYS))


def residents_past_retention(today: datetime.date) -> QuerySet[Resident]:
    """Closed, not yet anonymised, closed on a day before the cut-off."""
    return Resident.objects.filter(
        status=ResidentStatus.CLOSED,
        anonymised_on__isnull=True,
        closed_on__lt=retention_cutoff(today),
    ).order_by("pk")


def retention_run(*, actor: Any, today: datetime.date, dry_run: bool) -> RetentionResult:
    """Anonymise every resident past retention (none with ``dry_run``); counted and logged."""
    due = list(residents_past_retention(today))
    done = 0
    if not dry_run:
        for resident in due:
            resident_anonymise(actor=actor, resident=resident, today=today)
            done += 1
    result = RetentionResult(cutoff=retention_cutoff(today), due=len(due), anonymised=done)
    logger.info(
        "care retention: cutoff=%s due=%d anonymised=%d dry_run=%s",
        result.cutoff,
        result.due,
        result.anonymised,
        dry_run,
    )
    return result
