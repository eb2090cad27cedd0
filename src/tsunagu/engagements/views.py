"""Pages of accompanying support (伴走的支援): programs, engagements with their visits, insights,
contacts, breadth of involvement and follow-ups, roadmaps, insight search and the prefecture
overview.

Thin on purpose: parse, call a selector (NotFound → 404) or a service (PermissionDenied → 403),
render. Scoping lives in ``selectors`` and ``permissions``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
    can_view,
    municipalities_creatable_to,
    municipalities_editable_to,
    municipalities_visible_to,
    scope_for,
    scope_q,
)
from tsunagu.areas.models import Municipality, Prefecture
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.core.forms import apply_validation_error
from tsunagu.core.history import history_entries
from tsunagu.core.http import int_param, raise_if_access
from tsunagu.engagements import permissions, selectors, services
from tsunagu.engagements.forms import (
    AdvisorForm,
    ContactForm,
    EngagementCreateForm,
    EngagementFilterForm,
    EngagementForm,
    FollowUpForm,
    FollowUpSettingsForm,
    InsightForm,
    InsightSearchForm,
    MilestoneForm,
    OverviewForm,
    ProgramForm,
    RoadmapForm,
    SelectionForm,
    StatusForm,
    VisitForm,
    directory_organisations,
    participant_formset,
)
from tsunagu.engagements.models import (
    DEFAULT_FIRST_REMINDER_DAYS,
    DEFAULT_REPEAT_REMINDER_DAYS,
    Engagement,
    EngagementAdvisor,
    FollowUpSettings,
    ProgramOwnerKind,
    Roadmap,
)

PER_PAGE = 50
PARTICIPANT_ROWS = 6  # blank participant rows offered on the visit form
MORE_ROWS = 4  # rows added by 「行を追加」


def _detail_url(engagement: Engagement, anchor: str = "") -> str:
    url = reverse("engagements:detail", args=[engagement.pk])
    return f"{url}#{anchor}" if anchor else url


def _saved(request: HttpRequest, form: Any, message: str, save: Callable[[], Any]) -> bool:
    """Whether a POSTed, valid form was saved by ``save()`` (then with ``message``). A
    write error is shown on the form instead, which keeps what was typed."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save()
    except (TsunaguError, ValidationError) as error:
        raise_if_access(error)
        apply_validation_error(form, error)
        return False
    messages.success(request, message)
    return True


def _form_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "engagements/form.html", context, status=status)


# --- engagement list, detail, create, edit -------------------------------------------------


@login_required
def engagement_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    municipalities = municipalities_visible_to(user)
    form = EngagementFilterForm(request.GET or None, municipalities=municipalities)
    data = form.valid_data()
    engagements = selectors.engagement_list_filtered(
        user=user,
        fiscal_year=data.get("fiscal_year"),
        status=data.get("status") or "",
        theme=data.get("theme") or "",
        municipality=data.get("municipality"),
    )
    page = Paginator(engagements, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "engagements/engagement_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_create": municipalities_creatable_to(user).exists(),
            "is_prefecture_staff": bool(scope_for(user).editable_prefecture_ids)
            or scope_for(user).is_system_admin,
        },
    )


@login_required
def engagement_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    municipalities = municipalities_creatable_to(user)
    if not municipalities.exists():
        raise PermissionDenied()
    initial = {}
    if int_param(request.GET.get("program")):
        initial["program"] = int_param(request.GET.get("program"))
    form = EngagementCreateForm(
        request.POST or None, municipalities=municipalities, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            engagement = services.engagement_create(
                program=data.pop("program"),
                municipality=data.pop("municipality"),
                data=data,
                actor=user,
            )
        except (TsunaguError, ValidationError) as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("伴走的支援を登録しました。"))
            return redirect(_detail_url(engagement))
    return _form_page(
        request,
        {
            "form": form,
            "title": _("伴走的支援を登録"),
            "lead": _("応募した段階で登録し、採択・訪問・フォローアップと記録を重ねていきます。"),
            "cancel_url": reverse("engagements:list"),
        },
    )


