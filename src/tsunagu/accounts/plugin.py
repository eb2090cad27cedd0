"""How accounts plug into the project: sign-in and account pages under /accounts/, the
account API (/api/v1/account/), ``tsunagu createadmin``, the API token table behind
:mod:`tsunagu.core.api.auth` (hooks ``api_token_issued`` / ``api_token_active``), and which
municipalities' jobs a staff member sees (``job_municipalities``)."""

from __future__ import annotations

import datetime
from typing import Any

from tsunagu.accounts.scope import municipalities_editable_to
from tsunagu.core.jobs.selectors import JOB_MUNICIPALITIES
from tsunagu.core.plugins import ApiMount, AppPlugin, UrlMount, register_app, register_hook

PLUGIN = AppPlugin(
    label="accounts",
    urls=(UrlMount("accounts/", "tsunagu.accounts.urls"),),
    api=(ApiMount("/account", "tsunagu.accounts.api:router"),),
    cli="tsunagu.accounts.cli:add_commands",
)


def _token_issued(*, user: Any, expires_at: datetime.datetime, name: str) -> str:
    from tsunagu.accounts import services

    return services.api_token_issue(user=user, expires_at=expires_at, actor=user, name=name).key


def _token_active(*, user: Any, key: str) -> bool:
    from tsunagu.accounts import selectors, services

    token = selectors.api_token_find(user=user, key=key)
    if token is None or not token.is_active():
        return False
    services.api_token_mark_used(token=token)
    return True


def job_municipalities(user: Any) -> Any:
    """Staff see the jobs of the municipalities whose records they may change."""
    return municipalities_editable_to(user).values("pk")


def register() -> None:
    register_app(PLUGIN)
    register_hook("api_token_issued", "accounts", _token_issued)
    register_hook("api_token_active", "accounts", _token_active)
    register_hook(JOB_MUNICIPALITIES, "accounts_editable", job_municipalities)
    from tsunagu.accounts import signals

    signals.connect()
