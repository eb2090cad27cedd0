"""Case sheets (事例表): one municipality's accompanying support in the seed report's structure.

A :class:`CaseSheet` is built from the records the acting user may see and is what the HTML
page, the PDF (``casesheets.pdf``), the .xlsx (``casesheets.xlsx``) and the CLI render:

* 概要: 人口・高齢者人口・高齢化率 with their as-of date, from the municipality's statistics
  snapshots (the newest with a population; the reported 高齢化率 is shown as printed, and other
  figures for the same date are listed as inconsistencies, never silently replaced).
* 1 伴走的支援を受けた取組等: (1) 理由 = ``Engagement.reasons``; (2) 経緯 = ``Engagement.background``
  plus the visits (dates, focus, participants) as recorded; later support that continues an
  engagement (``follow_up_of``, e.g. 出水市 令和5年度) as (3).
* 2 伴走的支援後の取組, 3 留意点, 4 国等への意見・要望 = the engagements' narrative fields.
* 図表3: per municipality the condensed 留意点 (``CaseSheetSettings.attention_summary``, or the
  section 3 text when that is empty).

The narrative lives on the records (``Engagement`` fields and ``CaseSheetSettings``); the edit
form writes them through :func:`case_sheet_narrative_update`, so the sheet is always "filled
from the records" and every change has history.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tsunagu.accounts.permissions import can_edit, can_view
from tsunagu.areas.models import Municipality, StatisticsSnapshot
from tsunagu.areas.selectors import snapshots_of_area
from tsunagu.core import wareki
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.core.history import save_with_history
from tsunagu.engagements.models import (
    CaseSheetSettings,
    Engagement,
    ParticipantKind,
)
from tsunagu.engagements.selectors import engagement_list_visible_to

# The narrative fields of an engagement that the case sheet shows and its form edits.
NARRATIVE_FIELDS = (
    "reasons",
    "background",
    "post_support_actions",
    "points_of_attention",
    "requests_to_government",
)
# The report's own headings (事例表№1, №3–№5); a sheet that words one differently keeps
# its wording in ``CaseSheetSettings.headings`` (事例表№2 佐伯市).
PART_HEADINGS = {
    "1.1": "(1) 伴走的支援を受けた理由",
    "1.2": "(2) 伴走的支援を受けた取組の経緯等",
}
SECTION_TITLES = {
    "1": "伴走的支援を受けた取組等",
    "2": "伴走的支援後の取組（取組予定）",
    "3": "総合事業等の実施を通じて地域づくりを進める上での留意点",
    "4": "地域づくりを進める上での国等への意見・要望",
}
NOT_RECORDED = "（記録がありません）"


# --- the sheet ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    """〇 ○○の概要: figures of one statistics snapshot, as its source printed them."""

    population: int | None = None
    population_65_plus: int | None = None
    aging_rate: Decimal | None = None  # reported (as printed) when given, else computed
    aging_rate_computed: bool = False
    as_of: datetime.date | None = None
    as_of_label: str = ""  # 令和6年10月1日時点
    source: str = ""
    notes: tuple[str, ...] = ()  # inconsistencies worth a reader's attention

    @property
    def has_figures(self) -> bool:
        return self.population is not None


@dataclass(frozen=True)
class Part:
    """A numbered part of a section ((1) 理由 …) or a plain block of text."""

    heading: str
    text: str
    field: str = ""  # the Engagement field holding ``text`` (empty when generated)
    engagement_id: int | None = None

    @property
    def paragraphs(self) -> list[str]:
        return [line for line in self.text.splitlines() if line.strip()]


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    parts: tuple[Part, ...]

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_empty(self) -> bool:
        return not any(part.text.strip() for part in self.parts)


@dataclass(frozen=True)
class VisitLine:
    number: int
    visited_on: datetime.date
    focus: str
    departments: tuple[str, ...]
    outside: tuple[str, ...]

    @property
    def date_label(self) -> str:
        return wareki.format_date(self.visited_on)

    @property
    def text(self) -> str:
        line = f"第{self.number}回目支援（{self.date_label}）"
        if self.focus:
            line += f"：{self.focus}"
        who = []
        if self.departments:
            who.append("庁内 " + "、".join(self.departments))
        if self.outside:
            who.append("庁外 " + "、".join(self.outside))
        if who:
            line += "（参加：" + "／".join(who) + "）"
        return line


@dataclass(frozen=True)
class EngagementLine:
    """One engagement as the sheet's summary table lists it."""

    pk: int
    program: str
    program_owner: str
    fiscal_year: int
    theme: str
    status: str
    status_code: str
    status_reason: str
    advisors: tuple[str, ...]
    visits: tuple[VisitLine, ...]
    follow_up_of_id: int | None

    @property
    def fiscal_year_label(self) -> str:
        return wareki.format_fiscal_year(self.fiscal_year)

    @property
    def visit_dates_label(self) -> str:
        return (
            "、".join(f"第{v.number}回 {v.date_label}" for v in self.visits) or "（訪問の記録なし）"
        )


