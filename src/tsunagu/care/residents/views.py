"""Resident pages (住民): list, detail, register/edit, care levels, consents, close, history,
export. Thin: the gate (:mod:`tsunagu.care.access`) decides and logs every read, services write.
Without the care right, or with personal records off, every page answers 404."""

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

from tsunagu.care.access import can_open_residents, log_resident_reads, resident_get_for_user
from tsunagu.care.models import ConsentRecord, Resident
from tsunagu.care.residents import exports, selectors, services
from tsunagu.care.residents.forms import (
    CareLevelForm,
    ConsentForm,
    ConsentWithdrawForm,
    ResidentCloseForm,
    ResidentFilterForm,
    ResidentForm,
)
from tsunagu.core.errors import TsunaguError
from tsunagu.core.http import history_page, show_on_form

PER_PAGE = 50
WRITE_ERRORS = (TsunaguError, ValidationError)

PURPOSE_LIST = "住民一覧を表示"
PURPOSE_DETAIL = "住民の詳細を表示"
PURPOSE_EDIT = "住民の情報を変更"
PURPOSE_HISTORY = "住民の変更履歴を表示"
PURPOSE_EXPORT = "住民一覧を出力"


def _require_care(request: HttpRequest) -> None:
    if not can_open_residents(request.user):
        raise Http404


def _resident(request: HttpRequest, resident_id: int, purpose: str) -> Resident:
    return resident_get_for_user(
        user=request.user, resident_id=resident_id, purpose=purpose, path=request.path
    )


def _filtered(request: HttpRequest) -> tuple[ResidentFilterForm, Any]:
    form = ResidentFilterForm(request.GET or None, user=request.user)
    data = form.valid_data()
    district = data["district"]
    residents = selectors.resident_list_for_user(
        user=request.user,
        query=data["q"] or "",
        district_id=district.pk if district else None,
        status=data["status"] or "",
    )
    return form, residents


@login_required
def resident_list(request: HttpRequest) -> HttpResponse:
    _require_care(request)
    form, residents = _filtered(request)
    page = Paginator(residents, PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    log_resident_reads(
        user=request.user, residents=rows, purpose=PURPOSE_LIST, path=request.get_full_path()
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "care/residents/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "show_municipality": selectors.care_municipalities_for_user(request.user).count() > 1,
        },
    )


@login_required
def resident_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as .xlsx (the list's minimum columns), each resident's read logged."""
    _require_care(request)
    _form, residents = _filtered(request)
    rows = list(residents)
    log_resident_reads(
        user=request.user, residents=rows, purpose=PURPOSE_EXPORT, path=request.get_full_path()
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(exports.resident_list_xlsx(rows), content_type=exports.XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="residents_{stamp}.xlsx"; '
        f"filename*=UTF-8''{exports.quoted(f'住民一覧_{stamp}.xlsx')}"
    )
    return response


@login_required
def resident_detail(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = _resident(request, resident_id, PURPOSE_DETAIL)
    today = timezone.localdate()
    levels = list(resident.care_levels.all())
    consents = list(resident.consents.select_related("recorded_by", "withdrawal_recorded_by"))
    return render(
        request,
        "care/residents/detail.html",
        {
            "resident": resident,
            "levels": [(level, level.is_valid_on(today)) for level in levels],
            "consents": [(consent, consent.is_active_on(today)) for consent in consents],
            "editable": resident.anonymised_on is None,
            # The resident's referrals (つなぎ): the reverse relation of care.Referral.
            "referrals": list(
                resident.referrals.select_related("resource", "program", "receiving_organisation")
            ),
        },
    )


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    cancel_url: str,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], str],
    message: str,
    resident: Resident | None = None,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(dict(form.cleaned_data))
        except WRITE_ERRORS as error:
            show_on_form(form, error)
        else:
            messages.success(request, message)
            return redirect(done(saved))
    return render(
        request,
        "care/residents/form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "resident": resident},
    )


@login_required
def resident_create(request: HttpRequest) -> HttpResponse:
    _require_care(request)
    form = ResidentForm(request.POST or None, user=request.user)
    return _form_page(
        request,
        form,
        title=_("住民を登録"),
        cancel_url=reverse("care:resident_list"),
        save=lambda data: services.resident_create(actor=request.user, **data),
        done=lambda resident: reverse("care:resident_detail", args=[resident.pk]),
        message=_("住民を登録しました。"),
    )


@login_required
def resident_edit(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = _resident(request, resident_id, PURPOSE_EDIT)
    form = ResidentForm(request.POST or None, user=request.user, resident=resident)
    detail = reverse("care:resident_detail", args=[resident.pk])
    return _form_page(
        request,
        form,
        title=_("住民の情報を編集"),
        cancel_url=detail,
        save=lambda data: services.resident_update(actor=request.user, resident=resident, **data),
        done=lambda _saved: detail,
        message=_("住民の情報を保存しました。"),
        resident=resident,
    )


@login_required
def care_level_add(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = _resident(request, resident_id, PURPOSE_EDIT)
    detail = reverse("care:resident_detail", args=[resident.pk])
    return _form_page(
        request,
        CareLevelForm(request.POST or None),
        title=_("要介護度などを記録"),
        cancel_url=detail,
        save=lambda data: services.care_level_add(actor=request.user, resident=resident, **data),
        done=lambda _saved: detail,
        message=_("要介護度などを記録しました。"),
        resident=resident,
    )


@login_required
def consent_add(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = _resident(request, resident_id, PURPOSE_EDIT)
    detail = reverse("care:resident_detail", args=[resident.pk])
    return _form_page(
        request,
        ConsentForm(request.POST or None),
        title=_("同意を記録"),
        cancel_url=detail,
        save=lambda data: services.consent_give(actor=request.user, resident=resident, **data),
        done=lambda _saved: detail,
        message=_("同意を記録しました。"),
        resident=resident,
    )


@login_required
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    resident_id = (
        ConsentRecord.objects.filter(pk=consent_id).values_list("resident_id", flat=True).first()
    )
    if resident_id is None:
        raise Http404
    resident = _resident(request, resident_id, PURPOSE_EDIT)  # 404 unless allowed
    consent = resident.consents.get(pk=consent_id)
    detail = reverse("care:resident_detail", args=[resident.pk])
    return _form_page(
        request,
        ConsentWithdrawForm(request.POST or None),
        title=_("同意の撤回を記録: %(purpose)s（%(date)s）")
        % {"purpose": consent.get_purpose_display(), "date": consent.given_on.isoformat()},
        cancel_url=detail,
        save=lambda data: services.consent_withdraw(actor=request.user, consent=consent, **data),
        done=lambda _saved: detail,
        message=_("同意の撤回を記録しました。"),
        resident=resident,
    )


@login_required
def resident_close(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = _resident(request, resident_id, PURPOSE_EDIT)
    detail = reverse("care:resident_detail", args=[resident.pk])
    return _form_page(
        request,
        ResidentCloseForm(request.POST or None),
        title=_("住民の記録を終了"),
        cancel_url=detail,
        save=lambda data: services.resident_close(actor=request.user, resident=resident, **data),
        done=lambda _saved: detail,
        message=_("記録を終了しました。保存期間を過ぎると匿名化されます。"),
        resident=resident,
    )


@login_required
def resident_history(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = _resident(request, resident_id, PURPOSE_HISTORY)
    return history_page(request, resident, reverse("care:resident_detail", args=[resident.pk]))
