"""How care prevention plugs into the project: the resident pages under ``care/``, the
checklist pages under ``care/checklists/`` and the referral pages (つなぎ) under
``care/referrals/`` (longer prefixes first), the residents' API under ``/api/v1/care`` and the
referrals' under ``/api/v1/care/referrals``, the ``tsunagu checklist`` and ``tsunagu care``
commands, the 「住民」 menu entry (only for holders of the care right), the checklists' and the
stalled referrals' dashboard panels, the referral reminders (``reminder_senders``, run by
``tsunagu engagements send-reminders``) and the residents' ``consent_withdrawn`` hook (a
withdrawn 「つなぎ」 consent stops the resident's referrals)."""

from tsunagu.care.checklist import jobs as checklist_jobs
from tsunagu.care.checklist import panels
from tsunagu.care.referrals import panels as referral_panels
from tsunagu.care.residents import jobs as retention_jobs
from tsunagu.core.plugins import (
    REMINDER_SENDERS,
    ApiMount,
    AppPlugin,
    UrlMount,
    register_app,
    register_hook,
)

PLUGIN = AppPlugin(
    label="care",
    urls=(
        UrlMount("care/checklists/", "tsunagu.care.checklist.urls"),
        UrlMount("care/referrals/", "tsunagu.care.referrals.urls"),
        UrlMount("care/", "tsunagu.care.residents.urls"),
    ),
    api=(
        ApiMount("/care/referrals", "tsunagu.care.referrals.api:router"),
        ApiMount("/care", "tsunagu.care.residents.api:router"),
    ),
    cli="tsunagu.care.cli:add_commands",
)


def register() -> None:
    from tsunagu.care.referrals.reminders import send_referral_reminders
    from tsunagu.care.referrals.services import stop_on_consent_withdrawn
    from tsunagu.care.residents.nav import main_nav_items
    from tsunagu.care.residents.services import CONSENT_WITHDRAWN

    register_app(PLUGIN)
    retention_jobs.register()  # the daily retention run, by the worker
    checklist_jobs.register()  # anonymous surveys scored in bulk
    register_hook("main_nav_items", "care.residents", main_nav_items)
    panels.register()
    referral_panels.register()
    register_hook(REMINDER_SENDERS, "care_referral_reminders", send_referral_reminders)
    register_hook(CONSENT_WITHDRAWN, "care_referrals_stop", stop_on_consent_withdrawn)
