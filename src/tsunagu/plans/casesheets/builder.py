"""Prefecture case sheets (事例表№6 大分県, №7 鹿児島県), built from records.

The same :class:`~tsunagu.engagements.casesheets.builder.CaseSheet` as a municipality's, so
the page, PDF and .xlsx are the municipal ones' renderers:

* 〇 概要: 市町村数 (``PrefectureProfile``: 市・町・村 counted, the total computed) and the
  prefecture's statistics snapshot (人口・高齢者人口・高齢化率 as printed).
* 1 支援の実施状況: the prefecture's support programs (``SupportProgram.description``), the
  municipalities they chose per year (``ProgramSelection``), the visits and follow-ups of
  their engagements (``Engagement``/``Visit``), and the prefecture's own paragraphs
  (``PrefectureSupportFact``: selection, visits, follow-up, assessment), each with its source.
* 2 留意点: the prefecture's ``attention`` paragraphs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils import timezone

from tsunagu.accounts.scope import can_view, prefectures_visible_to
from tsunagu.areas.models import Prefecture
from tsunagu.core import wareki
from tsunagu.core.errors import NotFound
from tsunagu.engagements.casesheets.builder import (
    CaseSheet,
    Part,
    Section,
    VisitLine,
    overview_of_area,
)
from tsunagu.engagements.models import Engagement, ProgramSelection, SelectionStatus, SupportProgram
from tsunagu.plans.casesheets.models import FactTopic, PrefectureProfile, PrefectureSupportFact

SECTION_TITLES = {
    "1": "市町村における高齢者の支援を通じた地域の多様な主体との連携に関する取組に係る支援の実施状況",
    "2": "市町村における総合事業等の実施を通じた地域づくりを進める上での留意点",
}
PART_HEADINGS = {
    FactTopic.PROGRAMS: "支援事業",
    FactTopic.SELECTION: "対象市町村",
    FactTopic.VISITS: "訪問・支援の内容",
    FactTopic.FOLLOW_UP: "フォローアップ",
    FactTopic.ASSESSMENT: "県の評価",
}


def prefecture_for_case_sheet(*, user: Any, key: str) -> Prefecture:
    """The prefecture by name or 6-digit code if the user may see it, else NotFound."""
    key = (key or "").strip()
    rows = prefectures_visible_to(user)
    prefecture = rows.filter(code=key).first() if key.isdigit() else rows.filter(name=key).first()
    if prefecture is None:
        raise NotFound(f"都道府県「{key}」が見つかりません。")
    return prefecture


def prefecture_case_sheets_for(*, user: Any) -> list[dict[str, Any]]:
    """Prefectures the user sees that have a case-sheet profile or facts, by sheet number."""
    visible = prefectures_visible_to(user)
    profiles = {
        p.prefecture_id: p for p in PrefectureProfile.objects.filter(prefecture__in=visible)
    }
    with_facts = set(
        PrefectureSupportFact.objects.filter(prefecture__in=visible).values_list(
            "prefecture_id", flat=True
        )
    )
    rows = [
        {"prefecture": p, "sheet_number": getattr(profiles.get(p.pk), "sheet_number", None)}
        for p in visible
        if p.pk in profiles or p.pk in with_facts
    ]
    rows.sort(
        key=lambda r: (r["sheet_number"] is None, r["sheet_number"] or 0, r["prefecture"].code)
    )
    return rows


def _with_source(text: str, source: str) -> str:
    return f"{text}\n（出典: {source}）" if source else text


def build_prefecture_case_sheet(*, user: Any, prefecture: Prefecture) -> CaseSheet:
    if not can_view(user, prefecture):
        raise NotFound()
    profile = PrefectureProfile.objects.filter(prefecture=prefecture).first()
    facts: dict[str, list[PrefectureSupportFact]] = defaultdict(list)
    for fact in PrefectureSupportFact.objects.filter(prefecture=prefecture).order_by("order", "id"):
        facts[fact.topic].append(fact)
    programs = list(
        SupportProgram.objects.filter(owner_prefecture=prefecture).order_by(
            "first_fiscal_year", "name"
        )
    )
    # Selections and engagements of the prefecture's programs: prefecture-level records the
    # prefecture's staff see; a municipality's user sees only its own municipality's rows.
    selections = ProgramSelection.objects.filter(
        program__in=programs, status=SelectionStatus.SELECTED
    ).select_related("municipality", "program")
    engagements = (
        Engagement.objects.filter(program__in=programs)
        .select_related("municipality", "program", "follow_up_of")
        .prefetch_related("visits")
        .order_by("fiscal_year", "municipality__code", "id")
    )
    selections = [s for s in selections if can_view(user, s.municipality)]
    engagements = [e for e in engagements if can_view(user, e.municipality)]

    parts: list[Part] = []
    # The programs by name from their records; what the prefecture says of them, verbatim,
    # from its facts (a program's own description is on the program's page).
    program_lines = [
        f"・{p.name}（{wareki.format_fiscal_year(p.first_fiscal_year)}から"
        + (f"、重点: {p.focus}" if p.focus else "")
        + "）"
        for p in programs
    ]
    program_text = "\n".join(
        program_lines + [_with_source(f.text, f.source) for f in facts[FactTopic.PROGRAMS]]
    )
    parts.append(Part(heading=PART_HEADINGS[FactTopic.PROGRAMS], text=program_text))

    by_year: dict[tuple[str, int], list[str]] = defaultdict(list)
    for selection in sorted(
        selections, key=lambda s: (s.program.name, s.fiscal_year, s.municipality.code)
    ):
        by_year[
            (selection.program.short_name or selection.program.name, selection.fiscal_year)
        ].append(selection.municipality.name)
    selection_lines = [
        f"・{wareki.format_fiscal_year(year)} {name}: {'、'.join(names)}"
        for (name, year), names in by_year.items()
    ]
    selection_text = "\n".join(
        selection_lines + [_with_source(f.text, f.source) for f in facts[FactTopic.SELECTION]]
    )
    parts.append(Part(heading=PART_HEADINGS[FactTopic.SELECTION], text=selection_text))

    visit_lines = []
    follow_lines = []
    for engagement in engagements:
        label = (
            f"{engagement.municipality.name} {wareki.format_fiscal_year(engagement.fiscal_year)}"
        )
        target = follow_lines if engagement.follow_up_of_id else visit_lines
        visits = [
            VisitLine(
                number=v.number, visited_on=v.visited_on, focus="", departments=(), outside=()
            ).text
            for v in engagement.visits.all()
        ]
        target.append(
            f"・{label}（{engagement.program.short_name or engagement.program.name}）"
            f"{engagement.theme}: " + ("、".join(visits) if visits else "訪問日の記録なし")
        )
    parts.append(
        Part(
            heading=PART_HEADINGS[FactTopic.VISITS],
            text="\n".join(
                visit_lines + [_with_source(f.text, f.source) for f in facts[FactTopic.VISITS]]
            ),
        )
    )
    parts.append(
        Part(
            heading=PART_HEADINGS[FactTopic.FOLLOW_UP],
            text="\n".join(
                follow_lines + [_with_source(f.text, f.source) for f in facts[FactTopic.FOLLOW_UP]]
            ),
        )
    )
    if facts[FactTopic.ASSESSMENT]:
        parts.append(
            Part(
                heading=PART_HEADINGS[FactTopic.ASSESSMENT],
                text="\n".join(_with_source(f.text, f.source) for f in facts[FactTopic.ASSESSMENT]),
            )
        )
    sections = [
        Section(
            number="1",
            title=SECTION_TITLES["1"],
            parts=tuple(part for part in parts if part.text.strip()),
        ),
        Section(
            number="2",
            title=SECTION_TITLES["2"],
            parts=(
                Part(
                    heading="",
                    text="\n".join(
                        _with_source(f.text, f.source) for f in facts[FactTopic.ATTENTION]
                    ),
                ),
            ),
        ),
    ]
    extra: tuple[tuple[str, str], ...] = ()
    warnings: list[str] = []
    if profile is not None:
        extra = (("市町村数", profile.municipalities_label),)
        if (
            profile.municipalities_printed is not None
            and profile.municipalities_printed != profile.municipalities_total
        ):
            warnings.append(
                f"市町村数は記載値 {profile.municipalities_printed}、市・町・村の合計 "
                f"{profile.municipalities_total} です。"
            )
    else:
        warnings.append("市町村数（市・町・村の内訳）が登録されていません。")
    return CaseSheet(
        municipality_id=prefecture.pk,
        municipality_name=prefecture.name,
        municipality_code=prefecture.code,
        prefecture_name="",
        sheet_number=profile.sheet_number if profile else None,
        overview=overview_of_area(prefecture),
        engagements=[],
        sections=sections,
        attention_summary="",
        generated_on=timezone.localdate(),
        warnings=warnings,
        code_label="都道府県コード",
        overview_extra=extra,
        show_engagements=False,
    )