@login_required
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = selectors.engagement_get_for_user(user=user, pk=pk)
    today = timezone.localdate()
    roadmaps = [
        (roadmap, selectors.roadmap_timeline(roadmap, today))
        for roadmap in Roadmap.objects.filter(engagement=engagement).prefetch_related(
            "milestones__owner_organisation"
        )
    ]
    due = services.follow_up_due_on(engagement, today)
    return render(
        request,
        "engagements/engagement_detail.html",
        {
            "engagement": engagement,
            "visits": sorted(engagement.visits.all(), key=lambda v: v.number),
            "insights": engagement.insights.all(),
            "contacts": engagement.contacts.all(),
            "follow_ups": engagement.follow_ups.all(),
            "status_changes": engagement.status_changes.all(),
            "matrix": selectors.breadth_matrix(engagement),
            "roadmaps": roadmaps,
            "today": today,
            "last_contact": selectors.last_contact_on(engagement),
            "next_due": due,
            "due_overdue": due is not None and due <= today,
            "allowed": services.allowed_transitions(engagement),
            "can_edit": permissions.can_edit_engagement(user, engagement),
            "can_change_status": permissions.can_change_status(user, engagement),
            "can_record": permissions.can_record_visit(user, engagement),
            "can_follow_up": permissions.can_record_follow_up(user, engagement),
            "is_advisor": permissions.is_advisor_of(user, engagement),
            # Linked bodies/issues/organisations open only for those who see the municipality.
            "links_open": can_view(user, engagement),
        },
    )


@login_required
def engagement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = selectors.engagement_get_for_user(user=user, pk=pk)
    if not permissions.can_edit_engagement(user, engagement):
        raise PermissionDenied()
    form = EngagementForm(request.POST or None, engagement=engagement, user=user)
    if _saved(
        request,
        form,
        _("伴走的支援を更新しました。"),
        lambda: services.engagement_update(
            engagement=engagement, data=dict(form.cleaned_data), actor=user
        ),
    ):
        return redirect(_detail_url(engagement))
    return _form_page(
        request,
        {
            "form": form,
            "engagement": engagement,
            "title": _("伴走的支援を編集"),
            "cancel_url": _detail_url(engagement),
        },
    )


@login_required
def engagement_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = selectors.engagement_get_for_user(user=user, pk=pk)
    if not permissions.can_change_status(user, engagement):
        raise PermissionDenied()
    allowed = services.allowed_transitions(engagement)
    form = StatusForm(request.POST or None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.engagement_transition(
                engagement=engagement,
                to=data["to"],
                reason=data.get("reason") or "",
                at=data.get("at"),
                actor=user,
            )
        except TsunaguError as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("状態を変更しました。"))
            return redirect(_detail_url(engagement, "status"))
    return _form_page(
        request,
        {
            "form": form,
            "engagement": engagement,
            "title": _("状態を変更"),
            "lead": _("今の状態: %(status)s") % {"status": engagement.get_status_display()},
            "cancel_url": _detail_url(engagement, "status"),
        },
    )


@login_required
def engagement_history(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = selectors.engagement_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "engagements/history.html",
        {"engagement": engagement, "entries": history_entries(engagement, user=request.user)},
    )


# --- advisors ------------------------------------------------------------------------------


@login_required
def advisor_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = selectors.engagement_get_for_user(user=user, pk=pk)
    if not permissions.can_edit_engagement(user, engagement):
        raise PermissionDenied()
    form = AdvisorForm(request.POST or None, engagement=engagement, user=user)
    if _saved(
        request,
        form,
        _("アドバイザーを追加しました。"),
        lambda: services.advisor_add(
            engagement=engagement, data=dict(form.cleaned_data), actor=user
        ),
    ):
        return redirect(_detail_url(engagement, "advisors"))
    return _form_page(
        request,
        {
            "form": form,
            "engagement": engagement,
            "title": _("アドバイザーを追加"),
            "cancel_url": _detail_url(engagement, "advisors"),
        },
    )


@login_required
@require_POST
def advisor_remove(request: HttpRequest, pk: int) -> HttpResponse:
    advisor = EngagementAdvisor.objects.select_related("engagement__municipality").filter(pk=pk)
    found = advisor.first()
    if found is None or not permissions.can_view_engagement(request.user, found.engagement):
        raise NotFound()
    services.advisor_remove(advisor=found, actor=request.user)
    messages.success(request, _("アドバイザーを外しました。"))
    return redirect(_detail_url(found.engagement, "advisors"))


