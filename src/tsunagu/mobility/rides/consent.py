"""A rider's consent to the use of their data (個人情報の利用への同意).

A rider linked to care's resident record (``Rider.resident``) has one consent history, the
resident's: the consent is their 移動支援 ``ConsentRecord`` active on the day (given, not
withdrawn). Only that purpose's dates are read; nothing else of the resident reaches mobility.
An unlinked rider keeps the date typed on the rider (``consent_on``).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from tsunagu.care.models import ConsentPurpose, ConsentRecord
from tsunagu.mobility.models import Rider


def rider_consent_on(rider: Rider, day: datetime.date | None = None) -> datetime.date | None:
    """The day the consent in force on ``day`` (today by default) was given, or None."""
    day = day or timezone.localdate()
    if rider.resident_id is None:
        return rider.consent_on
    consents = ConsentRecord.objects.filter(
        resident_id=rider.resident_id, purpose=ConsentPurpose.MOBILITY, given_on__lte=day
    ).order_by("-given_on", "-pk")
    for consent in consents:
        if consent.is_active_on(day):
            return consent.given_on
    return None