@dataclass
class CaseSheet:
    """事例表 of one municipality, built from the records the acting user may see."""

    municipality_id: int
    municipality_name: str
    municipality_code: str
    prefecture_name: str
    sheet_number: int | None
    overview: Overview
    engagements: list[EngagementLine]
    sections: list[Section]
    attention_summary: str
    generated_on: datetime.date
    settings_id: int | None = None
    warnings: list[str] = field(default_factory=list)
    # A prefecture's sheet (plans/casesheets) is the same sheet with another subject: its
    # code's label, 概要 lines before 人口 (市町村数), and no table of engagements of its own.
    code_label: str = "市町村コード"
    overview_extra: tuple[tuple[str, str], ...] = ()
    show_engagements: bool = True

    @property
    def title(self) -> str:
        number = f"№{self.sheet_number}" if self.sheet_number else ""
        return f"事例表{number}（{self.municipality_name}）"

    @property
    def overview_heading(self) -> str:
        return f"{self.municipality_name}の概要"

    @property
    def filename_stem(self) -> str:
        return f"casesheet_{self.municipality_code}"

    @property
    def printable_sections(self) -> list[Section]:
        """Sections for PDF/xlsx: an empty section 4 is left out, as in the report's №1 and №5."""
        return [s for s in self.sections if not (s.number == "4" and s.is_empty)]

    @property
    def generated_label(self) -> str:
        return wareki.format_date(self.generated_on)


# --- reads --------------------------------------------------------------------------------


def engagements_visible_to(*, user: Any) -> QuerySet[Engagement]:
    """Engagements in the user's scope, plus those the user advises (アドバイザー)."""
    return engagement_list_visible_to(user=user).select_related(
        "program__owner_prefecture", "follow_up_of"
    )


def case_sheet_municipalities_for(*, user: Any) -> list[dict[str, Any]]:
    """Municipalities with at least one visible engagement, for the list of case sheets."""
    rows: dict[int, dict[str, Any]] = {}
    for engagement in engagements_visible_to(user=user).order_by(
        "municipality__code", "fiscal_year", "id"
    ):
        row = rows.setdefault(
            engagement.municipality_id,
            {
                "municipality": engagement.municipality,
                "engagements": [],
                "can_edit": can_edit(user, engagement.municipality),
            },
        )
        row["engagements"].append(engagement)
    numbers = dict(
        CaseSheetSettings.objects.filter(municipality_id__in=rows).values_list(
            "municipality_id", "sheet_number"
        )
    )
    result = list(rows.values())
    for row in result:
        row["sheet_number"] = numbers.get(row["municipality"].pk)
    result.sort(
        key=lambda r: (r["sheet_number"] is None, r["sheet_number"] or 0, r["municipality"].code)
    )
    return result


def municipality_for_case_sheet(*, user: Any, key: str) -> Municipality:
    """The municipality by name or 6-digit code if the user may see its case sheet, else NotFound.

    A user may see it when the municipality is in their scope or when they advise one of its
    engagements (then the sheet shows only those engagements).
    """
    key = (key or "").strip()
    queryset = Municipality.objects.select_related("prefecture")
    if key.isdigit():
        municipality = queryset.filter(code=key).first()
    else:
        matches = list(queryset.filter(name=key)[:2])
        municipality = matches[0] if len(matches) == 1 else None
    if municipality is None:
        raise NotFound()
    if can_view(user, municipality):
        return municipality
    if engagements_visible_to(user=user).filter(municipality=municipality).exists():
        return municipality
    raise NotFound()


