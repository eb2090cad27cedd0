"""Referral pages (つなぎ), mounted under ``care/referrals/`` (namespace ``care_referrals``).

Sender side (care right; every page logs the residents it shows): the list per municipality,
a referral's page with its steps and history, the new-referral form reached from a resident's
page, and one small form per step. Receiver side: the inbox (``inbox/``) for a 通いの場
leader — large type, a card per referral, two taps to accept or to record that the person
came; it shows only what :class:`~tsunagu.care.referrals.selectors.ReceivedReferral` holds.
Anything else is 404. Thin: selectors read, services write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.care.access import can_open_residents, resident_get_for_user
from tsunagu.care.referrals import selectors, services
from tsunagu.care.referrals.forms import (
    CameForm,
    ConfirmForm,
    DeclineForm,
    EndForm,
    ReasonForm,
    ReferralFilterForm,
    ReferralForm,
    StartForm,
)
from tsunagu.care.referrals.models import Referral, ReferralStatus
from tsunagu.care.referrals.permissions import can_receive_referrals
from tsunagu.care.residents.selectors import care_municipalities_for_user
from tsunagu.core.errors import TsunaguError
from tsunagu.core.history import history_entries
from tsunagu.core.http import history_page, show_on_form

PER_PAGE = 50
WRITE_ERRORS = (TsunaguError, ValidationError)
PURPOSE_CREATE = "つなぎを作成"
PURPOSE_ACTION = "つなぎを記録"
PURPOSE_HISTORY = "つなぎの変更履歴を表示"


def _posted(request: HttpRequest) -> Any:
    """The form's data: a POST binds the form even when empty (a confirmation button)."""
    return request.POST if request.method == "POST" else None


# --- the sender side ----------------------------------------------------------------------------


def _require_care(request: HttpRequest) -> None:
    if not can_open_residents(request.user):
        raise Http404


