"""Load the bodies, meetings and regional issues of the demo (report_bodies.py), idempotently.

Call after the directory (load_directory): bodies, members, meetings and issues refer to its
organisations and resources, which are found by scope (municipality, prefecture or none)
and name, as the directory loader matches them. Records are matched on natural keys:
bodies and certification rules on municipality + name, meetings on body + title (a series
on its body), issues on municipality + title, members on body + organisation + role,
executing actors on issue + organisation, ideas on issue + text. Every write goes through
tsunagu.bodies.services and tsunagu.regional_issues.services, and only where something
differs, so a second run creates nothing and writes no history rows.

Past dates: the stage services stamp a stage change with the time of the call. Where they
accept ``changed_at`` (feature-detected below), the dates the report supports are passed so
that ``stage_entered_at`` and the StageChange rows tell the report's timeline; otherwise the
dates stay in the reasons only, and a 担い手未定 flag appears 90 days after loading.
"""

from __future__ import annotations

import datetime
import inspect
from collections.abc import Callable
from typing import Any

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, rrule, weekday
from django.db import transaction
from django.utils import timezone

from tsunagu.areas.models import DailyLifeArea, District, Municipality, Prefecture
from tsunagu.bodies import services as body_services
from tsunagu.bodies.models import (
    BodyMember,
    CertificationApplication,
    CertificationRules,
    ConsultativeBody,
    Meeting,
)
from tsunagu.bodies.services import BodyFields, MeetingFields, RulesFields
from tsunagu.core.fields import fields_from
from tsunagu.demo import report_bodies, report_directory
from tsunagu.directory.models import Organisation, Resource
from tsunagu.regional_issues import services as issue_services
from tsunagu.regional_issues.models import STAGE_ORDER, Idea, RegionalIssue, Theme
from tsunagu.regional_issues.services import IssueFields

SERIES_HORIZON = relativedelta(months=2)  # a series is never planned further ahead than this


def _accepts(function: Callable[..., Any], argument: str) -> bool:
    return argument in inspect.signature(function).parameters


def stage_changes_can_be_backdated() -> bool:
    """True when the issue services accept ``changed_at`` (see the module docstring)."""
    return _accepts(issue_services.issue_change_stage, "changed_at")


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _local(value: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(value))


def _midnight(value: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(_date(value), datetime.time()))  # type: ignore[arg-type]


# --- references into the directory and the areas ----------------------------------------


class _Directory:
    """Organisations and resources of report_directory.py, by key (read-only lookups)."""

    def __init__(self) -> None:
        self.org_entries = {e["key"]: e for e in report_directory.ORGANISATIONS}
        self.resource_entries = {e["key"]: e for e in report_directory.RESOURCES}
        self._orgs: dict[str, Organisation] = {}
        self._municipalities = {m.code: m for m in Municipality.objects.all()}
        self._prefectures = {p.code: p for p in Prefecture.objects.all()}

    def _scope(self, entry: dict[str, Any]) -> dict[str, Any]:
        if entry.get("municipality"):
            return {"municipality": self._municipalities[entry["municipality"]], "prefecture": None}
        prefecture = self._prefectures.get(entry.get("prefecture") or "")
        return {"municipality": None, "prefecture": prefecture}

    def has(self, key: str) -> bool:
        return key in self.org_entries

    def org(self, key: str | None) -> Organisation | None:
        if key is None:
            return None
        if key not in self._orgs:
            entry = self.org_entries.get(key)
            if entry is None:
                raise ValueError(f"demo bodies: unknown organisation key {key!r}")
            self._orgs[key] = Organisation.objects.get(**self._scope(entry), name=entry["name"])
        return self._orgs[key]

    def resource(self, key: str) -> Resource:
        entry = self.resource_entries.get(key)
        if entry is None:
            raise ValueError(f"demo bodies: unknown resource key {key!r}")
        provider = self.org_entries[entry["provider"]]
        return Resource.objects.get(**self._scope(provider), name=entry["name"])


def _area(model: type, municipality: Municipality, name: str | None) -> Any:
    if not name:
        return None
    return model.objects.get(municipality=municipality, name=name)


# --- bodies, members, certification --------------------------------------------------------