def overview_of_area(area: Any) -> Overview:
    """〇 概要 of a municipality or a prefecture, from its statistics snapshots."""
    return _overview(area)


def _overview(municipality: Municipality) -> Overview:
    snapshots = list(
        snapshots_of_area(municipality)
        .filter(total_population__isnull=False)
        .order_by("as_of", "id")
    )
    if not snapshots:
        return Overview(notes=("統計（人口）が登録されていません。",))
    latest = snapshots[-1]  # newest date; among equal dates the last recorded
    notes: list[str] = []
    for other in snapshots[:-1]:
        if other.as_of != latest.as_of:
            continue
        differences = [
            f"{label} {value:,}人"
            for label, value, mine in (
                ("人口", other.total_population, latest.total_population),
                ("高齢者人口", other.population_65_plus, latest.population_65_plus),
            )
            if value is not None and value != mine
        ]
        if differences:
            notes.append(
                "同じ時点の別の数値があります: "
                + "、".join(differences)
                + f"（出典: {other.source}）"
            )
    rate = latest.reported_aging_rate
    computed = latest.computed_aging_rate
    if rate is not None:
        rate = rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        exact = latest.computed_aging_rate_exact
        if exact is not None and abs(exact - latest.reported_aging_rate) > Decimal("0.05"):
            notes.append(f"高齢化率は記載値 {rate}％、人口から計算すると {computed}％ です。")
    return Overview(
        population=latest.total_population,
        population_65_plus=latest.population_65_plus,
        aging_rate=rate if rate is not None else computed,
        aging_rate_computed=rate is None and computed is not None,
        as_of=latest.as_of,
        as_of_label=_as_of_label(latest),
        source=latest.source,
        notes=tuple(notes),
    )


def _as_of_label(snapshot: StatisticsSnapshot) -> str:
    day = snapshot.as_of
    if day < wareki.MIN_DATE:
        # No 和暦 before 明治6年: a stored odd date prints in 西暦 rather than breaking the sheet.
        if snapshot.as_of_precision == "year":
            return f"{day.year}年時点"
        if snapshot.as_of_precision == "month":
            return f"{day.year}年{day.month}月時点"
        return f"{wareki.format_date(day)}時点"
    if snapshot.as_of_precision == "year":
        name, year = wareki.era_of(day)
        return f"{name}{'元' if year == 1 else year}年時点"
    if snapshot.as_of_precision == "month":
        name, year = wareki.era_of(day)
        return f"{name}{'元' if year == 1 else year}年{day.month}月時点"
    return f"{wareki.format_date(day)}時点"


def _visit_lines(engagement: Engagement) -> tuple[VisitLine, ...]:
    lines = []
    for visit in engagement.visits.all():
        departments: list[str] = []
        outside: list[str] = []
        for participant in visit.participants.all():
            target = departments if participant.kind == ParticipantKind.DEPARTMENT else outside
            label = participant.label
            organisation = participant.organisation
            if (
                organisation is not None
                and organisation.municipality_id is None
                and organisation.prefecture_id
                and participant.label == organisation.name
            ):
                # A prefecture's department (「地域包括ケア推進担当課」) needs its prefecture's name.
                label = f"{organisation.prefecture.name} {label}"
            if participant.person_name and participant.kind == ParticipantKind.OUTSIDE:
                if participant.person_name not in label:
                    label = (
                        f"{label}（{participant.person_name}）"
                        if label
                        else participant.person_name
                    )
            if label and label not in target:
                target.append(label)
        lines.append(
            VisitLine(
                number=visit.number,
                visited_on=visit.visited_on,
                focus=visit.focus,
                departments=tuple(departments),
                outside=tuple(outside),
            )
        )
    return tuple(lines)


