"""Writes of a handover (引継ぎ): start, successors, notes, complete, cancel.

Statuses change only here: draft → completed, draft → cancelled. A handover completes only
when every item has a successor who can already see the record through their own
membership; completing it hands each stewardship over from the effective date and ends the
leaver's memberships in the municipality the day before (their history stays).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tsunagu.accounts.models import Membership
from tsunagu.accounts.scope import forget_scope, scope_for
from tsunagu.continuity.models import (
    Handover,
    HandoverItem,
    HandoverReason,
    HandoverStatus,
    Stewardship,
)
from tsunagu.continuity.registry import kind_of
from tsunagu.continuity.stewardship.services import stewardship_transfer
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.history import save_with_history


def can_supervise(user: Any, municipality_id: int) -> bool:
    """Handovers are run by the municipality's own staff (市町村職員) or a system administrator."""
    scope = scope_for(user)
    return scope.is_system_admin or municipality_id in scope.area_editable_municipality_ids


def _require_supervisor(actor: Any, municipality_id: int) -> None:
    if not can_supervise(actor, municipality_id):
        raise PermissionDenied("引継ぎを行えるのは、その市町村の職員だけです。")


def _require_draft(handover: Handover) -> None:
    if handover.status != HandoverStatus.DRAFT:
        raise TsunaguError(f"この引継ぎは「{handover.get_status_display()}」のため変更できません。")


def _leaver_rows(handover: Handover) -> list[Stewardship]:
    return list(
        Stewardship.objects.filter(user=handover.leaver, municipality=handover.municipality)
        .current_or_future(handover.effective_on)
        .select_related("content_type")
    )


def _sync_items(handover: Handover, *, actor: Any) -> None:
    """Add an item for every stewardship the leaver holds on the effective date."""
    have = set(handover.items.values_list("stewardship_id", flat=True))
    for row in _leaver_rows(handover):
        if row.pk not in have:
            item = HandoverItem(handover=handover, stewardship=row)
            save_with_history(item, actor=actor, action="continuity.handover.start")


@transaction.atomic
def handover_start(
    *,
    leaver: Any,
    municipality: Any,
    effective_on: datetime.date,
    reason: str,
    actor: Any,
    note: str = "",
) -> Handover:
    _require_supervisor(actor, municipality.pk)
    if leaver.pk == actor.pk and not scope_for(actor).is_system_admin:
        raise TsunaguError(
            "自分自身の引継ぎは上司（同じ市町村の職員）が開始してください。", field="leaver"
        )
    if not Membership.objects.filter(user=leaver, municipality=municipality).exists():
        raise TsunaguError(
            f"{leaver.display_name} さんは{municipality.name}の所属ではありません。", field="leaver"
        )
    if Handover.objects.filter(
        leaver=leaver, municipality=municipality, status=HandoverStatus.DRAFT
    ).exists():
        raise TsunaguError(
            f"{leaver.display_name} さんの準備中の引継ぎがすでにあります。", field="leaver"
        )
    if reason not in HandoverReason.values:
        raise TsunaguError("理由を選んでください。", field="reason")
    handover = Handover(
        municipality=municipality,
        leaver=leaver,
        reason=reason,
        effective_on=effective_on,
        note=note,
        started_by=actor,
    )
    save_with_history(handover, actor=actor, action="continuity.handover.start")
    _sync_items(handover, actor=actor)
    return handover


@transaction.atomic
def handover_update(
    *, handover: Handover, note: str, effective_on: datetime.date, actor: Any
) -> Handover:
    _require_supervisor(actor, handover.municipality_id)
    _require_draft(handover)
    handover.note = note
    handover.effective_on = effective_on
    save_with_history(handover, actor=actor, action="continuity.handover.update")
    _sync_items(handover, actor=actor)
    return handover


