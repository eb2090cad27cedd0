"""A body's members: add, end a membership, history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.bodies import selectors, services
from tsunagu.bodies.forms import MemberEndForm, MemberForm
from tsunagu.bodies.views.common import body_url, organisation_choices, people_choices, require_edit
from tsunagu.core.errors import TsunaguError
from tsunagu.core.http import history_page, show_on_form

# --- members ---------------------------------------------------------------------------


@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    body = selectors.body_get_for_user(user=user, pk=pk)
    require_edit(user, body)
    form = MemberForm(
        request.POST or None,
        municipality=body.municipality,
        organisations=organisation_choices(user, body.municipality),
        people=people_choices(user, body.municipality),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(body=body, actor=user, **form.cleaned_data)
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("構成員を追加しました。"))
            if request.POST.get("another"):
                return redirect(reverse("bodies:member_add", args=[body.pk]))
            return redirect(body_url(body, "members"))
    return render(
        request,
        "bodies/member_form.html",
        {"form": form, "body": body, "title": _("構成員の追加"), "adding": True},
    )


@login_required
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get_for_user(user=request.user, pk=pk)
    body = member.body
    require_edit(request.user, body)
    form = MemberEndForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_end(
                member=member, ends_on=form.cleaned_data["ends_on"], actor=request.user
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("任期の終了を記録しました。"))
            return redirect(body_url(body, "members"))
    return render(
        request,
        "bodies/member_form.html",
        {"form": form, "body": body, "member": member, "title": _("任期の終了")},
    )


@login_required
def member_history(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get_for_user(user=request.user, pk=pk)
    return history_page(request, member, body_url(member.body, "members"))