# --- visits --------------------------------------------------------------------------------


def _visit_page(request: HttpRequest, engagement: Engagement, visit: Any = None) -> HttpResponse:
    user = request.user
    organisations = directory_organisations(user, engagement.municipality)
    existing = [
        {
            "kind": p.kind,
            "department": p.department,
            "organisation": p.organisation_id,
            "organisation_name": p.organisation_name,
            "organisation_type": p.organisation_type,
            "person_name": p.person_name,
            "headcount": p.headcount,
        }
        for p in (visit.participants.all() if visit is not None else [])
    ]
    extra = PARTICIPANT_ROWS if not existing else 2
    adding = request.method == "POST" and "add_rows" in request.POST
    if adding:
        extra = 0
    post = request.POST if request.method == "POST" else None
    if adding and post is not None:
        # Re-render with more blank rows, keeping everything typed so far.
        post = post.copy()
        total = (int_param(post.get("participants-TOTAL_FORMS")) or 0) + MORE_ROWS
        post["participants-TOTAL_FORMS"] = str(total)
    formset = participant_formset(extra)(
        post, prefix="participants", organisations=organisations, initial=existing or None
    )
    form = VisitForm(post, instance=visit, engagement=engagement)
    if request.method == "POST" and not adding:
        if form.is_valid() and formset.is_valid():
            data = dict(form.cleaned_data)
            try:
                if visit is None:
                    visit = services.visit_record(
                        engagement=engagement,
                        data=data,
                        participants=formset.rows(),
                        actor=user,
                    )
                    messages.success(request, _("訪問を記録しました。"))
                else:
                    services.visit_update(
                        visit=visit, data=data, participants=formset.rows(), actor=user
                    )
                    messages.success(request, _("訪問を更新しました。"))
            except (TsunaguError, ValidationError) as error:
                raise_if_access(error)
                apply_validation_error(form, error)
            else:
                return redirect(_detail_url(engagement, f"visit-{visit.pk}"))
    return render(
        request,
        "engagements/visit_form.html",
        {
            "form": form,
            "formset": formset,
            "engagement": engagement,
            "visit": visit,
            "title": _("訪問を記録") if visit is None else _("訪問を編集"),
            "cancel_url": _detail_url(engagement, "visits"),
        },
    )


@login_required
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = selectors.engagement_get_for_user(user=request.user, pk=pk)
    if not permissions.can_record_visit(request.user, engagement):
        raise PermissionDenied()
    return _visit_page(request, engagement)


@login_required
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get_for_user(user=request.user, pk=pk)
    if not permissions.can_record_visit(request.user, visit.engagement):
        raise PermissionDenied()
    return _visit_page(request, visit.engagement, visit)


# --- insights, contacts, follow-ups --------------------------------------------------------


@login_required
def insight_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = selectors.engagement_get_for_user(user=user, pk=pk)
    if not permissions.can_record_visit(user, engagement):
        raise PermissionDenied()
    initial = {}
    if int_param(request.GET.get("visit")):
        initial["visit"] = int_param(request.GET.get("visit"))
    form = InsightForm(request.POST or None, engagement=engagement, user=user, initial=initial)

    def save() -> Any:
        data = form.cleaned_data
        return services.insight_add(
            engagement=engagement,
            text=data["text"],
            realised_by=data.get("realised_by") or "",
            visit=data.get("visit"),
            tags=data.get("tags") or "",
            organisations=list(data.get("organisations") or []),
            actor=user,
        )

    if _saved(request, form, _("気づきを記録しました。"), save):
        return redirect(_detail_url(engagement, "insights"))
    return _form_page(
        request,
        {
            "form": form,
            "engagement": engagement,
            "title": _("気づきを記録"),
            "lead": _("支援を通して市町村や関係者が気づいたことを、一つずつ記録します。"),
            "cancel_url": _detail_url(engagement, "insights"),
        },
    )