def _load_bodies(actor: Any, summary: Any, directory: _Directory) -> dict[str, ConsultativeBody]:
    bodies: dict[str, ConsultativeBody] = {}
    for entry in report_bodies.BODIES:
        municipality = Municipality.objects.get(code=entry["municipality"])
        parent_key = entry["parent"]
        if parent_key and parent_key not in bodies:
            raise ValueError(f"demo bodies: parent {parent_key!r} must come before its children")
        fields = BodyFields(
            name=entry["name"],
            kind=entry["kind"],
            layer=entry["layer"],
            daily_life_area=_area(DailyLifeArea, municipality, entry["daily_life_area"]),
            district=_area(District, municipality, entry["district"]),
            parent=bodies.get(parent_key or ""),
            host_organisation=directory.org(entry["host_organisation"]),
            secretariat=directory.org(entry["secretariat"]),
            purpose=entry["purpose"],
            meeting_frequency=entry["meeting_frequency"],
            is_resident_led=entry["is_resident_led"],
            status=entry["status"],
            established_on=_date(entry["established_on"]),
            source=entry["source"],
        )
        existing = ConsultativeBody.objects.filter(
            municipality=municipality, name=entry["name"]
        ).first()
        if existing is None:
            body = body_services.body_create(municipality=municipality, fields=fields, actor=actor)
            summary.count("created")
        else:
            before = existing.updated_at
            body = body_services.body_update(body=existing, fields=fields, actor=actor)
            summary.count("updated" if body.updated_at != before else "unchanged")
        bodies[entry["key"]] = body
        _load_members(actor, summary, directory, body, entry["members"])
    return bodies


def _load_members(
    actor: Any,
    summary: Any,
    directory: _Directory,
    body: ConsultativeBody,
    members: list[dict[str, Any]],
) -> None:
    for member in members:
        if member["optional"] and not directory.has(member["organisation"]):
            continue  # a member the report does not name, until the directory has it
        organisation = directory.org(member["organisation"])
        if BodyMember.objects.filter(
            body=body, organisation=organisation, role=member["role"]
        ).exists():
            summary.count("unchanged")
            continue
        body_services.member_add(
            body=body,
            organisation=organisation,
            role=member["role"],
            starts_on=_date(member["starts_on"]),
            actor=actor,
        )
        summary.count("created")


def _load_certification(actor: Any, summary: Any, bodies: dict[str, ConsultativeBody]) -> None:
    rules_by_name: dict[str, CertificationRules] = {}
    for entry in report_bodies.CERTIFICATION_RULES:
        municipality = Municipality.objects.get(code=entry["municipality"])
        data = {k: v for k, v in entry.items() if k != "municipality"}
        data["effective_from"] = _date(entry["effective_from"])
        existing = CertificationRules.objects.filter(
            municipality=municipality, name=entry["name"]
        ).first()
        before = existing.history.count() if existing else 0
        rules = body_services.certification_rules_save(
            municipality=municipality,
            fields=fields_from(RulesFields, data),
            actor=actor,
            rules=existing,
        )
        if existing is None:
            summary.count("created")
        else:
            summary.count("updated" if rules.history.count() != before else "unchanged")
        rules_by_name[rules.name] = rules
    for entry in report_bodies.CERTIFICATIONS:
        body = bodies[entry["body"]]
        if CertificationApplication.objects.filter(body=body).exists():
            summary.count("unchanged")
            continue
        application = body_services.certification_apply(
            body=body,
            rules=rules_by_name[entry["rules"]],
            submitted_on=_date(entry["submitted_on"]),
            actor=actor,
        )
        application = body_services.certification_review(
            application=application, manual={}, actor=actor
        )
        body_services.certification_decide(
            application=application,
            certify=True,
            reason=entry["reason"],
            decided_on=_date(entry["decided_on"]),
            actor=actor,
        )
        summary.count("created")


# --- meetings ------------------------------------------------------------------------------


def _attendance_entries(directory: _Directory, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"organisation": directory.org(r["organisation"]), "note": r["note"]} for r in rows]


def _record_attendance(actor: Any, meeting: Meeting, entries: list[dict[str, Any]]) -> None:
    """Replace the attendance only when it differs (the service rewrites it every time)."""
    if not entries:
        return
    wanted = sorted((e["organisation"].pk, e["note"]) for e in entries)
    have = sorted(meeting.attendance.values_list("organisation_id", "note"))
    if wanted != have:
        body_services.meeting_record_attendance(meeting=meeting, entries=entries, actor=actor)


class _NotCounted:
    """A summary that counts nothing (writes that are part of a creation already counted)."""

    def count(self, outcome: str) -> None:
        pass