def _referral(request: HttpRequest, referral_id: int, purpose: str) -> Referral:
    return selectors.referral_get_for_sender(
        user=request.user, referral_id=referral_id, purpose=purpose, path=request.path
    )


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    _require_care(request)
    form = ReferralFilterForm(request.GET or None, user=request.user)
    data = form.valid_data()
    today = timezone.localdate()
    rows = selectors.referral_list_for_sender(
        user=request.user,
        municipality_id=data["municipality"].pk if data["municipality"] else None,
        status=data["status"] or "",
        stalled=bool(data["stalled"]),
        today=today,
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    selectors.log_referral_reads(
        user=request.user,
        referrals=shown,
        purpose=selectors.PURPOSE_LIST,
        path=request.get_full_path(),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "care/referrals/list.html",
        {
            "form": form,
            "page": page,
            "rows": [(r, r.waiting_days(today)) for r in shown],
            "query": query.urlencode(),
            "show_municipality": care_municipalities_for_user(request.user).count() > 1,
            "remind_days": selectors.remind_after_days(),
        },
    )


@login_required
def referral_create(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = resident_get_for_user(
        user=request.user, resident_id=resident_id, purpose=PURPOSE_CREATE, path=request.path
    )
    resources, programs = selectors.destinations_for(municipality_id=resident.municipality_id)
    form = ReferralForm(request.POST or None, resources=resources, programs=programs)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(
                resident=resident, actor=request.user, **form.service_kwargs()
            )
        except WRITE_ERRORS as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("つなぎを作成しました。内容を確かめて送付してください。"))
            return redirect("care_referrals:referral_detail", referral.pk)
    return render(
        request,
        "care/referrals/create.html",
        {"form": form, "resident": resident, "resources": resources, "programs": programs},
    )


def _steps(referral: Referral) -> list[tuple[str, str]]:
    """The actions the sender side can take now: (url name, label)."""
    by_status = {
        ReferralStatus.DRAFT: [("referral_send", _("送付する"))],
        ReferralStatus.SENT: [
            ("referral_accept", _("受付を記録")),
            ("referral_decline", _("お断りを記録")),
        ],
        ReferralStatus.ACCEPTED: [("referral_start", _("利用開始を記録"))],
        ReferralStatus.STARTED: [("referral_end", _("終了を記録"))],
    }
    steps = list(by_status.get(ReferralStatus(referral.status), []))
    if referral.status in services.STOPPABLE_STATUSES:
        steps.append(("referral_stop", _("中止する")))
    return steps


@login_required
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _referral(request, referral_id, selectors.PURPOSE_DETAIL)
    today = timezone.localdate()
    return render(
        request,
        "care/referrals/detail.html",
        {
            "referral": referral,
            "place": referral.resource or referral.program,
            "steps": _steps(referral),
            "waiting_days": referral.waiting_days(today),
            "entries": history_entries(referral, user=request.user),
            "has_consent": services.has_referral_consent(referral.resident, today),
        },
    )


@login_required
def referral_history(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _referral(request, referral_id, PURPOSE_HISTORY)
    return history_page(
        request, referral, reverse("care_referrals:referral_detail", args=[referral.pk])
    )


def _step_page(
    request: HttpRequest,
    referral_id: int,
    *,
    form_class: type[Any],
    title: str,
    button: str,
    run: Callable[[Referral, dict[str, Any]], Any],
    message: str,
) -> HttpResponse:
    referral = _referral(request, referral_id, PURPOSE_ACTION)
    detail = reverse("care_referrals:referral_detail", args=[referral.pk])
    form = form_class(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            run(referral, dict(form.cleaned_data))
        except WRITE_ERRORS as error:
            show_on_form(form, error)
        else:
            messages.success(request, message)
            return redirect(detail)
    return render(
        request,
        "care/referrals/step.html",
        {
            "form": form,
            "referral": referral,
            "title": title,
            "button": button,
            "cancel_url": detail,
        },
    )


@login_required
def referral_send(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _step_page(
        request,
        referral_id,
        form_class=ConfirmForm,
        title=_("つなぎを送付"),
        button=_("送付する"),
        run=lambda r, _d: services.referral_send(referral=r, actor=request.user),
        message=_("送付しました。受け手の団体に届きます。"),
    )


@login_required
def referral_accept(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _step_page(
        request,
        referral_id,
        form_class=ConfirmForm,
        title=_("受付を記録（受け手から電話などで聞いたとき）"),
        button=_("受付を記録する"),
        run=lambda r, _d: services.referral_accept(referral=r, actor=request.user),
        message=_("受付を記録しました。"),
    )


@login_required
def referral_decline(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _step_page(
        request,
        referral_id,
        form_class=ReasonForm,
        title=_("お断りを記録"),
        button=_("お断りを記録する"),
        run=lambda r, d: services.referral_decline(
            referral=r, reason=d["reason"], actor=request.user
        ),
        message=_("お断りを記録しました。"),
    )


@login_required
def referral_start(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _step_page(
        request,
        referral_id,
        form_class=StartForm,
        title=_("利用開始を記録"),
        button=_("記録する"),
        run=lambda r, d: services.referral_start(
            referral=r, started_on=d["started_on"], actor=request.user
        ),
        message=_("利用開始を記録しました。"),
    )


@login_required
def referral_end(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _step_page(
        request,
        referral_id,
        form_class=EndForm,
        title=_("利用の終了を記録"),
        button=_("記録する"),
        run=lambda r, d: services.referral_end(referral=r, actor=request.user, **d),
        message=_("終了を記録しました。"),
    )


@login_required
def referral_stop(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _step_page(
        request,
        referral_id,
        form_class=ReasonForm,
        title=_("つなぎを中止"),
        button=_("中止する"),
        run=lambda r, d: services.referral_stop(referral=r, reason=d["reason"], actor=request.user),
        message=_("中止しました。受け手にはもう表示されません。"),
    )


# --- the receiver side (the inbox) --------------------------------------------------------------


def _require_receiver(request: HttpRequest) -> None:
    if not can_receive_referrals(request.user):
        raise Http404


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    _require_receiver(request)
    cards = selectors.received_referrals_for_user(
        user=request.user,
        statuses=(ReferralStatus.SENT, ReferralStatus.ACCEPTED),
        path=request.path,
    )
    return render(
        request,
        "care/referrals/inbox.html",
        {
            "waiting": [c for c in cards if c.status == ReferralStatus.SENT],
            "accepted": [c for c in cards if c.status == ReferralStatus.ACCEPTED],
        },
    )


def _inbox_step(
    request: HttpRequest,
    referral_id: int,
    *,
    form: Any,
    template: str,
    run: Callable[[Referral, dict[str, Any]], Any],
    message: str,
) -> HttpResponse:
    _require_receiver(request)
    card = selectors.received_referral_get(
        user=request.user, referral_id=referral_id, path=request.path
    )
    if request.method == "POST" and form.is_valid():
        row = selectors.received_referral_for_write(user=request.user, referral_id=referral_id)
        try:
            run(row, dict(form.cleaned_data))
        except WRITE_ERRORS as error:
            show_on_form(form, error)
        else:
            messages.success(request, message)
            return redirect("care_referrals:inbox")
    return render(request, template, {"card": card, "form": form})


@login_required
def inbox_accept(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _inbox_step(
        request,
        referral_id,
        form=ConfirmForm(_posted(request)),
        template="care/referrals/inbox_accept.html",
        run=lambda r, _d: services.referral_accept(referral=r, actor=request.user),
        message=_("受け付けました。ご本人に電話で連絡してください。"),
    )


@login_required
def inbox_came(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _inbox_step(
        request,
        referral_id,
        form=CameForm(_posted(request)),
        template="care/referrals/inbox_came.html",
        run=lambda r, d: services.referral_start(
            referral=r, started_on=d["started_on"], actor=request.user
        ),
        message=_("来られたことを記録しました。ありがとうございます。"),
    )


@login_required
def inbox_decline(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _inbox_step(
        request,
        referral_id,
        form=DeclineForm(_posted(request)),
        template="care/referrals/inbox_decline.html",
        run=lambda r, d: services.referral_decline(
            referral=r, reason=d["reason"], actor=request.user
        ),
        message=_("お断りを送りました。"),
    )
