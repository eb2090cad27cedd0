"""Who may see and change accompanying-support records.

- Municipal staff (municipal editor roles) see and edit their municipality's engagements.
- Prefecture staff see every engagement in their prefecture, record follow-ups, change the
  status (フォローアップ中・停滞・一定のめど are the prefecture's judgement too) and record the
  selections (応募・採択) of their prefecture's programs.
- Advisors: a ``Role.ADVISOR`` membership grants nothing by itself (see
  ``accounts.permissions.READER_ROLES``). An advisor sees exactly the engagements where an
  :class:`EngagementAdvisor` names their account, with those engagements' visits, insights,
  contacts and roadmaps, and may add visits, insights and contacts to them.
"""

from __future__ import annotations

from typing import Any

from tsunagu.accounts.permissions import can_edit, can_view, scope_for


def advisor_engagement_ids(user: Any) -> frozenset[int]:
    """Engagements whose advisor list names ``user`` (cached on the user for the request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_tsunagu_advised_engagements", None)
    if cached is not None:
        return cached
    from tsunagu.engagements.models import EngagementAdvisor

    ids = frozenset(
        EngagementAdvisor.objects.filter(user=user).values_list("engagement_id", flat=True)
    )
    user._tsunagu_advised_engagements = ids
    return ids


def forget_advisor_cache(user: Any) -> None:
    if user is not None and hasattr(user, "_tsunagu_advised_engagements"):
        del user._tsunagu_advised_engagements


def is_advisor_of(user: Any, engagement: Any) -> bool:
    return engagement.pk in advisor_engagement_ids(user)


def _is_prefecture_staff_of(user: Any, engagement: Any) -> bool:
    return engagement.scope_prefecture_id in scope_for(user).editable_prefecture_ids


def can_view_engagement(user: Any, engagement: Any) -> bool:
    return can_view(user, engagement) or is_advisor_of(user, engagement)


def can_edit_engagement(user: Any, engagement: Any) -> bool:
    """Change the engagement's own fields, advisors and roadmaps: municipal editors, admin."""
    return can_edit(user, engagement)


def can_create_engagement(user: Any, municipality: Any) -> bool:
    """Register an engagement (an application) for a municipality."""
    scope = scope_for(user)
    return can_edit(user, municipality) or municipality.prefecture_id in (
        scope.editable_prefecture_ids
    )


def can_change_status(user: Any, engagement: Any) -> bool:
    return can_edit(user, engagement) or _is_prefecture_staff_of(user, engagement)


def can_record_visit(user: Any, engagement: Any) -> bool:
    """Visits, insights and contacts: the municipality's editors and the engagement's advisors."""
    return can_edit(user, engagement) or is_advisor_of(user, engagement)


def can_record_follow_up(user: Any, engagement: Any) -> bool:
    return can_edit(user, engagement) or _is_prefecture_staff_of(user, engagement)


def can_view_roadmap(user: Any, roadmap: Any) -> bool:
    if can_view(user, roadmap):
        return True
    return roadmap.engagement_id is not None and (
        roadmap.engagement_id in advisor_engagement_ids(user)
    )


def can_edit_roadmap(user: Any, roadmap_or_municipality: Any) -> bool:
    return can_edit(user, roadmap_or_municipality)


def can_edit_program(user: Any, program: Any) -> bool:
    """Ministry programs: system administrators; prefecture programs: that prefecture's staff."""
    scope = scope_for(user)
    if scope.is_system_admin:
        return True
    return program.owner_prefecture_id is not None and (
        program.owner_prefecture_id in scope.editable_prefecture_ids
    )


def can_record_selection(user: Any, program: Any, municipality: Any) -> bool:
    """応募・採択: the program's owner, or the applying municipality's editors."""
    return can_edit_program(user, program) or can_edit(user, municipality)


def can_edit_followup_settings(user: Any, prefecture: Any) -> bool:
    scope = scope_for(user)
    return scope.is_system_admin or prefecture.pk in scope.editable_prefecture_ids


def can_view_municipality_engagements(user: Any, municipality: Any) -> bool:
    """The municipality's engagements pages and case sheet: its scope, or one of its advisors."""
    if can_view(user, municipality):
        return True
    from tsunagu.engagements.models import Engagement

    ids = advisor_engagement_ids(user)
    return bool(ids) and Engagement.objects.filter(pk__in=ids, municipality=municipality).exists()


def can_edit_case_sheet(user: Any, municipality: Any) -> bool:
    """Narrative fields of the case sheet: the municipality's editors (and administrators)."""
    return can_edit(user, municipality)