@transaction.atomic
def handover_item_assign(
    *, item: HandoverItem, successor: Any | None, actor: Any, note: str | None = None
) -> HandoverItem:
    """Name (or clear) the successor of one item; the note is changed when given."""
    handover = item.handover
    _require_supervisor(actor, handover.municipality_id)
    _require_draft(handover)
    if successor is not None and successor.pk == handover.leaver_id:
        raise TsunaguError("後任に異動・退職する本人は指定できません。", field="successor")
    item.successor = successor
    if note is not None:
        item.note = note
    save_with_history(item, actor=actor, action="continuity.handover.assign")
    return item


@transaction.atomic
def handover_assign_bulk(
    *,
    handover: Handover,
    successor: Any,
    actor: Any,
    kind_key: str = "",
    area: str = "",
    only_unassigned: bool = True,
) -> int:
    """Name ``successor`` for every item of a kind (``app_label.model``) and/or an area."""
    _require_supervisor(actor, handover.municipality_id)
    _require_draft(handover)
    count = 0
    for item in handover.items.select_related("stewardship__content_type"):
        if only_unassigned and item.successor_id is not None:
            continue
        obj = item.stewardship.subject
        kind = kind_of(obj) if obj is not None else None
        if kind is None:
            continue
        if kind_key and kind.key() != kind_key:
            continue
        if area and area not in kind.areas(obj):
            continue
        handover_item_assign(item=item, successor=successor, actor=actor)
        count += 1
    return count


@dataclass(frozen=True)
class Blocker:
    item: HandoverItem
    message: str


def handover_blockers(handover: Handover) -> list[Blocker]:
    """Why the handover cannot complete yet: items without a successor, successors without access."""
    blockers = []
    for item in handover.items.select_related("successor", "stewardship__content_type"):
        obj = item.stewardship.subject
        kind = kind_of(obj) if obj is not None else None
        if kind is None or obj is None:
            continue  # the record is gone, or its app is no longer installed: nothing to hand over
        title = f"{kind.label}「{kind.title(obj)}」"
        if item.successor is None:
            blockers.append(Blocker(item, f"{title}の後任が決まっていません。"))
        elif not item.successor.is_active or not kind.can_view(item.successor, obj):
            blockers.append(
                Blocker(
                    item,
                    f"{title}: 後任の{item.successor.display_name} さんはこの記録を閲覧する権限がありません"
                    "（所属を確認してください。引継ぎで権限は付与されません）。",
                )
            )
    return blockers


@transaction.atomic
def handover_complete(*, handover: Handover, actor: Any) -> Handover:
    _require_supervisor(actor, handover.municipality_id)
    handover = Handover.objects.select_for_update(of=("self",)).get(pk=handover.pk)
    _require_draft(handover)
    _sync_items(handover, actor=actor)
    blockers = handover_blockers(handover)
    if blockers:
        raise TsunaguError(
            "引継ぎを完了できません: " + " ".join(b.message for b in blockers),
            code="handover_blocked",
        )
    for item in handover.items.select_related("stewardship", "successor"):
        if item.stewardship.subject is None:
            continue
        stewardship_transfer(
            stewardship=item.stewardship,
            successor=item.successor,
            effective_on=handover.effective_on,
            actor=actor,
            note=f"引継ぎ #{handover.pk}",
            handed_over_by=item,
        )
    last_day = handover.effective_on - datetime.timedelta(days=1)
    memberships = Membership.objects.filter(
        user=handover.leaver, municipality=handover.municipality, starts_on__lte=last_day
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=last_day))
    for membership in memberships:
        membership.ends_on = last_day
        save_with_history(
            membership,
            actor=actor,
            action="accounts.membership.end",
            note=handover.get_reason_display(),
        )
    forget_scope(handover.leaver)
    handover.status = HandoverStatus.COMPLETED
    handover.completed_at = timezone.now()
    save_with_history(handover, actor=actor, action="continuity.handover.complete")
    return handover


@transaction.atomic
def handover_cancel(*, handover: Handover, actor: Any) -> Handover:
    _require_supervisor(actor, handover.municipality_id)
    _require_draft(handover)
    handover.status = HandoverStatus.CANCELLED
    save_with_history(handover, actor=actor, action="continuity.handover.cancel")
    return handover
