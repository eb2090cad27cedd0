"""事例表 as PDF: A4 portrait, the IPAexGothic TrueType font embedded (subset), CJK line breaking.

The font is taken from ``TSUNAGU_PDF_FONT`` (path to a .ttf/.otf with TrueType outlines) or
else from the installed ``matplotlib_fontja`` package (``ipaexg.ttf``); without either a
Japanese error explains what to install. Embedding the font means the sheet prints the same
on any PC, with or without Japanese fonts.
"""

from __future__ import annotations

import io
import os
from functools import lru_cache, partial
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from tsunagu.core.errors import TsunaguError
from tsunagu.engagements.casesheets.builder import NOT_RECORDED, CaseSheet

FONT_NAME = "TsunaguJapanese"
FONT_ENV = "TSUNAGU_PDF_FONT"
BODY_SIZE = 10.5
LEADING = 17


def font_path() -> Path:
    """The Japanese font file to embed, or TsunaguError saying how to provide one."""
    configured = os.environ.get(FONT_ENV, "").strip()
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise TsunaguError(
                f"環境変数 {FONT_ENV} のフォントファイルが見つかりません: {configured}",
                code="font_missing",
            )
        return path
    try:
        import matplotlib_fontja
    except ImportError:  # pragma: no cover - the package is a dependency
        matplotlib_fontja = None
    if matplotlib_fontja is not None:
        base = Path(matplotlib_fontja.__file__).parent
        for candidate in sorted(base.rglob("ipaexg.ttf")):
            return candidate
    raise TsunaguError(
        "PDF に埋め込む日本語フォントが見つかりません。matplotlib-fontja をインストールするか、"
        f"環境変数 {FONT_ENV} に日本語 TrueType フォント（.ttf）のパスを設定してください。",
        code="font_missing",
    )


@lru_cache(maxsize=4)
def _register(path: str) -> str:
    try:
        pdfmetrics.registerFont(TTFont(FONT_NAME, path))
    except Exception as exc:  # a PostScript-outline .otf or a broken file
        raise TsunaguError(
            f"フォントファイルを PDF に埋め込めません（TrueType 形式のフォントを指定してください）: "
            f"{path}",
            code="font_unusable",
        ) from exc
    return FONT_NAME


