"""The worklist of records not checked for 12 months."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tsunagu.directory import selectors
from tsunagu.directory.permissions import can_edit_record

STALE_PER_PAGE = 50


@login_required
def stale_list(request: HttpRequest) -> HttpResponse:
    """Records not verified for 12 months: oldest check first, never-checked ones after."""
    user = request.user
    stale = selectors.stale_records_for(user=user)
    order = (F("last_verified_on").asc(nulls_last=True), "name", "pk")
    organisations = Paginator(
        stale["organisations"].select_related("last_verified_by").order_by(*order), STALE_PER_PAGE
    ).get_page(request.GET.get("opage"))
    resources = Paginator(
        stale["resources"].select_related("last_verified_by").order_by(*order), STALE_PER_PAGE
    ).get_page(request.GET.get("rpage"))
    query = request.GET.copy()

    def page_url(name: str, number: int) -> str:
        q = query.copy()
        q[name] = str(number)
        return "?" + q.urlencode()

    sections = []
    for key, label, page, param, url_name in (
        ("organisations", _("団体・組織"), organisations, "opage", "directory:organisation_detail"),
        ("resources", _("地域資源"), resources, "rpage", "directory:resource_detail"),
    ):
        sections.append(
            {
                "key": key,
                "label": label,
                "page": page,
                "rows": [
                    {
                        "obj": obj,
                        "url": reverse(url_name, args=[obj.pk]),
                        "can_verify": can_edit_record(user, obj),
                        "verify_url": reverse(
                            "directory:organisation_verify"
                            if key == "organisations"
                            else "directory:resource_verify",
                            args=[obj.pk],
                        ),
                    }
                    for obj in page.object_list
                ],
                "previous": page_url(param, page.previous_page_number())
                if page.has_previous()
                else None,
                "next": page_url(param, page.next_page_number()) if page.has_next() else None,
            }
        )
    return render(
        request,
        "directory/stale.html",
        {"sections": sections, "here": request.get_full_path()},
    )
