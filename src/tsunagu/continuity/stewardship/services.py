"""Writes of stewardship (担当・副担当): assign, end. Every change is a history row."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from tsunagu.continuity.models import StewardRole, Stewardship
from tsunagu.continuity.registry import StewardedKind, kind_of
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.history import save_with_history


def kind_required(obj: models.Model) -> StewardedKind:
    kind = kind_of(obj)
    if kind is None:
        raise TsunaguError(f"「{obj._meta.verbose_name}」には担当を設定できません。")
    if kind.municipality_id(obj) is None:
        raise TsunaguError("担当を設定できるのは市町村の記録だけです。")
    return kind


def check_assignee(
    kind: StewardedKind, obj: models.Model, user: Any, *, field: str = "user"
) -> None:
    """The assignee must be able to see the record; access is never granted by stewardship."""
    if not user.is_active or not kind.can_view(user, obj):
        raise TsunaguError(
            f"{user.display_name} さんはこの{kind.label}「{kind.title(obj)}」を閲覧できないため、"
            "担当にできません。先に所属（役割と範囲）を確認してください。",
            field=field,
        )


def _end(row: Stewardship, *, until: datetime.date, actor: Any, note: str = "") -> None:
    row.until = max(until, row.since)
    save_with_history(row, actor=actor, action="continuity.stewardship.end", note=note)


def _open(
    *,
    kind: StewardedKind,
    obj: models.Model,
    user: Any,
    role: str,
    since: datetime.date,
    actor: Any,
    note: str = "",
    handed_over_by: Any = None,
) -> Stewardship:
    row = Stewardship(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        municipality_id=kind.municipality_id(obj),
        user=user,
        role=role,
        since=since,
        handed_over_by=handed_over_by,
    )
    save_with_history(row, actor=actor, action="continuity.stewardship.assign", note=note)
    return row


@transaction.atomic
def stewardship_assign(
    *,
    obj: models.Model,
    steward: Any,
    deputies: list[Any] | tuple[Any, ...] = (),
    actor: Any,
    since: datetime.date | None = None,
    note: str = "",
) -> list[Stewardship]:
    """Make ``steward`` the 担当 and ``deputies`` the 副担当 of ``obj`` from ``since`` (today).

    Who already holds the same role keeps their row; whoever no longer does has theirs ended
    the day before ``since``. Only users who can edit the record may assign; every assignee
    must be able to see it. Returns the rows now current.
    """
    kind = kind_required(obj)
    if not kind.can_edit(actor, obj):
        raise PermissionDenied("この記録の担当を設定する権限がありません。")
    deputies = [d for d in dict.fromkeys(deputies) if d.pk != steward.pk]
    check_assignee(kind, obj, steward, field="steward")
    for deputy in deputies:
        check_assignee(kind, obj, deputy, field="deputies")
    since = since or timezone.localdate()
    wanted = {(steward.pk, StewardRole.STEWARD.value)} | {
        (d.pk, StewardRole.DEPUTY.value) for d in deputies
    }
    current = list(
        Stewardship.objects.of(obj).current_or_future(since).select_for_update(of=("self",))
    )
    kept: list[Stewardship] = []
    for row in current:
        if (row.user_id, row.role) in wanted:
            wanted.discard((row.user_id, row.role))
            kept.append(row)
        else:
            _end(row, until=since - datetime.timedelta(days=1), actor=actor, note=note)
    users = {steward.pk: steward} | {d.pk: d for d in deputies}
    for user_id, role in sorted(wanted, key=lambda w: w[1] != StewardRole.STEWARD):
        kept.append(
            _open(
                kind=kind,
                obj=obj,
                user=users[user_id],
                role=role,
                since=since,
                actor=actor,
                note=note,
            )
        )
    return kept


@transaction.atomic
def stewardship_end(
    *, stewardship: Stewardship, actor: Any, until: datetime.date | None = None
) -> Stewardship:
    """End one 担当/副担当 (e.g. a deputy who is no longer needed)."""
    obj = stewardship.subject
    kind = kind_required(obj)
    if not kind.can_edit(actor, obj):
        raise PermissionDenied("この記録の担当を変更する権限がありません。")
    _end(stewardship, until=until or timezone.localdate(), actor=actor)
    return stewardship


def stewardship_transfer(
    *,
    stewardship: Stewardship,
    successor: Any,
    effective_on: datetime.date,
    actor: Any,
    note: str = "",
    handed_over_by: Any = None,
) -> Stewardship:
    """Hand one stewardship to ``successor`` from ``effective_on`` (the handover calls this
    inside its own transaction, after its own permission checks)."""
    obj = stewardship.subject
    kind = kind_required(obj)
    check_assignee(kind, obj, successor, field="successor")
    _end(stewardship, until=effective_on - datetime.timedelta(days=1), actor=actor, note=note)
    existing = (
        Stewardship.objects.of(obj)
        .current_or_future(effective_on)
        .filter(user=successor, role=stewardship.role)
        .first()
    )
    if existing is not None:
        return existing
    return _open(
        kind=kind,
        obj=obj,
        user=successor,
        role=stewardship.role,
        since=effective_on,
        actor=actor,
        note=note,
        handed_over_by=handed_over_by,
    )
