"""Import answer sheets of a needs survey from Excel (.xlsx) or CSV.

The columns are those of the blank template (:data:`COLUMNS`, written by
:mod:`tsunagu.mobility.surveys.exporting`): a header row in Japanese, then one answer sheet per
row (or, with the 人数 column, several identical answers). CSV may be UTF-8 with or without
BOM, or Shift_JIS (CP932); reading reuses :func:`tsunagu.directory.imports.reading.read_table`.

All or nothing: every row is checked first, and if any cell is wrong nothing is written; each
error names the file, row, column and header. Columns that identify people (氏名, 住所 …) are
never imported.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from tsunagu.core.errors import PermissionDenied
from tsunagu.directory.imports.columns import ImportFileError, RowError, column_letter
from tsunagu.directory.imports.reading import read_table
from tsunagu.mobility.models import NeedsSurvey, TripFrequency, WalkDistance, WouldUse
from tsunagu.mobility.surveys import services as survey_services
from tsunagu.mobility.surveys.commands import ResponseFields
from tsunagu.mobility.surveys.selectors import can_edit_survey

MAX_ERRORS = 200


@dataclass(frozen=True)
class SurveyColumn:
    key: str
    header: str  # written by the template, recognised first
    type: str  # text | bool | bool_null | choice | int | district
    aliases: tuple[str, ...] = ()
    choices: Any = None
    max_length: int | None = None
    help: str = ""


COLUMNS: tuple[SurveyColumn, ...] = (
    SurveyColumn(
        "respondent_ref",
        "回答票番号",
        "text",
        ("番号", "no", "回答番号", "票番号"),
        max_length=40,
        help="回答票に書いた番号。氏名は書きません。",
    ),
    SurveyColumn("district", "地区", "district", ("地域", "地区名", "お住まいの地区")),
    SurveyColumn(
        "age_band", "年代", "text", ("年齢", "年齢層"), max_length=16, help="例: 75〜79歳"
    ),
    SurveyColumn("lives_alone", "ひとり暮らし", "bool_null", ("一人暮らし", "独居")),
    SurveyColumn(
        "would_use",
        "ボランティア送迎を利用したいか",
        "choice",
        (
            "利用意向",
            "ボランティア送迎の利用",
            "ボランティアによる送迎を利用したいか",
            "利用したいか",
        ),
        WouldUse,
    ),
    SurveyColumn("dest_hospital", "行き先：通院", "bool", ("通院", "病院")),
    SurveyColumn("dest_shopping", "行き先：買い物", "bool", ("買い物", "買物")),
    SurveyColumn("dest_bank", "行き先：金融機関", "bool", ("金融機関", "銀行", "郵便局")),
    SurveyColumn("dest_city_office", "行き先：役所", "bool", ("役所", "市役所", "役場")),
    SurveyColumn("dest_gathering_place", "行き先：通いの場", "bool", ("通いの場", "サロン")),
    SurveyColumn(
        "dest_other", "行き先：その他", "text", ("その他の行き先", "その他"), max_length=100
    ),
    SurveyColumn("frequency", "利用したい頻度", "choice", ("頻度", "利用頻度"), TripFrequency),
    SurveyColumn("uses_cane", "つえを使う", "bool", ("つえ", "杖")),
    SurveyColumn("uses_walker", "歩行器・シルバーカーを使う", "bool", ("歩行器", "シルバーカー")),
    SurveyColumn("uses_wheelchair", "車いすを使う", "bool", ("車いす", "車椅子")),
    SurveyColumn(
        "walk_to_stop",
        "バス停まで歩ける距離",
        "choice",
        ("歩ける距離", "バス停までの距離"),
        WalkDistance,
    ),
    SurveyColumn(
        "can_book_by_phone", "電話で予約できる", "bool_null", ("電話予約", "電話での予約")
    ),
    SurveyColumn("troubles", "困っていること", "text", ("自由記述", "困りごと", "ご意見")),
    SurveyColumn(
        "weight",
        "人数",
        "int",
        ("回答者数", "件数"),
        help="同じ回答をした人数（集計しかない場合）。空欄は1人。",
    ),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}

# Columns that identify a person: never imported, and the user is told so.
PERSONAL_HEADERS = ("氏名", "名前", "お名前", "住所", "電話番号", "生年月日", "メールアドレス")

TRUE_WORDS = {
    "はい",
    "○",
    "◯",
    "〇",
    "1",
    "true",
    "yes",
    "y",
    "✓",
    "✔",
    "レ",
    "有",
    "あり",
    "する",
    "できる",
    "使う",
}
FALSE_WORDS = {
    "いいえ",
    "×",
    "✕",
    "0",
    "false",
    "no",
    "n",
    "無",
    "なし",
    "しない",
    "できない",
    "使わない",
    "-",
    "ー",
}

_NOISE = re.compile(r"[\s()（）\[\]【】「」『』<>＜＞*＊※:：・.．_\-/／、。]")

# Extra spellings of choices as people write them on paper.
CHOICE_ALIASES: dict[Any, dict[str, str]] = {
    WouldUse: {
        "すぐに": "now",
        "すぐ": "now",
        "すぐにでも利用したい": "now",
        "利用したい": "now",
        "将来": "later",
        "いずれ利用したい": "later",
        "今後利用したい": "later",
        "利用しない": "no",
        "いいえ": "no",
        "わからない": "unknown",
        "無回答": "unknown",
    },
    TripFrequency: {
        "週3回以上": "weekly_3_plus",
        "週1回": "weekly_1_2",
        "週2回": "weekly_1_2",
        "週1〜2回": "weekly_1_2",
        "週12回": "weekly_1_2",
        "月23回": "monthly_2_3",
        "月2回": "monthly_2_3",
        "月3回": "monthly_2_3",
        "月1回": "monthly_1",
        "月1回以下": "monthly_1",
        "月1回未満": "monthly_1",
    },
    WalkDistance: {
        "100m": "100",
        "300m": "300",
        "500m": "500",
        "1km": "1000",
        "1000m": "1000",
        "1km以上": "over_1000",
        "1km以上歩ける": "over_1000",
        "歩けない": "cannot",
    },
}


# Wave dash (〜, what Japanese fonts show) and full-width tilde (～, what CP932 decodes to).
_WAVES = str.maketrans({"\u301c": "~", "\uff5e": "~", "\u2053": "~"})


def key_of(text: Any) -> str:
    """How headers and choices are compared: NFKC, lower case, no spaces or punctuation,
    every kind of wave dash alike."""
    normal = unicodedata.normalize("NFKC", str(text or "").translate(_WAVES))
    return _NOISE.sub("", normal.casefold())


def _choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[key_of(value)] = value
        lookup[key_of(label)] = value
        lookup[key_of(str(label).replace("くらいまで", ""))] = value
    for text, value in CHOICE_ALIASES.get(choices, {}).items():
        lookup.setdefault(key_of(text), value)
    return lookup


def _choice_hint(choices: type[models.TextChoices]) -> str:
    return "、".join(f"「{label}」" for _v, label in choices.choices)


@dataclass
class SurveyImportResult:
    file_name: str
    encoding: str = ""
    total_rows: int = 0
    created: int = 0
    respondents: int = 0
    replaced: bool = False
    committed: bool = False
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.committed and not self.errors


class CellError(Exception):
    pass


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    return str(value).strip()


def _parse_cell(column: SurveyColumn, raw: Any, districts: dict[str, Any]) -> Any:
    text = _text(raw)
    if column.type == "text":
        text = unicodedata.normalize("NFKC", text) if column.key != "troubles" else text
        if column.max_length and len(text) > column.max_length:
            raise CellError(
                f"{column.max_length}文字以内にしてください（{len(text)}文字あります）。"
            )
        return text
    if column.type in {"bool", "bool_null"}:
        if not text:
            return None if column.type == "bool_null" else False
        key = key_of(text)
        if key in TRUE_WORDS or text in TRUE_WORDS:
            return True
        if key in FALSE_WORDS or text in FALSE_WORDS:
            return False
        raise CellError(
            f"「{text}」は読めません。「はい」「いいえ」（または ○ と空欄）で書いてください。"
        )
    if column.type == "choice":
        default = column.choices.UNKNOWN.value
        if not text:
            return default
        value = _choice_lookup(column.choices).get(key_of(text))
        if value is None:
            raise CellError(
                f"「{text}」は選択肢にありません。選べるもの: {_choice_hint(column.choices)}"
            )
        return value
    if column.type == "int":
        if not text:
            return 1
        normal = unicodedata.normalize("NFKC", text).replace(",", "").removesuffix("人")
        if not normal.isdigit() or int(normal) < 1:
            raise CellError(f"「{text}」は人数として読めません。1以上の整数で書いてください。")
        return int(normal)
    if column.type == "district":
        if not text:
            return None
        district = districts.get(key_of(text))
        if district is None:
            known = "、".join(d.name for d in {id(d): d for d in districts.values()}.values())
            raise CellError(
                f"地区「{text}」はこの市町村に登録されていません。"
                + (f"登録されている地区: {known}" if known else "先に地区を登録してください。")
            )
        return district
    raise AssertionError(column.type)


def match_headers(headers: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
    """Map our columns to the file's column indexes; return (mapping, errors, warnings)."""
    lookup: dict[str, SurveyColumn] = {}
    for column in COLUMNS:
        for name in (column.header, *column.aliases):
            lookup.setdefault(key_of(name), column)
    mapping: dict[str, int] = {}
    errors: list[str] = []
    warnings: list[str] = []
    personal = {key_of(h) for h in PERSONAL_HEADERS}
    for index, header in enumerate(headers):
        if not str(header or "").strip():
            continue
        key = key_of(header)
        letter = column_letter(index)
        if key in personal:
            warnings.append(
                f"{letter}列（{header}）は個人を特定する情報なので取り込みませんでした。"
            )
            continue
        column = lookup.get(key)
        if column is None:
            warnings.append(f"{letter}列（{header}）は様式にない見出しなので取り込みませんでした。")
            continue
        if column.key in mapping:
            first = column_letter(mapping[column.key])
            errors.append(
                f"{letter}列（{header}）: 「{column.header}」の列が{first}列にもあります。"
                "どちらか一方にしてください。"
            )
            continue
        mapping[column.key] = index
    if not mapping and not errors:
        errors.append(
            "様式の見出しが一つも見つかりません。1行目に「回答票番号」「地区」"
            "「ボランティア送迎を利用したいか」などの見出しを書いてください（様式をダウンロードできます）。"
        )
    return mapping, errors, warnings


