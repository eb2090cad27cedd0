"""The one-click regional issue 「受皿が不足」 offered by care's readiness page.

Care sits below regional issues (docs/architecture.md) and may not import them: it calls the
``care_receiver_shortage`` hook, which this module fills with two functions — whether the user
may raise an issue in the municipality, and raising it for a district with the figures
(aggregates only, never a person).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import timezone

from tsunagu.accounts.scope import can_edit
from tsunagu.regional_issues.models import SourceKind
from tsunagu.regional_issues.services import IssueFields, issue_raise

TITLE = "受皿が不足（%(district)s）"
SOURCE_NOTE = "サービスC卒業後の受皿の準備状況（集計）"


def can_raise(user: Any, municipality: Any) -> bool:
    return can_edit(user, municipality)


def raise_shortage(*, municipality: Any, district: Any, description: str, actor: Any) -> str:
    """Raise the issue for ``district`` and answer its page's URL."""
    issue = issue_raise(
        municipality=municipality,
        fields=IssueFields(
            title=TITLE % {"district": district.name},
            description=description,
            source_kind=SourceKind.OTHER,
            source_note=SOURCE_NOTE,
            raised_on=timezone.localdate(),
            districts=[district],
        ),
        actor=actor,
    )
    return reverse("regional_issues:detail", args=[issue.pk])


def shortage_actions() -> dict[str, Callable[..., Any]]:
    return {"can_raise": can_raise, "raise": raise_shortage}
