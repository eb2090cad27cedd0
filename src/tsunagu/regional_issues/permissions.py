"""Who may comment on an issue: municipal editors, and members of the body where it sits."""

from __future__ import annotations

from typing import Any

from tsunagu.accounts.permissions import can_edit, can_view, scope_for
from tsunagu.regional_issues.models import RegionalIssue


def can_comment(user: Any, issue: RegionalIssue) -> bool:
    if can_edit(user, issue):
        return True
    if not can_view(user, issue) or issue.body_id is None:
        return False
    scope = scope_for(user)
    from tsunagu.bodies.selectors import members_of

    members = members_of(issue.body, current_only=True)
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    if person is not None and members.filter(person=person).exists():
        return True
    return members.filter(organisation_id__in=scope.organisation_ids).exists()