@login_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = selectors.engagement_get_for_user(user=user, pk=pk)
    if not permissions.can_record_visit(user, engagement):
        raise PermissionDenied()
    form = ContactForm(request.POST or None, initial={"contacted_on": timezone.localdate()})
    if _saved(
        request,
        form,
        _("連絡を記録しました。"),
        lambda: services.contact_add(
            engagement=engagement, data=dict(form.cleaned_data), actor=user
        ),
    ):
        return redirect(_detail_url(engagement, "contacts"))
    return _form_page(
        request,
        {
            "form": form,
            "engagement": engagement,
            "title": _("訪問の間の連絡を記録"),
            "cancel_url": _detail_url(engagement, "contacts"),
        },
    )


@login_required
def follow_up_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = selectors.engagement_get_for_user(user=user, pk=pk)
    if not permissions.can_record_follow_up(user, engagement):
        raise PermissionDenied()
    form = FollowUpForm(request.POST or None, initial={"followed_on": timezone.localdate()})
    if _saved(
        request,
        form,
        _("フォローアップを記録しました。"),
        lambda: services.follow_up_record(
            engagement=engagement, data=dict(form.cleaned_data), actor=user
        ),
    ):
        return redirect(_detail_url(engagement, "follow-ups"))
    return _form_page(
        request,
        {
            "form": form,
            "engagement": engagement,
            "title": _("フォローアップを記録"),
            "cancel_url": _detail_url(engagement, "follow-ups"),
        },
    )


@login_required
def breadth(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = selectors.engagement_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "engagements/breadth.html",
        {"engagement": engagement, "matrix": selectors.breadth_matrix(engagement)},
    )


# --- insight search ------------------------------------------------------------------------


@login_required
def insight_search(request: HttpRequest) -> HttpResponse:
    user = request.user
    municipalities = municipalities_visible_to(user)
    form = InsightSearchForm(request.GET or None, municipalities=municipalities)
    data = form.valid_data()
    insights = selectors.insight_search(
        user=user,
        q=data.get("q") or "",
        tag=data.get("tag") or "",
        municipality=data.get("municipality"),
        fiscal_year=data.get("fiscal_year"),
        theme=data.get("theme") or "",
        realised_by=data.get("realised_by") or "",
    )
    page = Paginator(insights, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "engagements/insight_search.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "tags": selectors.insight_tag_counts(user=user),
        },
    )


# --- roadmaps ------------------------------------------------------------------------------


@login_required
def roadmap_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    roadmaps = selectors.roadmap_list_visible_to(user=user).order_by(
        "municipality__code", "first_fiscal_year"
    )
    return render(
        request,
        "engagements/roadmap_list.html",
        {
            "roadmaps": roadmaps,
            "overdue": selectors.overdue_milestones(user=user),
            "can_create": municipalities_editable_to(user).exists(),
        },
    )


@login_required
def roadmap_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    engagement = None
    if int_param(request.GET.get("engagement")):
        engagement = selectors.engagement_get_for_user(
            user=user,
            pk=int_param(request.GET.get("engagement")),  # type: ignore[arg-type]
        )
        municipality = engagement.municipality
    else:
        municipality = (
            municipalities_editable_to(user)
            .filter(pk=int_param(request.GET.get("municipality")))
            .first()
            or municipalities_editable_to(user).first()
        )
    if municipality is None or not permissions.can_edit_roadmap(user, municipality):
        raise PermissionDenied()
    initial: dict[str, Any] = {}
    if engagement is not None:
        initial = {
            "engagement": engagement.pk,
            "first_fiscal_year": engagement.fiscal_year,
            "last_fiscal_year": engagement.fiscal_year + 3,
            "title": _("%(theme)sのロードマップ") % {"theme": engagement.theme},
        }
    form = RoadmapForm(request.POST or None, municipality=municipality, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            roadmap = services.roadmap_create(
                municipality=municipality, data=dict(form.cleaned_data), actor=user
            )
        except (TsunaguError, ValidationError) as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("ロードマップを作成しました。"))
            return redirect("engagements:roadmap", pk=roadmap.pk)
    return _form_page(
        request,
        {
            "form": form,
            "engagement": engagement,
            "title": _("ロードマップを作成"),
            "lead": municipality.name,
            "cancel_url": _detail_url(engagement)
            if engagement
            else reverse("engagements:roadmaps"),
        },
    )


