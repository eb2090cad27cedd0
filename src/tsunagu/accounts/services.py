"""Writes of users and memberships."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from tsunagu.accounts.models import Membership, Role
from tsunagu.accounts.permissions import forget_scope, scope_for
from tsunagu.core.errors import PermissionDenied
from tsunagu.core.history import save_with_history

SYSTEM_USERNAME = "system"


def system_actor() -> Any:
    """The account loaders and commands act as: a superuser that cannot sign in."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"full_name": "システム（データ読込）", "is_superuser": True, "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def user_preferences_update(*, user: Any, language: str, date_style: str, actor: Any) -> Any:
    """A user changes their own display language and date style."""
    if actor.pk != user.pk:
        raise PermissionDenied()
    user.language = language
    user.date_style = date_style
    user.full_clean(exclude=["password"])
    user.save(update_fields=["language", "date_style"])
    return user


@transaction.atomic
def membership_grant(
    *,
    user: Any,
    role: str,
    actor: Any,
    prefecture: Any = None,
    municipality: Any = None,
    organisation: Any = None,
    coordinator_layer: int | None = None,
    title: str = "",
    can_view_personal_data: bool = False,
    can_view_care_records: bool = False,
) -> Membership:
    """Give ``user`` a role over a scope. Only system administrators and staff of that scope."""
    scope = scope_for(actor)
    allowed = scope.is_system_admin or (
        role != Role.SYSTEM_ADMIN
        and (
            (prefecture is not None and prefecture.pk in scope.editable_prefecture_ids)
            or (
                municipality is not None and municipality.pk in scope.area_editable_municipality_ids
            )
        )
    )
    if not allowed:
        raise PermissionDenied()
    membership = Membership(
        user=user,
        role=role,
        prefecture=prefecture,
        municipality=municipality,
        organisation=organisation,
        coordinator_layer=coordinator_layer,
        title=title,
        can_view_personal_data=can_view_personal_data,
        can_view_care_records=can_view_care_records,
    )
    save_with_history(membership, actor=actor, action="accounts.membership.grant")
    forget_scope(user)
    return membership


def log_personal_data_reads(
    *, user: Any, model_label: str, reads: list[tuple[Any, str]], purpose: str = "", path: str = ""
) -> None:
    """:func:`log_personal_data_read` for many records of one model in one INSERT (a list
    page): ``reads`` holds ``(object id, label)`` pairs, one row each."""
    from django.utils import timezone

    from tsunagu.accounts.models import PersonalDataReadLog

    now = timezone.now()
    PersonalDataReadLog.objects.bulk_create(
        PersonalDataReadLog(
            user=user,
            read_at=now,
            model_label=model_label,
            object_id=str(object_id),
            object_repr=label[:200],
            purpose=purpose[:200],
            path=path[:300],
        )
        for object_id, label in reads
    )


def log_personal_data_read(
    *, user: Any, obj: Any, purpose: str = "", path: str = "", label: str | None = None
) -> None:
    """Record that ``user`` read the sensitive personal data of ``obj`` (要配慮個人情報).

    Call it wherever such data is shown or returned (page, export, API), after the
    permission check and before the response is built.
    """
    from tsunagu.accounts.models import PersonalDataReadLog

    PersonalDataReadLog.objects.create(
        user=user,
        model_label=obj._meta.label,
        object_id=str(obj.pk),
        # ``label`` when the log's readers (operators) must not see the person's name.
        object_repr=(str(obj) if label is None else label)[:200],
        purpose=purpose[:200],
        path=path[:300],
    )
