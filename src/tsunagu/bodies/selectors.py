"""Reads of bodies, meetings and action items, scoped to the user's municipalities."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from tsunagu.accounts.permissions import can_view, scope_q
from tsunagu.bodies.models import (
    ActionItem,
    ActionItemStatus,
    BodyMember,
    CertificationApplication,
    CertificationDocument,
    CertificationRules,
    CertificationStatus,
    ConsultativeBody,
    Meeting,
    MeetingAttachment,
    MeetingStatus,
)
from tsunagu.core.errors import NotFound

OPEN_ACTION_STATUSES = (ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS)


def body_list_visible_to(*, user: Any) -> QuerySet[ConsultativeBody]:
    return (
        ConsultativeBody.objects.filter(scope_q(user))
        .select_related("municipality", "daily_life_area", "district", "parent", "coordinator")
        .annotate(meeting_count=Count("meetings", distinct=True))
    )


def body_get_for_user(*, user: Any, pk: int) -> ConsultativeBody:
    body = (
        ConsultativeBody.objects.select_related(
            "municipality__prefecture",
            "daily_life_area",
            "district",
            "parent",
            "host_organisation",
            "secretariat",
            "coordinator",
        )
        .filter(pk=pk)
        .first()
    )
    if body is None or not can_view(user, body):
        raise NotFound()
    return body


def parent_choices(
    *, user: Any, municipality: Any, body: ConsultativeBody | None = None
) -> QuerySet[ConsultativeBody]:
    """The bodies ``body`` may hang under: visible, of its municipality, and neither ``body``
    itself nor any body below it (that would make a loop)."""
    parents = body_list_visible_to(user=user).filter(municipality=municipality)
    if body is not None:
        parents = parents.exclude(pk__in={body.pk, *_descendant_ids(body)})
    return parents


def _descendant_ids(body: ConsultativeBody) -> set[int]:
    found: set[int] = set()
    frontier = {body.pk}
    while frontier:
        frontier = (
            set(
                ConsultativeBody.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            - found
        )
        found |= frontier
    return found


def members_of(body: ConsultativeBody, *, current_only: bool = False) -> QuerySet[BodyMember]:
    members = body.members.select_related("organisation", "person", "district")
    if current_only:
        today = timezone.localdate()
        members = members.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)).filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=today)
        )
    return members


def meeting_list_visible_to(*, user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        scope_q(user, municipality_field="body__municipality")
    ).select_related("body", "facilitator")


def meeting_get_for_user(*, user: Any, pk: int) -> Meeting:
    meeting = (
        Meeting.objects.select_related("body__municipality", "facilitator")
        .prefetch_related(
            Prefetch("attendance"),
            "attendance__person",
            "attendance__organisation",
            "decisions",
            "attachments",
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.select_related("owner_person", "owner_organisation"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is None or not can_view(user, meeting):
        raise NotFound()
    return meeting


def action_item_list_visible_to(*, user: Any) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(
        scope_q(user, municipality_field="body__municipality")
    ).select_related("body", "meeting", "owner_person", "owner_organisation", "regional_issue")


def action_item_get_for_user(*, user: Any, pk: int) -> ActionItem:
    item = action_item_list_visible_to(user=user).filter(pk=pk).first()
    if item is None:
        raise NotFound()
    return item


def overdue_action_items(*, user: Any, today: datetime.date | None = None) -> QuerySet[ActionItem]:
    today = today or timezone.localdate()
    return (
        action_item_list_visible_to(user=user)
        .filter(status__in=OPEN_ACTION_STATUSES, due_on__lt=today)
        .order_by("due_on")
    )


def meetings_of_user(*, user: Any) -> QuerySet[Meeting]:
    """Meetings of bodies where the user's directory person sits, for the personal .ics feed."""
    person = getattr(user, "person", None) if _has_person(user) else None
    visible = meeting_list_visible_to(user=user)
    if person is None:
        return visible.none()
    return visible.filter(Q(body__members__person=person) | Q(attendance__person=person)).distinct()


