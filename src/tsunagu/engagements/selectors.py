"""Reads of accompanying support, scoped to what the user may see.

An engagement is visible when its municipality is in the user's scope
(``accounts.permissions.scope_q``) or when the user is one of its advisors; visits, insights,
contacts, follow-ups and roadmaps follow their engagement.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from tsunagu.accounts.permissions import scope_q
from tsunagu.core.errors import NotFound
from tsunagu.core.text import AllOf, AnyOf, Node, Term, parse_query
from tsunagu.directory.models import OrganisationType
from tsunagu.engagements import permissions
from tsunagu.engagements.models import (
    Contact,
    Engagement,
    EngagementStatus,
    Insight,
    Milestone,
    MilestoneStatus,
    ParticipantKind,
    ProgramSelection,
    Roadmap,
    SupportProgram,
    Visit,
    VisitParticipant,
)
from tsunagu.engagements.reminders import follow_up_due_on, last_visit_on

# --- programs ------------------------------------------------------------------------------


def program_list(*, user: Any) -> QuerySet[SupportProgram]:
    """Programs are public reference data (国・都道府県の事業): every signed-in user sees them."""
    return SupportProgram.objects.select_related("owner_prefecture").prefetch_related(
        "partner_organisations"
    )


def program_get(*, user: Any, pk: int) -> SupportProgram:
    program = program_list(user=user).filter(pk=pk).first()
    if program is None:
        raise NotFound()
    return program


def selections_visible_to(*, user: Any, program: SupportProgram) -> QuerySet[ProgramSelection]:
    """The program's 応募・採択 rows of municipalities in scope (the owner sees all of its own)."""
    rows = program.selections.select_related("municipality")
    if permissions.can_edit_program(user, program):
        return rows
    return rows.filter(scope_q(user))


# --- engagements ---------------------------------------------------------------------------


def _visible_q(user: Any, prefix: str = "") -> Q:
    advised = permissions.advisor_engagement_ids(user)
    municipality_field = f"{prefix}municipality" if prefix else "municipality"
    condition = scope_q(user, municipality_field=municipality_field)
    if advised:
        condition |= Q(**{f"{prefix}pk__in" if prefix else "pk__in": advised})
    return condition


def engagement_list_visible_to(*, user: Any) -> QuerySet[Engagement]:
    return (
        Engagement.objects.filter(_visible_q(user))
        .select_related("program", "municipality__prefecture")
        .prefetch_related("advisors")
    )


def engagement_list_filtered(
    *,
    user: Any,
    fiscal_year: int | None = None,
    status: str = "",
    theme: str = "",
    municipality: Any = None,
    program: Any = None,
) -> QuerySet[Engagement]:
    rows = engagement_list_visible_to(user=user)
    if fiscal_year:
        rows = rows.filter(fiscal_year=fiscal_year)
    if status:
        rows = rows.filter(status=status)
    if theme.strip():
        rows = rows.filter(theme__icontains=theme.strip())
    if municipality is not None:
        rows = rows.filter(municipality=municipality)
    if program is not None:
        rows = rows.filter(program=program)
    return rows.order_by("-fiscal_year", "municipality__code", "id")


def engagement_get_for_user(*, user: Any, pk: int) -> Engagement:
    engagement = (
        Engagement.objects.select_related("program__owner_prefecture", "municipality__prefecture")
        .prefetch_related(
            "advisors__person",
            "advisors__organisation",
            "advisors__user",
            Prefetch(
                "visits",
                queryset=Visit.objects.prefetch_related(
                    Prefetch(
                        "participants",
                        queryset=VisitParticipant.objects.select_related("organisation"),
                    ),
                    "meeting__attendance__organisation",
                ).select_related("meeting"),
            ),
            Prefetch(
                "insights",
                queryset=Insight.objects.select_related("visit").prefetch_related(
                    "tags", "organisations"
                ),
            ),
            "contacts",
            "follow_ups",
            "status_changes__changed_by",
            "bodies",
            "issues",
            "organisations",
            "reminders",
        )
        .filter(pk=pk)
        .first()
    )
    if engagement is None or not permissions.can_view_engagement(user, engagement):
        raise NotFound()
    return engagement


def visit_get_for_user(*, user: Any, pk: int) -> Visit:
    visit = (
        Visit.objects.select_related("engagement__municipality__prefecture", "meeting")
        .prefetch_related("participants__organisation")
        .filter(pk=pk)
        .first()
    )
    if visit is None or not permissions.can_view_engagement(user, visit.engagement):
        raise NotFound()
    return visit


