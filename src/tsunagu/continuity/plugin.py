"""How stewardship (担当), the contact log and handover (引継ぎ) plug into the project.

Hooks this app names (for apps above it):

- ``stewarded_kinds`` (:mod:`tsunagu.continuity.registry`): each app registers the kinds of
  record that have stewards with ``register_kind(StewardedKind(...))`` from its own
  ``plugin.py``; bodies, regional issues, engagements and mobility do. A new app (referrals,
  service C courses) does the same and shows the section with
  ``{% load continuity %}{% stewardship_section object %}`` on its detail page.

- ``timeline_entries`` (:mod:`tsunagu.continuity.timeline.entries`): each app adds the entries
  of its records' timelines (meetings, visits, stage changes, insights, comments) with
  ``register_timeline(key, provider)``; bodies, regional issues and engagements do.
- ``dependency_findings`` (:mod:`tsunagu.continuity.dependency.report`): findings of the
  single-person-dependency report an app can judge (bodies: meetings attended by one of us).

Hooks this app fills: ``reminder_senders`` (the stale digest mail, run by
``tsunagu engagements send-reminders``), the dashboard panel 「動きのない担当」, the directory's ``organisation_detail_sections`` (担当, 連絡・訪問の記録)
and ``person_detail_sections`` (連絡・訪問の記録).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tsunagu.core.plugins import (
    REMINDER_SENDERS,
    AppPlugin,
    UrlMount,
    register_app,
    register_hook,
)
from tsunagu.directory.extensions import ORGANISATION_DETAIL_SECTIONS, PERSON_DETAIL_SECTIONS

PLUGIN = AppPlugin(label="continuity", urls=(UrlMount("continuity/", "tsunagu.continuity.urls"),))


def _organisation_areas(organisation: object) -> tuple[str, ...]:
    return tuple(
        [a.name for a in organisation.daily_life_areas.all()]  # type: ignore[attr-defined]
        + [d.name for d in organisation.districts.all()]  # type: ignore[attr-defined]
    )


def register() -> None:
    from tsunagu.continuity import sections
    from tsunagu.continuity.registry import StewardedKind, register_kind
    from tsunagu.directory.permissions import can_edit_record, can_view_record

    register_app(PLUGIN)
    # Organisations are below continuity, so continuity registers them itself (as relationships).
    register_kind(
        StewardedKind(
            model="directory.Organisation",
            label=_("団体との関係"),
            url=lambda o: reverse("directory:organisation_detail", args=[o.pk]),
            title=lambda o: o.name,
            can_view=can_view_record,
            can_edit=can_edit_record,
            municipality_id=lambda o: o.municipality_id,
            areas=_organisation_areas,
            order=10,
        )
    )
    register_hook(
        ORGANISATION_DETAIL_SECTIONS,
        "continuity_1_stewards",
        sections.organisation_stewardship_section,
    )
    register_hook(
        ORGANISATION_DETAIL_SECTIONS,
        "continuity_2_contacts",
        sections.organisation_contacts_section,
    )
    register_hook(PERSON_DETAIL_SECTIONS, "continuity_contacts", sections.person_contacts_section)
    from tsunagu.continuity.timeline import providers
    from tsunagu.continuity.timeline.entries import register_timeline

    register_timeline("continuity_1_history", providers.history_timeline)
    register_timeline("continuity_2_stewards", providers.steward_timeline)
    register_timeline("continuity_3_contacts", providers.contact_timeline)
    from tsunagu.continuity import panels
    from tsunagu.continuity.stale.digest import send_stale_digests

    panels.register()
    # The engagements' reminder command runs every sender of this hook (one cron line).
    register_hook(REMINDER_SENDERS, "continuity_stale_digest", send_stale_digests)