@login_required
def roadmap_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    roadmap = selectors.roadmap_get_for_user(user=user, pk=pk)
    today = timezone.localdate()
    columns = selectors.roadmap_timeline(roadmap, today)
    return render(
        request,
        "engagements/roadmap_detail.html",
        {
            "roadmap": roadmap,
            "columns": columns,
            "overdue_count": sum(1 for c in columns for _m, late in c.milestones if late),
            "today": today,
            "can_edit": permissions.can_edit_roadmap(user, roadmap),
        },
    )


@login_required
def roadmap_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    roadmap = selectors.roadmap_get_for_user(user=user, pk=pk)
    if not permissions.can_edit_roadmap(user, roadmap):
        raise PermissionDenied()
    form = RoadmapForm(request.POST or None, instance=roadmap, municipality=roadmap.municipality)
    if _saved(
        request,
        form,
        _("ロードマップを更新しました。"),
        lambda: services.roadmap_update(roadmap=roadmap, data=dict(form.cleaned_data), actor=user),
    ):
        return redirect("engagements:roadmap", pk=roadmap.pk)
    return _form_page(
        request,
        {
            "form": form,
            "title": _("ロードマップを編集"),
            "cancel_url": reverse("engagements:roadmap", args=[roadmap.pk]),
        },
    )


@login_required
def milestone_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    roadmap = selectors.roadmap_get_for_user(user=user, pk=pk)
    if not permissions.can_edit_roadmap(user, roadmap):
        raise PermissionDenied()
    initial = {}
    if int_param(request.GET.get("fiscal_year")):
        initial["fiscal_year"] = int_param(request.GET.get("fiscal_year"))
    form = MilestoneForm(request.POST or None, roadmap=roadmap, user=user, initial=initial)
    return _milestone_save(request, form, roadmap, None)


@login_required
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    milestone = selectors.milestone_get_for_user(user=user, pk=pk)
    roadmap = milestone.roadmap
    if not permissions.can_edit_roadmap(user, roadmap):
        raise PermissionDenied()
    form = MilestoneForm(request.POST or None, instance=milestone, roadmap=roadmap, user=user)
    return _milestone_save(request, form, roadmap, milestone)


def _milestone_save(
    request: HttpRequest, form: MilestoneForm, roadmap: Roadmap, milestone: Any
) -> HttpResponse:
    user = request.user
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if milestone is None:
                services.milestone_add(roadmap=roadmap, data=data, actor=user)
            else:
                services.milestone_update(milestone=milestone, data=data, actor=user)
        except (TsunaguError, ValidationError) as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("ロードマップの項目を保存しました。"))
            return redirect("engagements:roadmap", pk=roadmap.pk)
    return _form_page(
        request,
        {
            "form": form,
            "title": _("項目を追加") if milestone is None else _("項目を編集"),
            "lead": roadmap.title,
            "cancel_url": reverse("engagements:roadmap", args=[roadmap.pk]),
        },
    )


# --- prefecture overview and follow-up settings --------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    scope = scope_for(user)
    prefectures = Prefecture.objects.filter(
        pk__in=Municipality.objects.filter(scope_q(user, municipality_field="pk")).values(
            "prefecture_id"
        )
    ).order_by("code")
    form = OverviewForm(request.GET or None, prefectures=prefectures)
    prefecture = form.valid_data().get("prefecture")
    if prefecture is None and len(scope.prefecture_ids) == 1:
        prefecture = prefectures.filter(pk__in=scope.prefecture_ids).first()
    today = timezone.localdate()
    rows = selectors.prefecture_overview(user=user, prefecture=prefecture, today=today)
    config = None
    if prefecture is not None:
        config = FollowUpSettings.objects.filter(prefecture=prefecture).first()
    return render(
        request,
        "engagements/overview.html",
        {
            "form": form,
            "prefecture": prefecture,
            "rows": rows,
            "today": today,
            "first_days": config.first_reminder_days if config else DEFAULT_FIRST_REMINDER_DAYS,
            "repeat_days": config.repeat_reminder_days if config else DEFAULT_REPEAT_REMINDER_DAYS,
            "can_configure": prefecture is not None
            and permissions.can_edit_followup_settings(user, prefecture),
        },
    )


