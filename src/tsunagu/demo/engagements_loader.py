"""Load the seed report's accompanying support (report_engagements.py) through the services.

Idempotent: every record is matched on a natural key and only differences are written, so a
second run creates nothing and changes nothing.

* program: name + owning prefecture;       selection: program + municipality + fiscal year
* engagement: program + municipality + fiscal year (its status path is walked only when it is
  created: later status changes made by users are kept)
* advisor: engagement + organisation + name + role;  visit: engagement + number
* insight: engagement + text;               roadmap: municipality + title; milestone: title
* case-sheet settings: municipality
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from tsunagu.areas.models import Municipality, Prefecture
from tsunagu.bodies.models import ConsultativeBody
from tsunagu.core.fields import given
from tsunagu.demo import report_bodies, report_directory, report_engagements
from tsunagu.directory.models import Organisation
from tsunagu.engagements import services as engagement_services
from tsunagu.engagements.casesheets import builder as casesheet
from tsunagu.engagements.commands import (
    EngagementFields,
    MilestoneFields,
    ParticipantFields,
    ProgramFields,
    RoadmapFields,
    VisitFields,
)
from tsunagu.engagements.models import (
    Engagement,
    EngagementAdvisor,
    Insight,
    Milestone,
    ProgramSelection,
    Roadmap,
    SupportProgram,
    Visit,
)
from tsunagu.regional_issues.models import RegionalIssue


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


class _Lookups:
    """Directory organisations, bodies and issues of the other demo modules, by key."""

    def __init__(self) -> None:
        self.municipalities = {m.code: m for m in Municipality.objects.select_related("prefecture")}
        self.prefectures = {p.code: p for p in Prefecture.objects.all()}
        self._org_entries = {e["key"]: e for e in report_directory.ORGANISATIONS}
        self._body_entries = {e["key"]: e for e in report_bodies.BODIES}
        self._issue_entries = {e["key"]: e for e in report_bodies.ISSUES}
        self._orgs: dict[str, Organisation] = {}

    def org(self, key: str | None) -> Organisation | None:
        if key is None:
            return None
        if key not in self._orgs:
            entry = self._org_entries.get(key)
            if entry is None:
                raise ValueError(f"demo engagements: unknown organisation key {key!r}")
            if entry["municipality"]:
                scope = {"municipality": self.municipalities[entry["municipality"]]}
            else:
                scope = {
                    "municipality": None,
                    "prefecture": self.prefectures.get(entry.get("prefecture") or ""),
                }
            self._orgs[key] = Organisation.objects.get(**scope, name=entry["name"])
        return self._orgs[key]

    def body(self, key: str) -> ConsultativeBody:
        entry = self._body_entries.get(key)
        if entry is None:
            raise ValueError(f"demo engagements: unknown body key {key!r}")
        return ConsultativeBody.objects.get(
            municipality=self.municipalities[entry["municipality"]], name=entry["name"]
        )

    def issue(self, key: str) -> RegionalIssue:
        entry = self._issue_entries.get(key)
        if entry is None:
            raise ValueError(f"demo engagements: unknown issue key {key!r}")
        return RegionalIssue.objects.get(
            municipality=self.municipalities[entry["municipality"]], title=entry["title"]
        )


def _differences(instance: Any, wanted: Any) -> dict[str, Any]:
    """The given fields of ``wanted`` (a field set or a mapping) that differ on ``instance``."""
    return {
        name: value for name, value in given(wanted).items() if getattr(instance, name) != value
    }


def _same_set(manager: Any, wanted: list[Any]) -> bool:
    return set(manager.values_list("pk", flat=True)) == {item.pk for item in wanted}


# --- programs and selections -------------------------------------------------------------


def _load_programs(actor: Any, summary: Any, lookups: _Lookups) -> dict[str, SupportProgram]:
    programs: dict[str, SupportProgram] = {}
    for entry in report_engagements.PROGRAMS:
        owner = lookups.prefectures.get(entry["owner_prefecture"] or "")
        fields = ProgramFields(
            owner_kind=entry["owner_kind"],
            owner_prefecture=owner,
            regional_bureau=entry["regional_bureau"],
            name=entry["name"],
            short_name=entry["short_name"],
            description=entry["description"],
            focus=entry["focus"],
            typical_visits=entry["typical_visits"],
            typical_months=entry["typical_months"],
            first_fiscal_year=entry["first_fiscal_year"],
            last_fiscal_year=entry["last_fiscal_year"],
            source=entry["source"],
        )
        partners = [lookups.org(key) for key in entry["partners"]]
        existing = SupportProgram.objects.filter(name=entry["name"], owner_prefecture=owner).first()
        if existing is None:
            program = engagement_services.program_create(
                fields=dataclasses.replace(fields, partner_organisations=partners), actor=actor
            )
            summary.count("created")
        else:
            changes = _differences(existing, fields)
            if not _same_set(existing.partner_organisations, partners):
                changes["partner_organisations"] = partners
            if changes:
                program = engagement_services.program_update(
                    program=existing, fields=ProgramFields(**changes), actor=actor
                )
                summary.count("updated")
            else:
                program = existing
                summary.count("unchanged")
        programs[entry["key"]] = program
    return programs


def _load_selections(
    actor: Any, summary: Any, lookups: _Lookups, programs: dict[str, SupportProgram]
) -> None:
    for entry in report_engagements.SELECTIONS:
        municipality = lookups.municipalities.get(entry["municipality"])
        if municipality is None:
            continue  # named by the report but not part of this demo (see the data module)
        program = programs[entry["program"]]
        existing = ProgramSelection.objects.filter(
            program=program, municipality=municipality, fiscal_year=entry["fiscal_year"]
        ).first()
        wanted = {"status": entry["status"], "note": entry["note"], "source": entry["source"]}
        if existing is not None and not _differences(existing, wanted):
            summary.count("unchanged")
            continue
        engagement_services.selection_record(
            program=program,
            municipality=municipality,
            fiscal_year=entry["fiscal_year"],
            status=entry["status"],
            note=entry["note"],
            source=entry["source"],
            actor=actor,
        )
        summary.count("created" if existing is None else "updated")


# --- engagements -------------------------------------------------------------------------


def _engagement_fields(
    entry: dict[str, Any], lookups: _Lookups, engagements: dict[str, Engagement]
) -> EngagementFields:
    """The engagement's own fields (its links: :func:`_engagement_links`)."""
    return EngagementFields(
        fiscal_year=entry["fiscal_year"],
        theme=entry["theme"],
        reasons=entry["reasons"],
        background=entry["background"],
        started_on=_date(entry["started_on"]),
        ended_on=_date(entry["ended_on"]),
        follow_up_of=engagements.get(entry["follow_up_of"] or ""),
        post_support_actions=entry["post_support_actions"],
        points_of_attention=entry["points_of_attention"],
        requests_to_government=entry["requests_to_government"],
        source=entry["source"],
    )