def _engagement_line(engagement: Engagement) -> EngagementLine:
    return EngagementLine(
        pk=engagement.pk,
        program=engagement.program.name,
        program_owner=engagement.program.owner_label,
        fiscal_year=engagement.fiscal_year,
        theme=engagement.theme,
        status=str(engagement.get_status_display()),
        status_code=engagement.status,
        # Only a stall's reason says something about the work (others are bookkeeping notes).
        status_reason=engagement.status_reason if engagement.status == "stalled" else "",
        advisors=tuple(
            " ".join(p for p in (a.display_name, f"（{a.role}）" if a.role else "") if p)
            for a in engagement.advisors.all()
        ),
        visits=_visit_lines(engagement),
        follow_up_of_id=engagement.follow_up_of_id,
    )


def _engagement_label(line: EngagementLine) -> str:
    return f"【{line.fiscal_year_label} {line.program}（{line.program_owner}）】"


def _with_label(text: str, label: str, several: bool) -> str:
    return f"{label}\n{text}" if several and text.strip() else text


def _build_sections(
    engagements: list[Engagement],
    lines: dict[int, EngagementLine],
    headings: dict[str, str] | None = None,
) -> list[Section]:
    wording = {**SECTION_TITLES, **PART_HEADINGS, **(headings or {})}
    main = [e for e in engagements if e.follow_up_of_id not in lines]
    follow_ups = [e for e in engagements if e.follow_up_of_id in lines]
    several = len(main) > 1
    first: list[Part] = []
    for engagement in main:
        line = lines[engagement.pk]
        label = _engagement_label(line)
        if several:
            first.append(Part(heading=label, text=""))
        first.append(
            Part(
                heading=wording["1.1"],
                text=engagement.reasons,
                field="reasons",
                engagement_id=engagement.pk,
            )
        )
        first.append(
            Part(
                heading=wording["1.2"],
                text=engagement.background,
                field="background",
                engagement_id=engagement.pk,
            )
        )
        if line.visits:
            first.append(
                Part(
                    heading="訪問支援の記録",
                    text="\n".join("・" + visit.text for visit in line.visits),
                )
            )
    for index, engagement in enumerate(follow_ups, start=3):
        line = lines[engagement.pk]
        text = "\n".join(
            part
            for part in (
                f"{line.fiscal_year_label} {line.program}（{line.program_owner}）：{line.theme}",
                engagement.background or engagement.reasons,
                ("訪問：" + line.visit_dates_label) if line.visits else "",
            )
            if part.strip()
        )
        first.append(
            Part(
                heading=f"({index}) その後の支援（フォローアップ）",
                text=text,
                field="background",
                engagement_id=engagement.pk,
            )
        )
    sections = [Section("1", wording["1"], tuple(first))]
    for number, name in (
        ("2", "post_support_actions"),
        ("3", "points_of_attention"),
        ("4", "requests_to_government"),
    ):
        with_text = [e for e in engagements if getattr(e, name).strip()]
        label_each = len(with_text) > 1
        parts = tuple(
            Part(
                heading=_engagement_label(lines[e.pk]) if label_each else "",
                text=getattr(e, name),
                field=name,
                engagement_id=e.pk,
            )
            for e in with_text
        )
        sections.append(Section(number, wording[number], parts))
    return sections


def build_case_sheet(
    *, user: Any, municipality: Municipality, today: datetime.date | None = None
) -> CaseSheet:
    """The 事例表 of ``municipality`` from the engagements ``user`` may see (oldest first)."""
    engagements = list(
        engagements_visible_to(user=user)
        .filter(municipality=municipality)
        .prefetch_related(
            "advisors__person",
            "advisors__organisation",
            "visits__participants__organisation__prefecture",
        )
        .order_by("fiscal_year", "id")
    )
    lines = {e.pk: _engagement_line(e) for e in engagements}
    settings = CaseSheetSettings.objects.filter(municipality=municipality).first()
    sections = _build_sections(engagements, lines, settings.headings if settings else None)
    attention = (settings.attention_summary if settings else "").strip()
    if not attention:
        attention = "\n".join(p.text for p in sections[2].parts if p.text.strip())
    sheet = CaseSheet(
        municipality_id=municipality.pk,
        municipality_name=municipality.name,
        municipality_code=municipality.code,
        prefecture_name=municipality.prefecture.name,
        sheet_number=settings.sheet_number if settings else None,
        overview=_overview(municipality),
        engagements=[lines[e.pk] for e in engagements],
        sections=sections,
        attention_summary=attention,
        generated_on=today or timezone.localdate(),
        settings_id=settings.pk if settings else None,
    )
    if not engagements:
        sheet.warnings.append("この市町村の伴走的支援の記録がありません。")
    return sheet


