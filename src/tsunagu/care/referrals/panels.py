"""Dashboard panel for the sender side: stalled referrals (止まっているつなぎ) — sent and
unanswered, or accepted and not started, for ``TSUNAGU_REFERRAL_REMIND_AFTER_DAYS`` days.

It names a referral by number and destination, never the person, so showing it reads no
resident data (nothing to log)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.core.panels import Panel, register_panel

SHOWN = 10


def _context(request: HttpRequest) -> dict[str, Any] | None:
    from tsunagu.care.access import can_open_residents
    from tsunagu.care.referrals import selectors

    if not can_open_residents(request.user):
        return None
    today = timezone.localdate()
    stalled = selectors.stalled_referrals_for_sender(user=request.user, today=today)
    rows = []
    for referral in stalled[:SHOWN]:
        since = referral.sent_on if referral.status == "sent" else referral.answered_on
        place = referral.resource or referral.program
        rows.append(
            {
                "referral": referral,
                "place": place.name if place is not None else "",
                "days": (today - since).days if since else None,
            }
        )
    return {
        "rows": rows,
        "total": stalled.count(),
        "days": selectors.remind_after_days(),
    }


def register() -> None:
    register_panel(
        Panel(
            key="care.referrals",
            title=_("止まっているつなぎ"),
            template="care/referrals/panel.html",
            context=_context,
            order=71,
        )
    )
