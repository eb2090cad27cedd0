"""Case sheets (事例表): built from the records, scoped to the user, rendered as PDF and .xlsx."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tsunagu.accounts.services import system_actor
from tsunagu.core.actions import display_reason
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.engagements.casesheets import builder as casesheet
from tsunagu.engagements.casesheets.pdf import render_case_sheet_pdf
from tsunagu.engagements.casesheets.xlsx import render_attention_xlsx, render_case_sheet_xlsx
from tsunagu.engagements.commands import EngagementFields, VisitFields
from tsunagu.engagements.models import CaseSheetSettings, Engagement
from tsunagu.engagements.services import engagement_update, visit_update

pytestmark = pytest.mark.django_db


def sheet_of(name: str, user=None) -> casesheet.CaseSheet:
    user = user or system_actor()
    municipality = casesheet.municipality_for_case_sheet(user=user, key=name)
    return casesheet.build_case_sheet(user=user, municipality=municipality)


def section(sheet: casesheet.CaseSheet, number: str) -> casesheet.Section:
    return next(s for s in sheet.sections if s.number == number)


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- content -------------------------------------------------------------------------------


def test_case_sheet_has_the_reports_sections_in_order() -> None:
    sheet = sheet_of("香春町")
    assert sheet.title == "事例表№1（香春町）"
    assert [s.heading for s in sheet.sections] == [
        "1 伴走的支援を受けた取組等",
        "2 伴走的支援後の取組（取組予定）",
        "3 総合事業等の実施を通じて地域づくりを進める上での留意点",
        "4 地域づくりを進める上での国等への意見・要望",
    ]
    headings = [p.heading for p in section(sheet, "1").parts]
    assert headings[:2] == ["(1) 伴走的支援を受けた理由", "(2) 伴走的支援を受けた取組の経緯等"]


def test_overview_comes_from_the_statistics_with_its_date() -> None:
    overview = sheet_of("406015").overview
    assert (overview.population, overview.population_65_plus) == (9995, 4272)
    assert overview.aging_rate == Decimal("42.7")
    assert overview.as_of_label == "令和6年10月1日時点"
    assert "事例表№1" in overview.source


def test_overview_shows_the_case_sheet_figure_and_flags_the_other_printed_one() -> None:
    overview = sheet_of("鹿児島市").overview
    assert overview.population == 591067
    assert any("591,607" in note for note in overview.notes)


def test_sections_are_filled_from_the_engagement_records() -> None:
    sheet = sheet_of("香春町")
    engagement = Engagement.objects.get(municipality__name="香春町")
    reasons = section(sheet, "1").parts[0]
    assert reasons.text == engagement.reasons and reasons.engagement_id == engagement.pk
    assert section(sheet, "2").parts[0].text == engagement.post_support_actions
    assert section(sheet, "3").parts[0].text == engagement.points_of_attention
    assert section(sheet, "4").is_empty  # the report's 事例表№1 has no section 4


def test_visit_record_lists_dates_focus_and_participants_from_the_visits() -> None:
    sheet = sheet_of("香春町")
    visits = next(p for p in section(sheet, "1").parts if p.heading == "訪問支援の記録")
    lines = visits.paragraphs
    assert lines[0].startswith("・第1回目支援（令和6年10月2日）")
    assert "令和6年12月17日" in lines[1] and "令和7年1月30日" in lines[2]
    assert "採銅所地域コミュニティ協議会" in lines[2] and "まちづくり課" in lines[0]


def test_a_changed_record_changes_the_sheet() -> None:
    engagement = Engagement.objects.get(municipality__name="久留米市")
    engagement_update(
        engagement=engagement,
        fields=EngagementFields(points_of_attention="庁内の役割分担を決めることが大切である。"),
        actor=system_actor(),
    )
    visit = engagement.visits.get(number=2)
    visit_update(visit=visit, fields=VisitFields(focus="受皿づくりの検討"), actor=system_actor())
    sheet = sheet_of("久留米市")
    assert section(sheet, "3").parts[0].text == "庁内の役割分担を決めることが大切である。"
    assert "受皿づくりの検討" in "\n".join(p.text for p in section(sheet, "1").parts)


def test_follow_up_engagement_appears_as_later_support_in_section_1() -> None:
    parts = section(sheet_of("出水市"), "1").parts
    follow_up = parts[-1]
    assert follow_up.heading == "(3) その後の支援（フォローアップ）"
    assert "令和5年度 かごしま介護予防（総合事業）推進事業" in follow_up.text


def test_empty_section_4_is_left_out_of_print_but_kept_when_filled() -> None:
    assert [s.number for s in sheet_of("香春町").printable_sections] == ["1", "2", "3"]
    assert [s.number for s in sheet_of("佐伯市").printable_sections] == ["1", "2", "3", "4"]


def test_attention_table_lists_municipalities_in_sheet_order() -> None:
    rows = casesheet.attention_table_for(user=system_actor())
    assert [r.municipality_name for r in rows] == [
        "香春町",
        "佐伯市",
        "鹿児島市",
        "久留米市",
        "出水市",
    ]
    assert rows[0].paragraphs[0].startswith("・庁内・庁外の様々な主体")


def test_attention_table_falls_back_to_section_3_without_a_summary() -> None:
    CaseSheetSettings.objects.filter(municipality__name="久留米市").update(attention_summary="")
    rows = {r.municipality_name: r for r in casesheet.attention_table_for(user=system_actor())}
    engagement = Engagement.objects.get(municipality__name="久留米市")
    assert rows["久留米市"].text == engagement.points_of_attention


# --- scope ---------------------------------------------------------------------------------


def test_municipal_staff_see_only_their_own_case_sheet(user_named) -> None:
    kawara = user_named("kawara")
    names = [r["municipality"].name for r in casesheet.case_sheet_municipalities_for(user=kawara)]
    assert names == ["香春町"]
    with pytest.raises(NotFound):
        casesheet.municipality_for_case_sheet(user=kawara, key="佐伯市")


def test_prefecture_staff_see_the_prefectures_case_sheets(user_named) -> None:
    rows = casesheet.attention_table_for(user=user_named("kagoshima-pref"))
    assert [r.municipality_name for r in rows] == ["鹿児島市", "出水市"]


def test_advisor_sees_only_the_municipality_they_advise(user_named) -> None:
    advisor = user_named("advisor")
    names = [r["municipality"].name for r in casesheet.case_sheet_municipalities_for(user=advisor)]
    assert names == ["出水市"]
    with pytest.raises(NotFound):
        casesheet.municipality_for_case_sheet(user=advisor, key="鹿児島市")


def test_unknown_municipality_is_not_found() -> None:
    with pytest.raises(NotFound):
        casesheet.municipality_for_case_sheet(user=system_actor(), key="999999")


# --- writes --------------------------------------------------------------------------------


def test_narrative_update_writes_with_history(user_named, municipality) -> None:
    kawara = user_named("kawara")
    town = municipality("香春町")
    engagement = Engagement.objects.get(municipality=town)
    casesheet.case_sheet_narrative_update(
        municipality=town,
        actor=kawara,
        sheet_number=7,
        attention_summary="・情報共有の重要性\n互いの強みを知ること。",
        engagements={engagement.pk: {"requests_to_government": "継続的な支援を望む。"}},
    )
    engagement.refresh_from_db()
    assert engagement.requests_to_government == "継続的な支援を望む。"
    assert engagement.history.first().history_user == kawara
    settings = CaseSheetSettings.objects.get(municipality=town)
    assert settings.sheet_number == 7
    assert display_reason(settings.history.first().history_change_reason) == "事例表の設定を変更"


def test_narrative_update_denied_changes_nothing(user_named, municipality) -> None:
    town = municipality("香春町")
    engagement = Engagement.objects.get(municipality=town)
    before = engagement.points_of_attention
    for username in ("saiki", "kurume-viewer", "advisor"):
        with pytest.raises(PermissionDenied):
            casesheet.case_sheet_narrative_update(
                municipality=town,
                actor=user_named(username),
                sheet_number=1,
                attention_summary="",
                engagements={engagement.pk: {"points_of_attention": "書き換え"}},
            )
    engagement.refresh_from_db()
    assert engagement.points_of_attention == before
    assert CaseSheetSettings.objects.get(municipality=town).attention_summary != ""


def test_narrative_update_is_all_or_nothing(user_named, municipality) -> None:
    town = municipality("香春町")
    other = Engagement.objects.get(municipality__name="佐伯市")
    with pytest.raises(NotFound):
        casesheet.case_sheet_narrative_update(
            municipality=town,
            actor=system_actor(),
            sheet_number=9,
            attention_summary="変更",
            engagements={other.pk: {"reasons": "別の市の支援"}},
        )
    assert CaseSheetSettings.objects.get(municipality=town).sheet_number == 1


def test_sheet_number_must_be_positive(municipality) -> None:
    with pytest.raises(TsunaguError, match="1以上"):
        casesheet.case_sheet_settings_update(
            municipality=municipality("香春町"),
            actor=system_actor(),
            sheet_number=0,
            attention_summary="",
        )


# --- PDF and .xlsx -------------------------------------------------------------------------


def test_pdf_is_a4_with_the_japanese_font_embedded_and_text_extractable() -> None:
    content = render_case_sheet_pdf(sheet_of("香春町"))
    reader = PdfReader(io.BytesIO(content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts = [
        font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()
    ]
    embedded = [f for f in fonts if "/FontDescriptor" in f and "/FontFile2" in f["/FontDescriptor"]]
    assert embedded and all("IPAexGothic" in f["/BaseFont"] for f in embedded)
    text = pdf_text(content)
    for phrase in (
        "事例表№1（香春町）",
        "香春町の概要",
        "9,995人（令和6年10月1日時点）",
        "(1) 伴走的支援を受けた理由",
        "2 伴走的支援後の取組",
        "3 総合事業等の実施を通じて地域づくりを進める上での留意点",
    ):
        assert phrase in text, phrase
    assert "国等への意見・要望" not in text  # empty section 4 left out, as in the report


def test_pdf_carries_the_edited_narrative() -> None:
    engagement = Engagement.objects.get(municipality__name="出水市", fiscal_year=2022)
    engagement_update(
        engagement=engagement,
        fields=EngagementFields(
            requests_to_government="人事異動があっても続く支援の仕組みを望む。"
        ),
        actor=system_actor(),
    )
    text = pdf_text(render_case_sheet_pdf(sheet_of("出水市")))
    assert "4 地域づくりを進める上での国等への意見・要望" in text
    assert "人事異動があっても続く支援の仕組みを望む。" in text


def test_missing_configured_font_is_a_japanese_error(monkeypatch) -> None:
    monkeypatch.setenv("TSUNAGU_PDF_FONT", "/nonexistent/font.ttf")
    with pytest.raises(TsunaguError, match="フォントファイルが見つかりません"):
        render_case_sheet_pdf(sheet_of("香春町"))


def test_xlsx_has_the_same_sections_and_prints_on_a4() -> None:
    workbook = load_workbook(io.BytesIO(render_case_sheet_xlsx(sheet_of("佐伯市"))))
    sheet = workbook["事例表"]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert values[0] == "事例表№2（佐伯市）"
    for heading in (  # 事例表№2's own wording of sections 1 and 2
        "1 伴走的支援を受けた取組",
        "2 伴走的支援前後の取組（取組予定）",
        "3 総合事業等の実施を通じて地域づくりを進める上での留意点",
        "4 地域づくりを進める上での国等への意見・要望",
    ):
        assert heading in values
    assert "61,806人（令和6年10月1日時点）" in values
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.orientation == "portrait"
    long_cell = next(
        c for row in sheet.iter_rows() for c in row if c.value and len(str(c.value)) > 100
    )
    assert long_cell.alignment.wrap_text
    visits = workbook["訪問の記録"]
    assert [visits.cell(row=r, column=3).value for r in (2, 3, 4)] == [
        "令和5年8月28日",
        "令和5年10月20日",
        "令和5年12月12日",
    ]


def test_attention_xlsx_has_one_row_per_municipality() -> None:
    rows = casesheet.attention_table_for(user=system_actor())
    sheet = load_workbook(io.BytesIO(render_attention_xlsx(rows)))["図表3"]
    assert [sheet.cell(row=r, column=1).value for r in range(3, 8)] == [
        "香春町",
        "佐伯市",
        "鹿児島市",
        "久留米市",
        "出水市",
    ]
    assert sheet.cell(row=5, column=2).value.startswith("・地域課題を住民主体で解決する")
