"""Page: record a contact (連絡・訪問) with an organisation or a person."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tsunagu.accounts.scope import can_edit
from tsunagu.continuity.contacts.services import interaction_record
from tsunagu.continuity.forms import InteractionForm
from tsunagu.continuity.people import colleagues_in
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.http import int_param, show_on_form
from tsunagu.directory.selectors import (
    organisation_get_for_user,
    organisation_list_visible_to,
    person_get_for_user,
    person_list_visible_to,
)


@login_required
def interaction_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    organisation_id = int_param(request.GET.get("organisation"))
    person_id = int_param(request.GET.get("person"))
    if organisation_id:
        anchor = organisation_get_for_user(user=user, pk=organisation_id)
        back = reverse("directory:organisation_detail", args=[anchor.pk])
        initial = {"organisations": [anchor]}
    elif person_id:
        anchor = person_get_for_user(user=user, pk=person_id)
        back = reverse("directory:person_detail", args=[anchor.pk])
        initial = {"people": [anchor]}
    else:
        raise Http404
    municipality = anchor.municipality
    if municipality is None:
        raise Http404
    if not can_edit(user, municipality):
        raise PermissionDenied("この市町村の連絡・訪問を記録する権限がありません。")
    form = InteractionForm(
        request.POST or None,
        initial={**initial, "our_side": [user]},
        organisations=organisation_list_visible_to(user=user)
        .filter(municipality=municipality)
        .order_by("name_kana", "name"),
        people=person_list_visible_to(user=user)
        .filter(municipality=municipality)
        .order_by("name_kana", "name"),
        users=colleagues_in(municipality.pk),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            interaction_record(
                municipality=municipality,
                occurred_on=data["occurred_on"],
                channel=data["channel"],
                summary=data["summary"],
                organisations=list(data["organisations"]),
                people=list(data["people"]),
                their_side_text=data["their_side_text"],
                our_side=list(data["our_side"]),
                next_step=data["next_step"],
                next_step_on=data["next_step_on"],
                actor=user,
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("連絡・訪問を記録しました。"))
            return redirect(back + "#contacts")
    return render(
        request,
        "continuity/form.html",
        {
            "form": form,
            "title": _("連絡・訪問を記録"),
            "lead": _(
                "%(name)sとのやりとりを記録します。担当が異動しても、後任がこれまでの経緯を読めるようにします。"
            )
            % {"name": anchor.name},
            "cancel_url": back,
        },
    )
