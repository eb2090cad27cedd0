"""Service C pages: courses, participants, graduation, follow-ups, outcome and readiness
reports. Thin: the care gate decides (404 without the care right for the course's
municipality), every participant page logs the resident's read, services write. Report
pages show aggregates only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.areas.models import Municipality
from tsunagu.care.access import (
    can_open_residents,
    care_municipality_ids,
    log_resident_reads,
    resident_get_for_user,
)
from tsunagu.care.residents.exports import XLSX, quoted
from tsunagu.core.errors import TsunaguError
from tsunagu.core.http import show_on_form
from tsunagu.core.plugins import hooks
from tsunagu.directory.catalog import catalog_choices
from tsunagu.programs.courses import readiness as readiness_module
from tsunagu.programs.courses import reports, selectors, services
from tsunagu.programs.courses.forms import (
    AssessmentForm,
    CandidateForm,
    CourseForm,
    EnrolForm,
    FollowUpForm,
    GoalForm,
    GraduateForm,
    ResidentPickForm,
    SessionForm,
    SettingsForm,
    yes_no,
    yes_no_initial,
)
from tsunagu.programs.courses.models import CourseSession, FollowUp, Goal

WRITE_ERRORS = (TsunaguError, ValidationError)
FORM_TEMPLATE = "care/residents/form.html"
PURPOSE_COURSE = "サービスCのコースの参加者を表示"
PURPOSE_PARTICIPANT = "サービスCの参加者を表示"
PURPOSE_EDIT = "サービスCの参加者の記録を変更"
PURPOSE_FOLLOW_UPS = "フォローアップ予定を表示"
# The hook another app registers to raise a regional issue 「受皿が不足」 (care sits below
# regional_issues and may not import it): ``raise(municipality, district, description, actor)``
# returns the issue's URL; ``can_raise(user, municipality)`` says whether to offer the button.
SHORTAGE_HOOK = "care_receiver_shortage"


def _require_care(request: HttpRequest) -> None:
    if not can_open_residents(request.user):
        raise Http404


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    cancel_url: str,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], str],
    message: str,
    resident: Any = None,
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
        FORM_TEMPLATE,
        {"form": form, "title": title, "cancel_url": cancel_url, "resident": resident},
    )


def _municipality(request: HttpRequest) -> Municipality:
    """The municipality a report is for: ``?municipality=<id>`` among the care ones."""
    ids = sorted(care_municipality_ids(request.user))
    if not ids:
        raise Http404
    wanted = request.GET.get("municipality") or request.POST.get("municipality")
    chosen = int(wanted) if wanted and wanted.isdigit() and int(wanted) in ids else ids[0]
    return Municipality.objects.get(pk=chosen)


def _municipality_choices(request: HttpRequest) -> list[Municipality]:
    return list(Municipality.objects.filter(pk__in=care_municipality_ids(request.user)))


# --- courses ----------------------------------------------------------------------------


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    _require_care(request)
    courses = list(
        selectors.courses_visible_to(request.user)
        .select_related("municipality", "program", "provider")
        .order_by("-starts_on", "pk")
    )
    labels = dict(catalog_choices())
    for course in courses:
        course.type_label = labels.get(course.program.service_type, "")
    return render(
        request,
        "programs/courses/list.html",
        {
            "courses": courses,
            "due_count": selectors.follow_ups_due(
                user=request.user, today=timezone.localdate()
            ).count(),
        },
    )


@login_required
def course_create(request: HttpRequest) -> HttpResponse:
    _require_care(request)
    form = CourseForm(request.POST or None, user=request.user)
    return _form_page(
        request,
        form,
        title=_("サービスCのコースを登録"),
        cancel_url=reverse("care_courses:list"),
        save=lambda data: services.course_create(actor=request.user, **data),
        done=lambda course: reverse("care_courses:detail", args=[course.pk]),
        message=_("コースを登録しました。"),
    )


@login_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    _require_care(request)
    municipality = _municipality(request)
    current = services.settings_for(municipality)
    form = SettingsForm(
        request.POST or None,
        initial={"min_months": current.min_months, "max_months": current.max_months},
    )
    return _form_page(
        request,
        form,
        title=_("サービスCの期間の設定（%(name)s）") % {"name": municipality.name},
        cancel_url=reverse("care_courses:list"),
        save=lambda data: services.course_settings_update(
            municipality=municipality, actor=request.user, **data
        ),
        done=lambda _saved: reverse("care_courses:list"),
        message=_("期間の設定を保存しました。"),
    )


@login_required
def course_detail(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_get_for_user(user=request.user, course_id=course_id)
    participants = list(
        course.participants.select_related("resident__district", "receiver_referral").order_by(
            "resident__name_kana", "pk"
        )
    )
    log_resident_reads(
        user=request.user,
        residents=[p.resident for p in participants],
        purpose=PURPOSE_COURSE,
        path=request.path,
    )
    sessions = list(course.sessions.all())
    criteria = {c.number: c.name for c in services.CRITERIA}
    return render(
        request,
        "programs/courses/detail.html",
        {
            "course": course,
            "participants": participants,
            "sessions": sessions,
            "criteria": [criteria[n] for n in course.target_criteria if n in criteria],
            "levels": [
                label
                for value, label in services.CareLevel.choices
                if value in course.target_levels
            ],
            "full": len(participants) >= course.capacity,
        },
    )


@login_required
def session_add(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_get_for_user(user=request.user, course_id=course_id)
    detail = reverse("care_courses:detail", args=[course.pk])
    return _form_page(
        request,
        SessionForm(request.POST or None),
        title=_("回を追加（%(name)s）") % {"name": course.name},
        cancel_url=detail,
        save=lambda data: services.session_add(course=course, actor=request.user, **data),
        done=lambda _saved: detail,
        message=_("回を追加しました。"),
    )


@login_required
def attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(
        CourseSession.objects.filter(
            course__municipality_id__in=care_municipality_ids(request.user)
        ).select_related("course__municipality"),
        pk=session_id,
    )
    course = session.course
    participants = list(
        course.participants.select_related("resident").order_by("resident__name_kana", "pk")
    )
    log_resident_reads(
        user=request.user,
        residents=[p.resident for p in participants],
        purpose=PURPOSE_COURSE,
        path=request.path,
    )
    if request.method == "POST":
        present = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
        services.attendance_record(session=session, present_ids=present, actor=request.user)
        messages.success(request, _("出欠を記録しました。"))
        return redirect("care_courses:detail", course.pk)
    marked = set(session.attendances.filter(present=True).values_list("participant_id", flat=True))
    return render(
        request,
        "programs/courses/attendance.html",
        {
            "session": session,
            "course": course,
            "rows": [(p, p.pk in marked) for p in participants],
        },
    )


@login_required
def enrol(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_get_for_user(user=request.user, course_id=course_id)
    detail = reverse("care_courses:detail", args=[course.pk])
    pick = ResidentPickForm(request.GET or None)
    if not pick.is_valid():
        return render(
            request,
            "programs/courses/enrol_pick.html",
            {"course": course, "form": pick, "cancel_url": detail},
        )
    resident = resident_get_for_user(
        user=request.user,
        resident_id=pick.cleaned_data["resident"],
        purpose=PURPOSE_EDIT,
        path=request.path,
    )
    return _form_page(
        request,
        EnrolForm(request.POST or None, resident=resident),
        title=_("サービスCに登録（%(name)s）") % {"name": course.name},
        cancel_url=detail,
        save=lambda data: services.participant_enrol(
            course=course, resident=resident, actor=request.user, **data
        ),
        done=lambda participant: reverse("care_courses:participant", args=[participant.pk]),
        message=_("参加者を登録しました。"),
        resident=resident,
    )


# --- participants ---------------------------------------------------------------------------


def _participant(request: HttpRequest, participant_id: int, purpose: str = PURPOSE_EDIT) -> Any:
    return selectors.participant_get_for_user(
        user=request.user, participant_id=participant_id, purpose=purpose, path=request.path
    )


@login_required
def participant_detail(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = _participant(request, participant_id, PURPOSE_PARTICIPANT)
    attendances = list(participant.attendances.select_related("session").order_by("session__date"))
    return render(
        request,
        "programs/courses/participant.html",
        {
            "participant": participant,
            "resident": participant.resident,
            "course": participant.course,
            "goals": list(participant.goals.all()),
            "candidates": list(participant.candidates.select_related("resource", "program")),
            "attended": sum(1 for a in attendances if a.present),
            "sessions": participant.course.sessions.count(),
            "follow_ups": list(participant.follow_ups.all()),
            "signals": selectors.return_signals(participant),
        },
    )


@login_required
def goal_add(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = _participant(request, participant_id)
    detail = reverse("care_courses:participant", args=[participant.pk])
    return _form_page(
        request,
        GoalForm(request.POST or None),
        title=_("測れる目標を追加"),
        cancel_url=detail,
        save=lambda data: services.goal_add(participant=participant, actor=request.user, **data),
        done=lambda _saved: detail,
        message=_("目標を追加しました。"),
        resident=participant.resident,
    )


@login_required
@require_POST
def goal_achieved(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = get_object_or_404(
        Goal.objects.filter(
            participant__course__municipality_id__in=care_municipality_ids(request.user)
        ),
        pk=goal_id,
    )
    _participant(request, goal.participant_id)
    services.goal_set_achieved(
        goal=goal, achieved=yes_no(request.POST.get("achieved", "")), actor=request.user
    )
    messages.success(request, _("目標の達成を記録しました。"))
    return redirect("care_courses:participant", goal.participant_id)


def _participant_step(
    request: HttpRequest,
    participant_id: int,
    *,
    form: Callable[[Any], Any],
    save: Callable[..., Any],
    title: str,
    message: str,
) -> HttpResponse:
    """One step on a participant's path (a form page that returns to the participant)."""
    participant = _participant(request, participant_id)
    detail = reverse("care_courses:participant", args=[participant.pk])
    return _form_page(
        request,
        form(participant),
        title=title,
        cancel_url=detail,
        save=lambda data: save(participant=participant, actor=request.user, **data),
        done=lambda _saved: detail,
        message=message,
        resident=participant.resident,
    )


