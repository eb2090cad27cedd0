"""How accounts plug into the project: sign-in and account pages under /accounts/,
``tsunagu createadmin``; which municipalities' jobs a staff member sees (``job_municipalities``)."""

from typing import Any

from tsunagu.accounts.scope import municipalities_editable_to
from tsunagu.core.jobs.selectors import JOB_MUNICIPALITIES
from tsunagu.core.plugins import AppPlugin, UrlMount, register_app, register_hook

PLUGIN = AppPlugin(
    label="accounts",
    urls=(UrlMount("accounts/", "tsunagu.accounts.urls"),),
    cli="tsunagu.accounts.cli:add_commands",
)


def job_municipalities(user: Any) -> Any:
    """Staff see the jobs of the municipalities whose records they may change."""
    return municipalities_editable_to(user).values("pk")


def register() -> None:
    register_app(PLUGIN)
    register_hook(JOB_MUNICIPALITIES, "accounts_editable", job_municipalities)