def last_contact_on(engagement: Engagement) -> datetime.date | None:
    """The latest visit, logged contact or follow-up (uses prefetched rows when present)."""
    days = [v.visited_on for v in engagement.visits.all()]
    days += [c.contacted_on for c in engagement.contacts.all()]
    days += [f.followed_on for f in engagement.follow_ups.all()]
    return max(days) if days else None


# --- insights ------------------------------------------------------------------------------


def _node_q(node: Node) -> Q:
    """A parsed query node as a filter on the space-delimited ``search_text``."""
    if isinstance(node, Term):
        return Q(search_text__contains=f" {node.text} ")
    parts = [_node_q(item) for item in node.items]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined | part if isinstance(node, AnyOf) else combined & part
    return combined


def insight_search(
    *,
    user: Any,
    q: str = "",
    tag: str = "",
    municipality: Any = None,
    prefecture: Any = None,
    fiscal_year: int | None = None,
    theme: str = "",
    realised_by: str = "",
) -> QuerySet[Insight]:
    """Insights of every visible engagement matching the query (表記ゆれ-tolerant: the terms of
    ``core.text``), newest engagements first."""
    rows = Insight.objects.filter(_visible_q(user, prefix="engagement__")).select_related(
        "engagement__municipality__prefecture", "engagement__program", "visit"
    )
    nodes = parse_query(q)
    if nodes:
        rows = rows.filter(_node_q(AllOf(tuple(nodes))) if len(nodes) > 1 else _node_q(nodes[0]))
    if tag.strip():
        rows = rows.filter(tags__name=tag.strip())
    if municipality is not None:
        rows = rows.filter(engagement__municipality=municipality)
    if prefecture is not None:
        rows = rows.filter(engagement__municipality__prefecture=prefecture)
    if fiscal_year:
        rows = rows.filter(engagement__fiscal_year=fiscal_year)
    if theme.strip():
        rows = rows.filter(engagement__theme__icontains=theme.strip())
    if realised_by.strip():
        rows = rows.filter(realised_by__icontains=realised_by.strip())
    return (
        Insight.objects.filter(pk__in=rows.values("pk"))
        .select_related("engagement__municipality__prefecture", "engagement__program", "visit")
        .prefetch_related("tags", "organisations")
        .order_by("-engagement__fiscal_year", "engagement__municipality__code", "created_at", "id")
    )


def insight_tag_counts(*, user: Any, limit: int = 30) -> list[tuple[str, int]]:
    """The tags of the visible insights with how often each is used (most used first)."""
    from django.db.models import Count

    from tsunagu.engagements.models import InsightTag

    rows = (
        InsightTag.objects.filter(
            insights__in=Insight.objects.filter(_visible_q(user, "engagement__"))
        )
        .annotate(n=Count("insights", distinct=True))
        .order_by("-n", "name")[:limit]
    )
    return [(tag.name, tag.n) for tag in rows]


def contacts_of(engagement: Engagement) -> QuerySet[Contact]:
    return engagement.contacts.select_related("recorded_by")


# --- breadth of involvement ----------------------------------------------------------------


@dataclass
class BreadthRow:
    kind: str  # ParticipantKind value
    label: str  # department name, or organisation type label
    cells: list[int] = field(default_factory=list)  # headcount per visit (0 = absent)
    names: list[set[str]] = field(default_factory=list)  # organisation names per visit

    @property
    def visits_present(self) -> int:
        return sum(1 for c in self.cells if c)

    @property
    def total(self) -> int:
        return sum(self.cells)


@dataclass
class BreadthMatrix:
    visits: list[Visit]
    departments: list[BreadthRow]
    outside: list[BreadthRow]

    @property
    def department_count(self) -> int:
        return len(self.departments)

    @property
    def outside_type_count(self) -> int:
        return len(self.outside)

    @property
    def outside_organisation_count(self) -> int:
        return len({name for row in self.outside for names in row.names for name in names})

    @property
    def is_empty(self) -> bool:
        return not (self.departments or self.outside)

    @property
    def breadth_label(self) -> str:
        """A plain-words summary so the difference shows without reading the table."""
        counts = {"d": self.department_count, "t": self.outside_type_count}
        if self.is_empty:
            return gettext("参加者の記録がありません")
        if self.department_count == 0:
            return gettext("外部の%(t)s種類の団体だけが参加（庁内の部署の記録なし）") % counts
        if self.outside_type_count == 0:
            return gettext("庁内の%(d)s部署だけが参加（外部の団体なし）") % counts
        return gettext("庁内の%(d)s部署と外部の%(t)s種類の団体が参加") % counts


def _meeting_attendance(visit: Visit) -> list[Any]:
    """Present attendees of the visit's meeting who represented an organisation or department."""
    return [
        a
        for a in visit.meeting.attendance.all()  # type: ignore[union-attr]
        if a.present and a.organisation_id is not None
    ]


