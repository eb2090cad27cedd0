"""What the write services of accompanying support (伴走的支援) set: one frozen field set per
record whose field list is long and shared by create and update (issue 13 item 6).

Every field defaults to :data:`~tsunagu.core.fields.UNSET` ("not given: left as it is", or the
model's default on create), so one class serves create, full update and partial update (the
事例表 settings change three texts of an engagement). Forms and the API build them from their
cleaned data with :func:`~tsunagu.core.fields.fields_from`; services set them with
:func:`~tsunagu.core.fields.apply_fields`. A many-to-many field that is given replaces the
whole list.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from tsunagu.core.fields import UNSET, Unset

if TYPE_CHECKING:
    from tsunagu.areas.models import Prefecture
    from tsunagu.bodies.models import ConsultativeBody, Meeting
    from tsunagu.directory.models import Organisation
    from tsunagu.engagements.models import Engagement
    from tsunagu.regional_issues.models import RegionalIssue


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProgramFields:
    """A support program (伴走的支援事業) of the country or a prefecture, with its partner
    organisations (連携団体)."""

    owner_kind: str | Unset = UNSET
    owner_prefecture: Prefecture | Unset | None = UNSET
    regional_bureau: str | Unset = UNSET
    name: str | Unset = UNSET
    short_name: str | Unset = UNSET
    description: str | Unset = UNSET
    focus: str | Unset = UNSET
    typical_visits: int | Unset | None = UNSET
    typical_months: int | Unset | None = UNSET
    first_fiscal_year: int | Unset = UNSET
    last_fiscal_year: int | Unset | None = UNSET
    partner_organisations: Iterable[Organisation] | Unset = UNSET
    first_reminder_days: int | Unset | None = UNSET
    repeat_reminder_days: int | Unset | None = UNSET
    source: str | Unset = UNSET


@dataclasses.dataclass(frozen=True, kw_only=True)
class EngagementFields:
    """An engagement's own fields and links (not its status: see ``engagement_transition``);
    ``fiscal_year`` and ``theme`` are required on create."""

    fiscal_year: int | Unset = UNSET
    theme: str | Unset = UNSET
    reasons: str | Unset = UNSET
    background: str | Unset = UNSET
    started_on: datetime.date | Unset | None = UNSET
    ended_on: datetime.date | Unset | None = UNSET
    follow_up_of: Engagement | Unset | None = UNSET
    post_support_actions: str | Unset = UNSET
    points_of_attention: str | Unset = UNSET
    requests_to_government: str | Unset = UNSET
    bodies: Iterable[ConsultativeBody] | Unset = UNSET
    issues: Iterable[RegionalIssue] | Unset = UNSET
    organisations: Iterable[Organisation] | Unset = UNSET
    source: str | Unset = UNSET


ENGAGEMENT_M2M = ("bodies", "issues", "organisations")


@dataclasses.dataclass(frozen=True, kw_only=True)
class VisitFields:
    """A visit; ``number`` not given (or empty) on record means the next one."""

    number: int | Unset | None = UNSET
    visited_on: datetime.date | Unset = UNSET
    focus: str | Unset = UNSET
    lecture: str | Unset = UNSET
    advice: str | Unset = UNSET
    summary: str | Unset = UNSET
    meeting: Meeting | Unset | None = UNSET
    source: str | Unset = UNSET


@dataclasses.dataclass(frozen=True, kw_only=True)
class ParticipantFields:
    """One participant of a visit: a department (庁内) or an outside organisation (外部)."""

    kind: str | Unset = UNSET
    department: str | Unset = UNSET
    organisation: Organisation | Unset | None = UNSET
    organisation_name: str | Unset = UNSET
    organisation_type: str | Unset = UNSET
    person_name: str | Unset = UNSET
    headcount: int | Unset = UNSET
    note: str | Unset = UNSET


@dataclasses.dataclass(frozen=True, kw_only=True)
class RoadmapFields:
    """A municipality's roadmap over fiscal years, optionally of one engagement."""

    engagement: Engagement | Unset | None = UNSET
    title: str | Unset = UNSET
    description: str | Unset = UNSET
    first_fiscal_year: int | Unset = UNSET
    last_fiscal_year: int | Unset = UNSET
    source: str | Unset = UNSET


@dataclasses.dataclass(frozen=True, kw_only=True)
class MilestoneFields:
    """One item of a roadmap."""

    fiscal_year: int | Unset = UNSET
    title: str | Unset = UNSET
    description: str | Unset = UNSET
    owner_department: str | Unset = UNSET
    owner_organisation: Organisation | Unset | None = UNSET
    status: str | Unset = UNSET
    due_on: datetime.date | Unset | None = UNSET
    done_on: datetime.date | Unset | None = UNSET
    evidence: str | Unset = UNSET
    evidence_url: str | Unset = UNSET
    sort_order: int | Unset = UNSET
