"""The referral tests look only at the referrals they write: the demo dataset (which the
test databases may hold) has referrals of its own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import QuerySet

from tsunagu.care.referrals.models import Referral

_BEFORE: list[set[int]] = []


@pytest.fixture(autouse=True)
def _referrals_before_the_test(db: Any) -> Iterator[None]:
    _BEFORE.append(set(Referral.objects.values_list("pk", flat=True)))
    yield
    _BEFORE.pop()


def written() -> QuerySet[Referral]:
    """The referrals written since the test began."""
    return Referral.objects.exclude(pk__in=_BEFORE[-1])
