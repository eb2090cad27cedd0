"""Which entries a user (or a resident) may find: the selectors' visibility rule
(``permissions.visible_q``) applied to the entries' copies of the record's and provider's
scope.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tsunagu.directory.models import ResourceStatus, SearchEntry
from tsunagu.directory.permissions import visible_q

# --- scope -----------------------------------------------------------------------------

_PROVIDER_FIELDS = {
    "visibility": "provider_visibility",
    "municipality": "provider_municipality",
    "prefecture": "provider_prefecture",
    "pk": "provider",
}


def _on_provider(condition: Q) -> Q:
    """``condition`` written for an organisation, applied to an entry's provider copy."""
    rewritten = Q()
    rewritten.connector = condition.connector
    rewritten.negated = condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            rewritten.children.append(_on_provider(child))
        else:
            lookup, value = child
            name, _, rest = lookup.partition("__")
            rewritten.children.append(
                (_PROVIDER_FIELDS[name] + (f"__{rest}" if rest else ""), value)
            )
    return rewritten


def _visible(user: Any, *, public_only: bool) -> Q:
    """Entries of the records the selectors would give the user (see module docstring)."""
    who = None if public_only else user
    organisations = Q(kind=SearchEntry.Kind.ORGANISATION) & visible_q(
        who, own_organisation_field="organisation"
    )
    resources = (
        Q(kind=SearchEntry.Kind.RESOURCE)
        & visible_q(who, own_organisation_field="provider")
        & _on_provider(visible_q(who, own_organisation_field="pk"))
    )
    if public_only:
        resources &= ~Q(status=ResourceStatus.ENDED)  # as selectors.public_resource_list
    return organisations | resources


def public_resource_entries() -> QuerySet[SearchEntry]:
    """Entries of the resources residents see (those of selectors.public_resource_list)."""
    return SearchEntry.objects.filter(
        _visible(None, public_only=True), kind=SearchEntry.Kind.RESOURCE
    )
