"""The change history pages of organisations, people and resources."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from tsunagu.core.http import history_page
from tsunagu.directory import selectors
from tsunagu.directory.views.shared import organisation_url, person_url, resource_url


@login_required
def organisation_history(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
    return history_page(request, organisation, organisation_url(organisation))


@login_required
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    return history_page(request, person, person_url(person))


@login_required
def resource_history(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_get_for_user(user=request.user, pk=pk)
    return history_page(request, resource, resource_url(resource))
