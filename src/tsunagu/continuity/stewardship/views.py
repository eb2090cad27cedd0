"""Pages: 「わたしの担当」 and setting the stewards of one record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.scope import scope_for
from tsunagu.continuity.forms import StewardForm
from tsunagu.continuity.people import colleagues_in
from tsunagu.continuity.registry import kind_of
from tsunagu.continuity.stewardship.selectors import responsibilities_of, stewards_of
from tsunagu.continuity.stewardship.services import stewardship_assign
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.http import show_on_form


@login_required
def my_responsibilities(request: HttpRequest) -> HttpResponse:
    groups = responsibilities_of(user=request.user)
    handed_over = [(kind, item) for kind, items in groups for item in items if item.handed_over]
    scope = scope_for(request.user)
    return render(
        request,
        "continuity/responsibilities.html",
        {
            "groups": groups,
            "handed_over": handed_over,
            "today": timezone.localdate(),
            "can_start_handover": scope.is_system_admin
            or bool(scope.area_editable_municipality_ids),
        },
    )


@login_required
def steward_edit(request: HttpRequest, type_id: int, object_id: int) -> HttpResponse:
    try:
        model = ContentType.objects.get_for_id(type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    obj = model._default_manager.filter(pk=object_id).first() if model else None
    kind = kind_of(obj) if obj is not None else None
    if obj is None or kind is None or not kind.can_view(request.user, obj):
        raise Http404
    if not kind.can_edit(request.user, obj):
        raise PermissionDenied("この記録の担当を設定する権限がありません。")
    municipality_id = kind.municipality_id(obj)
    if municipality_id is None:
        raise Http404
    users = colleagues_in(municipality_id)
    current = stewards_of(obj)
    initial = {
        "steward": next((r.user for r in current if r.role == "steward"), None),
        "deputies": [r.user for r in current if r.role == "deputy"],
    }
    form = StewardForm(request.POST or None, users=users, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            stewardship_assign(
                obj=obj,
                steward=form.cleaned_data["steward"],
                deputies=list(form.cleaned_data["deputies"]),
                since=form.cleaned_data["since"],
                actor=request.user,
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("担当を設定しました。"))
            return redirect(kind.url(obj))
    return render(
        request,
        "continuity/form.html",
        {
            "form": form,
            "title": _("担当を設定: %(title)s") % {"title": kind.title(obj)},
            "lead": _(
                "%(kind)s「%(title)s」の担当と副担当を決めます。担当にできるのは、この記録を閲覧できる人だけです。"
            )
            % {"kind": kind.label, "title": kind.title(obj)},
            "cancel_url": kind.url(obj),
        },
    )
