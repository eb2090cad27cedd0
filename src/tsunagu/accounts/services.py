"""Writes of users and memberships, API tokens, signed-in browsers and calendar feeds."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import ApiToken, Membership, Role, UserSession
from tsunagu.accounts.permissions import forget_scope, scope_for
from tsunagu.core.errors import PermissionDenied
from tsunagu.core.history import save_with_history
from tsunagu.core.net import client_ip

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


# --- API tokens -------------------------------------------------------------------------------


@transaction.atomic
def api_token_issue(
    *, user: Any, expires_at: datetime.datetime, actor: Any, name: str = ""
) -> ApiToken:
    """Record a new token of ``user`` (its random key goes into the signed token)."""
    if actor.pk != user.pk:
        raise PermissionDenied()
    token = ApiToken(user=user, key=secrets.token_hex(16), name=name[:100], expires_at=expires_at)
    save_with_history(token, actor=actor, action="accounts.api_token.issue", note=token.name)
    return token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    """End one token of the actor's own; it is refused from then on (401)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if actor.pk != token.user_id:
        raise PermissionDenied()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        save_with_history(token, actor=actor, action="accounts.api_token.revoke", note=token.name)
    return token


USED_RESOLUTION = datetime.timedelta(minutes=5)


def api_token_mark_used(*, token: ApiToken, now: datetime.datetime | None = None) -> None:
    """Note when a token was last used (at most one write per token every 5 minutes)."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


# --- signed-in browsers -----------------------------------------------------------------------


def _session_store(session_key: str) -> SessionBase:
    from importlib import import_module

    from django.conf import settings

    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def session_record(*, request: Any, user: Any) -> UserSession | None:
    """Remember the browser that just signed in (device, address), keyed by its session."""
    session_key = request.session.session_key
    if not session_key:
        request.session.save()
        session_key = request.session.session_key
    now = timezone.now()
    entry, _created = UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "ip_address": client_ip(request) or "",
            "created_at": now,
            "last_seen_at": now,
        },
    )
    return entry


SEEN_SESSION_KEY = "tsunagu_seen_at"


def session_seen(*, request: Any) -> None:
    """Refresh the last-seen time of the request's browser: at most one write every 5 minutes,
    and no query at all in between (the time of the last write is kept in the session)."""
    session_key = request.session.session_key
    now = timezone.now()
    last = request.session.get(SEEN_SESSION_KEY)
    if not session_key or (last and now.timestamp() - last < USED_RESOLUTION.total_seconds()):
        return
    request.session[SEEN_SESSION_KEY] = now.timestamp()
    UserSession.objects.filter(session_key=session_key).update(
        last_seen_at=now, ip_address=client_ip(request) or ""
    )


@transaction.atomic
def session_end(*, session: UserSession, actor: Any) -> None:
    """Sign one of the actor's browsers out (its Django session is deleted)."""
    if actor.pk != session.user_id:
        raise PermissionDenied()
    _session_store(session.session_key).delete()
    UserSession.objects.filter(pk=session.pk).delete()


@transaction.atomic
def sessions_end_others(*, user: Any, actor: Any, current_session_key: str) -> int:
    """Sign every other browser of ``user`` out; the current one stays. Returns how many."""
    if actor.pk != user.pk:
        raise PermissionDenied()
    others = list(UserSession.objects.filter(user=user).exclude(session_key=current_session_key))
    for other in others:
        _session_store(other.session_key).delete()
    UserSession.objects.filter(pk__in=[other.pk for other in others]).delete()
    return len(others)


def session_forget(*, session_key: str) -> None:
    """The browser signed out by itself."""
    UserSession.objects.filter(session_key=session_key).delete()


# --- calendar feeds ---------------------------------------------------------------------------


@transaction.atomic
def calendar_feeds_rotate(*, user: Any, actor: Any) -> Any:
    """New secret calendar addresses for ``user``: the ones handed out before stop working."""
    if actor.pk != user.pk:
        raise PermissionDenied()
    user.feed_secret = secrets.token_hex(16)
    user.save(update_fields=["feed_secret"])
    return user