@login_required
def assessment(request: HttpRequest, participant_id: int) -> HttpResponse:
    return _participant_step(
        request,
        participant_id,
        form=lambda p: AssessmentForm(request.POST or None, participant=p),
        save=services.assessment_record,
        title=_("開始時・終了時の評価を記録"),
        message=_("評価を記録しました。"),
    )


@login_required
def candidate_add(request: HttpRequest, participant_id: int) -> HttpResponse:
    return _participant_step(
        request,
        participant_id,
        form=lambda p: CandidateForm(request.POST or None, user=request.user, participant=p),
        save=services.candidate_add,
        title=_("受皿の候補を追加（開始時の計画）"),
        message=_("受皿の候補を追加しました。"),
    )


@login_required
def graduate(request: HttpRequest, participant_id: int) -> HttpResponse:
    return _participant_step(
        request,
        participant_id,
        form=lambda p: GraduateForm(request.POST or None, participant=p),
        save=services.participant_graduate,
        title=_("卒業（終了）を記録"),
        message=_("卒業（終了）を記録しました。3か月後・6か月後のフォローアップを予定しました。"),
    )


# --- follow-ups -----------------------------------------------------------------------------


@login_required
def follow_ups(request: HttpRequest) -> HttpResponse:
    _require_care(request)
    rows = list(selectors.follow_ups_due(user=request.user, today=timezone.localdate()))
    log_resident_reads(
        user=request.user,
        residents={f.participant.resident_id: f.participant.resident for f in rows}.values(),
        purpose=PURPOSE_FOLLOW_UPS,
        path=request.path,
    )
    return render(
        request, "programs/courses/follow_ups.html", {"rows": rows, "today": timezone.localdate()}
    )