def _engagement_links(entry: dict[str, Any], lookups: _Lookups) -> dict[str, list[Any]]:
    return {
        "organisations": [lookups.org(key) for key in entry["organisations"]],
        "bodies": [lookups.body(key) for key in entry["bodies"]],
        "issues": [lookups.issue(key) for key in entry["issues"]],
    }


def _create_engagement(
    actor: Any,
    program: SupportProgram,
    municipality: Municipality,
    fields: EngagementFields,
    status_path: list[tuple[str, str, str]],
) -> Engagement:
    """Create at the path's first status and walk the rest with the report's dates."""
    first_status, first_day, first_reason = status_path[0]
    engagement = engagement_services.engagement_create(
        program=program,
        municipality=municipality,
        fields=fields,
        actor=actor,
        status=first_status,
        status_reason=first_reason,
        at=_date(first_day),
    )
    for status, day, reason in status_path[1:]:
        engagement = engagement_services.engagement_transition(
            engagement=engagement, to=status, reason=reason, actor=actor, at=_date(day)
        )
    return engagement


def _load_advisors(
    actor: Any, summary: Any, lookups: _Lookups, engagement: Engagement, rows: list[dict[str, Any]]
) -> None:
    User = get_user_model()
    for row in rows:
        organisation = lookups.org(row["organisation"])
        user = User.objects.filter(username=row["user"]).first() if row["user"] else None
        existing = EngagementAdvisor.objects.filter(
            engagement=engagement, organisation=organisation, name=row["name"], role=row["role"]
        ).first()
        if existing is not None:
            summary.count("unchanged")
            continue
        engagement_services.advisor_add(
            engagement=engagement,
            organisation=organisation,
            name=row["name"],
            affiliation=row["affiliation"],
            role=row["role"],
            user=user,
            actor=actor,
        )
        summary.count("created")