def _has_person(user: Any) -> bool:
    try:
        return user.person is not None
    except Exception:  # RelatedObjectDoesNotExist: the user has no directory entry
        return False


def certified_bodies_public() -> QuerySet[CertificationApplication]:
    """The public list of certified bodies (name, number, date, area): no login needed."""
    today = timezone.localdate()
    return (
        CertificationApplication.objects.filter(status=CertificationStatus.CERTIFIED)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("body__municipality", "body__daily_life_area", "body__district")
        .order_by("body__municipality", "certified_on")
    )


def certification_get_for_user(*, user: Any, pk: int) -> CertificationApplication:
    application = (
        CertificationApplication.objects.select_related("body__municipality", "rules")
        .prefetch_related("documents")
        .filter(pk=pk)
        .first()
    )
    if application is None or not can_view(user, application):
        raise NotFound()
    return application


# --- added for the web UI (views, panel) ---------------------------------------------------


def certification_rules_visible_to(*, user: Any) -> QuerySet[CertificationRules]:
    return CertificationRules.objects.filter(scope_q(user)).select_related("municipality")


def certification_rules_get_for_user(*, user: Any, pk: int) -> CertificationRules:
    rules = certification_rules_visible_to(user=user).filter(pk=pk).first()
    if rules is None:
        raise NotFound()
    return rules


def certification_list_visible_to(*, user: Any) -> QuerySet[CertificationApplication]:
    return CertificationApplication.objects.filter(
        scope_q(user, municipality_field="body__municipality")
    ).select_related("body__municipality", "rules", "renewal_of")


def attachment_get_for_user(*, user: Any, pk: int) -> MeetingAttachment:
    """A minutes attachment, only if the user may see its meeting (else "not found")."""
    attachment = (
        MeetingAttachment.objects.select_related("meeting__body__municipality")
        .filter(pk=pk)
        .first()
    )
    if attachment is None or not can_view(user, attachment.meeting):
        raise NotFound()
    return attachment


def certification_document_get_for_user(*, user: Any, pk: int) -> CertificationDocument:
    """An application document, only if the user may see its application (else "not found")."""
    document = (
        CertificationDocument.objects.select_related("application__body__municipality")
        .filter(pk=pk)
        .first()
    )
    if document is None or not can_view(user, document.application):
        raise NotFound()
    return document


def bodies_of_user(*, user: Any) -> QuerySet[ConsultativeBody]:
    """Visible bodies where the user's directory person sits now or is the assigned SC."""
    if not _has_person(user):
        return ConsultativeBody.objects.none()
    person = user.person
    today = timezone.localdate()
    seat = (
        Q(members__person=person)
        & (Q(members__ends_on__isnull=True) | Q(members__ends_on__gte=today))
        & (Q(members__starts_on__isnull=True) | Q(members__starts_on__lte=today))
    )
    return body_list_visible_to(user=user).filter(seat | Q(coordinator=person)).distinct()


def member_get_for_user(*, user: Any, pk: int) -> BodyMember:
    member = (
        BodyMember.objects.select_related("body__municipality", "organisation", "person")
        .filter(pk=pk)
        .first()
    )
    if member is None or not can_view(user, member.body):
        raise NotFound()
    return member


def with_schedule_summary(
    bodies: QuerySet[ConsultativeBody],
    *,
    now: datetime.datetime | None = None,
    today: datetime.date | None = None,
) -> QuerySet[ConsultativeBody]:
    """Annotate each body with its next meeting (``next_meeting_at``), open and overdue items."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    next_meeting = (
        Meeting.objects.filter(body=OuterRef("pk"), starts_at__gte=now)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )

    def count_items(**filters: Any) -> Subquery:
        return Subquery(
            ActionItem.objects.filter(
                body=OuterRef("pk"), status__in=OPEN_ACTION_STATUSES, **filters
            )
            .order_by()
            .values("body")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )

    return bodies.annotate(
        next_meeting_at=Subquery(next_meeting),
        open_action_count=Coalesce(count_items(), 0),
        overdue_action_count=Coalesce(count_items(due_on__lt=today), 0),
    )
