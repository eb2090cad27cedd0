"""Who may do what with service B groups and their subsidy (on top of accounts.scope).

- see: anyone whose scope covers the group's municipality (``can_view``);
- register groups, periods, drafts of applications: the municipality's editors
  (行政・地域包括・SC: ``can_edit``);
- set the subsidy policy and approve or return an application: the municipality's own staff
  (行政, the role that also edits its area data), not 地域包括 or SC — the subsidy is the
  municipality's decision.
"""

from __future__ import annotations

from typing import Any

from tsunagu.accounts.scope import can_edit, can_view, scope_for

__all__ = ["can_decide", "can_edit", "can_view"]


def can_decide(user: Any, municipality: Any) -> bool:
    scope = scope_for(user)
    return scope.is_system_admin or municipality.pk in scope.area_editable_municipality_ids
