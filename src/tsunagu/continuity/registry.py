"""The kinds of record that have stewards (担当・副担当): the ``stewarded_kinds`` hook.

Continuity sits just above the directory, so it cannot import the apps whose records it
stewards (bodies, regional issues, engagements, mobility …). Each of those apps registers
its kinds from its own ``plugin.py``::

    from tsunagu.continuity.registry import StewardedKind, register_kind

    register_kind(StewardedKind(
        model="bodies.ConsultativeBody",          # app_label.ModelName
        label=_("会議体"),                           # Japanese name of the kind
        url=lambda body: reverse("bodies:detail", args=[body.pk]),
        visible_to=lambda user: body_list_visible_to(user=user),   # optional
    ))

Everything else has defaults: ``title`` is ``str(obj)``; ``can_view``/``can_edit`` are
``accounts.scope.can_view``/``can_edit`` (the object must expose ``scope_municipality_id``
and ``scope_prefecture_id``); ``municipality_id`` is ``obj.scope_municipality_id``;
``areas`` (names for bulk assignment in a handover) is empty; ``last_activity`` (the date of the
record's latest own activity beyond its history and contact log, for the stale digest) is
None; ``is_open`` (whether the record can still go stale: a closed issue or a done action item
cannot) is always true. A later app (referrals, service C
courses) registers the same way: nothing in continuity changes. Kinds are looked up by model
label when a page needs them, so the registry can be filled in any order.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import QuerySet
from django.utils.functional import Promise

from tsunagu.accounts import scope
from tsunagu.core.plugins import hooks, register_hook

STEWARDED_KINDS = "stewarded_kinds"


def _municipality_id(obj: Any) -> int | None:
    return obj.scope_municipality_id


def _no_areas(obj: Any) -> tuple[str, ...]:
    return ()


def _no_activity(obj: Any) -> datetime.date | None:
    return None


def _always_open(obj: Any) -> bool:
    return True


@dataclass(frozen=True)
class StewardedKind:
    model: str  # "app_label.ModelName"
    label: str | Promise  # Japanese name of the kind (「会議体」)
    url: Callable[[Any], str]  # the object's page
    title: Callable[[Any], str] = str
    can_view: Callable[[Any, Any], bool] = scope.can_view  # (user, obj)
    can_edit: Callable[[Any, Any], bool] = scope.can_edit  # (user, obj): may assign stewards
    municipality_id: Callable[[Any], int | None] = _municipality_id
    # The names of the areas (日常生活圏域・地区) the record is in, for bulk assignment in a handover.
    areas: Callable[[Any], Sequence[str]] = _no_areas
    # The kind's records a user may see (for pickers and checks); None: filter by can_view.
    visible_to: Callable[[Any], QuerySet[Any]] | None = None
    order: int = 100  # order of the groups on 「わたしの担当」
    # The record's latest own activity (visits, meetings, stage changes …) for the stale digest.
    last_activity: Callable[[Any], datetime.date | None] = _no_activity
    # False when the record is finished (no longer listed as stale).
    is_open: Callable[[Any], bool] = _always_open

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def key(self) -> str:
        return self.model.lower()


def register_kind(kind: StewardedKind) -> None:
    """Add ``kind`` to the ``stewarded_kinds`` hook (idempotent: keyed by model label)."""
    register_hook(STEWARDED_KINDS, kind.key(), lambda: kind)


def kinds() -> list[StewardedKind]:
    return sorted(
        (provide() for provide in hooks(STEWARDED_KINDS)), key=lambda k: (k.order, k.key())
    )


def kind_for_model(model: type[models.Model] | str) -> StewardedKind | None:
    label = model if isinstance(model, str) else model._meta.label
    label = label.lower()
    for kind in kinds():
        if kind.key() == label:
            return kind
    return None


def kind_of(obj: models.Model) -> StewardedKind | None:
    return kind_for_model(type(obj))