@dataclass(frozen=True)
class AttentionRow:
    """A row of 図表3: a municipality and its 留意点 (headline lines start with 「・」)."""

    municipality_name: str
    municipality_code: str
    prefecture_name: str
    sheet_number: int | None
    text: str

    @property
    def paragraphs(self) -> list[str]:
        return [line for line in self.text.splitlines() if line.strip()]


def attention_table_for(*, user: Any) -> list[AttentionRow]:
    """図表3 総合事業等の実施を通じて地域づくりを進める上での留意点, for the municipalities in scope."""
    rows = []
    for row in case_sheet_municipalities_for(user=user):
        municipality = row["municipality"]
        sheet = build_case_sheet(user=user, municipality=municipality)
        if not sheet.attention_summary.strip():
            continue
        rows.append(
            AttentionRow(
                municipality_name=municipality.name,
                municipality_code=municipality.code,
                prefecture_name=municipality.prefecture.name,
                sheet_number=sheet.sheet_number,
                text=sheet.attention_summary,
            )
        )
    return rows


# --- writes -------------------------------------------------------------------------------


@transaction.atomic
def case_sheet_settings_update(
    *,
    municipality: Municipality,
    actor: Any,
    sheet_number: int | None,
    attention_summary: str,
    headings: dict[str, str] | None = None,
) -> CaseSheetSettings:
    """Set the sheet's number (事例表№) and 図表3 summary; edit rights on the municipality.

    ``headings`` (None: keep as they are) words headings as this sheet's report does.
    """
    if not can_edit(actor, municipality):
        raise PermissionDenied()
    if sheet_number is not None and sheet_number < 1:
        raise TsunaguError("事例表の番号は1以上の数字で入力してください。", field="sheet_number")
    settings = CaseSheetSettings.objects.filter(municipality=municipality).first()
    if settings is None:
        settings = CaseSheetSettings(municipality=municipality)
    elif (
        settings.sheet_number == sheet_number
        and settings.attention_summary == attention_summary
        and (headings is None or settings.headings == headings)
    ):
        return settings  # nothing changed: no history row
    unknown = set(headings or {}) - set(SECTION_TITLES) - set(PART_HEADINGS)
    if unknown:
        raise TsunaguError("見出しの番号が正しくありません。", field="headings")
    settings.sheet_number = sheet_number
    settings.attention_summary = attention_summary
    if headings is not None:
        settings.headings = headings
    save_with_history(settings, actor=actor, action="engagements.casesheet_settings.update")
    return settings


@transaction.atomic
def case_sheet_narrative_update(
    *,
    municipality: Municipality,
    actor: Any,
    sheet_number: int | None,
    attention_summary: str,
    engagements: dict[int, dict[str, str]],
) -> list[Engagement]:
    """Write the sheet's editable narrative all at once (nothing is written if any part fails).

    ``engagements`` maps engagement ids to the narrative fields (``NARRATIVE_FIELDS``) to set;
    only fields that differ are written, each through ``engagement_update`` (with history).
    """
    from tsunagu.engagements.commands import EngagementFields
    from tsunagu.engagements.services import engagement_update

    if not can_edit(actor, municipality):
        raise PermissionDenied()
    case_sheet_settings_update(
        municipality=municipality,
        actor=actor,
        sheet_number=sheet_number,
        attention_summary=attention_summary,
    )
    changed = []
    records = Engagement.objects.filter(municipality=municipality, pk__in=list(engagements))
    found = {e.pk: e for e in records}
    for pk, values in engagements.items():
        engagement = found.get(pk)
        if engagement is None:
            raise NotFound()
        data = {
            name: values[name]
            for name in NARRATIVE_FIELDS
            if name in values and values[name] != getattr(engagement, name)
        }
        if data:
            changed.append(
                engagement_update(
                    engagement=engagement, fields=EngagementFields(**data), actor=actor
                )
            )
    return changed
