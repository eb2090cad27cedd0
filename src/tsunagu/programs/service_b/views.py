"""Pages of service B groups and their subsidy (namespace "service_b", /programs/service-b/).

Thin: parse with a form, call a selector (NotFound → 404) or a service (PermissionDenied →
403, TsunaguError → shown on the form with what the user typed).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tsunagu.accounts.scope import municipalities_editable_to, municipalities_visible_to
from tsunagu.care import access
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.core.http import history_page, show_on_form
from tsunagu.directory.selectors import organisation_list_visible_to
from tsunagu.programs.service_b import selectors, services, subsidy, xlsx
from tsunagu.programs.service_b.forms import (
    AccountLineForm,
    ActivityForm,
    ApplicationCreateForm,
    CheckForm,
    CountsForm,
    GroupForm,
    PeriodForm,
    PolicyForm,
    RequirementForm,
    ResidentsForm,
    ReturnForm,
)
from tsunagu.programs.service_b.models import (
    AccountLine,
    AccountScope,
    GroupActivity,
    PolicyRequirement,
)
from tsunagu.programs.service_b.permissions import can_decide, can_edit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _quoted(name: str) -> str:
    return quote(name)


# --- groups -------------------------------------------------------------------------------


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    groups = selectors.groups_visible_to(user=request.user)
    return render(
        request,
        "service_b/group_list.html",
        {
            "groups": groups,
            "municipalities": municipalities_visible_to(request.user),
            "can_create": municipalities_editable_to(request.user).exists(),
        },
    )


def _organisations(user: Any) -> Any:
    return organisation_list_visible_to(user=user).order_by("name")


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    municipalities = municipalities_editable_to(request.user)
    form = GroupForm(
        request.POST or None,
        municipalities=municipalities,
        organisations=_organisations(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.group_create(
                municipality=data["municipality"],
                name=data["name"],
                organisation=data["organisation"],
                service_kind=data["service_kind"],
                status=data["status"],
                started_on=data["started_on"],
                ended_on=data["ended_on"],
                member_count=data["member_count"],
                member_names=data["member_names"],
                description=data["description"],
                actor=request.user,
            )
            return redirect("service_b:group", group.pk)
        except (TsunaguError, ValidationError) as error:
            _show(form, error)
    return render(
        request,
        "service_b/form.html",
        {"form": form, "title": "サービスBの団体を登録", "cancel_url": reverse("service_b:list")},
    )


def _show(form: Any, error: Exception) -> None:
    show_on_form(form, error)


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get_for_user(user=request.user, pk=pk)
    periods = list(group.periods.all())
    return render(
        request,
        "service_b/group_detail.html",
        {
            "group": group,
            "periods": periods,
            "policy": selectors.policy_for(group.municipality),
            "can_edit": can_edit(request.user, group),
            "activity_form": ActivityForm(),
            "period_form": PeriodForm(),
        },
    )


@login_required
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get_for_user(user=request.user, pk=pk)
    initial = {
        f: getattr(group, f)
        for f in (
            "name",
            "organisation",
            "service_kind",
            "status",
            "started_on",
            "ended_on",
            "member_count",
            "member_names",
            "description",
        )
    }
    form = GroupForm(
        request.POST or None,
        initial=initial,
        municipalities=None,
        organisations=_organisations(request.user).filter(municipality=group.municipality),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(group=group, actor=request.user, **form.cleaned_data)
            return redirect("service_b:group", group.pk)
        except (TsunaguError, ValidationError) as error:
            _show(form, error)
    return render(
        request,
        "service_b/form.html",
        {
            "form": form,
            "title": f"{group.name}を変更",
            "cancel_url": reverse("service_b:group", args=[group.pk]),
        },
    )


@login_required
def group_history(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get_for_user(user=request.user, pk=pk)
    return history_page(request, group, reverse("service_b:group", args=[group.pk]))


@login_required
@require_POST
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get_for_user(user=request.user, pk=pk)
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            services.activity_add(group=group, actor=request.user, **form.cleaned_data)
        except (TsunaguError, ValidationError) as error:
            _show(form, error)
    if form.errors:
        messages.error(
            request,
            "活動を追加できませんでした: "
            + " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    return redirect("service_b:group", group.pk)


@login_required
@require_POST
def activity_delete(request: HttpRequest, pk: int, activity_id: int) -> HttpResponse:
    group = selectors.group_get_for_user(user=request.user, pk=pk)
    activity = get_object_or_404(GroupActivity, pk=activity_id, group=group)
    services.activity_delete(activity=activity, actor=request.user)
    return redirect("service_b:group", group.pk)


# --- policy -------------------------------------------------------------------------------


@login_required
def policy(request: HttpRequest, municipality_id: int) -> HttpResponse:
    current = selectors.policy_get_for_user(user=request.user, municipality_id=municipality_id)
    municipality = current.municipality
    decide = can_decide(request.user, municipality)
    form = PolicyForm(
        request.POST or None,
        initial={
            "threshold_percent": current.threshold_percent,
            "below_rule": current.below_rule,
            "fixed_rate_percent": current.fixed_rate_percent,
            "period_kind": current.period_kind,
            "note": current.note,
        },
    )
    if request.method == "POST" and decide and form.is_valid():
        try:
            services.policy_save(municipality=municipality, actor=request.user, **form.cleaned_data)
            messages.success(request, "補助の基準を保存しました。")
            return redirect("service_b:policy", municipality.pk)
        except (TsunaguError, ValidationError) as error:
            _show(form, error)
    elif request.method == "POST" and not decide:
        raise PermissionDenied()
    requirements = current.requirements.all() if current.pk else []
    return render(
        request,
        "service_b/policy.html",
        {
            "policy": current,
            "municipality": municipality,
            "form": form,
            "can_decide": decide,
            "requirements": requirements,
            "requirement_form": RequirementForm(),
            "rounding_rule": subsidy.ROUNDING_RULE,
        },
    )


@login_required
@require_POST
def requirement_add(request: HttpRequest, municipality_id: int) -> HttpResponse:
    current = selectors.policy_get_for_user(user=request.user, municipality_id=municipality_id)
    form = RequirementForm(request.POST)
    if form.is_valid():
        services.requirement_add(
            municipality=current.municipality, text=form.cleaned_data["text"], actor=request.user
        )
    return redirect("service_b:policy", municipality_id)


@login_required
@require_POST
def requirement_toggle(request: HttpRequest, municipality_id: int, pk: int) -> HttpResponse:
    current = selectors.policy_get_for_user(user=request.user, municipality_id=municipality_id)
    requirement = get_object_or_404(PolicyRequirement, pk=pk, policy__pk=current.pk)
    services.requirement_set_active(
        requirement=requirement, is_active=not requirement.is_active, actor=request.user
    )
    return redirect("service_b:policy", municipality_id)


@login_required
def policy_history(request: HttpRequest, municipality_id: int) -> HttpResponse:
    current = selectors.policy_get_for_user(user=request.user, municipality_id=municipality_id)
    if current.pk is None:
        raise NotFound()
    return history_page(request, current, reverse("service_b:policy", args=[municipality_id]))


# --- periods ------------------------------------------------------------------------------


@login_required
def period_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get_for_user(user=request.user, pk=pk)
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_create(group=group, actor=request.user, **form.cleaned_data)
            return redirect("service_b:period", period.pk)
        except (TsunaguError, ValidationError) as error:
            _show(form, error)
    return render(
        request,
        "service_b/form.html",
        {
            "form": form,
            "title": f"{group.name}：利用実績の期間を登録",
            "lead": "集計の期間は市町村の補助の基準（年度または半期）に合わせます。",
            "cancel_url": reverse("service_b:group", args=[group.pk]),
        },
    )


@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.period_get_for_user(user=request.user, pk=pk)
    counts_form = CountsForm(
        request.POST or None,
        initial={"users_total": period.users_total, "users_eligible": period.users_eligible},
    )
    if request.method == "POST" and counts_form.is_valid():
        try:
            services.period_update_counts(
                period=period, actor=request.user, **counts_form.cleaned_data
            )
            return redirect("service_b:period", period.pk)
        except (TsunaguError, ValidationError) as error:
            _show(counts_form, error)
    municipality_id = period.group.municipality_id
    care = access.can_open_residents(request.user, municipality_id)
    residents_form = None
    if care:
        residents_form = ResidentsForm(
            initial={"residents": list(period.residents.values_list("pk", flat=True))},
            residents=access.residents_visible_to(request.user).filter(
                municipality_id=municipality_id, status="active"
            ),
        )
    return render(
        request,
        "service_b/period_detail.html",
        {
            "period": period,
            "group": period.group,
            "counts_form": counts_form,
            "residents_form": residents_form,
            "can_edit": can_edit(request.user, period),
            "applications": period.applications.all(),
            "application_form": ApplicationCreateForm(),
            "share": subsidy.percent_text(period.users_eligible or 0, period.users_total)
            if period.users_total
            else "",
        },
    )


@login_required
@require_POST
def period_residents(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.period_get_for_user(user=request.user, pk=pk)
    if not access.can_open_residents(request.user, period.group.municipality_id):
        raise NotFound()
    form = ResidentsForm(
        request.POST,
        residents=access.residents_visible_to(request.user).filter(
            municipality_id=period.group.municipality_id
        ),
    )
    if form.is_valid():
        services.period_link_residents(
            period=period,
            residents=form.cleaned_data["residents"],
            actor=request.user,
            path=request.path,
        )
        services.period_count_from_residents(period=period, actor=request.user, path=request.path)
        messages.success(request, "利用者を住民の記録から集計しました。")
    return redirect("service_b:period", period.pk)


@login_required
def period_history(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.period_get_for_user(user=request.user, pk=pk)
    return history_page(request, period, reverse("service_b:period", args=[period.pk]))


# --- applications ---------------------------------------------------------------------------


@login_required
@require_POST
def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.period_get_for_user(user=request.user, pk=pk)
    form = ApplicationCreateForm(request.POST)
    if form.is_valid():
        try:
            application = services.application_create(
                period=period, kind=form.cleaned_data["kind"], actor=request.user
            )
            return redirect("service_b:application", application.pk)
        except TsunaguError as error:
            if error.code in ("not_found", "permission_denied"):
                raise
            messages.error(request, error.message)
    return redirect("service_b:period", period.pk)


def _application_context(request: HttpRequest, application: Any, **extra: Any) -> dict[str, Any]:
    lines = list(application.account_lines.all())
    return {
        "application": application,
        "period": application.period,
        "group": application.period.group,
        "computation": selectors.computation_of(application),
        "accounts": selectors.accounts_of(application),
        "b_lines": [line for line in lines if line.scope == AccountScope.SERVICE_B],
        "other_lines": [line for line in lines if line.scope == AccountScope.OTHER],
        "checks": [
            (
                check,
                CheckForm(
                    prefix=f"c{check.pk}",
                    initial={
                        "met": {True: "yes", False: "no"}.get(check.met, ""),
                        "note": check.note,
                    },
                ),
            )
            for check in application.requirement_checks.all()
        ],
        "line_form": extra.pop("line_form", AccountLineForm()),
        "return_form": extra.pop("return_form", ReturnForm()),
        "editable": application.status in services.EDITABLE and can_edit(request.user, application),
        "can_decide": can_decide(request.user, application.period.group.municipality),
        "rounding_rule": subsidy.ROUNDING_RULE,
        **extra,
    }


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    return render(
        request, "service_b/application_detail.html", _application_context(request, application)
    )


@login_required
@require_POST
def application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    extra: dict[str, Any] = {}
    try:
        if action == "line":
            form = AccountLineForm(request.POST)
            extra["line_form"] = form
            if not form.is_valid():
                raise TsunaguError("会計の行を確認してください。")
            services.account_line_add(
                application=application, actor=request.user, **form.cleaned_data
            )
        elif action == "delete-line":
            line = get_object_or_404(
                AccountLine, pk=request.POST.get("line"), application=application
            )
            services.account_line_delete(line=line, actor=request.user)
        elif action == "checks":
            for check in application.requirement_checks.all():
                form = CheckForm(request.POST, prefix=f"c{check.pk}")
                if form.is_valid():
                    services.requirement_check_record(
                        check=check,
                        met=form.met_value(),
                        note=form.cleaned_data["note"],
                        actor=request.user,
                    )
        elif action == "submit":
            services.application_submit(application=application, actor=request.user)
        elif action == "approve":
            services.application_approve(application=application, actor=request.user)
        elif action == "return":
            form = ReturnForm(request.POST)
            extra["return_form"] = form
            reason = form.data.get("return_reason", "")
            services.application_return(application=application, reason=reason, actor=request.user)
        else:
            raise NotFound()
    except TsunaguError as error:
        if error.code in ("not_found", "permission_denied"):
            raise
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        context = _application_context(request, application, error=error.message, **extra)
        return render(request, "service_b/application_detail.html", context, status=400)
    return redirect("service_b:application", application.pk)


@login_required
def application_download(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    name = f"{application.period.group.name}_{application.period.label}_{application.get_kind_display()}.xlsx"
    return _xlsx(xlsx.application_xlsx(application), _quoted(name))


@login_required
def application_history(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    return history_page(request, application, reverse("service_b:application", args=[pk]))


# --- report ---------------------------------------------------------------------------------


@login_required
def report(request: HttpRequest) -> HttpResponse:
    rows = selectors.subsidy_status(user=request.user)
    maximum = max((r.computation.operating_cost for r in rows if r.computation), default=0)
    return render(
        request,
        "service_b/report.html",
        {"rows": rows, "maximum": maximum, "rounding_rule": subsidy.ROUNDING_RULE},
    )


@login_required
def report_download(request: HttpRequest) -> HttpResponse:
    rows = selectors.subsidy_status(user=request.user)
    return _xlsx(xlsx.status_xlsx(rows), _quoted("サービスB補助の状況.xlsx"))
