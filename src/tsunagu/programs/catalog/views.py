"""The catalog pages: every type grouped (public), and one page per type with its names,
the directory resources tagged with it and the program instances of it (both in the
reader's scope; an anonymous reader sees public resources only and no instances)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tsunagu.directory import catalog
from tsunagu.directory.selectors import resource_list_visible_to
from tsunagu.programs.instances.selectors import instance_list_visible_to


def catalog_list(request: HttpRequest) -> HttpResponse:
    return render(request, "programs/catalog_list.html", {"groups": catalog.by_group()})


def catalog_type(request: HttpRequest, code: str) -> HttpResponse:
    kind = catalog.get(code)
    if kind is None:
        raise Http404
    codes = [kind.code, *(t.code for t in catalog.parts_of(kind.code))]
    resources = (
        resource_list_visible_to(user=request.user)
        .filter(sogo_service_type__in=codes)
        .order_by("municipality__code", "name")
    )
    instances = (
        instance_list_visible_to(user=request.user, service_type=kind.code)
        if request.user.is_authenticated
        else []
    )
    return render(
        request,
        "programs/catalog_type.html",
        {
            "kind": kind,
            "parent": catalog.get(kind.parent) if kind.parent else None,
            "parts": catalog.parts_of(kind.code),
            "resources": resources,
            "instances": instances,
        },
    )