def _styles() -> dict[str, ParagraphStyle]:
    font = _register(str(font_path()))
    base = ParagraphStyle(
        "body",
        fontName=font,
        fontSize=BODY_SIZE,
        leading=LEADING,
        wordWrap="CJK",
        firstLineIndent=BODY_SIZE,
    )
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontSize=15, leading=22, firstLineIndent=0, spaceAfter=2
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=base,
            fontSize=9,
            leading=13,
            firstLineIndent=0,
            textColor=colors.grey,
        ),
        "overview": ParagraphStyle(
            "overview", parent=base, fontSize=11.5, leading=18, firstLineIndent=0, spaceBefore=6
        ),
        "section": ParagraphStyle(
            "section",
            parent=base,
            fontSize=12,
            leading=19,
            firstLineIndent=0,
            spaceBefore=10,
            spaceAfter=3,
            keepWithNext=1,  # a heading never ends a page alone
        ),
        "part": ParagraphStyle(
            "part",
            parent=base,
            firstLineIndent=0,
            leftIndent=0,
            spaceBefore=4,
            spaceAfter=1,
            keepWithNext=1,
        ),
        "body": base,
        "bullet": ParagraphStyle(
            "bullet", parent=base, firstLineIndent=-BODY_SIZE, leftIndent=BODY_SIZE * 2
        ),
        "note": ParagraphStyle(
            "note",
            parent=base,
            fontSize=9,
            leading=14,
            firstLineIndent=-BODY_SIZE * 2,
            leftIndent=BODY_SIZE * 2,
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=14, firstLineIndent=0),
        "small": ParagraphStyle(
            "small", parent=base, fontSize=8.5, leading=12, firstLineIndent=0, textColor=colors.grey
        ),
        "footer": ParagraphStyle(
            "footer", parent=base, fontSize=8, leading=10, firstLineIndent=0, alignment=TA_CENTER
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _paragraphs(text: str, styles: dict[str, ParagraphStyle]) -> list[Paragraph]:
    """Report-style paragraphs: indented first line, hanging 「・」 bullets and （注） notes."""
    flowables = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith(("・", "①", "②", "③", "④", "ⅰ）", "ⅱ）", "ⅲ）", "ⅳ）")):
            style = styles["bullet"]
        elif line.startswith(("（注）", "(注)")):
            style = styles["note"]
        elif line.startswith(("(1)", "(2)", "(3)", "(4)", "(5)", "【")):
            style = styles["part"]
        else:
            style = styles["body"]
        flowables.append(_p(line, style))
    return flowables


def _overview_table(sheet: CaseSheet, styles: dict[str, ParagraphStyle]) -> list:
    overview = sheet.overview
    flowables: list = [_p(f"〇 {sheet.overview_heading}", styles["overview"])]
    if sheet.overview_extra:
        flowables.append(
            Table(
                [
                    [_p(f"・{label}", styles["cell"]), _p(f"：{value}", styles["cell"])]
                    for label, value in sheet.overview_extra
                ],
                colWidths=[36 * mm, 122 * mm],
                hAlign="LEFT",
                style=[
                    ("LEFTPADDING", (0, 0), (-1, -1), 6 * mm),
                    ("LEFTPADDING", (1, 0), (1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ],
            )
        )
    if overview.has_figures:
        rate = f"{overview.aging_rate}％" if overview.aging_rate is not None else "—"
        if overview.aging_rate_computed:
            rate += "（人口から計算）"
        rows = [
            ("人口", f"{overview.population:,}人（{overview.as_of_label}）"),
            (
                "高齢者人口",
                f"{overview.population_65_plus:,}人"
                if overview.population_65_plus is not None
                else "—",
            ),
            ("高齢化率", rate),
        ]
        table = Table(
            [
                [_p(f"・{label}", styles["cell"]), _p(f"：{value}", styles["cell"])]
                for label, value in rows
            ],
            colWidths=[36 * mm, 122 * mm],
            hAlign="LEFT",
        )
        table.setStyle(
            TableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 6 * mm),
                    ("LEFTPADDING", (1, 0), (1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        flowables.append(table)
        flowables.append(_p(f"出典: {overview.source}", styles["small"]))
    for note in overview.notes:
        flowables.append(_p(f"※ {note}", styles["small"]))
    return flowables


def _engagement_table(sheet: CaseSheet, styles: dict[str, ParagraphStyle]) -> list:
    if not sheet.show_engagements:
        return []
    if not sheet.engagements:
        return [_p(NOT_RECORDED, styles["body"])]
    header = ["年度", "支援事業", "テーマ", "訪問日", "状態"]
    rows = [[_p(h, styles["cell"]) for h in header]]
    for line in sheet.engagements:
        rows.append(
            [
                _p(line.fiscal_year_label, styles["cell"]),
                _p(f"{line.program}（{line.program_owner}）", styles["cell"]),
                _p(line.theme, styles["cell"]),
                _p(line.visit_dates_label, styles["cell"]),
                _p(line.status, styles["cell"]),
            ]
        )
    table = Table(
        rows, colWidths=[20 * mm, 44 * mm, 48 * mm, 42 * mm, 20 * mm], repeatRows=1, hAlign="LEFT"
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    notes = [
        _p(
            f"※ {line.fiscal_year_label}の支援が停滞している理由: {line.status_reason}",
            styles["small"],
        )
        for line in sheet.engagements
        if line.status_reason
    ]
    return [Spacer(1, 3 * mm), _p("伴走的支援の記録", styles["part"]), table, *notes]


def _sheet_story(sheet: CaseSheet, styles: dict[str, ParagraphStyle]) -> list:
    story: list = [
        _p(sheet.title, styles["title"]),
        _p(
            f"{sheet.prefecture_name} {sheet.municipality_name}（{sheet.code_label} {sheet.municipality_code}）"
            f"　作成日 {sheet.generated_label}",
            styles["subtitle"],
        ),
    ]
    story += _overview_table(sheet, styles)
    story += _engagement_table(sheet, styles)
    for warning in sheet.warnings:
        story.append(_p(f"※ {warning}", styles["small"]))
    for section in sheet.printable_sections:
        heading = _p(section.heading, styles["section"])
        if section.is_empty:
            story.append(KeepTogether([heading, _p(NOT_RECORDED, styles["body"])]))
            continue
        lead = [heading]
        for part in section.parts:
            block = list(lead)
            if part.heading:
                block.append(_p(part.heading, styles["part"]))
            block += _paragraphs(part.text, styles)
            # Headings (the section's, the part's, a 「(1)」 line) stay with the first
            # paragraph after them; long texts still break across pages. keepWithNext alone
            # does not reach into a KeepTogether, so the group is made here.
            first_text = next(
                (i for i, f in enumerate(block) if not getattr(f.style, "keepWithNext", 0)),
                len(block) - 1,
            )
            story.append(KeepTogether(block[: first_text + 1]))
            story += block[first_text + 1 :]
            lead = []
    return story


def _footer(title: str):  # type: ignore[no-untyped-def]
    def draw(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(FONT_NAME, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"- {doc.page} -")
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, title)
        canvas.restoreState()

    return draw


def _document(buffer: io.BytesIO, title: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="つなぐ Tsunagu",
        subject="事例表",
        creator="つなぐ Tsunagu",
        lang="ja-JP",
    )


def render_case_sheet_pdf(sheet: CaseSheet) -> bytes:
    """The case sheet as PDF bytes (A4 portrait, Japanese font embedded)."""
    styles = _styles()
    buffer = io.BytesIO()
    document = _document(buffer, sheet.title)
    footer = _footer(sheet.title)
    document.build(
        _sheet_story(sheet, styles),
        onFirstPage=footer,
        onLaterPages=footer,
        # Start every page in the embedded font, so no unembedded base-14 font is referenced.
        canvasmaker=partial(Canvas, initialFontName=FONT_NAME, initialFontSize=BODY_SIZE),
    )
    return buffer.getvalue()
