"""The timeline page of one record: scoped like the record (404 when the reader cannot see it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tsunagu.continuity.registry import kind_of
from tsunagu.continuity.timeline.entries import ENTRY_TYPES, timeline_for


@login_required
def timeline(request: HttpRequest, type_id: int, object_id: int) -> HttpResponse:
    try:
        model = ContentType.objects.get_for_id(type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    obj = model._default_manager.filter(pk=object_id).first() if model else None
    kind = kind_of(obj) if obj is not None else None
    if obj is None or kind is None or not kind.can_view(request.user, obj):
        raise Http404
    selected = [t for t in request.GET.getlist("type") if t in ENTRY_TYPES]
    return render(
        request,
        "continuity/timeline.html",
        {
            "obj": obj,
            "kind": kind,
            "title": kind.title(obj),
            "url": kind.url(obj),
            "entries": timeline_for(obj=obj, user=request.user, types=selected),
            "types": list(ENTRY_TYPES.items()),
            "selected": selected,
        },
    )
