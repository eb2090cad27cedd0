"""Reads of the contact log, scoped to the reader."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tsunagu.accounts.scope import scope_q
from tsunagu.continuity.models import Interaction


def interaction_list_visible_to(*, user: Any) -> QuerySet[Interaction]:
    return (
        Interaction.objects.filter(scope_q(user))
        .select_related("recorded_by")
        .prefetch_related("organisations", "people", "our_side")
    )


def interactions_with_organisation(*, user: Any, organisation: Any) -> QuerySet[Interaction]:
    return interaction_list_visible_to(user=user).filter(organisations=organisation)


def interactions_with_person(*, user: Any, person: Any) -> QuerySet[Interaction]:
    return interaction_list_visible_to(user=user).filter(people=person)
