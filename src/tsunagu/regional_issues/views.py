"""Pages of regional issues (地域課題): list, issue page, raising and editing, stage changes
with their gates, executing actors, ideas, comments, the dashboard and the .xlsx exports.

Thin on purpose: parse the request, call a selector or a service, render. Scoping lives in
``selectors`` (NotFound → 404) and every write in ``services`` (PermissionDenied → 403).
"""

from __future__ import annotations

import io
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.accounts.scope import (
    can_edit,
    municipalities_editable_to,
    municipalities_visible_to,
)
from tsunagu.areas.models import DailyLifeArea, District, Municipality
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.core.fields import fields_from
from tsunagu.core.forms import apply_validation_error
from tsunagu.core.history import history_entries
from tsunagu.core.http import int_param, raise_if_access, safe_next
from tsunagu.core.operations.databases import using_replica
from tsunagu.core.sorting import natural_sorted
from tsunagu.core.widgets import picker_list, picker_matches
from tsunagu.regional_issues import errors, exports, flags, selectors, services
from tsunagu.regional_issues.forms import (
    CommentForm,
    DashboardForm,
    ExecutingActorEndForm,
    ExecutingActorForm,
    IdeaForm,
    IssueFilterForm,
    IssueForm,
    StageForm,
    directory_organisations,
)
from tsunagu.regional_issues.models import STAGE_ORDER, IssueStage, RegionalIssue
from tsunagu.regional_issues.permissions import can_comment
from tsunagu.regional_issues.services import IssueFields

PER_PAGE = 50
DASHBOARD_LIST_LIMIT = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GATE_CODES = (errors.NO_EXECUTING_ACTOR, errors.NO_TARGET, errors.NO_START_DATE)


# --- helpers ---------------------------------------------------------------------------


def _issue_url(issue: RegionalIssue) -> str:
    return reverse("regional_issues:detail", args=[issue.pk])


def _visible_bodies(user: Any) -> QuerySet[Any]:
    from tsunagu.bodies.selectors import body_list_visible_to

    return body_list_visible_to(user=user)


def area_choices_for(municipalities: QuerySet[Municipality]) -> list[Any]:
    """Grouped <select> choices: per municipality its daily-life areas and districts."""
    several = municipalities.count() > 1
    groups: list[Any] = []
    for municipality in municipalities.prefetch_related("daily_life_areas", "districts"):
        options = [
            (f"daily_life_area:{a.pk}", _("圏域: %(name)s") % {"name": a.name})
            for a in natural_sorted(municipality.daily_life_areas.all())
        ] + [
            (f"district:{d.pk}", _("地区: %(name)s") % {"name": d.name})
            for d in natural_sorted(municipality.districts.all())
        ]
        if options:
            groups.append((municipality.name, options))
    if not several:  # one municipality: a flat list reads better than a single group
        return [option for _name, options in groups for option in options]
    return groups


def _parse_area(value: str | None, municipalities: QuerySet[Municipality]) -> Any:
    kind, _sep, pk = (value or "").partition(":")
    model = {"daily_life_area": DailyLifeArea, "district": District}.get(kind)
    if model is None or int_param(pk) is None:
        return None
    return model.objects.filter(pk=int_param(pk), municipality__in=municipalities).first()


def stage_path(issue: RegionalIssue) -> list[dict[str, Any]]:
    """The stages 把握 → … → 完了 with the state of each for this issue (for the path view)."""
    labels = dict(IssueStage.choices)
    on_hold = issue.stage == IssueStage.ON_HOLD
    reference = issue.held_from_stage if on_hold else issue.stage
    current_index = STAGE_ORDER.index(reference) if reference in STAGE_ORDER else -1
    steps = []
    for index, value in enumerate(STAGE_ORDER):
        if index < current_index:
            state = "done"
        elif index == current_index:
            state = "held" if on_hold else "current"
        else:
            state = "todo"
        steps.append({"value": value, "label": labels[value], "state": state})
    return steps