def import_responses(
    *,
    survey: NeedsSurvey,
    actor: Any,
    data: bytes,
    file_name: str,
    replace: bool = False,
) -> SurveyImportResult:
    """Check every row of the file, then write all answer sheets at once, or nothing."""
    if not can_edit_survey(actor, survey):
        raise PermissionDenied()
    result = SurveyImportResult(file_name=file_name, replaced=replace)
    try:
        table = read_table(data, file_name)
    except ImportFileError as exc:
        result.errors.append(f"{file_name}: {exc.message}")
        return result
    result.encoding = table.encoding
    result.total_rows = len(table.rows)
    mapping, header_errors, warnings = match_headers(table.headers)
    result.warnings = warnings
    if header_errors:
        result.errors = [f"{file_name} {table.header_row}行目: {e}" for e in header_errors]
        return result
    if not table.rows:
        result.errors.append(f"{file_name}: 見出しの下に回答の行がありません。")
        return result
    districts: dict[str, Any] = {}
    for district in survey.municipality.districts.all():
        districts[key_of(district.name)] = district
        districts.setdefault(key_of(district.name.removesuffix("地域")), district)
        districts.setdefault(key_of(district.name.removesuffix("地区")), district)
    rows: list[dict[str, Any]] = []
    errors: list[RowError] = []
    for number, cells in table.rows:
        row: dict[str, Any] = {}
        for key, index in mapping.items():
            column = COLUMN_BY_KEY[key]
            raw = cells[index] if index < len(cells) else None
            try:
                row[key] = _parse_cell(column, raw, districts)
            except CellError as exc:
                errors.append(
                    RowError(
                        file_name, number, column_letter(index), table.headers[index], str(exc)
                    )
                )
        rows.append(row)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        result.errors = [str(e) for e in errors[:MAX_ERRORS]]
        if len(errors) >= MAX_ERRORS:
            result.errors.append(f"誤りが多いため、{MAX_ERRORS}件で確認を止めました。")
        return result
    result.created = survey_services.responses_add_many(
        survey=survey,
        actor=actor,
        rows=[ResponseFields(**row) for row in rows],
        replace=replace,
        note=file_name,
    )
    result.respondents = sum(int(r.get("weight") or 1) for r in rows)
    result.committed = True
    return result