def breadth_matrix(engagement: Engagement) -> BreadthMatrix:
    """Rows: departments, then outside organisation types; columns: visits (+ overall)."""
    visits = sorted(engagement.visits.all(), key=lambda v: v.number)
    index = {visit.pk: i for i, visit in enumerate(visits)}
    rows: dict[tuple[str, str], BreadthRow] = OrderedDict()

    def add(visit: Visit, kind: str, label: str, name: str, headcount: int) -> None:
        key = (kind, label)
        row = rows.get(key)
        if row is None:
            row = rows[key] = BreadthRow(kind, label, [0] * len(visits), [set() for _ in visits])
        row.cells[index[visit.pk]] += headcount
        if kind == ParticipantKind.OUTSIDE:
            row.names[index[visit.pk]].add(name)

    for visit in visits:
        named: set[str] = set()
        for participant in visit.participants.all():
            named.add(participant.label)
            if participant.kind == ParticipantKind.DEPARTMENT:
                add(
                    visit,
                    ParticipantKind.DEPARTMENT,
                    participant.label,
                    "",
                    participant.headcount or 1,
                )
            else:
                add(
                    visit,
                    ParticipantKind.OUTSIDE,
                    participant.type_label,
                    participant.label,
                    participant.headcount or 1,
                )
        # A visit recorded as a meeting: its attendance (会議の出席) counts too, unless the
        # same department or organisation is already listed as a participant.
        if visit.meeting_id is not None:
            for attendance in _meeting_attendance(visit):
                organisation = attendance.organisation
                if organisation is None or organisation.name in named:
                    continue
                named.add(organisation.name)
                if organisation.org_type == OrganisationType.DEPARTMENT:
                    add(visit, ParticipantKind.DEPARTMENT, organisation.name, "", 1)
                else:
                    add(
                        visit,
                        ParticipantKind.OUTSIDE,
                        str(OrganisationType(organisation.org_type).label),
                        organisation.name,
                        1,
                    )
    departments = [r for r in rows.values() if r.kind == ParticipantKind.DEPARTMENT]
    outside = sorted(
        (r for r in rows.values() if r.kind == ParticipantKind.OUTSIDE), key=lambda r: r.label
    )
    return BreadthMatrix(visits, departments, outside)


# --- roadmaps ------------------------------------------------------------------------------


def roadmap_list_visible_to(*, user: Any) -> QuerySet[Roadmap]:
    advised = permissions.advisor_engagement_ids(user)
    condition = scope_q(user)
    if advised:
        condition |= Q(engagement_id__in=advised)
    return Roadmap.objects.filter(condition).select_related(
        "municipality__prefecture", "engagement"
    )


def roadmap_get_for_user(*, user: Any, pk: int) -> Roadmap:
    roadmap = (
        Roadmap.objects.select_related("municipality__prefecture", "engagement__program")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.select_related("owner_organisation"))
        )
        .filter(pk=pk)
        .first()
    )
    if roadmap is None or not permissions.can_view_roadmap(user, roadmap):
        raise NotFound()
    return roadmap


def milestone_get_for_user(*, user: Any, pk: int) -> Milestone:
    milestone = Milestone.objects.select_related("roadmap__municipality").filter(pk=pk).first()
    if milestone is None or not permissions.can_view_roadmap(user, milestone.roadmap):
        raise NotFound()
    return milestone


@dataclass
class TimelineColumn:
    fiscal_year: int
    milestones: list[tuple[Milestone, bool]]  # (milestone, overdue)
    is_current: bool = False


def roadmap_timeline(roadmap: Roadmap, today: datetime.date | None = None) -> list[TimelineColumn]:
    """One column per fiscal year of the roadmap, its milestones with the overdue flag."""
    from tsunagu.core.wareki import fiscal_year as fiscal_year_of

    today = today or timezone.localdate()
    current = fiscal_year_of(today)
    milestones = list(roadmap.milestones.all())
    return [
        TimelineColumn(
            year,
            [(m, m.is_overdue(today)) for m in milestones if m.fiscal_year == year],
            year == current,
        )
        for year in roadmap.fiscal_years
    ]


def overdue_milestones(*, user: Any, today: datetime.date | None = None) -> list[Milestone]:
    today = today or timezone.localdate()
    candidates = Milestone.objects.filter(
        roadmap__in=roadmap_list_visible_to(user=user),
        status__in=[MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS],
    ).select_related("roadmap__municipality")
    return [m for m in candidates if m.is_overdue(today)]


# --- follow-up and the prefecture overview -------------------------------------------------