# --- list, export ----------------------------------------------------------------------


def _filtered_issues(request: HttpRequest) -> tuple[IssueFilterForm, QuerySet[RegionalIssue]]:
    user = request.user
    municipalities = municipalities_visible_to(user)
    form = IssueFilterForm(
        request.GET or None,
        municipalities=municipalities,
        bodies=_visible_bodies(user),
        area_choices=area_choices_for(municipalities),
    )
    data = form.valid_data()
    issues = selectors.issue_list_filtered(
        user=user,
        municipality=data.get("municipality"),
        theme=data.get("theme"),
        area=_parse_area(data.get("area"), municipalities),
        stage=data.get("stage") or "",
        body=data.get("body"),
        flag=data.get("flag") or "",
        q=data.get("q") or "",
    )
    return form, issues


@login_required
def issue_list(request: HttpRequest) -> HttpResponse:
    form, issues = _filtered_issues(request)
    page = Paginator(issues, PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    flag_labels = flags.flag_map(RegionalIssue.objects.filter(pk__in=[i.pk for i in rows]))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "regional_issues/issue_list.html",
        {
            "form": form,
            "page": page,
            "rows": [{"issue": issue, "flags": flag_labels.get(issue.pk, [])} for issue in rows],
            "query": query.urlencode(),
            "show_municipality": "municipality" in form.fields,
            "can_create": municipalities_editable_to(request.user).exists(),
        },
    )


def _xlsx_response(write: Any, filename: str, fallback: str) -> HttpResponse:
    buffer = io.BytesIO()
    write(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{_quote(filename)}"
    )
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


@login_required
def issue_export(request: HttpRequest) -> HttpResponse:
    """The filtered issue list as .xlsx (themes, areas, stage, executing actors, flags)."""
    _form, issues = _filtered_issues(request)
    # A whole list written to a file: read from the replica when there is one (may lag).
    issues = using_replica(issues)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _xlsx_response(
        lambda stream: exports.write_issue_list(stream, issues),
        f"地域課題一覧_{stamp}.xlsx",
        f"issues_{stamp}.xlsx",
    )


# --- issue page ------------------------------------------------------------------------


def _render_detail(
    request: HttpRequest,
    issue: RegionalIssue,
    *,
    idea_form: IdeaForm | None = None,
    comment_form: CommentForm | None = None,
) -> HttpResponse:
    user = request.user
    editable = can_edit(user, issue)
    commentable = can_comment(user, issue)
    actors = list(issue.executing_actors.all())
    ideas = issue.ideas.select_related(
        "proposer_person", "proposer_organisation", "meeting__body"
    ).order_by("created_at", "pk")
    action_items = issue.action_items.select_related(
        "body", "owner_person", "owner_organisation"
    ).order_by("status", "due_on", "pk")
    return render(
        request,
        "regional_issues/issue_detail.html",
        {
            "issue": issue,
            "steps": stage_path(issue),
            "on_hold": issue.stage == IssueStage.ON_HOLD,
            "flags": flags.flag_labels(issue),
            "current_actors": [a for a in actors if a.ended_on is None],
            "past_actors": [a for a in actors if a.ended_on is not None],
            "ideas": ideas,
            "comments": issue.comments.all(),
            "stage_changes": issue.stage_changes.all(),
            "action_items": action_items,
            "today": timezone.localdate(),
            "can_edit": editable,
            "can_comment": commentable,
            "idea_form": idea_form or (IdeaForm(issue=issue, user=user) if editable else None),
            "comment_form": comment_form or (CommentForm() if commentable else None),
        },
    )


@login_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.issue_get_for_user(user=request.user, pk=pk)
    return _render_detail(request, issue)


@login_required
def issue_history(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.issue_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "core/history.html",
        {
            "object": issue,
            "entries": history_entries(issue, user=request.user),
            "back_url": _issue_url(issue),
        },
    )


# --- raising and editing ---------------------------------------------------------------


