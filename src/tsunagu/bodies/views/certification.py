"""Certification (認定) of resident-led bodies: rules, applications, review, decision,
documents and history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.accounts.scope import can_edit, scope_for
from tsunagu.bodies import selectors, services
from tsunagu.bodies.certification import evaluate_requirements
from tsunagu.bodies.forms import (
    CertificationApplyForm,
    CertificationDecisionForm,
    CertificationReviewForm,
    CertificationRulesForm,
    FileUploadForm,
)
from tsunagu.bodies.models import CertificationApplication, CertificationRules, CertificationStatus
from tsunagu.bodies.views.common import (
    application_url,
    chosen_municipality,
    file_upload_page,
    municipality_choice_page,
    require_edit,
    serve_file,
)
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.core.history import history_entries
from tsunagu.core.http import history_page, int_param, show_on_form

# --- certification ---------------------------------------------------------------------


@login_required
def certification_index(request: HttpRequest) -> HttpResponse:
    user = request.user
    scope = scope_for(user)
    applications = selectors.certification_list_visible_to(user=user).order_by(
        Case(
            When(status=CertificationStatus.SUBMITTED, then=Value(0)),
            When(status=CertificationStatus.RETURNED, then=Value(1)),
            When(status=CertificationStatus.CERTIFIED, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        ),
        "-submitted_on",
    )
    return render(
        request,
        "bodies/certification_index.html",
        {
            "rules": selectors.certification_rules_visible_to(user=user),
            "applications": applications,
            "can_create_rules": scope.is_system_admin or bool(scope.editable_municipality_ids),
            "resident_led": selectors.body_list_visible_to(user=user)
            .filter(is_resident_led=True)
            .order_by("municipality__code", "name"),
        },
    )


@login_required
def rules_create(request: HttpRequest) -> HttpResponse:
    municipality = chosen_municipality(request)
    if municipality is None:
        return municipality_choice_page(request, _("認定要領の登録"))
    form = CertificationRulesForm(
        request.POST or None, instance=CertificationRules(municipality=municipality)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.certification_rules_save(
                municipality=municipality, fields=form.service_fields(), actor=request.user
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("認定要領を登録しました。"))
            return redirect(reverse("bodies:certification_index"))
    return render(
        request,
        "bodies/rules_form.html",
        {"form": form, "title": _("認定要領の登録"), "municipality": municipality},
    )


@login_required
def rules_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rules = selectors.certification_rules_get_for_user(user=request.user, pk=pk)
    require_edit(request.user, rules)
    fresh = CertificationRules.objects.get(pk=rules.pk)
    form = CertificationRulesForm(request.POST or None, instance=fresh)
    if request.method == "POST" and form.is_valid():
        try:
            services.certification_rules_save(
                municipality=rules.municipality,
                fields=form.service_fields(),
                actor=request.user,
                rules=rules,
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("認定要領を保存しました。"))
            return redirect(reverse("bodies:certification_index"))
    return render(
        request,
        "bodies/rules_form.html",
        {
            "form": form,
            "title": _("認定要領の編集"),
            "municipality": rules.municipality,
            "rules": rules,
            "history_url": reverse("bodies:rules_history", args=[rules.pk]),
        },
    )


@login_required
def rules_history(request: HttpRequest, pk: int) -> HttpResponse:
    rules = selectors.certification_rules_get_for_user(user=request.user, pk=pk)
    return history_page(request, rules, reverse("bodies:certification_index"))


@login_required
def certification_apply(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    body = selectors.body_get_for_user(user=user, pk=pk)
    require_edit(user, body)
    renewal_of = None
    renewal_pk = int_param(request.GET.get("renewal_of") or request.POST.get("renewal_of"))
    if renewal_pk is not None:
        renewal_of = body.certifications.filter(
            pk=renewal_pk, status__in=(CertificationStatus.CERTIFIED, CertificationStatus.EXPIRED)
        ).first()
        if renewal_of is None:
            raise NotFound()
    rules = selectors.certification_rules_visible_to(user=user).filter(
        municipality=body.municipality
    )
    form = CertificationApplyForm(
        request.POST or None,
        request.FILES or None,
        rules=rules,
        initial={"rules": rules.first().pk if rules.exists() else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                application = services.certification_apply(
                    body=body,
                    rules=data["rules"],
                    actor=user,
                    submitted_on=data["submitted_on"],
                    renewal_of=renewal_of,
                )
                if data.get("document_file"):
                    services.certification_document_add(
                        application=application,
                        title=data["document_title"],
                        file=data["document_file"],
                        actor=user,
                    )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(
                request,
                _("更新を申請しました。") if renewal_of else _("認定を申請しました。"),
            )
            return redirect(application_url(application))
    preview = evaluate_requirements(body, rules.first()) if rules.exists() else {}
    return render(
        request,
        "bodies/certification_apply.html",
        {
            "form": form,
            "body": body,
            "renewal_of": renewal_of,
            "has_rules": rules.exists(),
            "preview": preview,
        },
    )


def _manual_items(application: CertificationApplication) -> list[tuple[str, dict[str, Any]]]:
    """Requirements needing a reviewer's judgement, with what was recorded so far."""
    current = evaluate_requirements(application.body, application.rules)
    items = []
    for code, item in current.items():
        if item["result"] == "manual":
            stored = application.review.get(code, {})
            items.append(
                (code, {**item, **{k: stored[k] for k in ("result", "detail") if k in stored}})
            )
    return items