@login_required
def follow_up_settings(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    prefecture = Prefecture.objects.filter(pk=pk).first()
    if prefecture is None:
        raise NotFound()
    if not permissions.can_edit_followup_settings(user, prefecture):
        raise PermissionDenied()
    config = FollowUpSettings.objects.filter(prefecture=prefecture).first()
    initial = {
        "first_reminder_days": config.first_reminder_days
        if config
        else DEFAULT_FIRST_REMINDER_DAYS,
        "repeat_reminder_days": config.repeat_reminder_days
        if config
        else DEFAULT_REPEAT_REMINDER_DAYS,
        "send_email": config.send_email if config else True,
    }
    form = FollowUpSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_settings_update(
                prefecture=prefecture, actor=user, **form.cleaned_data
            )
        except TsunaguError as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("フォローアップ通知の設定を保存しました。"))
            return redirect(reverse("engagements:overview") + f"?prefecture={prefecture.pk}")
    return _form_page(
        request,
        {
            "form": form,
            "title": _("フォローアップ通知の設定"),
            "lead": prefecture.name,
            "cancel_url": reverse("engagements:overview"),
        },
    )


# --- programs ------------------------------------------------------------------------------


def _program_prefectures(user: Any) -> QuerySet[Prefecture]:
    scope = scope_for(user)
    if scope.is_system_admin:
        return Prefecture.objects.order_by("code")
    return Prefecture.objects.filter(pk__in=scope.editable_prefecture_ids).order_by("code")


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    programs = selectors.program_list(user=user)
    return render(
        request,
        "engagements/program_list.html",
        {
            "programs": programs,
            "can_create": scope_for(user).is_system_admin or _program_prefectures(user).exists(),
        },
    )


@login_required
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    program = selectors.program_get(user=user, pk=pk)
    engagements = selectors.engagement_list_filtered(user=user, program=program)
    return render(
        request,
        "engagements/program_detail.html",
        {
            "program": program,
            "selections": selectors.selections_visible_to(user=user, program=program),
            "engagements": engagements,
            "can_edit": permissions.can_edit_program(user, program),
            "can_select": permissions.can_edit_program(user, program)
            or municipalities_creatable_to(user).exists(),
        },
    )


@login_required
def program_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    program = selectors.program_get(user=user, pk=pk) if pk else None
    prefectures = _program_prefectures(user)
    if program is not None and not permissions.can_edit_program(user, program):
        raise PermissionDenied()
    if program is None and not (scope_for(user).is_system_admin or prefectures.exists()):
        raise PermissionDenied()
    initial = {}
    if program is None and not scope_for(user).is_system_admin:
        initial = {
            "owner_kind": ProgramOwnerKind.PREFECTURE,
            "owner_prefecture": prefectures.first(),
        }
    form = ProgramForm(
        request.POST or None, instance=program, prefectures=prefectures, user=user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partners = list(data.pop("partner_organisations") or [])
        try:
            if program is None:
                program = services.program_create(
                    data=data, partner_organisations=partners, actor=user
                )
            else:
                services.program_update(
                    program=program, data=data, partner_organisations=partners, actor=user
                )
        except (TsunaguError, ValidationError) as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("支援事業を保存しました。"))
            return redirect("engagements:program", pk=program.pk)
    return _form_page(
        request,
        {
            "form": form,
            "title": _("支援事業を登録") if program is None else _("支援事業を編集"),
            "cancel_url": reverse("engagements:programs"),
        },
    )


@login_required
def selection_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    program = selectors.program_get(user=user, pk=pk)
    if permissions.can_edit_program(user, program):
        municipalities = (
            Municipality.objects.filter(prefecture=program.owner_prefecture).order_by("code")
            if program.owner_prefecture_id
            else Municipality.objects.order_by("code")
        )
    else:
        municipalities = municipalities_creatable_to(user)
    if not municipalities.exists():
        raise PermissionDenied()
    form = SelectionForm(request.POST or None, program=program, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.selection_record(
                program=program,
                municipality=data["municipality"],
                fiscal_year=data["fiscal_year"],
                status=data["status"],
                note=data.get("note") or "",
                actor=user,
            )
        except (TsunaguError, ValidationError) as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("応募・採択を記録しました。"))
            return redirect("engagements:program", pk=program.pk)
    return _form_page(
        request,
        {
            "form": form,
            "title": _("応募・採択を記録"),
            "lead": program.name,
            "cancel_url": reverse("engagements:program", args=[program.pk]),
        },
    )