@dataclass
class EngagementSummary:
    engagement: Engagement
    last_contact: datetime.date | None
    last_visit: datetime.date | None
    next_due: datetime.date | None
    overdue: bool

    @property
    def stalled(self) -> bool:
        return self.engagement.status == EngagementStatus.STALLED


def _summaries(engagements: Any, today: datetime.date) -> list[EngagementSummary]:
    rows = engagements.select_related("program", "municipality__prefecture").prefetch_related(
        "visits", "contacts", "follow_ups"
    )
    summaries = []
    for engagement in rows:
        due = follow_up_due_on(engagement, today)
        summaries.append(
            EngagementSummary(
                engagement,
                last_contact_on(engagement),
                last_visit_on(engagement),
                due,
                due is not None and due <= today,
            )
        )
    return summaries


def follow_ups_due(
    *, user: Any, today: datetime.date | None = None, within_days: int = 30
) -> list[EngagementSummary]:
    """Visible engagements whose follow-up is due (or due within ``within_days``), and stalled
    ones; stalled first, then by due date."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=within_days)
    rows = [
        s
        for s in _summaries(engagement_list_visible_to(user=user), today)
        if s.stalled or (s.next_due is not None and s.next_due <= horizon)
    ]
    rows.sort(key=lambda s: (not s.stalled, s.next_due or datetime.date.max))
    return rows


@dataclass
class MunicipalityOverview:
    municipality: Any
    engagements: list[EngagementSummary]
    # Program selections (応募・採択) with no engagement recorded for that program and year:
    # the prefecture sees who took part even where no visit has been entered yet.
    selections_without_engagement: list[Any] = field(default_factory=list)

    @property
    def stalled(self) -> bool:
        return any(s.stalled for s in self.engagements)

    @property
    def overdue(self) -> bool:
        return any(s.overdue for s in self.engagements)

    @property
    def last_contact(self) -> datetime.date | None:
        days = [s.last_contact for s in self.engagements if s.last_contact]
        return max(days) if days else None

    @property
    def next_due(self) -> datetime.date | None:
        days = [s.next_due for s in self.engagements if s.next_due]
        return min(days) if days else None

    @property
    def themes(self) -> list[str]:
        return list(dict.fromkeys(s.engagement.theme for s in self.engagements))


def prefecture_overview(
    *, user: Any, prefecture: Any = None, today: datetime.date | None = None
) -> list[MunicipalityOverview]:
    """Every visible municipality (of ``prefecture`` if given) with its engagements by year,
    status, themes, last contact and next follow-up due; stalled ones first, then overdue
    follow-ups, then those with engagements, then the rest by code."""
    from tsunagu.areas.models import Municipality

    today = today or timezone.localdate()
    municipalities = Municipality.objects.filter(scope_q(user, municipality_field="pk"))
    engagements = engagement_list_visible_to(user=user)
    if prefecture is not None:
        municipalities = municipalities.filter(prefecture=prefecture)
        engagements = engagements.filter(municipality__prefecture=prefecture)
    by_municipality: dict[int, list[EngagementSummary]] = {}
    for summary in _summaries(engagements, today):
        by_municipality.setdefault(summary.engagement.municipality_id, []).append(summary)
    # Advisors see municipalities only through their engagements.
    extra_ids = set(by_municipality) - set(municipalities.values_list("pk", flat=True))
    all_municipalities = list(municipalities.select_related("prefecture")) + list(
        Municipality.objects.filter(pk__in=extra_ids).select_related("prefecture")
    )
    from tsunagu.engagements.models import ProgramSelection

    recorded = {
        (s.engagement.municipality_id, s.engagement.program_id, s.engagement.fiscal_year)
        for summaries in by_municipality.values()
        for s in summaries
    }
    selections: dict[int, list[Any]] = {}
    for selection in (
        ProgramSelection.objects.filter(municipality__in=[m.pk for m in all_municipalities])
        .select_related("program")
        .order_by("-fiscal_year", "program__name")
    ):
        key = (selection.municipality_id, selection.program_id, selection.fiscal_year)
        if key not in recorded:
            selections.setdefault(selection.municipality_id, []).append(selection)
    rows = []
    for municipality in all_municipalities:
        summaries = sorted(
            by_municipality.get(municipality.pk, []),
            key=lambda s: (-s.engagement.fiscal_year, s.engagement.pk),
        )
        rows.append(
            MunicipalityOverview(municipality, summaries, selections.get(municipality.pk, []))
        )
    rows.sort(
        key=lambda r: (
            not r.stalled,
            not r.overdue,
            not r.engagements,
            r.next_due or datetime.date.max,
            r.municipality.code,
        )
    )
    return rows