def _source_from_query(request: HttpRequest) -> tuple[Any, Any]:
    """The meeting and body named by ?meeting= / ?body= (404 when not visible)."""
    from tsunagu.bodies import selectors as body_selectors

    user = request.user
    meeting = body = None
    if request.GET.get("meeting"):
        meeting_pk = int_param(request.GET["meeting"])
        if meeting_pk is None:
            raise NotFound()
        meeting = body_selectors.meeting_get_for_user(user=user, pk=meeting_pk)
    if request.GET.get("body"):
        body_pk = int_param(request.GET["body"])
        if body_pk is None:
            raise NotFound()
        body = body_selectors.body_get_for_user(user=user, pk=body_pk)
    if meeting is not None and (
        body is None or body.municipality_id != meeting.body.municipality_id
    ):
        body = meeting.body
    return meeting, body


def _list_options(request: HttpRequest) -> dict[str, Any]:
    """The issue form's long lists: searched, unless the page was asked with ?all=1."""
    query = request.GET.copy()
    query["all"] = "1"
    return {
        "full_lists": request.GET.get("all") == "1",
        "full_list_url": f"{request.path}?{query.urlencode()}",
    }


@login_required
def issue_pick(request: HttpRequest, municipality_pk: int, field: str) -> HttpResponse:
    """Matches for the issue form's search-to-add lists (htmx): the ticked rows, then up to
    20 rows of the same scoped choices whose name or よみがな contains the search."""
    user = request.user
    municipality = municipalities_visible_to(user).filter(pk=municipality_pk).first()
    if municipality is None or field not in IssueForm.PICKED:
        raise NotFound()
    if not can_edit(user, municipality):
        raise PermissionDenied()
    form = IssueForm(municipality=municipality, user=user)
    if field not in form.fields:
        raise NotFound()
    choice = form.fields[field]
    # ids as the browser sends them; anything else (or past a bigint: PostgreSQL would refuse
    # the query) is ignored, as a box that was never on the page
    ticked = [
        int(v)
        for v in request.GET.getlist(field)[:500]
        if v.isascii() and v.isdigit() and len(v) <= 18
    ]
    by_pk = {obj.pk: obj for obj in choice.queryset.filter(pk__in=ticked)}  # type: ignore[attr-defined]
    query = request.GET.get(f"{field}__q", "")
    matches, total = picker_matches(choice.queryset, query, exclude=list(by_pk))  # type: ignore[attr-defined]
    return HttpResponse(
        picker_list(
            choice.label_from_instance,  # type: ignore[attr-defined]
            name=field,
            widget_id=f"id_{field}",
            checked=[by_pk[pk] for pk in dict.fromkeys(ticked) if pk in by_pk],
            matches=matches,
            query=query.strip()[:100],
            total_matches=total,
        )
    )


