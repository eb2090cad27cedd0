"""What continuity adds to other apps' pages: the 「担当」 section and the contact log.

The directory pages ask through ``directory.extensions`` hooks (registered in ``plugin.py``);
apps above continuity render ``{% load continuity %}{% stewardship_section object %}`` in
their detail templates, or register :func:`stewardship_section` on a detail-section hook of
their own (bodies: ``body_detail_sections``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.scope import can_edit as can_edit_municipality
from tsunagu.continuity.contacts.selectors import (
    interactions_with_organisation,
    interactions_with_person,
)
from tsunagu.continuity.registry import kind_of
from tsunagu.continuity.stewardship.selectors import stewards_of
from tsunagu.core.sections import Section


def stewardship_context(*, user: Any, obj: models.Model) -> dict[str, Any] | None:
    kind = kind_of(obj)
    if kind is None or kind.municipality_id(obj) is None:
        return None
    content_type = ContentType.objects.get_for_model(obj)
    return {
        "stewards": stewards_of(obj),
        "can_assign": kind.can_edit(user, obj),
        "assign_url": reverse("continuity:steward_edit", args=[content_type.pk, obj.pk]),
        "timeline_url": reverse("continuity:timeline", args=[content_type.pk, obj.pk]),
        "kind": kind,
        "today": timezone.localdate(),
    }


def stewardship_section(*, user: Any, obj: models.Model, **_ignored: Any) -> Section | None:
    context = stewardship_context(user=user, obj=obj)
    if context is None:
        return None
    return Section("continuity/_stewards.html", "stewards", _("担当"), context)


def body_stewardship_section(*, user: Any, body: Any, can_edit: bool) -> Section | None:
    return stewardship_section(user=user, obj=body)


def organisation_stewardship_section(
    *, user: Any, organisation: Any, can_edit: bool
) -> Section | None:
    return stewardship_section(user=user, obj=organisation)


def _contacts(user: Any, interactions: Any, new_url: str, can_add: bool) -> Section:
    return Section(
        "continuity/_interactions.html",
        "contacts",
        _("連絡・訪問の記録"),
        {"interactions": list(interactions[:20]), "new_url": new_url, "can_add": can_add},
    )


def organisation_contacts_section(
    *, user: Any, organisation: Any, can_edit: bool
) -> Section | None:
    if organisation.municipality_id is None:
        return None
    return _contacts(
        user,
        interactions_with_organisation(user=user, organisation=organisation),
        reverse("continuity:interaction_new") + f"?organisation={organisation.pk}",
        can_edit_municipality(user, organisation.municipality),
    )


def person_contacts_section(*, user: Any, person: Any, can_edit: bool) -> Section | None:
    if person.municipality_id is None:
        return None
    return _contacts(
        user,
        interactions_with_person(user=user, person=person),
        reverse("continuity:interaction_new") + f"?person={person.pk}",
        can_edit_municipality(user, person.municipality),
    )
