"""Reads of needs surveys (ニーズ調査): who may see and edit them, and the summary by district.

Rules
- Everyone who sees the survey's municipality reads the survey and its summary (aggregates).
- Individual answer sheets are personal: only editors see them — municipal staff, care-centre
  staff and coordinators (SC) of the municipality, and members of the operating organisation
  (the survey's ``conducted_by`` or its service's operator).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.permissions import can_edit, can_view, scope_for, scope_q
from tsunagu.areas.models import Municipality
from tsunagu.core.errors import NotFound, PermissionDenied
from tsunagu.mobility.models import (
    NeedsSurvey,
    SurveyResponse,
    TripFrequency,
    WalkDistance,
    WouldUse,
)

NO_DISTRICT = _("地区の記入なし")

# (field, label) of the yes/no questions counted in the summary, in questionnaire order.
DESTINATIONS: tuple[tuple[str, Any], ...] = (
    ("dest_hospital", _("通院")),
    ("dest_shopping", _("買い物")),
    ("dest_bank", _("金融機関")),
    ("dest_city_office", _("役所")),
    ("dest_gathering_place", _("通いの場")),
)
AIDS: tuple[tuple[str, Any], ...] = (
    ("uses_cane", _("つえ")),
    ("uses_walker", _("歩行器・シルバーカー")),
    ("uses_wheelchair", _("車いす")),
)


# --- permissions ------------------------------------------------------------------------


def _operator_ids(survey: NeedsSurvey) -> set[int]:
    ids = set()
    if survey.conducted_by_id:
        ids.add(survey.conducted_by_id)
    if survey.service_id and survey.service is not None:
        ids.add(survey.service.operator_id)
    return ids


def can_edit_survey(user: Any, survey: NeedsSurvey) -> bool:
    """Municipal editors of the survey's municipality, or members of its operating organisation."""
    if can_edit(user, survey):
        return True
    return bool(_operator_ids(survey) & scope_for(user).organisation_ids)


def can_view_survey(user: Any, survey: NeedsSurvey) -> bool:
    return can_view(user, survey) or can_edit_survey(user, survey)


def municipalities_for_new_survey(*, user: Any) -> QuerySet[Municipality]:
    """Where the user may start a survey: municipal editors, or members of an organisation there."""
    scope = scope_for(user)
    if scope.is_system_admin:
        return Municipality.objects.order_by("code")
    from tsunagu.directory.models import Organisation

    organisation_municipalities = Organisation.objects.filter(
        pk__in=scope.organisation_ids
    ).values_list("municipality_id", flat=True)
    return Municipality.objects.filter(
        Q(pk__in=scope.editable_municipality_ids) | Q(pk__in=list(organisation_municipalities))
    ).order_by("code")


# --- reads --------------------------------------------------------------------------------


def survey_list_visible_to(
    *, user: Any, municipality: Municipality | None = None
) -> QuerySet[NeedsSurvey]:
    organisations = scope_for(user).organisation_ids
    queryset = NeedsSurvey.objects.filter(
        scope_q(user)
        | Q(conducted_by_id__in=organisations)
        | Q(service__operator_id__in=organisations)
    )
    if municipality is not None:
        queryset = queryset.filter(municipality=municipality)
    return (
        queryset.select_related("municipality", "conducted_by", "service")
        .prefetch_related("districts")
        .distinct()
    )


def survey_get_for_user(*, user: Any, survey_id: int) -> NeedsSurvey:
    """The survey if the user may see it; NotFound when missing or out of scope alike."""
    survey = (
        NeedsSurvey.objects.select_related(
            "municipality__prefecture", "conducted_by", "service__operator"
        )
        .prefetch_related("districts")
        .filter(pk=survey_id)
        .first()
    )
    if survey is None or not can_view_survey(user, survey):
        raise NotFound()
    return survey


def responses_for_editor(*, user: Any, survey: NeedsSurvey) -> QuerySet[SurveyResponse]:
    """Answer sheets of ``survey``: personal, so editors only (PermissionDenied otherwise)."""
    if not can_edit_survey(user, survey):
        raise PermissionDenied("回答票の一覧は、調査を編集できる人だけが見られます。")
    return survey.responses.select_related("district").order_by("pk")


def response_get_for_editor(*, user: Any, survey: NeedsSurvey, response_id: int) -> SurveyResponse:
    responses = responses_for_editor(user=user, survey=survey)
    response = responses.filter(pk=response_id).first()
    if response is None:
        raise NotFound()
    return response


# --- summary ------------------------------------------------------------------------------


@dataclass
class Bar:
    """One bar of a chart: a label, the number of people and its share of the base."""

    key: str
    label: str
    count: int
    base: int

    @property
    def percent(self) -> float:
        return round(self.count * 100 / self.base, 1) if self.base else 0.0


