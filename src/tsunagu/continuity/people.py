"""Who may be chosen as a steward, a successor or an our-side participant."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone


def colleagues_in(municipality_id: int) -> QuerySet[Any]:
    """Active users with a membership in the municipality that is current or starts later."""
    today = timezone.localdate()
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__municipality_id=municipality_id)
        .filter(Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=today))
        .distinct()
        .order_by("full_name", "username")
    )