def _application_page(
    request: HttpRequest, application: CertificationApplication, **forms: Any
) -> HttpResponse:
    user = request.user
    editable = can_edit(user, application)
    submitted = application.status == CertificationStatus.SUBMITTED
    review_form = forms.get("review_form")
    if review_form is None and editable and submitted:
        review_form = CertificationReviewForm(manual=_manual_items(application))
    decision_form = forms.get("decision_form")
    if decision_form is None and editable and submitted:
        decision_form = CertificationDecisionForm()
    unmet = [item["label"] for item in application.review.values() if item.get("result") != "pass"]
    context = {
        "application": application,
        "body": application.body,
        "rules": application.rules,
        "review_items": list(application.review.items()),
        "unmet": unmet,
        "documents": application.documents.all(),
        "can_edit": editable,
        "review_form": review_form,
        "decision_form": decision_form,
        "upload_form": forms.get("upload_form") or FileUploadForm(),
        "entries": history_entries(application, user=request.user),
        "renewals": application.renewals.all(),
        "can_renew": editable
        and application.status in (CertificationStatus.CERTIFIED, CertificationStatus.EXPIRED),
    }
    status = 400 if any(f.errors for f in forms.values() if f is not None) else 200
    return render(request, "bodies/certification_detail.html", context, status=status)


@login_required
def certification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.certification_get_for_user(user=request.user, pk=pk)
    return _application_page(request, application)


@login_required
@require_POST
def certification_review(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.certification_get_for_user(user=request.user, pk=pk)
    require_edit(request.user, application)
    form = CertificationReviewForm(request.POST, manual=_manual_items(application))
    if form.is_valid():
        try:
            services.certification_review(
                application=application, actor=request.user, **form.service_kwargs()
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("審査結果を記録しました。"))
            return redirect(application_url(application))
    application.refresh_from_db()
    return _application_page(request, application, review_form=form)


@login_required
@require_POST
def certification_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.certification_get_for_user(user=request.user, pk=pk)
    require_edit(request.user, application)
    form = CertificationDecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        certify = data["decision"] == CertificationDecisionForm.CERTIFY
        try:
            services.certification_decide(
                application=application,
                certify=certify,
                actor=request.user,
                reason=data["reason"],
                decided_on=data["decided_on"],
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            if certify:
                messages.success(
                    request,
                    _("認定しました（認定番号 %(number)s）。")
                    % {"number": application.certificate_number},
                )
            else:
                messages.success(request, _("差し戻しました。理由は申請者に伝えてください。"))
            return redirect(application_url(application))
    application = selectors.certification_get_for_user(user=request.user, pk=pk)
    return _application_page(request, application, decision_form=form)


@login_required
@require_POST
def certification_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.certification_get_for_user(user=request.user, pk=pk)
    require_edit(request.user, application)
    try:
        services.certification_resubmit(application=application, actor=request.user)
    except TsunaguError as error:
        if isinstance(error, PermissionDenied | NotFound):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("再申請しました。"))
    return redirect(application_url(application))


@login_required
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.certification_get_for_user(user=request.user, pk=pk)
    require_edit(request.user, application)
    return file_upload_page(
        request,
        subject=application,
        add=lambda title, file: services.certification_document_add(
            application=application, title=title, file=file, actor=request.user
        ),
        title=_("申請書類の追加"),
        action=reverse("bodies:document_add", args=[application.pk]),
        back=application_url(application),
        added_message=_("「%(title)s」を追加しました。"),
    )


def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """An application document: only for users who may see the application (else 404)."""
    document = selectors.certification_document_get_for_user(user=request.user, pk=pk)
    return serve_file(document.file, document.title)


@login_required
def certification_history(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.certification_get_for_user(user=request.user, pk=pk)
    return history_page(request, application, application_url(application))