def _participants(lookups: _Lookups, rows: list[dict[str, Any]]) -> list[ParticipantFields]:
    return [
        ParticipantFields(
            kind=row["kind"],
            department=row["department"],
            organisation=lookups.org(row["organisation"]),
            organisation_name=row["organisation_name"],
            organisation_type=row["organisation_type"],
            person_name=row["person_name"],
            headcount=1,
            note=row["note"],
        )
        for row in rows
    ]


def _participant_key(row: Any) -> tuple[Any, ...]:
    """What identifies a participant, of a field set or a stored row."""
    organisation = row.organisation
    return (
        row.kind,
        row.department,
        organisation.pk if organisation is not None else None,
        row.organisation_name,
        row.person_name,
        row.note,
    )


def _load_visits(
    actor: Any, summary: Any, lookups: _Lookups, engagement: Engagement, rows: list[dict[str, Any]]
) -> dict[int, Visit]:
    visits: dict[int, Visit] = {}
    for row in rows:
        fields = VisitFields(
            number=row["number"],
            visited_on=_date(row["visited_on"]),
            focus=row["focus"],
            lecture=row["lecture"],
            advice=row["advice"],
            summary=row["summary"],
            source=row["source"],
        )
        participants = _participants(lookups, row["participants"])
        existing = Visit.objects.filter(engagement=engagement, number=row["number"]).first()
        if existing is None:
            visits[row["number"]] = engagement_services.visit_record(
                engagement=engagement, fields=fields, participants=participants, actor=actor
            )
            summary.count("created")
            continue
        current = existing.participants.select_related("organisation")
        same_participants = sorted(map(_participant_key, current), key=repr) == sorted(
            map(_participant_key, participants), key=repr
        )
        changes = _differences(existing, fields)
        if changes or not same_participants:
            visits[row["number"]] = engagement_services.visit_update(
                visit=existing,
                fields=VisitFields(**changes),
                participants=None if same_participants else participants,
                actor=actor,
            )
            summary.count("updated")
        else:
            visits[row["number"]] = existing
            summary.count("unchanged")
    return visits


def _load_insights(
    actor: Any,
    summary: Any,
    lookups: _Lookups,
    engagement: Engagement,
    visits: dict[int, Visit],
    rows: list[dict[str, Any]],
) -> None:
    for row in rows:
        if Insight.objects.filter(engagement=engagement, text=row["text"]).exists():
            summary.count("unchanged")
            continue
        engagement_services.insight_add(
            engagement=engagement,
            text=row["text"],
            realised_by=row["realised_by"],
            visit=visits.get(row["visit"]) if row["visit"] else None,
            tags=row["tags"],
            organisations=[lookups.org(key) for key in row["organisations"]],
            source=row["source"],
            actor=actor,
        )
        summary.count("created")


def _load_engagements(
    actor: Any, summary: Any, lookups: _Lookups, programs: dict[str, SupportProgram]
) -> dict[str, Engagement]:
    engagements: dict[str, Engagement] = {}
    for entry in report_engagements.ENGAGEMENTS:
        program = programs[entry["program"]]
        municipality = lookups.municipalities[entry["municipality"]]
        fields = _engagement_fields(entry, lookups, engagements)
        links = _engagement_links(entry, lookups)
        existing = Engagement.objects.filter(
            program=program, municipality=municipality, fiscal_year=entry["fiscal_year"]
        ).first()
        if existing is None:
            engagement = _create_engagement(
                actor,
                program,
                municipality,
                dataclasses.replace(fields, **links),
                entry["status_path"],
            )
            summary.count("created")
        else:
            changes = _differences(existing, fields)
            for name, items in links.items():
                if not _same_set(getattr(existing, name), items):
                    changes[name] = items
            engagement = existing
            if changes:
                engagement = engagement_services.engagement_update(
                    engagement=existing, fields=EngagementFields(**changes), actor=actor
                )
            moved = _catch_up_status(actor, engagement, entry["status_path"])
            if moved is not None:
                engagement = moved
            summary.count("updated" if changes or moved is not None else "unchanged")
        engagements[entry["key"]] = engagement
        _load_advisors(actor, summary, lookups, engagement, entry["advisors"])
        visits = _load_visits(actor, summary, lookups, engagement, entry["visits"])
        _load_insights(actor, summary, lookups, engagement, visits, entry["insights"])
        if entry["case_sheet_number"] is not None:
            _load_case_sheet_settings(actor, summary, municipality, entry)
    return engagements