@login_required
def issue_create(request: HttpRequest) -> HttpResponse:
    """Raise an issue; ?meeting=<pk> (and/or ?body=<pk>) pre-fills where it came from."""
    user = request.user
    meeting, body = _source_from_query(request)
    if body is not None:
        municipality = body.municipality
    else:
        editable = municipalities_editable_to(user)
        chosen = int_param(request.GET.get("municipality"))
        if chosen is not None:
            municipality = municipalities_visible_to(user).filter(pk=chosen).first()
            if municipality is None:
                raise NotFound()
        elif editable.count() == 1:
            municipality = editable.first()
        elif editable.exists():
            return render(
                request,
                "regional_issues/municipality_choice.html",
                {"municipalities": editable},
            )
        else:
            raise PermissionDenied()
    if not can_edit(user, municipality):
        raise PermissionDenied()
    initial: dict[str, Any] = {"raised_on": timezone.localdate()}
    if body is not None:
        initial["body"] = body.pk
    if meeting is not None:
        initial.update(
            source_kind="meeting",
            source_meeting=meeting.pk,
            raised_on=timezone.localtime(meeting.starts_at).date(),
        )
    form = IssueForm(
        request.POST or None,
        instance=RegionalIssue(municipality=municipality),
        initial=initial,
        municipality=municipality,
        user=user,
        **_list_options(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_raise(
                municipality=municipality,
                fields=fields_from(IssueFields, form.cleaned_data),
                actor=user,
            )
        except (TsunaguError, ValidationError) as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("地域課題を登録しました。"))
            return redirect(_issue_url(issue))
    return render(
        request,
        "regional_issues/issue_form.html",
        {
            "form": form,
            "municipality": municipality,
            "meeting": meeting,
            "title": _("地域課題の登録"),
            "cancel_url": reverse("regional_issues:list"),
        },
    )


@login_required
def issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    issue = selectors.issue_get_for_user(user=user, pk=pk, related=False)
    if not can_edit(user, issue):
        raise PermissionDenied()
    # Bind to a fresh copy so that a refused save cannot leak typed values into ``issue``.
    fresh = RegionalIssue.objects.get(pk=issue.pk)
    form = IssueForm(
        request.POST or None,
        instance=fresh,
        municipality=issue.municipality,
        user=user,
        **_list_options(request),
    )
    back = safe_next(request, _issue_url(issue))
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_update(
                issue=issue, fields=fields_from(IssueFields, form.cleaned_data), actor=user
            )
        except (TsunaguError, ValidationError) as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("保存しました。"))
            return redirect(back)
    return render(
        request,
        "regional_issues/issue_form.html",
        {
            "form": form,
            "issue": issue,
            "municipality": issue.municipality,
            "title": _("地域課題の編集"),
            "cancel_url": back,
            "next": request.GET.get("next", ""),
        },
    )


# --- stage changes ---------------------------------------------------------------------


def _gate_fixes(issue: RegionalIssue, to_stage: str) -> list[dict[str, str]]:
    """What is missing for ``to_stage``, each with a link to the place to fix it."""
    stage_url = reverse("regional_issues:stage", args=[issue.pk])
    edit_url = reverse("regional_issues:edit", args=[issue.pk]) + f"?next={stage_url}"
    links = {
        errors.NO_EXECUTING_ACTOR: (
            reverse("regional_issues:actor_add", args=[issue.pk]) + f"?next={stage_url}",
            _("実行主体を登録する"),
        ),
        errors.NO_TARGET: (edit_url + "#id_target", _("対象と対象の地域を入力する")),
        errors.NO_START_DATE: (edit_url + "#id_started_on", _("実行開始日を入力する")),
    }
    fixes = []
    for code, message in services.stage_gate_problems(issue, to_stage):
        url, label = links.get(code, (edit_url, _("地域課題を編集する")))
        fixes.append({"code": code, "message": message, "url": url, "label": label})
    return fixes