@login_required
def follow_up_record(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    follow_up = get_object_or_404(
        FollowUp.objects.filter(
            participant__course__municipality_id__in=care_municipality_ids(request.user)
        ),
        pk=follow_up_id,
    )
    participant = _participant(request, follow_up.participant_id)
    follow_up.participant = participant
    detail = reverse("care_courses:participant", args=[participant.pk])
    signals = selectors.return_signals(participant)
    initial = {
        "done_on": follow_up.done_on or timezone.localdate(),
        "still_taking_part": yes_no_initial(follow_up.still_taking_part),
        "came_back": yes_no_initial(
            follow_up.came_back if follow_up.came_back is not None else (True if signals else None)
        ),
        "note": follow_up.note,
    }
    form = FollowUpForm(request.POST or None, initial=initial)
    if signals:
        form.fields["came_back"].help_text = _(
            "データから検出: %(signals)s（確認してください）"
        ) % {"signals": "、".join(signals)}

    def save(data: dict[str, Any]) -> Any:
        return services.follow_up_record(
            follow_up=follow_up,
            done_on=data["done_on"],
            still_taking_part=yes_no(data["still_taking_part"]),
            came_back=yes_no(data["came_back"]),
            note=data["note"],
            actor=request.user,
        )

    return _form_page(
        request,
        form,
        title=_("%(months)sか月後のフォローアップ") % {"months": follow_up.months},
        cancel_url=detail,
        save=save,
        done=lambda _saved: detail,
        message=_("フォローアップを記録しました。"),
        resident=participant.resident,
    )


# --- reports (aggregates only) --------------------------------------------------------------


def _cells(values: list[int]) -> str:
    """A row's figure cells, built once (thousands of cells: the template engine would
    spend most of the page's time on them). Integers only, so nothing to escape."""
    return mark_safe("".join(f"<td>{int(v)}</td>" for v in values))


def _table(rows: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str]]:
    return [(row, _cells([row[name] for name in reports.FIGURES])) for row in rows]