def _catch_up_status(
    actor: Any, engagement: Engagement, status_path: list[tuple[str, str, str]]
) -> Engagement | None:
    """Move an engagement loaded before a correction of its path (鹿児島市 was 停滞) to the
    path's last status, when that move is allowed; None when there is nothing to do."""
    from tsunagu.engagements.models import STATUS_TRANSITIONS

    status, day, reason = status_path[-1]
    if engagement.status == status or status not in STATUS_TRANSITIONS[engagement.status]:
        return None
    at = _date(day)
    if at is not None and at < engagement.status_changed_at.date():
        at = None  # the service refuses a date before the last change: stamp it now
    return engagement_services.engagement_transition(
        engagement=engagement, to=status, reason=reason, actor=actor, at=at
    )


def _load_case_sheet_settings(
    actor: Any, summary: Any, municipality: Municipality, entry: dict[str, Any]
) -> None:
    from tsunagu.engagements.models import CaseSheetSettings

    existing = CaseSheetSettings.objects.filter(municipality=municipality).first()
    if (
        existing is not None
        and existing.sheet_number == entry["case_sheet_number"]
        and existing.attention_summary == entry["attention_summary"]
        and existing.headings == entry.get("case_sheet_headings", {})
    ):
        summary.count("unchanged")
        return
    casesheet.case_sheet_settings_update(
        municipality=municipality,
        sheet_number=entry["case_sheet_number"],
        attention_summary=entry["attention_summary"],
        headings=entry.get("case_sheet_headings", {}),
        actor=actor,
    )
    summary.count("created" if existing is None else "updated")


# --- roadmaps ----------------------------------------------------------------------------


def _load_roadmaps(
    actor: Any, summary: Any, lookups: _Lookups, engagements: dict[str, Engagement]
) -> None:
    for entry in report_engagements.ROADMAPS:
        municipality = lookups.municipalities[entry["municipality"]]
        fields = RoadmapFields(
            engagement=engagements.get(entry["engagement"]),
            title=entry["title"],
            description=entry["description"],
            first_fiscal_year=entry["first_fiscal_year"],
            last_fiscal_year=entry["last_fiscal_year"],
            source=entry["source"],
        )
        roadmap = Roadmap.objects.filter(municipality=municipality, title=entry["title"]).first()
        if roadmap is None:
            roadmap = engagement_services.roadmap_create(
                municipality=municipality, fields=fields, actor=actor
            )
            summary.count("created")
        else:
            changes = _differences(roadmap, fields)
            if changes:
                roadmap = engagement_services.roadmap_update(
                    roadmap=roadmap, fields=RoadmapFields(**changes), actor=actor
                )
            summary.count("updated" if changes else "unchanged")
        for row in entry["milestones"]:
            milestone_fields = MilestoneFields(
                fiscal_year=row["fiscal_year"],
                title=row["title"],
                description=row["description"],
                owner_department=row["owner_department"],
                status=row["status"],
                evidence=row["evidence"],
                sort_order=row["sort_order"],
            )
            milestone = Milestone.objects.filter(roadmap=roadmap, title=row["title"]).first()
            if milestone is None:
                engagement_services.milestone_add(
                    roadmap=roadmap, fields=milestone_fields, actor=actor
                )
                summary.count("created")
                continue
            # Users move milestones along (status, evidence): keep what they recorded.
            summary.count("unchanged")


@transaction.atomic
def load_engagements(actor: Any, summary: Any) -> None:
    """Load the engagements demo records idempotently (matched on natural keys)."""
    lookups = _Lookups()
    programs = _load_programs(actor, summary, lookups)
    _load_selections(actor, summary, lookups, programs)
    engagements = _load_engagements(actor, summary, lookups, programs)
    _load_roadmaps(actor, summary, lookups, engagements)