@login_required
def issue_stage(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the stage. The gates are the service's; a refusal is shown with ways to fix it."""
    user = request.user
    issue = selectors.issue_get_for_user(user=user, pk=pk)
    if not can_edit(user, issue):
        raise PermissionDenied()
    form = StageForm(request.POST or None, issue=issue)
    fixes: list[dict[str, str]] = []
    refused_stage = ""
    if request.method == "POST" and form.is_valid():
        to_stage = form.cleaned_data["to_stage"]
        try:
            services.issue_change_stage(
                issue=issue, to_stage=to_stage, actor=user, reason=form.cleaned_data["reason"]
            )
        except TsunaguError as error:
            raise_if_access(error)
            fixes = _gate_fixes(issue, to_stage) if error.code in GATE_CODES else []
            if fixes:
                refused_stage = dict(IssueStage.choices)[to_stage]
                form.add_error(
                    "to_stage",
                    _("「%(stage)s」に進めるための条件がそろっていません。")
                    % {"stage": refused_stage},
                )
            else:
                apply_validation_error(form, error)
        else:
            labels = dict(IssueStage.choices)
            messages.success(
                request,
                _("段階を「%(from)s」から「%(to)s」に変更しました。")
                % {"from": labels[issue.stage], "to": labels[to_stage]},
            )
            return redirect(_issue_url(issue))
    return render(
        request,
        "regional_issues/stage_form.html",
        {
            "issue": issue,
            "steps": stage_path(issue),
            "on_hold": issue.stage == IssueStage.ON_HOLD,
            "form": form,
            "fixes": fixes,
            "refused_stage": refused_stage,
        },
    )


# --- executing actors ------------------------------------------------------------------


@login_required
def actor_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    issue = selectors.issue_get_for_user(user=user, pk=pk)
    if not can_edit(user, issue):
        raise PermissionDenied()
    organisations = (
        directory_organisations(user, issue.municipality)
        .exclude(executing_roles__issue=issue)
        .order_by("name_kana", "name")
    )
    form = ExecutingActorForm(request.POST or None, organisations=organisations)
    back = safe_next(request, _issue_url(issue))
    if request.method == "POST" and form.is_valid():
        try:
            services.executing_actor_add(
                issue=issue,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                agreed_on=form.cleaned_data["agreed_on"],
                actor=user,
            )
        except (TsunaguError, ValidationError) as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("実行主体を登録しました。"))
            return redirect(back)
    return render(
        request,
        "regional_issues/simple_form.html",
        {
            "issue": issue,
            "form": form,
            "title": _("実行主体の登録"),
            "lead": _(
                "実施を引き受けた団体と、その役割を登録します。"
                "「準備」以降の段階に進めるには、実行主体が1つ以上必要です。"
            ),
            "submit": _("登録する"),
            "cancel_url": back,
            "next": request.GET.get("next", ""),
        },
    )


@login_required
def actor_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    executing = selectors.executing_actor_get_for_user(user=user, pk=pk)
    issue = executing.issue
    if not can_edit(user, issue):
        raise PermissionDenied()
    form = ExecutingActorEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.executing_actor_end(
                executing=executing, ended_on=form.cleaned_data["ended_on"], actor=user
            )
        except (TsunaguError, ValidationError) as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("実行主体の役割を終了しました。"))
            return redirect(_issue_url(issue))
    return render(
        request,
        "regional_issues/simple_form.html",
        {
            "issue": issue,
            "form": form,
            "title": _("実行主体の役割の終了"),
            "lead": _("%(organisation)s（%(role)s）の役割を終了します。記録は残ります。")
            % {"organisation": executing.organisation, "role": executing.role},
            "submit": _("終了する"),
            "cancel_url": _issue_url(issue),
        },
    )


# --- ideas and comments ----------------------------------------------------------------


@login_required
@require_POST
def idea_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    issue = selectors.issue_get_for_user(user=user, pk=pk)
    if not can_edit(user, issue):
        raise PermissionDenied()
    form = IdeaForm(request.POST, issue=issue, user=user)
    if form.is_valid():
        try:
            services.idea_add(issue=issue, actor=user, **form.cleaned_data)
        except (TsunaguError, ValidationError) as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("アイディアを追加しました。"))
            return redirect(_issue_url(issue) + "#ideas")
    return _render_detail(request, issue, idea_form=form)


@login_required
@require_POST
def idea_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    idea = selectors.idea_get_for_user(user=user, pk=pk)
    try:
        services.idea_adopt(idea=idea, actor=user)
    except TsunaguError as error:
        raise_if_access(error)
        messages.error(request, error.message)
    else:
        messages.success(request, _("アイディアを採用し、計画に追記しました。"))
    return redirect(_issue_url(idea.issue) + "#plan")


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    issue = selectors.issue_get_for_user(user=user, pk=pk)
    if not can_comment(user, issue):
        raise PermissionDenied()
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(issue=issue, text=form.cleaned_data["text"], actor=user)
        except (TsunaguError, ValidationError) as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("コメントを投稿しました。"))
            return redirect(_issue_url(issue) + "#comments")
    return _render_detail(request, issue, comment_form=form)


# --- dashboard -------------------------------------------------------------------------