def _update_meeting(actor: Any, summary: Any, meeting: Meeting, fields: MeetingFields) -> Meeting:
    before = meeting.updated_at
    meeting = body_services.meeting_update(meeting=meeting, fields=fields, actor=actor)
    summary.count("updated" if meeting.updated_at != before else "unchanged")
    return meeting


def series_dates(
    first_starts_at: datetime.datetime, covered_until: datetime.date, today: datetime.date
) -> list[datetime.datetime]:
    """The dates of a monthly series (same weekday and week of the month as the first, as
    bodies.services.meeting_schedule_series makes them) up to the end of what the report
    covers, and never beyond today + 2 months."""
    last = min(covered_until, today + SERIES_HORIZON)
    local = timezone.localtime(first_starts_at)
    nth = (local.day - 1) // 7 + 1
    rule = rrule(MONTHLY, dtstart=local, byweekday=weekday(local.weekday(), nth), count=36)
    return [start for start in rule if start.date() <= last]


def _load_meetings(
    actor: Any,
    summary: Any,
    directory: _Directory,
    bodies: dict[str, ConsultativeBody],
    today: datetime.date,
) -> None:
    for entry in report_bodies.MEETINGS:
        body = bodies[entry["body"]]
        fields = MeetingFields(
            title=entry["title"],
            starts_at=_local(entry["starts_at"]),
            place=entry["place"],
            agenda=entry["agenda"],
            minutes=entry["minutes"],
            status=entry["status"],
        )
        meeting = Meeting.objects.filter(body=body, title=entry["title"]).first()
        if meeting is None:
            meeting = body_services.meeting_schedule(body=body, fields=fields, actor=actor)
            summary.count("created")
        else:
            meeting = _update_meeting(actor, summary, meeting, fields)
        _record_attendance(actor, meeting, _attendance_entries(directory, entry["attendance"]))
    for entry in report_bodies.MEETING_SERIES:
        body = bodies[entry["body"]]
        first_starts_at = _local(entry["first_starts_at"])
        series = list(body.meetings.exclude(series_key="").order_by("starts_at"))
        # A series made in this run is one creation per meeting: filling in its titles and
        # records is part of creating it, not an update of something that was there.
        fresh = not series
        counted = _NotCounted() if fresh else summary
        if fresh:
            dates = series_dates(first_starts_at, _date(entry["covered_until"]), today)  # type: ignore[arg-type]
            if not dates:
                continue
            series = body_services.meeting_schedule_series(
                body=body,
                first_starts_at=first_starts_at,
                count=len(dates),
                place=entry["place"],
                actor=actor,
            )
            if [m.starts_at for m in series] != dates:  # the service's rule changed
                raise ValueError("demo bodies: the series dates differ from series_dates()")
            summary.count("created")
        first, later = series[0], series[1:]
        _update_meeting(
            actor,
            counted,
            first,
            MeetingFields(
                **{k: entry["first"][k] for k in ("title", "status", "agenda", "minutes")}
            ),
        )
        _record_attendance(
            actor, first, _attendance_entries(directory, entry["first"]["attendance"])
        )
        for meeting in later:
            start = timezone.localtime(meeting.starts_at)
            # The report says the body meets 「原則月1回」: a date already past is a meeting
            # that took place (開催済み, its note says the report has no record of it).
            past = meeting.starts_at < timezone.now()
            _update_meeting(
                actor,
                counted,
                meeting,
                MeetingFields(
                    title=f"{body.name} {start:%Y年%-m月}{entry['later_title_suffix']}",
                    minutes=entry["later_minutes_held" if past else "later_minutes"],
                    status="held" if past else "planned",
                ),
            )


# --- regional issues -----------------------------------------------------------------------


def _issue_data(
    entry: dict[str, Any],
    municipality: Municipality,
    directory: _Directory,
    bodies: dict[str, ConsultativeBody],
) -> dict[str, Any]:
    themes = list(Theme.objects.filter(code__in=entry["themes"]))
    if len(themes) != len(set(entry["themes"])):
        raise ValueError(f"demo bodies: unknown theme in {entry['key']!r}")
    return {
        "title": entry["title"],
        "description": entry["description"],
        "body": bodies[entry["body"]] if entry["body"] else None,
        "source_kind": entry["source_kind"],
        "source_note": entry["source_note"],
        "raised_on": _date(entry["raised_on"]),
        "raised_by_organisation": directory.org(entry["raised_by_organisation"]),
        "target": entry["target"],
        "plan": entry["plan"],
        "started_on": _date(entry["started_on"]),
        "source": entry["source"],
        "themes": themes,
        "daily_life_areas": [
            _area(DailyLifeArea, municipality, n) for n in entry["daily_life_areas"]
        ],
        "districts": [_area(District, municipality, n) for n in entry["districts"]],
        "resources": [directory.resource(k) for k in entry["resources"]],
        "organisations": [directory.org(k) for k in entry["organisations"]],
    }