@dataclass
class Tally:
    """The counts of one group of answers (the whole survey, or one district)."""

    label: str
    respondents: int = 0
    sheets: int = 0
    would_use: dict[str, int] = field(default_factory=dict)
    destinations: dict[str, int] = field(default_factory=dict)
    frequency: dict[str, int] = field(default_factory=dict)
    aids: dict[str, int] = field(default_factory=dict)
    walk: dict[str, int] = field(default_factory=dict)
    phone: dict[str, int] = field(default_factory=dict)

    def add(self, row: dict[str, Any]) -> None:
        weight = int(row["weight"] or 1)
        self.respondents += weight
        self.sheets += 1
        _bump(self.would_use, row["would_use"], weight)
        for name, _label in DESTINATIONS:
            if row[name]:
                _bump(self.destinations, name, weight)
        if row["dest_other"]:
            _bump(self.destinations, "dest_other", weight)
        _bump(self.frequency, row["frequency"], weight)
        for name, _label in AIDS:
            if row[name]:
                _bump(self.aids, name, weight)
        if not any(row[name] for name, _label in AIDS):
            _bump(self.aids, "none", weight)
        _bump(self.walk, row["walk_to_stop"], weight)
        phone = {True: "yes", False: "no", None: "unknown"}[row["can_book_by_phone"]]
        _bump(self.phone, phone, weight)

    @property
    def would_use_now(self) -> int:
        return self.would_use.get(WouldUse.NOW, 0)

    @property
    def would_use_later(self) -> int:
        return self.would_use.get(WouldUse.LATER, 0)

    def bars(self, question: str) -> list[Bar]:
        """The bars of one question, in questionnaire order, every option shown (also zeros)."""
        base = self.respondents
        if question == "would_use":
            return [Bar(v, str(lbl), self.would_use.get(v, 0), base) for v, lbl in WouldUse.choices]
        if question == "destinations":
            options = [*DESTINATIONS, ("dest_other", _("その他"))]
            return [Bar(k, str(lbl), self.destinations.get(k, 0), base) for k, lbl in options]
        if question == "frequency":
            return [
                Bar(v, str(lbl), self.frequency.get(v, 0), base) for v, lbl in TripFrequency.choices
            ]
        if question == "aids":
            options = [*AIDS, ("none", _("使っていない・無回答"))]
            return [Bar(k, str(lbl), self.aids.get(k, 0), base) for k, lbl in options]
        if question == "walk":
            return [Bar(v, str(lbl), self.walk.get(v, 0), base) for v, lbl in WalkDistance.choices]
        if question == "phone":
            options = (
                ("yes", _("できる")),
                ("no", _("できない")),
                ("unknown", _("無回答")),
            )
            return [Bar(k, str(lbl), self.phone.get(k, 0), base) for k, lbl in options]
        raise KeyError(question)


def _bump(counter: dict[str, int], key: str, weight: int) -> None:
    counter[key] = counter.get(key, 0) + weight


QUESTIONS: tuple[tuple[str, Any, bool], ...] = (
    # (key, heading, several answers allowed)
    ("would_use", _("ボランティアによる送迎を利用したいか"), False),
    ("destinations", _("行きたい・困っている行き先（複数回答）"), True),
    ("frequency", _("利用したい頻度"), False),
    ("aids", _("使っている歩行の補助具（複数回答）"), True),
    ("walk", _("バス停まで歩ける距離"), False),
    ("phone", _("電話で予約できるか"), False),
)


@dataclass
class SurveySummary:
    survey: NeedsSurvey
    total: Tally
    districts: list[Tally]
    weighted: bool  # some sheets stand for several people (aggregated answers)

    def questions(self) -> list[dict[str, Any]]:
        return [
            {
                "key": key,
                "heading": str(heading),
                "multiple": multiple,
                "bars": self.total.bars(key),
            }
            for key, heading, multiple in QUESTIONS
        ]

    def district_rows(self) -> list[dict[str, Any]]:
        """One row per district: respondents and the headline counts (for the table)."""
        rows = []
        for tally in self.districts:
            rows.append(
                {
                    "label": tally.label,
                    "respondents": tally.respondents,
                    "now": tally.would_use_now,
                    "later": tally.would_use_later,
                    "destinations": [tally.destinations.get(k, 0) for k, _l in DESTINATIONS],
                    "cannot_walk": tally.walk.get(WalkDistance.CANNOT, 0),
                    "no_phone": tally.phone.get("no", 0),
                }
            )
        return rows


SUMMARY_FIELDS = (
    "weight",
    "would_use",
    *[name for name, _label in DESTINATIONS],
    "dest_other",
    "frequency",
    *[name for name, _label in AIDS],
    "walk_to_stop",
    "can_book_by_phone",
    "district__name",
)


def survey_summary(*, survey: NeedsSurvey) -> SurveySummary:
    """Counts of people (weighted) for the whole survey and per district.

    Aggregates only, so it may be shown to everyone who sees the survey.
    """
    total = Tally(label=str(_("全体")))
    by_district: OrderedDict[str, Tally] = OrderedDict()
    # Districts named on the survey come first, in their order, even with no answers yet.
    for district in survey.districts.all():
        by_district[district.name] = Tally(label=district.name)
    weighted = False
    for row in survey.responses.values(*SUMMARY_FIELDS).order_by("pk"):
        total.add(row)
        weighted = weighted or (row["weight"] or 1) > 1
        name = row["district__name"] or str(NO_DISTRICT)
        by_district.setdefault(name, Tally(label=name)).add(row)
    return SurveySummary(
        survey=survey, total=total, districts=list(by_district.values()), weighted=weighted
    )