def _with_urls(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each course row's page (one reverse() for the table, not one per row)."""
    pattern = reverse("care_courses:detail", args=[987654321])
    for row in rows:
        row["url"] = pattern.replace("987654321", str(row["id"]))
    return rows


@login_required
def outcome_report(request: HttpRequest) -> HttpResponse:
    _require_care(request)
    municipality = _municipality(request)
    report = reports.outcome_report(municipality_ids=[municipality.pk])
    return render(
        request,
        "programs/courses/report.html",
        {
            "municipality": municipality,
            "municipalities": _municipality_choices(request),
            "columns": reports.COLUMNS,
            "courses": _table(_with_urls(report.courses)),
            "providers": _table(report.providers),
            "receivers": _table(report.receivers),
            "totals": _cells([report.totals[name] for name in reports.FIGURES]),
        },
    )


@login_required
def outcome_export(request: HttpRequest) -> HttpResponse:
    _require_care(request)
    municipality = _municipality(request)
    report = reports.outcome_report(municipality_ids=[municipality.pk])
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(reports.report_xlsx(report), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="service_c_outcomes_{stamp}.xlsx"; '
        f"filename*=UTF-8''{quoted(f'サービスCの成果_{municipality.name}_{stamp}.xlsx')}"
    )
    return response


def _shortage_hook() -> dict[str, Callable[..., Any]] | None:
    found = hooks(SHORTAGE_HOOK)
    return found[0]() if found else None


@login_required
def readiness(request: HttpRequest) -> HttpResponse:
    _require_care(request)
    municipality = _municipality(request)
    result = readiness_module.readiness_for(user=request.user, municipality=municipality)
    hook = _shortage_hook()
    return render(
        request,
        "programs/courses/readiness.html",
        {
            "municipality": municipality,
            "municipalities": _municipality_choices(request),
            "readiness": result,
            "can_raise": bool(hook and hook["can_raise"](request.user, municipality)),
        },
    )


@login_required
@require_POST
def readiness_issue(request: HttpRequest) -> HttpResponse:
    """One click: a regional issue 「受皿が不足」 for a district, with its figures."""
    _require_care(request)
    municipality = _municipality(request)
    hook = _shortage_hook()
    district_id = request.POST.get("district", "")
    row = (
        readiness_module.district_readiness(
            user=request.user, municipality=municipality, district_id=int(district_id)
        )
        if district_id.isdigit()
        else None
    )
    if hook is None or row is None or not hook["can_raise"](request.user, municipality):
        raise Http404
    url = hook["raise"](
        municipality=municipality,
        district=row.district,
        description=_(
            "サービスC（短期集中予防サービス）の卒業者の受皿が不足しています（集計値のみ）。\n%(figures)s"
        )
        % {"figures": row.figures_text()},
        actor=request.user,
    )
    messages.success(request, _("地域課題「受皿が不足」を登録しました。"))
    return redirect(url)