def _dashboard_scope(request: HttpRequest, *, may_lag: bool = False) -> dict[str, Any]:
    user = request.user
    municipalities = municipalities_visible_to(user)
    form = DashboardForm(
        request.GET or None,
        municipalities=municipalities,
        bodies=_visible_bodies(user),
    )
    data = form.valid_data()
    chosen = data.get("municipality")
    if chosen is None and municipalities.count() == 1:
        chosen = municipalities.first()
    issues = selectors.issue_list_visible_to(user=user)
    if may_lag:
        issues = using_replica(issues)
    if chosen is not None:
        issues = issues.filter(municipality=chosen)
    if chosen is not None:
        table = selectors.theme_by_area_table(issues)
        area_label = _("地域")
    else:
        table = selectors.theme_by_municipality_table(issues)
        area_label = _("市町村")
    return {
        "form": form,
        "data": data,
        "municipality": chosen,
        "issues": issues,
        "table": table,
        "area_label": area_label,
    }


def _heat_rows(table: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "theme": row["theme"],
            "cells": [
                {"count": count, "level": exports.heat_level(count, table["max"])}
                for count in row["counts"]
            ],
            "total": sum(row["counts"]),
        }
        for row in table["rows"]
    ]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Issues by theme × area, by stage, flagged and stale issues, overdue action items and,
    for a chosen body, its most frequent themes over a chosen period."""
    from tsunagu.bodies.selectors import body_get_for_user, overdue_action_items

    user = request.user
    scope = _dashboard_scope(request)
    issues, municipality, data = scope["issues"], scope["municipality"], scope["data"]
    overdue = overdue_action_items(user=user).select_related("body__municipality")
    if municipality is not None:
        overdue = overdue.filter(body__municipality=municipality)
    body = data.get("body")
    frequent: list[Any] = []
    months = int_param(data.get("period")) or 12
    since = timezone.localdate() - relativedelta(months=months)
    if body is not None:
        body = body_get_for_user(user=user, pk=body.pk)
        frequent = selectors.frequent_themes_of_body(body, since=since, limit=10)
    unassigned = flags.unassigned_issues(issues)
    stale = flags.stale_issues(issues)
    overdue_list = list(overdue[: DASHBOARD_LIST_LIMIT + 1])
    query = request.GET.copy()
    return render(
        request,
        "regional_issues/dashboard.html",
        {
            "form": scope["form"],
            "municipality": municipality,
            "table": scope["table"],
            "heat_rows": _heat_rows(scope["table"]),
            "area_label": scope["area_label"],
            "stage_counts": selectors.counts_by_stage(issues),
            "total": issues.count(),
            "unassigned": unassigned[:DASHBOARD_LIST_LIMIT],
            "unassigned_count": len(unassigned),
            "stale": stale[:DASHBOARD_LIST_LIMIT],
            "stale_count": len(stale),
            "overdue": overdue_list[:DASHBOARD_LIST_LIMIT],
            "overdue_more": len(overdue_list) > DASHBOARD_LIST_LIMIT,
            "overdue_count": overdue.count(),
            "body": body,
            "since": since,
            "frequent": frequent,
            "frequent_max": max((n for _theme, n in frequent), default=0),
            "query": query.urlencode(),
            "municipality_query": f"municipality={municipality.pk}" if municipality else "",
            "now": timezone.now(),
        },
    )


@login_required
def heat_export(request: HttpRequest) -> HttpResponse:
    # Counts of every issue by theme and area, as a file: from the replica when there is one.
    scope = _dashboard_scope(request, may_lag=True)
    municipality = scope["municipality"]
    stem = f"{municipality.name}_" if municipality else ""
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _xlsx_response(
        lambda stream: exports.write_heat_table(
            stream, scope["table"], area_label=str(scope["area_label"])
        ),
        f"{stem}地域課題_テーマ別地域別_{stamp}.xlsx",
        f"issues_by_theme_{stamp}.xlsx",
    )