def _issue_changes(issue: RegionalIssue, data: dict[str, Any]) -> dict[str, Any]:
    """Only what differs, so that an unchanged issue gets no history row (nor m2m rows)."""
    changes = {}
    for field in issue_services.ISSUE_FIELDS:
        if field in data and getattr(issue, field) != data[field]:
            changes[field] = data[field]
    for field in issue_services.ISSUE_M2M:
        if field in data:
            have = set(getattr(issue, field).values_list("pk", flat=True))
            if have != {obj.pk for obj in data[field]}:
                changes[field] = data[field]
    return changes


def _walk_stages(
    actor: Any, issue: RegionalIssue, stages: list[dict[str, Any]], raised_on: str
) -> RegionalIssue:
    """Move forward along the report's path, from wherever the issue is now.

    A step the report gives no date for is stamped with the last date it does give (the
    raise or an earlier step), never with the load time: its reason says it is undated.
    """
    backdate = stage_changes_can_be_backdated()
    known = raised_on
    for step in stages:
        known = step["on"] or known
        if issue.stage == "on_hold":
            break  # held (the report's last word on it): nothing further to walk
        if step["to"] != "on_hold" and STAGE_ORDER.index(step["to"]) <= STAGE_ORDER.index(
            issue.stage
        ):
            continue
        extra = {"changed_at": _midnight(known)} if backdate and known else {}
        issue = issue_services.issue_change_stage(
            issue=issue, to_stage=step["to"], reason=step["reason"], actor=actor, **extra
        )
    return issue


def _load_issues(
    actor: Any, summary: Any, directory: _Directory, bodies: dict[str, ConsultativeBody]
) -> None:
    for entry in report_bodies.ISSUES:
        municipality = Municipality.objects.get(code=entry["municipality"])
        data = _issue_data(entry, municipality, directory, bodies)
        issue = RegionalIssue.objects.filter(
            municipality=municipality, title=entry["title"]
        ).first()
        if issue is None:
            extra = (
                {"changed_at": _midnight(entry["raised_on"])}
                if _accepts(issue_services.issue_raise, "changed_at")
                else {}
            )
            issue = issue_services.issue_raise(
                municipality=municipality,
                fields=fields_from(IssueFields, data),
                actor=actor,
                **extra,
            )
            summary.count("created")
        else:
            changes = _issue_changes(issue, data)
            if changes:
                issue = issue_services.issue_update(
                    issue=issue, fields=fields_from(IssueFields, changes), actor=actor
                )
            summary.count("updated" if changes else "unchanged")
        for executing in entry["executing_actors"]:
            organisation = directory.org(executing["organisation"])
            if issue.executing_actors.filter(organisation=organisation).exists():
                continue
            issue_services.executing_actor_add(
                issue=issue,
                organisation=organisation,
                role=executing["role"],
                agreed_on=_date(executing["agreed_on"]),
                actor=actor,
            )
            summary.count("created")
        issue = _walk_stages(actor, issue, entry["stages"], entry["raised_on"])
        for idea in entry["ideas"]:
            if Idea.objects.filter(issue=issue, text=idea["text"]).exists():
                continue
            issue_services.idea_add(
                issue=issue,
                text=idea["text"],
                proposer_organisation=directory.org(idea["proposer"]),
                actor=actor,
            )
            summary.count("created")


@transaction.atomic
def load_bodies(actor: Any, summary: Any, *, today: datetime.date | None = None) -> None:
    """Bodies (with members and certification), then meetings, then regional issues.

    ``today`` bounds how far ahead a recurring series is planned (default: the local date).
    """
    today = today or timezone.localdate()
    directory = _Directory()
    bodies = _load_bodies(actor, summary, directory)
    _load_certification(actor, summary, bodies)
    _load_meetings(actor, summary, directory, bodies, today)
    _load_issues(actor, summary, directory, bodies)
