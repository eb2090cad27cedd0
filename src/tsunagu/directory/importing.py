"""Import organisations, people and resources from Excel (.xlsx) and CSV files.

Flow: :func:`read_table` (xlsx, or CSV in UTF-8 with/without BOM or Shift_JIS/CP932) →
:func:`auto_mapping` (the user's saved mapping, then header names) → :func:`validate`
(every row; errors name the file, row, column and header in Japanese) → :func:`commit`
(all or nothing, one transaction) → :class:`ImportReport`.

Writes go through :mod:`tsunagu.directory.services` (organisation_create/update,
person_create/update, person_role_add, location_create, resource_update). New resources
are written in batches by ``services.resource_create_many``, which does what
``services.resource_create`` does (permission, validation, history rows incl. relations)
for many rows at once: one insert per table per batch instead of ~30 queries per row, which
is what makes 50,000 rows fit in a minute. The new resources are then added to the search
index in bulk, in the same transaction: the import and its index are all or nothing.

The web views run validation and commit in a background thread for large files and show
progress from the cache; tests and the CLI (:func:`import_file`) call the same code
synchronously.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import io
import logging
import re
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import connections, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.permissions import scope_for
from tsunagu.areas.models import DailyLifeArea, District, Municipality
from tsunagu.core import spreadsheet, wareki
from tsunagu.core.encoding import decode_spreadsheet_text
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.validators import control_character_in, control_character_message
from tsunagu.directory import services
from tsunagu.directory.models import (
    Category,
    ContactWay,
    Eligibility,
    FundingBasis,
    ImportMapping,
    Location,
    Organisation,
    OrganisationStatus,
    OrganisationType,
    Person,
    Resource,
    ResourceStatus,
    SogoServiceType,
    Visibility,
    phone_validator,
)
from tsunagu.directory.permissions import can_create_in, can_edit_record

logger = logging.getLogger("tsunagu.directory.importing")

KIND_ORGANISATION = "organisation"
KIND_PERSON = "person"
KIND_RESOURCE = "resource"
KINDS = (KIND_ORGANISATION, KIND_PERSON, KIND_RESOURCE)

ON_DUPLICATE_SKIP = "skip"
ON_DUPLICATE_UPDATE = "update"
ON_DUPLICATE_KEEP_BOTH = "keep_both"
ON_DUPLICATE_CHOICES = (ON_DUPLICATE_SKIP, ON_DUPLICATE_UPDATE, ON_DUPLICATE_KEEP_BOTH)

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000  # a small .xlsx can expand to millions of rows (a "zip bomb")
BATCH_SIZE = 1000  # rows per bulk insert of new resources
PROGRESS_EVERY = 500  # rows between progress reports

Progress = Callable[[str, int, int], None]

# Phases reported to the progress callback (also shown on the progress page).
PHASE_READ = "read"
PHASE_VALIDATE = "validate"
PHASE_COMMIT = "commit"
PHASE_INDEX = "index"
PHASE_LABELS = {
    PHASE_READ: _("ファイルを読み込んでいます"),
    PHASE_VALIDATE: _("各行を確認しています"),
    PHASE_COMMIT: _("登録しています"),
    PHASE_INDEX: _("検索用の索引を更新しています"),
}


# --- columns -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One field of ours that a column of the file can fill."""

    key: str
    header: str  # the Japanese header the export writes and the importer recognises first
    type: str  # text | choice | date | int | decimal | bool | phone | email | url | ref | refs | slots | sessions
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: Any = None  # a TextChoices class for type "choice"
    help: Any = ""  # shown on the mapping page (lazy translation)


_KANA = (
    "よみがな",
    "ふりがな",
    "フリガナ",
    "ヨミガナ",
    "読み仮名",
    "読み",
    "カナ",
    "kana",
    "reading",
)
_VERIFIED = ("最終確認", "確認日", "last verified", "last_verified_on")
_SOURCE = ("出典", "情報源", "source")
_VISIBILITY = ("公開", "公開区分", "visibility")

ORGANISATION_COLUMNS: tuple[Column, ...] = (
    Column("name", "名称", "text", True, ("団体名", "組織名", "団体名称", "名前", "name")),
    Column("name_kana", "よみがな", "text", aliases=_KANA),
    Column(
        "org_type",
        "種別",
        "choice",
        True,
        ("団体種別", "組織種別", "種類", "type", "organisation type", "organization type"),
        OrganisationType,
    ),
    Column("parent", "上位の組織", "ref", aliases=("上位組織", "親組織", "親団体", "parent")),
    Column("description", "活動内容", "text", aliases=("内容", "説明", "概要", "description")),
    Column(
        "serves_whole_municipality",
        "市町村全域で活動",
        "bool",
        aliases=("市町村全域", "全域", "whole municipality"),
    ),
    Column(
        "daily_life_areas",
        "活動する日常生活圏域",
        "refs",
        aliases=("日常生活圏域", "圏域", "daily life areas"),
    ),
    Column("districts", "活動する地区", "refs", aliases=("地区", "活動地区", "校区", "districts")),
    Column("postal_code", "郵便番号", "text", aliases=("〒", "postal code", "zip")),
    Column("address", "住所", "text", aliases=("所在地", "address")),
    Column("latitude", "緯度", "decimal", aliases=("lat", "latitude")),
    Column("longitude", "経度", "decimal", aliases=("lon", "lng", "longitude")),
    Column("phone", "電話番号", "phone", aliases=("電話", "tel", "phone", "連絡先電話番号")),
    Column("email", "メールアドレス", "email", aliases=("メール", "e-mail", "email", "mail")),
    Column(
        "website", "ウェブサイト", "url", aliases=("ホームページ", "hp", "url", "web", "website")
    ),
    Column("strengths", "強み", "text", aliases=("strengths",)),
    Column("strength_tags", "強みのタグ", "refs", aliases=("strength tags",)),
    Column("problems", "抱えている課題", "text", aliases=("課題", "problems")),
    Column("problem_tags", "課題のタグ", "refs", aliases=("problem tags",)),
    Column("status", "状態", "choice", aliases=("活動状況", "status"), choices=OrganisationStatus),
    Column("founded_on", "設立日", "date", aliases=("設立", "設立年月日", "founded")),
    Column("visibility", "公開範囲", "choice", aliases=_VISIBILITY, choices=Visibility),
    Column("last_verified_on", "最終確認日", "date", aliases=_VERIFIED),
    Column("source", "出典・情報源", "text", aliases=_SOURCE),
)

PERSON_COLUMNS: tuple[Column, ...] = (
    Column("name", "氏名", "text", True, ("名前", "お名前", "担当者", "担当者名", "name")),
    Column("name_kana", "よみがな", "text", aliases=_KANA),
    Column(
        "organisation",
        "所属団体",
        "refs",
        aliases=("所属", "団体", "団体名", "所属先", "organisation", "organization"),
        help=_("複数の所属は改行または「、」で区切ります。"),
    ),
    Column(
        "title",
        "役割・役職",
        "refs",
        aliases=("役職", "役割", "title", "role"),
        help=_("所属団体と同じ順に、改行または「、」で区切ります。"),
    ),
    Column("phone", "電話番号", "phone", aliases=("電話", "tel", "phone", "携帯電話")),
    Column("email", "メールアドレス", "email", aliases=("メール", "e-mail", "email", "mail")),
    Column(
        "preferred_contact",
        "希望する連絡方法",
        "choice",
        aliases=("連絡方法", "preferred contact"),
        choices=ContactWay,
    ),
    Column("note", "備考", "text", aliases=("メモ", "note")),
    Column("last_verified_on", "最終確認日", "date", aliases=_VERIFIED),
)

RESOURCE_COLUMNS: tuple[Column, ...] = (
    Column(
        "name",
        "名称",
        "text",
        True,
        ("資源名", "サービス名", "活動名", "事業名", "名前", "name", "service"),
    ),
    Column("name_kana", "よみがな", "text", aliases=_KANA),
    Column(
        "provider",
        "提供する団体",
        "ref",
        True,
        ("提供団体", "実施主体", "運営団体", "運営主体", "団体名", "提供者", "provider"),
    ),
    Column("category", "分類", "ref", True, ("カテゴリ", "カテゴリー", "分野", "category")),
    Column("description", "内容", "text", aliases=("活動内容", "説明", "概要", "description")),
    Column("eligibility", "利用できる人", "refs", aliases=("対象者", "利用対象", "eligibility")),
    Column("eligibility_note", "利用条件の補足", "text", aliases=("利用条件", "eligibility note")),
    Column("cost_yen", "利用料（円）", "int", aliases=("利用料", "料金", "費用（円）", "cost")),
    Column("cost_note", "費用の説明", "text", aliases=("費用", "cost note")),
    Column("schedule_note", "日程の説明", "text", aliases=("日程", "日時", "開催日時", "schedule")),
    Column(
        "weekly_slots",
        "曜日ごとの日程",
        "slots",
        aliases=("曜日", "開催曜日", "weekly slots"),
        help=_("例: 毎週水曜 10:00〜12:00、第2金曜"),
    ),
    Column(
        "sessions",
        "開催日",
        "sessions",
        aliases=("開催日一覧", "sessions", "dates"),
        help=_("例: 令和7年5月14日 10:00〜12:00（複数は改行で区切ります）"),
    ),
    Column(
        "serves_whole_municipality",
        "市町村全域が対象",
        "bool",
        aliases=("市町村全域", "全域", "whole municipality"),
    ),
    Column(
        "daily_life_areas",
        "対象の日常生活圏域",
        "refs",
        aliases=("日常生活圏域", "圏域", "daily life areas"),
    ),
    Column("districts", "対象の地区", "refs", aliases=("地区", "対象地区", "校区", "districts")),
    Column("locations", "実施場所", "refs", aliases=("場所", "会場", "開催場所", "locations")),
    Column(
        "how_to_apply", "申込方法", "text", aliases=("申し込み方法", "申込み方法", "how to apply")
    ),
    Column("capacity", "定員", "int", aliases=("capacity",)),
    Column("status", "状態", "choice", aliases=("実施状況", "status"), choices=ResourceStatus),
    Column(
        "funding_basis", "財源・根拠", "choice", aliases=("財源", "funding"), choices=FundingBasis
    ),
    Column(
        "sogo_service_type",
        "総合事業の類型",
        "choice",
        aliases=("総合事業", "サービス類型", "類型"),
        choices=SogoServiceType,
    ),
    Column("subsidy_name", "補助金の名称", "text", aliases=("補助金", "補助金名", "subsidy")),
    Column("visibility", "公開範囲", "choice", aliases=_VISIBILITY, choices=Visibility),
    Column(
        "contact_phone",
        "問い合わせ電話番号",
        "phone",
        aliases=("問い合わせ先", "問合せ電話番号", "電話番号", "電話", "tel", "phone"),
    ),
    Column(
        "website",
        "ウェブサイト・動画",
        "url",
        aliases=("ウェブサイト", "ホームページ", "動画", "url", "website"),
    ),
    Column("started_on", "開始日", "date", aliases=("開始", "開始年月日", "started")),
    Column("last_verified_on", "最終確認日", "date", aliases=_VERIFIED),
    Column("source", "出典・情報源", "text", aliases=_SOURCE),
)


@dataclass(frozen=True)
class KindSpec:
    kind: str
    label: str
    model: type[models.Model]
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


SPECS: dict[str, KindSpec] = {
    KIND_ORGANISATION: KindSpec(
        KIND_ORGANISATION, "団体・組織", Organisation, ORGANISATION_COLUMNS
    ),
    KIND_PERSON: KindSpec(KIND_PERSON, "人（連絡先）", Person, PERSON_COLUMNS),
    KIND_RESOURCE: KindSpec(KIND_RESOURCE, "地域資源", Resource, RESOURCE_COLUMNS),
}


def spec_for(kind: str) -> KindSpec:
    try:
        return SPECS[kind]
    except KeyError:
        raise TsunaguError(f"取り込みの種類「{kind}」はありません。", field="kind") from None


# --- text normalisation ------------------------------------------------------------------

_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff0d", "-")
)
_HEADER_NOISE = re.compile(r"[\s()（）\[\]【】「」『』<>＜＞*＊※:：・.．_\-/／]|必須|任意")
_SPLIT = re.compile(r"[\r\n、，,;；]+")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def normalise_name(text: str) -> str:
    """Names compared for duplicates and lookups: NFKC, case-folded, without any spaces."""
    return re.sub(r"\s+", "", nfkc(text or "")).casefold()


def normalise_address(text: str) -> str:
    return normalise_name(text).translate(_DASHES).lstrip("〒")


def phone_digits(text: str) -> str:
    return re.sub(r"\D", "", nfkc(text or ""))


def _header_key(text: str) -> str:
    return _HEADER_NOISE.sub("", nfkc(str(text or "")).casefold())


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as Excel names columns)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def split_list(value: str, *, lines_only: bool = False) -> list[str]:
    parts = re.split(r"[\r\n]+", value) if lines_only else _SPLIT.split(value)
    return [p.strip() for p in parts if p and p.strip()]


# --- errors and results -------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """What is wrong, and where: 「{file} {row}行目 {column}列（{header}）: {message}」."""

    file: str
    row: int | None
    column: str | None
    header: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" {self.row}行目"
        if self.column:
            where += f" {self.column}列"
            if self.header:
                where += f"（{self.header}）"
        return f"{where}: {self.message}"


def _error_order(error: RowError) -> tuple[int, int, str]:
    """By row, then column as Excel orders them (Z before AA)."""
    column = error.column or ""
    return (error.row or 0, len(column), column)


class CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ImportFileError(TsunaguError):
    """The file as a whole cannot be read."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file", code="import_file")


@dataclass
class ImportReport:
    kind: str
    file_name: str
    municipality: str
    encoding: str = ""
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    locations_created: int = 0
    committed: bool = False
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.committed and not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "kind_label": SPECS[self.kind].label,
            "file_name": self.file_name,
            "municipality": self.municipality,
            "encoding": self.encoding,
            "total_rows": self.total_rows,
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "locations_created": self.locations_created,
            "committed": self.committed,
            "seconds": round(self.seconds, 1),
            "errors": list(self.errors),
            "warnings": list(self.warnings),
        }


# --- reading files ------------------------------------------------------------------------


@dataclass
class Table:
    """The cells of one sheet: a header row and the data rows under it."""

    file_name: str
    file_format: str  # "xlsx" | "csv"
    headers: list[str]
    header_row: int
    rows: list[tuple[int, tuple[Any, ...]]]  # (row number as Excel shows it, cells)
    encoding: str = ""  # CSV: the encoding used (UTF-8, UTF-8（BOM付き）, Shift_JIS（CP932）)

    def column_label(self, index: int) -> str:
        header = self.headers[index] if index < len(self.headers) else ""
        return f"{column_letter(index)}列: {header}" if header else f"{column_letter(index)}列"


def decode_csv_bytes(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes (see :func:`tsunagu.core.encoding.decode_spreadsheet_text`)."""
    try:
        return decode_spreadsheet_text(data)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"文字コードを判別できません（{exc.start + 1}バイト目）。"
            "UTF-8 または Shift_JIS（Excel の「CSV（コンマ区切り）」）で保存し直してください。"
        ) from None


def _file_format(file_name: str, data: bytes) -> str:
    suffix = Path(file_name).suffix.lower()
    if data[:4] == b"PK\x03\x04" or suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or suffix == ".xls":
        raise ImportFileError(
            "Excel 97-2003 形式（.xls）は読み込めません。Excel で「Excel ブック（.xlsx）」"
            "または「CSV」形式で保存し直してください。"
        )
    return "csv"


def _clean_headers(raw: Iterable[Any]) -> list[str]:
    headers = [_cell_text(v).replace("\n", " ").strip() for v in raw]
    while headers and not headers[-1]:
        headers.pop()
    seen: dict[str, int] = {}
    unique = []
    for header in headers:
        if header and header in seen:
            seen[header] += 1
            header = f"{header}（{seen[header]}）"
        else:
            seen[header] = 1
        unique.append(header)
    return unique


def read_table(
    source: bytes | str | Path, file_name: str | None = None, *, limit: int | None = None
) -> Table:
    """Read the first sheet (xlsx: the active one) of an .xlsx or CSV file.

    The header row is the first row with any value; entirely empty rows are skipped. Row
    numbers are those Excel shows (a CSV record is one row even with line breaks inside).
    ``limit`` stops after that many data rows (0: the header only, for the mapping page).
    """
    if isinstance(source, str | Path):
        path = Path(source)
        file_name = file_name or path.name
        data = path.read_bytes()
    else:
        data = source
    file_name = file_name or "file"
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            f"ファイルが大きすぎます（{len(data) // 1024 // 1024} MB）。"
            f"{MAX_FILE_BYTES // 1024 // 1024} MB 以下に分けてください。"
        )
    if not data.strip():
        raise ImportFileError("ファイルが空です。")
    fmt = _file_format(file_name, data)
    if fmt == "xlsx":
        return _read_xlsx(data, file_name, limit=limit)
    return _read_csv(data, file_name, limit=limit)


def _read_xlsx(data: bytes, file_name: str, *, limit: int | None) -> Table:
    # Bounded read: a tiny file declaring a huge sheet is refused, not padded out for minutes.
    headers: list[str] | None = None
    header_row = 0
    rows: list[tuple[int, tuple[Any, ...]]] = []
    reader = spreadsheet.read_xlsx_rows(data, file_name, max_rows=MAX_ROWS + 1)  # + header
    try:
        for number, cells in reader:
            if not any(_present(v) for v in cells):
                continue
            if headers is None:
                headers, header_row = _clean_headers(cells), number
                if limit == 0:
                    break
                continue
            rows.append((number, cells))
            if limit is not None and len(rows) >= limit:
                break
            if len(rows) > MAX_ROWS:
                raise ImportFileError(
                    f"行が多すぎます（{MAX_ROWS:,}行まで）。ファイルを分けて取り込んでください。"
                )
    except spreadsheet.SpreadsheetError as exc:
        raise ImportFileError(exc.message) from None
    finally:
        reader.close()  # closes the workbook when we stop early
    if not headers:
        raise ImportFileError("見出しの行が見つかりません（シートが空です）。")
    return Table(file_name, "xlsx", headers, header_row, rows)


def _read_csv(data: bytes, file_name: str, *, limit: int | None) -> Table:
    text, encoding = decode_csv_bytes(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: list[str] | None = None
    header_row = 0
    rows: list[tuple[int, tuple[Any, ...]]] = []
    try:
        for number, cells in enumerate(reader, start=1):
            if not any(_present(v) for v in cells):
                continue
            if headers is None:
                headers, header_row = _clean_headers(cells), number
                if limit == 0:
                    break
                continue
            # Our own export neutralises formula-like cells: read them back as written.
            rows.append((number, tuple(spreadsheet.unneutralise(c) for c in cells)))
            if limit is not None and len(rows) >= limit:
                break
            if len(rows) > MAX_ROWS:
                raise ImportFileError(
                    f"行が多すぎます（{MAX_ROWS:,}行まで）。ファイルを分けて取り込んでください。"
                )
    except csv.Error as exc:
        raise ImportFileError(f"CSV として読み込めません（{exc}）。") from None
    if not headers:
        raise ImportFileError("見出しの行が見つかりません（ファイルが空です）。")
    return Table(file_name, "csv", headers, header_row, rows, encoding)


def _present(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- column mapping -----------------------------------------------------------------------


def mapping_get(*, user: Any, kind: str) -> dict[str, str]:
    """The mapping (our field → the file's header) the user saved for this kind, if any."""
    if user is None or not getattr(user, "pk", None):
        return {}
    saved = ImportMapping.objects.filter(user=user, kind=kind).first()
    return dict(saved.mapping) if saved else {}


def mapping_save(*, user: Any, kind: str, mapping: dict[str, str]) -> ImportMapping:
    """Remember the user's mapping for the next import of this kind (one per user and kind).

    A user preference rather than a directory record, so no history row is written.
    """
    spec_for(kind)
    known = {c.key for c in SPECS[kind].columns}
    clean = {k: str(v) for k, v in mapping.items() if k in known and v}
    saved, _ = ImportMapping.objects.update_or_create(
        user=user, kind=kind, defaults={"mapping": clean}
    )
    return saved


def auto_mapping(
    kind: str, headers: list[str], saved: dict[str, str] | None = None
) -> dict[str, int]:
    """Pre-fill the mapping: our field → column index.

    The user's saved mapping wins where its header is in this file; then exact header
    names (ours, our field keys), then aliases (Japanese and English). No column is used twice.
    """
    spec = spec_for(kind)
    keys = {_header_key(h): i for i, h in reversed(list(enumerate(headers))) if h}
    exact = {h: i for i, h in reversed(list(enumerate(headers))) if h}
    used: set[int] = set()
    result: dict[str, int] = {}

    def take(key: str, index: int | None) -> None:
        if index is not None and index not in used and key not in result:
            result[key] = index
            used.add(index)

    for key, header in (saved or {}).items():
        if any(c.key == key for c in spec.columns):
            take(key, exact.get(header))
    for column in spec.columns:
        take(column.key, keys.get(_header_key(column.header)))
    for column in spec.columns:
        take(column.key, keys.get(_header_key(column.key)))
    for column in spec.columns:
        for alias in column.aliases:
            take(column.key, keys.get(_header_key(alias)))
    return result


def mapping_by_header(kind: str, headers: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """Turn a mapping by header text (as saved, or given by a caller) into column indexes."""
    index = {h: i for i, h in reversed(list(enumerate(headers))) if h}
    known = {c.key for c in spec_for(kind).columns}
    return {k: index[h] for k, h in mapping.items() if k in known and h in index}


def mapping_headers(table: Table, mapping: dict[str, int]) -> dict[str, str]:
    return {k: table.headers[i] for k, i in mapping.items() if i < len(table.headers)}


# --- who may import where -----------------------------------------------------------------


def importable_municipalities(user: Any, kind: str | None = None) -> models.QuerySet[Municipality]:
    """Municipalities the user may import into: those they edit, and for resources the
    municipalities of the organisations they belong to (members import their own resources)."""
    scope = scope_for(user)
    if scope.is_system_admin:
        return Municipality.objects.select_related("prefecture").all()
    ids = set(scope.editable_municipality_ids)
    if kind in (None, KIND_RESOURCE) and scope.organisation_ids:
        ids |= set(
            Organisation.objects.filter(
                pk__in=scope.organisation_ids, municipality__isnull=False
            ).values_list("municipality_id", flat=True)
        )
    return Municipality.objects.select_related("prefecture").filter(pk__in=ids)


def _check_may_import(actor: Any, kind: str, municipality: Municipality) -> bool:
    """Raise unless the actor may import this kind into the municipality.

    Returns True when the actor imports only as an organisation member (own resources).
    """
    if can_create_in(actor, municipality=municipality):
        return False
    if (
        kind == KIND_RESOURCE
        and importable_municipalities(actor, kind).filter(pk=municipality.pk).exists()
    ):
        return True
    raise PermissionDenied(f"{municipality.name}に{SPECS[kind].label}を取り込む権限がありません。")


# --- value parsing ------------------------------------------------------------------------


def _choice_lookup(choices: Any) -> dict[str, str]:
    """Codes and labels (Japanese, the part before （, each part split on ・, English)."""
    lookup: dict[str, str] = {}

    def add(text: str, code: str) -> None:
        key = _choice_key(text)
        if key:
            lookup.setdefault(key, code)

    for language in ("ja", "en"):
        with translation.override(language):
            for code, label in choices.choices:
                label = str(label)
                add(label, code)
                base = re.split(r"[（(]", label)[0]
                add(base, code)
                if "・" in base:
                    for part in base.split("・"):
                        add(part, code)
    for code, _label in choices.choices:
        add(code, code)
    return lookup


def _choice_key(text: str) -> str:
    text = nfkc(text).replace("サービス・活動", "サービス")  # the 2024 names are aliases
    return re.sub(r"[\s_\-]", "", text).casefold()


_CHOICE_ALIASES: dict[Any, dict[str, str]] = {
    OrganisationType: {
        "社協": "social_welfare_council",
        "包括": "community_care_center",
        "地域包括": "community_care_center",
        "NPO": "npo",
        "特定非営利活動法人": "npo",
        "コミュニティ協議会": "community_council",
        "協議会": "community_council",
        "役場": "department",
        "市役所": "department",
        "行政": "department",
        "企業": "company",
        "会社": "company",
        "ボランティア": "volunteer_group",
        "病院": "medical_institution",
        "診療所": "medical_institution",
    },
    Visibility: {"公開": "public", "関係者": "partners", "内部": "internal", "非公開": "internal"},
}

_TRUE = {"はい", "○", "◯", "〇", "yes", "y", "true", "1", "有", "あり", "対象", "✓", "✔", "全域"}
_FALSE = {"いいえ", "×", "✕", "no", "n", "false", "0", "無", "なし", "-", "―", "対象外"}

_email_validator = EmailValidator()
_url_validator = URLValidator(schemes=["http", "https"])

_WEEKDAYS = "月火水木金土日"
_TIME = r"(\d{1,2})(?::(\d{2})|時(?:(\d{1,2})分?)?)"
_SLOT_RE = re.compile(
    rf"^(?:(毎週)|第([1-5])週?)?\s*([{_WEEKDAYS}])(?:曜日|曜)?"
    rf"(?:\s*{_TIME})?(?:\s*[〜~\-]\s*{_TIME})?$"
)
_CLOCK = r"[0-9０-９]{1,2}[:：][0-9０-９]{2}"
_SESSION_TIMES_RE = re.compile(rf"^({_CLOCK})(?:\s*[〜~～\-－]\s*({_CLOCK}))?(?:\s+|$)")


def _time(hour: str | None, minute: str | None, minute_kanji: str | None = None) -> Any:
    if hour is None:
        return None
    h, m = int(hour), int(minute or minute_kanji or 0)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise CellError(f"時刻「{hour}:{minute or minute_kanji or '00'}」が正しくありません。")
    return datetime.time(h, m)


def parse_weekly_slot(text: str) -> dict[str, Any]:
    """「毎週水曜 10:00〜12:00」「第2金曜」「水曜日 9時〜12時」 → WeeklySlot fields."""
    normalised = nfkc(text).strip().replace("から", "〜").replace("まで", "")
    match = _SLOT_RE.match(normalised)
    if match is None:
        raise CellError(
            f"曜日ごとの日程「{text}」が読み取れません（例: 毎週水曜 10:00〜12:00、第2金曜）。"
        )
    groups = match.groups()
    week = int(groups[1]) if groups[1] else None
    return {
        "weekday": _WEEKDAYS.index(groups[2]),
        "week_of_month": week,
        "opens_at": _time(groups[3], groups[4], groups[5]),
        "closes_at": _time(groups[6], groups[7], groups[8]),
    }


def format_weekly_slot(slot: Any) -> str:
    prefix = f"第{slot.week_of_month}" if slot.week_of_month else "毎週"
    text = f"{prefix}{_WEEKDAYS[slot.weekday]}曜"
    if slot.opens_at:
        text += f" {slot.opens_at:%H:%M}"
    if slot.closes_at:
        text += f"〜{slot.closes_at:%H:%M}" if slot.opens_at else f" 〜{slot.closes_at:%H:%M}"
    return text


def parse_session(text: str) -> dict[str, Any]:
    """「2025-05-14 10:00〜12:00 備考」「令和7年5月14日」 → DatedSession fields.

    The note is kept as written (no width folding), so it survives export → import.
    """
    parts = re.split(r"\s+", text.strip(), maxsplit=1)
    rest = parts[1] if len(parts) > 1 else ""
    try:
        day = wareki.parse_date(parts[0])
    except wareki.WarekiError as exc:
        raise CellError(f"開催日「{text}」の日付が正しくありません（{exc.message}）。") from None
    match = _SESSION_TIMES_RE.match(rest)

    def clock(value: str | None) -> Any:
        if not value:
            return None
        hour, minute = nfkc(value).split(":")
        return _time(hour, minute)

    note = (rest[match.end() :] if match else rest).strip()
    if len(note) > 200:
        raise CellError(f"開催日「{text[:20]}…」の備考は200文字以内で入力してください。")
    return {
        "date": day,
        "opens_at": clock(match[1]) if match else None,
        "closes_at": clock(match[2]) if match else None,
        "note": note,
    }


def format_session(session: Any) -> str:
    text = session.date.isoformat()
    if session.opens_at:
        text += f" {session.opens_at:%H:%M}"
        if session.closes_at:
            text += f"〜{session.closes_at:%H:%M}"
    if session.note:
        text += f" {session.note}"
    return text


def _slot_tuple(slot: Any) -> tuple[Any, ...]:
    get = slot.get if isinstance(slot, dict) else lambda k: getattr(slot, k)
    return (get("weekday"), get("week_of_month"), get("opens_at"), get("closes_at"))


def _session_tuple(session: Any) -> tuple[Any, ...]:
    get = session.get if isinstance(session, dict) else lambda k: getattr(session, k)
    return (get("date"), get("opens_at"), get("closes_at"), get("note") or "")


# --- lookups within the municipality ------------------------------------------------------


class _NameIndex:
    """Records by normalised name; ambiguous names are reported, not guessed."""

    def __init__(self, records: Iterable[Any], *names: Callable[[Any], str]) -> None:
        self.by_key: dict[str, list[Any]] = {}
        self.display: list[str] = []
        for record in records:
            self.display.append(str(record))
            for name_of in names:
                key = normalise_name(name_of(record))
                if key:
                    bucket = self.by_key.setdefault(key, [])
                    if record not in bucket:
                        bucket.append(record)

    def find(self, text: str) -> list[Any]:
        return self.by_key.get(normalise_name(text), [])

    def suggestion(self, text: str) -> str:
        close = difflib.get_close_matches(nfkc(text), self.display, n=1, cutoff=0.6)
        return f"もしかして「{close[0]}」ですか？" if close else ""


# --- the plan -----------------------------------------------------------------------------


@dataclass
class PlannedRow:
    row: int
    action: str  # create | update | skip
    label: str
    data: dict[str, Any]
    existing: Any = None  # the duplicate record (update / skip), or None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportPlan:
    """The outcome of validation: every row's action, or the errors that stop the import."""

    kind: str
    file_name: str
    file_format: str
    encoding: str
    municipality: Municipality
    on_duplicate: str
    total_rows: int
    mapping: dict[str, str]
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[tuple[int, str, str]] = field(default_factory=list)  # row, ours, existing
    new_locations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors if e.row is not None})

    def summary(self, *, sample: int = 20, max_errors: int = 1000) -> dict[str, Any]:
        """A JSON-able digest for the preview page (stored in the cache between requests)."""
        labels = {"create": "新規登録", "update": "更新", "skip": "スキップ"}
        return {
            "kind": self.kind,
            "kind_label": SPECS[self.kind].label,
            "file_name": self.file_name,
            "file_format": self.file_format,
            "encoding": self.encoding,
            "municipality": self.municipality.name,
            "on_duplicate": self.on_duplicate,
            "total_rows": self.total_rows,
            "create": self.count("create"),
            "update": self.count("update"),
            "skip": self.count("skip"),
            "error_count": len(self.errors),
            "error_rows": self.error_rows,
            "errors": [str(e) for e in self.errors[:max_errors]],
            "all_errors": [str(e) for e in self.errors],
            "duplicates": [
                {"row": row, "name": ours, "existing": existing}
                for row, ours, existing in self.duplicates[:200]
            ],
            "duplicate_count": len(self.duplicates),
            "new_locations": self.new_locations[:50],
            "sample": [
                {"row": r.row, "action": labels[r.action], "label": r.label}
                for r in self.rows[:sample]
            ],
            "mapping": self.mapping,
        }


class _Validator:
    """Validates every row of a table for one kind and builds the plan."""

    def __init__(
        self,
        spec: KindSpec,
        table: Table,
        mapping: dict[str, int],
        municipality: Municipality,
        actor: Any,
        on_duplicate: str,
        progress: Progress | None,
    ) -> None:
        self.spec = spec
        self.table = table
        self.mapping = {k: i for k, i in mapping.items() if i < max(len(table.headers), 1)}
        self.municipality = municipality
        self.actor = actor
        self.on_duplicate = on_duplicate
        self.progress = progress
        self.member_only = False
        self.scope = scope_for(actor)
        self.plan = ImportPlan(
            kind=spec.kind,
            file_name=table.file_name,
            file_format=table.file_format,
            encoding=table.encoding,
            municipality=municipality,
            on_duplicate=on_duplicate,
            total_rows=len(table.rows),
            mapping=mapping_headers(table, self.mapping),
        )
        self._choices: dict[Any, dict[str, str]] = {}
        self._orgs: _NameIndex | None = None
        self._categories: _NameIndex | None = None
        self._eligibility: _NameIndex | None = None
        self._districts: _NameIndex | None = None
        self._dla: _NameIndex | None = None
        self._locations: _NameIndex | None = None
        self._row_errors: list[RowError] = []

    # - error helpers -

    def error(self, row: int | None, key: str | None, message: str) -> None:
        if key is not None and key in self.mapping:
            index = self.mapping[key]
            header = self.table.headers[index] if index < len(self.table.headers) else ""
            self._row_errors.append(
                RowError(self.table.file_name, row, column_letter(index), header, message)
            )
        else:
            self._row_errors.append(RowError(self.table.file_name, row, None, None, message))

    # - lookups (built once per import) -

    def organisations(self) -> _NameIndex:
        if self._orgs is None:
            m = self.municipality
            records = Organisation.objects.filter(
                models.Q(municipality=m)
                | models.Q(municipality__isnull=True, prefecture_id=m.prefecture_id)
                | models.Q(municipality__isnull=True, prefecture__isnull=True)
            ).order_by("municipality", "pk")
            self._orgs = _NameIndex(records, lambda o: o.name)
        return self._orgs

    def categories(self) -> _NameIndex:
        if self._categories is None:
            self._categories = _NameIndex(
                Category.objects.all(), lambda c: c.name, lambda c: c.code, lambda c: c.name_en
            )
        return self._categories

    def eligibilities(self) -> _NameIndex:
        if self._eligibility is None:
            self._eligibility = _NameIndex(
                Eligibility.objects.all(), lambda e: e.name, lambda e: e.code, lambda e: e.name_en
            )
        return self._eligibility

    def districts(self) -> _NameIndex:
        if self._districts is None:
            self._districts = _NameIndex(
                District.objects.filter(municipality=self.municipality), lambda d: d.name
            )
        return self._districts

    def daily_life_areas(self) -> _NameIndex:
        if self._dla is None:
            self._dla = _NameIndex(
                DailyLifeArea.objects.filter(municipality=self.municipality), lambda d: d.name
            )
        return self._dla

    def locations(self) -> _NameIndex:
        if self._locations is None:
            self._locations = _NameIndex(
                Location.objects.filter(municipality=self.municipality).order_by("pk"),
                lambda loc: loc.name,
            )
        return self._locations

    def choice_lookup(self, choices: Any) -> dict[str, str]:
        if choices not in self._choices:
            lookup = _choice_lookup(choices)
            for alias, code in _CHOICE_ALIASES.get(choices, {}).items():
                lookup.setdefault(_choice_key(alias), code)
            self._choices[choices] = lookup
        return self._choices[choices]

    # - cell parsing -

    def parse(self, column: Column, raw: Any) -> Any:
        kind = column.type
        if kind == "date":
            if isinstance(raw, datetime.date):  # an Excel date cell: only the range to check
                day = raw.date() if isinstance(raw, datetime.datetime) else raw
                try:
                    return wareki.check_supported(day)
                except wareki.WarekiError as exc:
                    raise CellError(
                        f"日付「{day.isoformat()}」は扱えません（{exc.message}）。"
                    ) from None
            text = _cell_text(raw)
            if not text:
                return None
            try:
                return wareki.parse_date(text)
            except wareki.WarekiError as exc:
                raise CellError(f"日付「{text}」が正しくありません（{exc.message}）。") from None
        if kind == "phone":
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                raise CellError(
                    f"電話番号「{_cell_text(raw)}」が数値として保存されているため、先頭の0が"
                    "失われています。セルの書式を文字列にして入力し直してください。"
                )
            text = _cell_text(raw)
            if not text:
                return ""
            return self.parse_phone(text)
        text = _cell_text(raw)
        if kind == "text":
            return self.parse_text(column, text)
        if kind == "choice":
            if not text:
                return ""
            code = self.choice_lookup(column.choices).get(_choice_key(text))
            if code is None:
                with translation.override("ja"):
                    labels = "、".join(
                        re.split(r"[（(]", str(label))[0] for label in column.choices.labels
                    )
                raise CellError(
                    f"「{text}」は{column.header}として使えません（使えるもの: {labels}）。"
                )
            return code
        if kind == "int":
            return self.parse_int(column, raw, text)
        if kind == "decimal":
            if not text:
                return None
            try:
                return Decimal(nfkc(text)).quantize(Decimal("0.000001"))
            except InvalidOperation:
                raise CellError(f"「{text}」は数値として読み取れません。") from None
        if kind == "bool":
            if isinstance(raw, bool):
                return raw
            key = nfkc(text).casefold()
            if not key or key in _FALSE:
                return False
            if key in _TRUE:
                return True
            raise CellError(f"「{text}」は「はい」か「いいえ」で入力してください。")
        if kind == "email":
            if not text:
                return ""
            text = nfkc(text)
            try:
                _email_validator(text)
            except ValidationError:
                raise CellError(f"メールアドレス「{text}」が正しくありません。") from None
            return text
        if kind == "url":
            if not text:
                return ""
            url = nfkc(text)
            if not re.match(r"^[a-z][a-z0-9+.\-]*://", url, re.IGNORECASE) and "." in url:
                url = "https://" + url
            try:
                _url_validator(url)
            except ValidationError:
                raise CellError(
                    f"URL「{text}」が正しくありません（例: https://example.jp/）。"
                ) from None
            return url
        if kind == "ref":
            return text
        if kind == "refs":
            return split_list(text)
        if kind == "slots":
            return [parse_weekly_slot(part) for part in split_list(text)]
        if kind == "sessions":
            if isinstance(raw, datetime.date):
                day = raw.date() if isinstance(raw, datetime.datetime) else raw
                return [{"date": day, "opens_at": None, "closes_at": None, "note": ""}]
            return [parse_session(part) for part in split_list(text, lines_only=True)]
        raise AssertionError(kind)

    def parse_text(self, column: Column, text: str) -> str:
        character = control_character_in(text)
        if character is not None:
            raise CellError(control_character_message(character))
        model_field = self._model_field(column.key)
        limit = getattr(model_field, "max_length", None)
        if limit and len(text) > limit:
            raise CellError(f"{limit}文字以内で入力してください（{len(text)}文字あります）。")
        return text

    def parse_int(self, column: Column, raw: Any, text: str) -> int | None:
        if isinstance(raw, bool):
            raise CellError(f"「{text}」は数値として読み取れません。")
        if isinstance(raw, int):
            value = raw
        elif isinstance(raw, float) and raw.is_integer():
            value = int(raw)
        else:
            cleaned = re.sub(r"[,\s円人名]|まで|程度|約", "", nfkc(text))
            if not cleaned:
                return None
            if cleaned == "無料" and column.key == "cost_yen":
                return 0
            if not re.fullmatch(r"-?\d+", cleaned):
                raise CellError(
                    f"「{text}」は数値として読み取れません（0以上の整数で入力してください）。"
                )
            value = int(cleaned)
        if value < 0:
            raise CellError(f"「{text}」は0以上の整数で入力してください。")
        return value

    def parse_phone(self, text: str) -> str:
        try:
            phone_validator(text)
        except ValidationError:
            raise CellError(
                f"電話番号「{text}」が正しくありません。数字とハイフンで入力してください"
                "（例: 0947-32-2511）。"
            ) from None
        normalised = nfkc(text).strip()
        digits = phone_digits(text)
        if not normalised.startswith("+"):
            if not digits.startswith("0"):
                raise CellError(f"電話番号「{text}」は0から始まる番号で入力してください。")
            if not 10 <= len(digits) <= 11:
                raise CellError(
                    f"電話番号「{text}」の桁数が正しくありません（市外局番から10桁または11桁です）。"
                )
        return text

    def _model_field(self, key: str) -> Any:
        try:
            return self.spec.model._meta.get_field(key)
        except Exception:
            return None

    # - references -

    def one(self, row: int, key: str, text: str, index: _NameIndex, what: str, hint: str) -> Any:
        found = index.find(text)
        if len(found) == 1:
            return found[0]
        if found:
            self.error(row, key, f"{what}「{text}」に当たるものが{len(found)}件あります。{hint}")
            return None
        suggestion = index.suggestion(text)
        self.error(row, key, f"{what}「{text}」が見つかりません。{hint}{suggestion}")
        return None

    def organisation(self, row: int, key: str, text: str) -> Organisation | None:
        found = self.organisations().find(text)
        local = [o for o in found if o.municipality_id == self.municipality.pk]
        if len(found) > 1 and len(local) == 1:
            return local[0]  # the municipality's own before a prefecture-level namesake
        return self.one(
            row,
            key,
            text,
            self.organisations(),
            "団体",
            f"{self.municipality.name}の団体の名称を入力してください（先に団体を取り込むこともできます）。",
        )

    def category(self, row: int, text: str) -> Category | None:
        return self.one(
            row,
            "category",
            text,
            self.categories(),
            "分類",
            "分類の名称かコードで入力してください（例: 見守り・安否確認、shopping）。",
        )

    def eligibility(self, row: int, names: list[str]) -> list[Eligibility]:
        found = []
        for name in names:
            item = self.one(
                row,
                "eligibility",
                name,
                self.eligibilities(),
                "利用できる人",
                "例: 誰でも、65歳以上、要支援、事業対象者、要介護、一人暮らしの方。",
            )
            if item is not None and item not in found:
                found.append(item)
        return found

    def areas(self, row: int, key: str, names: list[str], data: dict[str, Any]) -> None:
        """District / daily-life area names of the importing municipality.

        A name given in the other area column is accepted for the kind it names.
        """
        for name in names:
            district = self.districts().find(name)
            area = self.daily_life_areas().find(name)
            primary, secondary = (district, area) if key == "districts" else (area, district)
            target = key if primary else ("daily_life_areas" if key == "districts" else "districts")
            match = primary or secondary
            if len(match) == 1:
                bucket = data.setdefault(target, [])
                if match[0] not in bucket:
                    bucket.append(match[0])
                continue
            names_known = (
                "、".join(self.districts().display + self.daily_life_areas().display)
                or "（登録されている地区・圏域はありません）"
            )
            self.error(
                row,
                key,
                f"地区・日常生活圏域「{name}」は{self.municipality.name}にありません"
                f"（登録されているもの: {names_known}）。",
            )

    # - the run -

    def run(self) -> ImportPlan:
        self.member_only = _check_may_import(self.actor, self.spec.kind, self.municipality)
        missing = [c for c in self.spec.columns if c.required and c.key not in self.mapping]
        for column in missing:
            self.plan.errors.append(
                RowError(
                    self.table.file_name,
                    self.table.header_row or None,
                    None,
                    None,
                    f"必須の列「{column.header}」がありません。見出しを「{column.header}」にするか、"
                    "列の対応付けで選んでください。",
                )
            )
        if missing:
            return self.plan
        total = len(self.table.rows)
        if self.progress:
            self.progress(PHASE_VALIDATE, 0, total)
        self.prepare()
        columns = [(self.spec.column(k), i) for k, i in self.mapping.items()]
        for done, (row, cells) in enumerate(self.table.rows, start=1):
            values: dict[str, Any] = {}
            for column, index in columns:
                raw = cells[index] if index < len(cells) else None
                try:
                    value = self.parse(column, raw)
                except CellError as exc:
                    self.error(row, column.key, exc.message)
                    continue
                if column.required and value in (None, "", []):
                    self.error(
                        row, column.key, f"「{column.header}」が空欄です（必須の項目です）。"
                    )
                    continue
                values[column.key] = value
            if all(c.key in values for c, _ in columns if c.required):
                self.row(row, values)
            self.plan.errors.extend(self._row_errors)
            self._row_errors = []
            if self.progress and (done % PROGRESS_EVERY == 0 or done == total):
                self.progress(PHASE_VALIDATE, done, total)
        self.finish()
        self.plan.errors.sort(key=_error_order)
        return self.plan

    def prepare(self) -> None:
        """Load what duplicate detection needs."""

    def row(self, row: int, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Checks across rows (e.g. parents inside the file)."""

    def clean_instance(self, row: int, instance: models.Model, exclude: list[str]) -> None:
        """The model's own validation, reported at the row and column of each field."""
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                label = self._label(name)
                for message in messages:
                    key = name if name in self.mapping else None
                    self.error(row, key, f"{label}: {message}" if key is None else message)

    def _label(self, name: str) -> str:
        model_field = self._model_field(name)
        if model_field is None:
            return name
        with translation.override("ja"):
            return str(model_field.verbose_name)

    def decide(
        self, row: int, label: str, matches: list[Any], *, existing_label: str = ""
    ) -> tuple[str, Any]:
        """Action for a row given its duplicates among existing records."""
        if not matches:
            return "create", None
        existing = matches[0]
        self.plan.duplicates.append((row, label, existing_label or str(existing)))
        if self.on_duplicate == ON_DUPLICATE_SKIP:
            return "skip", existing
        if self.on_duplicate == ON_DUPLICATE_KEEP_BOTH:
            return "create", None
        if not can_edit_record(self.actor, existing):
            self.error(
                row,
                None,
                f"重複する既存の「{existing}」を更新する権限がありません"
                "（「スキップ」か「両方残す」を選んでください）。",
            )
        return "update", existing


def _filled(data: dict[str, Any]) -> dict[str, Any]:
    """Values given in the file; empty cells leave the model's defaults (状態, 公開範囲 …)."""
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and a == b


def _is_duplicate(address_a: str, address_b: str, phone_a: str, phone_b: str) -> bool:
    """Same normalised name already holds; then the same address or phone, or nothing that
    could tell the two apart (one of them has neither an address nor a phone to compare)."""
    if _same(address_a, address_b) or _same(phone_a, phone_b):
        return True
    comparable = (address_a and address_b) or (phone_a and phone_b)
    return not comparable


class _OrganisationValidator(_Validator):
    def prepare(self) -> None:
        self.existing: dict[str, list[Organisation]] = {}
        for org in Organisation.objects.filter(municipality=self.municipality).order_by("pk"):
            self.existing.setdefault(normalise_name(org.name), []).append(org)
        self.in_file: dict[str, list[tuple[int, str, str]]] = {}
        self.parents: dict[int, str] = {}  # row → parent name found only inside the file

    def row(self, row: int, values: dict[str, Any]) -> None:
        data: dict[str, Any] = {}
        for key, value in values.items():
            if key in ("daily_life_areas", "districts"):
                self.areas(row, key, value, data)
            elif key == "parent":
                continue
            else:
                data[key] = value
        for key in ("daily_life_areas", "districts"):
            if key in values:
                data.setdefault(key, [])
        name = data["name"]
        key = normalise_name(name)
        address = normalise_address(data.get("address", ""))
        phone = phone_digits(data.get("phone", ""))
        for other_row, other_address, other_phone in self.in_file.get(key, []):
            if _is_duplicate(address, other_address, phone, other_phone):
                self.error(
                    row,
                    "name",
                    f"{other_row}行目と同じ団体です（名称と住所または電話番号が同じ）。",
                )
                return
        self.in_file.setdefault(key, []).append((row, address, phone))
        parent_name = values.get("parent", "")
        extra: dict[str, Any] = {}
        if parent_name:
            if normalise_name(parent_name) == key:
                self.error(row, "parent", "上位の組織に自分自身は選べません。")
            else:
                found = self.organisations().find(parent_name)
                if len(found) == 1:
                    data["parent"] = found[0]
                elif len(found) > 1:
                    self.error(
                        row, "parent", f"上位の組織「{parent_name}」に当たる団体が複数あります。"
                    )
                else:
                    extra["parent_name"] = parent_name  # resolved against the file in finish()
        elif "parent" in values:
            data["parent"] = None
        matches = [
            o
            for o in self.existing.get(key, [])
            if _is_duplicate(address, normalise_address(o.address), phone, phone_digits(o.phone))
        ]
        instance = Organisation(
            municipality=self.municipality,
            **{k: v for k, v in _filled(data).items() if k not in services.ORGANISATION_M2M},
        )
        self.clean_instance(
            row, instance, ["municipality", "prefecture", "parent", "last_verified_by"]
        )
        action, existing = self.decide(row, name, matches)
        self.plan.rows.append(_planned(row, action, name, data, existing, extra, self.spec))

    def finish(self) -> None:
        names = {normalise_name(r.data["name"]): r for r in self.plan.rows}
        for planned in self.plan.rows:
            parent_name = planned.extra.get("parent_name")
            if not parent_name:
                continue
            parent_row = names.get(normalise_name(parent_name))
            if parent_row is None:
                suggestion = self.organisations().suggestion(parent_name)
                self.plan.errors.append(
                    RowError(
                        self.table.file_name,
                        planned.row,
                        column_letter(self.mapping["parent"]),
                        self.table.headers[self.mapping["parent"]],
                        f"上位の組織「{parent_name}」が{self.municipality.name}の団体にも"
                        f"このファイルにも見つかりません。{suggestion}",
                    )
                )
            else:
                planned.extra["parent_row"] = parent_row.row
        # Parents inside the file are written before their children; a loop is an error.
        order = _parents_first(self.plan.rows)
        if order is None:
            self.plan.errors.append(
                RowError(
                    self.table.file_name,
                    None,
                    None,
                    None,
                    "上位の組織の指定が循環しています（AがBの上位、BがAの上位など）。",
                )
            )
        else:
            self.plan.rows = order


def _parents_first(rows: list[PlannedRow]) -> list[PlannedRow] | None:
    by_row = {r.row: r for r in rows}
    placed: set[int] = set()
    ordered: list[PlannedRow] = []
    pending = list(rows)
    while pending:
        remaining = []
        for planned in pending:
            parent_row = planned.extra.get("parent_row")
            if parent_row is None or parent_row in placed or parent_row not in by_row:
                ordered.append(planned)
                placed.add(planned.row)
            else:
                remaining.append(planned)
        if len(remaining) == len(pending):
            return None
        pending = remaining
    return ordered


def _planned(
    row: int,
    action: str,
    label: str,
    data: dict[str, Any],
    existing: Any,
    extra: dict[str, Any],
    spec: KindSpec,
) -> PlannedRow:
    """Shape the row's data for its action.

    A new record leaves out empty values (the model's defaults apply); an update writes every
    mapped column, blank included, except choices that cannot be blank (状態, 公開範囲, 種別).
    """
    if action == "create":
        data = {k: v for k, v in data.items() if v not in (None, "", [])}
    elif action == "update":
        data = {
            k: v
            for k, v in data.items()
            if not (k in ("status", "visibility", "org_type") and not v)
        }
    return PlannedRow(row, action, label, data, existing, extra)


class _PersonValidator(_Validator):
    def prepare(self) -> None:
        self.existing: dict[str, list[Person]] = {}
        for person in Person.objects.filter(municipality=self.municipality).order_by("pk"):
            self.existing.setdefault(normalise_name(person.name), []).append(person)
        self.in_file: dict[str, list[tuple[int, str, str]]] = {}

    def row(self, row: int, values: dict[str, Any]) -> None:
        data = {k: v for k, v in values.items() if k not in ("organisation", "title")}
        organisations = [
            self.organisation(row, "organisation", name) for name in values.get("organisation", [])
        ]
        titles = values.get("title", [])
        if titles and not values.get("organisation"):
            self.error(row, "title", "役割・役職があるのに、所属団体が空欄です。")
        elif len(titles) > len(organisations):
            self.error(row, "title", "役割・役職の数が所属団体の数より多くなっています。")
        roles = []
        for position, organisation in enumerate(organisations):
            if organisation is None:
                continue
            title = titles[position] if position < len(titles) else "担当"
            if len(title) > 100:
                self.error(row, "title", "役割・役職は100文字以内で入力してください。")
            roles.append((organisation, title))
        name = data["name"]
        key = normalise_name(name)
        phone, email = phone_digits(data.get("phone", "")), nfkc(data.get("email", "")).casefold()
        for other_row, other_phone, other_email in self.in_file.get(key, []):
            if _is_duplicate(email, other_email, phone, other_phone):
                self.error(
                    row,
                    "name",
                    f"{other_row}行目と同じ人です（氏名と電話番号またはメールアドレスが同じ）。",
                )
                return
        self.in_file.setdefault(key, []).append((row, phone, email))
        matches = [
            p
            for p in self.existing.get(key, [])
            if _is_duplicate(email, p.email.casefold(), phone, phone_digits(p.phone))
        ]
        instance = Person(municipality=self.municipality, **_filled(data))
        self.clean_instance(
            row, instance, ["municipality", "prefecture", "user", "last_verified_by"]
        )
        action, existing = self.decide(row, name, matches)
        self.plan.rows.append(
            _planned(row, action, name, data, existing, {"roles": roles}, self.spec)
        )


class _ResourceValidator(_Validator):
    def prepare(self) -> None:
        self.existing: dict[str, list[tuple[int, int, str]]] = {}
        for pk, name, provider_id, phone in (
            Resource.objects.filter(municipality=self.municipality)
            .order_by("pk")
            .values_list("pk", "name", "provider_id", "contact_phone")
        ):
            self.existing.setdefault(normalise_name(name), []).append(
                (pk, provider_id, phone_digits(phone))
            )
        self.in_file: dict[str, list[tuple[int, int, str]]] = {}
        self.new_locations: dict[str, str] = {}
        self.matched: list[tuple[PlannedRow, int]] = []
        self.providers_checked: dict[int, bool] = {}

    def row(self, row: int, values: dict[str, Any]) -> None:
        data: dict[str, Any] = {}
        ok = True
        for key, value in values.items():
            if key == "provider":
                data["provider"] = self.organisation(row, "provider", value)
                ok = ok and data["provider"] is not None
            elif key == "category":
                data["category"] = self.category(row, value)
                ok = ok and data["category"] is not None
            elif key == "eligibility":
                data["eligibility"] = self.eligibility(row, value)
            elif key in ("daily_life_areas", "districts"):
                self.areas(row, key, value, data)
            elif key == "locations":
                data["locations"] = self.location_names(value)
            else:
                data[key] = value
        for key in ("daily_life_areas", "districts"):
            if key in values:
                data.setdefault(key, [])
        provider = data.get("provider")
        if provider is not None and self.member_only and not self.may_provide(provider):
            self.error(
                row,
                "provider",
                f"「{provider.name}」の地域資源を取り込む権限がありません（所属する団体の地域資源だけを取り込めます）。",
            )
            ok = False
        if not ok:
            return
        name = data["name"]
        key = normalise_name(name)
        phone = phone_digits(data.get("contact_phone", ""))
        for other_row, other_provider, other_phone in self.in_file.get(key, []):
            if other_provider == provider.pk or _same(phone, other_phone):
                self.error(
                    row,
                    "name",
                    f"{other_row}行目と同じ地域資源です（名称と、提供する団体または電話番号が同じ）。",
                )
                return
        self.in_file.setdefault(key, []).append((row, provider.pk, phone))
        plain = {
            k: v
            for k, v in data.items()
            if k not in services.RESOURCE_M2M and k not in ("weekly_slots", "sessions")
        }
        instance = Resource(municipality=self.municipality, **_filled(plain))
        self.clean_instance(
            row,
            instance,
            ["municipality", "prefecture", "provider", "category", "last_verified_by"],
        )
        # Weekly slots and sessions: their parsers check what the models would.
        match_pk = next(
            (
                pk
                for pk, other_provider, other_phone in self.existing.get(key, [])
                if other_provider == provider.pk or _same(phone, other_phone)
            ),
            None,
        )
        if match_pk is None:
            planned = _planned(row, "create", name, data, None, {}, self.spec)
            planned.extra["instance"] = instance  # validated: the batched create reuses it
            self.plan.rows.append(planned)
        else:
            planned = PlannedRow(row, "pending", name, data)
            self.plan.rows.append(planned)
            self.matched.append((planned, match_pk))

    def location_names(self, names: list[str]) -> list[Any]:
        found: list[Any] = []
        for name in names:
            existing = self.locations().find(name)
            if existing:
                found.append(existing[0])
            else:
                key = normalise_name(name)
                self.new_locations.setdefault(key, name)
                found.append(_NewLocation(self.new_locations[key]))
        return found

    def may_provide(self, provider: Organisation) -> bool:
        if provider.pk not in self.providers_checked:
            self.providers_checked[provider.pk] = (
                can_create_in(self.actor, municipality=self.municipality, provider=provider)
                and provider.pk in self.scope.organisation_ids
            )
        return self.providers_checked[provider.pk]

    def finish(self) -> None:
        self.plan.new_locations = list(self.new_locations.values())
        if not self.matched:
            return
        instances = (
            Resource.objects.select_related("provider")
            .prefetch_related("weekly_slots", "sessions")
            .in_bulk([pk for _, pk in self.matched])
        )
        for planned, pk in self.matched:
            existing = instances[pk]
            self._row_errors = []
            action, existing = self.decide(
                planned.row,
                planned.label,
                [existing],
                existing_label=f"{existing.name}（{existing.provider.name}）",
            )
            self.plan.errors.extend(self._row_errors)
            self._row_errors = []
            shaped = _planned(
                planned.row, action, planned.label, planned.data, existing, {}, self.spec
            )
            if action == "update":
                # Rewriting an unchanged schedule would add a history row to every record.
                if "weekly_slots" in shaped.data and sorted(
                    map(_slot_tuple, shaped.data["weekly_slots"]), key=repr
                ) == sorted(map(_slot_tuple, existing.weekly_slots.all()), key=repr):
                    del shaped.data["weekly_slots"]
                if "sessions" in shaped.data and sorted(
                    map(_session_tuple, shaped.data["sessions"]), key=repr
                ) == sorted(map(_session_tuple, existing.sessions.all()), key=repr):
                    del shaped.data["sessions"]
            planned.action, planned.data, planned.existing = action, shaped.data, existing


@dataclass(frozen=True)
class _NewLocation:
    """A place named in the file that does not exist yet: created at commit."""

    name: str


_VALIDATORS: dict[str, type[_Validator]] = {
    KIND_ORGANISATION: _OrganisationValidator,
    KIND_PERSON: _PersonValidator,
    KIND_RESOURCE: _ResourceValidator,
}


def validate(
    table: Table,
    *,
    kind: str,
    municipality: Municipality,
    actor: Any,
    mapping: dict[str, int] | None = None,
    on_duplicate: str = ON_DUPLICATE_SKIP,
    progress: Progress | None = None,
) -> ImportPlan:
    """Check every row; nothing is written. ``mapping`` is our field → column index
    (default: :func:`auto_mapping` with the actor's saved mapping)."""
    spec = spec_for(kind)
    if on_duplicate not in ON_DUPLICATE_CHOICES:
        raise TsunaguError(f"重複時の扱い「{on_duplicate}」はありません。", field="on_duplicate")
    if mapping is None:
        mapping = auto_mapping(kind, table.headers, mapping_get(user=actor, kind=kind))
    validator = _VALIDATORS[kind](spec, table, mapping, municipality, actor, on_duplicate, progress)
    return validator.run()


# --- writing ------------------------------------------------------------------------------


class _RowFailed(Exception):
    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.message = message


def _message_of(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return " ".join(f"{k}: {'、'.join(v)}" for k, v in exc.message_dict.items())
        return " ".join(exc.messages)
    return str(exc)


def commit(plan: ImportPlan, *, actor: Any, progress: Progress | None = None) -> ImportReport:
    """Write a valid plan in one transaction: everything or, on any error, nothing."""
    started = time.perf_counter()
    report = ImportReport(
        kind=plan.kind,
        file_name=plan.file_name,
        municipality=plan.municipality.name,
        encoding=plan.encoding,
        total_rows=plan.total_rows,
    )
    if plan.errors:
        report.errors = [str(e) for e in plan.errors]
        return report
    writer = {
        KIND_ORGANISATION: _commit_organisations,
        KIND_PERSON: _commit_people,
        KIND_RESOURCE: _commit_resources,
    }[plan.kind]
    touched: list[Any] = []
    if progress:
        progress(PHASE_COMMIT, 0, len(plan.rows))
    try:
        with transaction.atomic():
            writer(plan, actor, report, touched, progress)
            _index_created(plan.kind, touched, progress)
    except _RowFailed as exc:
        report.created = report.updated = report.skipped = report.locations_created = 0
        report.errors = [str(RowError(plan.file_name, exc.row, None, None, exc.message))]
        report.seconds = time.perf_counter() - started
        return report
    report.committed = True
    report.skipped = plan.count("skip")
    report.seconds = time.perf_counter() - started
    return report


def _call(row: int, func: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return func(**kwargs)
    except (ValidationError, TsunaguError) as exc:
        raise _RowFailed(row, _message_of(exc)) from exc


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress and (done % PROGRESS_EVERY == 0 or done == total):
        progress(PHASE_COMMIT, done, total)


def _commit_organisations(
    plan: ImportPlan,
    actor: Any,
    report: ImportReport,
    touched: list[Any],
    progress: Progress | None,
) -> None:
    by_row: dict[int, Organisation] = {}
    total = len(plan.rows)
    for done, planned in enumerate(plan.rows, start=1):
        data = dict(planned.data)
        parent_row = planned.extra.get("parent_row")
        if parent_row is not None:
            data["parent"] = by_row[parent_row]
        if planned.action == "create":
            org = _call(
                planned.row,
                services.organisation_create,
                data={**data, "municipality": plan.municipality},
                actor=actor,
            )
            report.created += 1
        elif planned.action == "update":
            org = _call(
                planned.row,
                services.organisation_update,
                organisation=planned.existing,
                data=data,
                actor=actor,
            )
            report.updated += 1
        else:
            org = planned.existing
        by_row[planned.row] = org
        _tick(progress, done, total)


def _commit_people(
    plan: ImportPlan,
    actor: Any,
    report: ImportReport,
    touched: list[Any],
    progress: Progress | None,
) -> None:
    total = len(plan.rows)
    for done, planned in enumerate(plan.rows, start=1):
        roles: list[tuple[Organisation, str]] = planned.extra.get("roles", [])
        if planned.action == "create":
            first = roles[0] if roles else (None, "")
            person = _call(
                planned.row,
                services.person_create,
                data={**planned.data, "municipality": plan.municipality},
                organisation=first[0],
                title=first[1],
                actor=actor,
            )
            for organisation, title in roles[1:]:
                _call(
                    planned.row,
                    services.person_role_add,
                    person=person,
                    organisation=organisation,
                    title=title,
                    actor=actor,
                )
            report.created += 1
        elif planned.action == "update":
            person = _call(
                planned.row,
                services.person_update,
                person=planned.existing,
                data=planned.data,
                actor=actor,
            )
            today = timezone.localdate()
            current = {
                (r.organisation_id, r.title)
                for r in person.roles.all()
                if r.ends_on is None or r.ends_on >= today
            }
            for organisation, title in roles:
                if (organisation.pk, title) not in current:
                    _call(
                        planned.row,
                        services.person_role_add,
                        person=person,
                        organisation=organisation,
                        title=title,
                        actor=actor,
                    )
            report.updated += 1
        _tick(progress, done, total)


def _commit_resources(
    plan: ImportPlan,
    actor: Any,
    report: ImportReport,
    touched: list[Any],
    progress: Progress | None,
) -> None:
    locations: dict[str, Location] = {}
    for planned in plan.rows:
        if planned.action == "skip":
            continue
        for index, place in enumerate(planned.data.get("locations", [])):
            if isinstance(place, _NewLocation):
                key = normalise_name(place.name)
                if key not in locations:
                    locations[key] = _call(
                        planned.row,
                        services.location_create,
                        data={
                            "name": place.name,
                            "municipality": plan.municipality,
                            "organisation": planned.data.get("provider")
                            or getattr(planned.existing, "provider", None),
                        },
                        actor=actor,
                    )
                    report.locations_created += 1
                planned.data["locations"][index] = locations[key]
    total = len(plan.rows)
    done = 0
    creates = [p for p in plan.rows if p.action == "create"]
    for start in range(0, len(creates), BATCH_SIZE):
        batch = creates[start : start + BATCH_SIZE]
        try:
            created = services.resource_create_many(
                items=[{**p.data, "municipality": plan.municipality} for p in batch],
                actor=actor,
                clean=False,  # validate() ran full_clean on every row
                index=False,  # indexed by _index_created, as a phase of its own
                prepared=[p.extra.get("instance") or Resource(**_plain(p.data)) for p in batch],
            )
        except (ValidationError, TsunaguError) as exc:
            raise _RowFailed(batch[0].row, _message_of(exc)) from exc
        touched.extend(created)
        report.created += len(created)
        done += len(batch)
        if progress:
            progress(PHASE_COMMIT, done, total)
    for planned in plan.rows:
        if planned.action == "update":
            _call(
                planned.row,
                services.resource_update,
                resource=planned.existing,
                data=planned.data,
                actor=actor,
            )
            report.updated += 1
        if planned.action != "create":
            done += 1
            _tick(progress, done, total)


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in Resource._meta.concrete_fields}
    return {k: v for k, v in data.items() if k in names}


# --- search index -------------------------------------------------------------------------


def _index_created(kind: str, records: list[Any], progress: Progress | None) -> None:
    """Add the batch-created resources to the search index, in the import's transaction.

    Records written one by one through the services are indexed by the services; the
    batches are created with ``index=False`` so that indexing reports its own progress.
    Each distinct phrase is analysed once (names and descriptions repeat across rows);
    the phrase cache is bounded so that a very large file cannot exhaust memory.
    """
    if kind != KIND_RESOURCE or not records:
        return
    from tsunagu.directory.search import index_new_resources

    total = len(records)
    if progress:
        progress(PHASE_INDEX, 0, total)
    index_new_resources(
        [resource.pk for resource in records],
        batch_size=INDEX_BATCH,
        progress=(lambda done, total: progress(PHASE_INDEX, done, total)) if progress else None,
    )


INDEX_BATCH = 1000


# --- one call: validate and commit --------------------------------------------------------


def run_import(
    table: Table,
    *,
    kind: str,
    municipality: Municipality,
    actor: Any,
    mapping: dict[str, int] | None = None,
    on_duplicate: str = ON_DUPLICATE_SKIP,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate every row, then commit if nothing is wrong (the synchronous path)."""
    plan = validate(
        table,
        kind=kind,
        municipality=municipality,
        actor=actor,
        mapping=mapping,
        on_duplicate=on_duplicate,
        progress=progress,
    )
    return commit(plan, actor=actor, progress=progress)


def import_file(
    path: str | Path,
    *,
    kind: str,
    municipality_code: str,
    actor: Any,
    on_duplicate: str = ON_DUPLICATE_SKIP,
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """CLI hook: import an .xlsx or CSV file into a municipality (by 全国地方公共団体コード).

    Columns are matched by header (or by ``mapping``: our field → header). Nothing is
    written when any row has an error; the report lists every error.
    """
    municipality = Municipality.objects.filter(code=str(municipality_code).strip()).first()
    if municipality is None:
        raise TsunaguError(f"市町村コード「{municipality_code}」の市町村がありません。")
    path = Path(path)
    try:
        table = read_table(path)
    except ImportFileError as exc:
        report = ImportReport(kind=kind, file_name=path.name, municipality=municipality.name)
        report.errors = [f"{path.name}: {exc.message}"]
        return report
    if progress:
        progress(PHASE_READ, len(table.rows), len(table.rows))
    columns = mapping_by_header(kind, table.headers, mapping) if mapping else None
    return run_import(
        table,
        kind=kind,
        municipality=municipality,
        actor=actor,
        mapping=columns,
        on_duplicate=on_duplicate,
        progress=progress,
    )


# --- background jobs (progress in the cache) ----------------------------------------------

JOB_TIMEOUT = 6 * 60 * 60


def _job_key(job_id: str) -> str:
    return f"tsunagu:directory-import-job:{job_id}"


def job_get(job_id: str) -> dict[str, Any] | None:
    return cache.get(_job_key(job_id))


def job_set(job_id: str, **state: Any) -> None:
    current = cache.get(_job_key(job_id)) or {}
    current.update(state)
    cache.set(_job_key(job_id), current, JOB_TIMEOUT)


def job_progress(job_id: str) -> Progress:
    """A progress callback that writes to the job's cache entry (at most ~4 times a second)."""
    last = [0.0]

    def report(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < 0.25:
            return
        last[0] = now
        job_set(job_id, phase=phase, done=done, total=total)

    return report


def job_run(job_id: str, work: Callable[[Progress], dict[str, Any]]) -> None:
    """Run ``work`` and store its result (or failure) in the job entry. The synchronous path."""
    job_set(job_id, state="running", phase=PHASE_READ, done=0, total=0)
    try:
        result = work(job_progress(job_id))
    except TsunaguError as exc:
        job_set(job_id, state="failed", message=exc.message)
    except Exception:
        logger.exception("directory import job %s failed", job_id)
        job_set(
            job_id,
            state="failed",
            message="予期しないエラーで処理できませんでした。管理者に連絡してください。",
        )
    else:
        job_set(job_id, state="done", result=result)


def job_start(work: Callable[[Progress], dict[str, Any]], *, background: bool) -> str:
    """Start a job; in the background it runs in its own thread with its own DB connection.

    The job state lives in Django's cache. With the default LocMemCache that is one
    process's memory: fine for the single waitress process the demo and small
    deployments run; several processes need a shared cache (e.g. Redis).
    """
    job_id = uuid.uuid4().hex
    job_set(job_id, state="queued", done=0, total=0)
    if not background:
        job_run(job_id, work)
        return job_id

    def target() -> None:
        try:
            job_run(job_id, work)
        finally:
            connections.close_all()  # this thread's connections, not the request's

    threading.Thread(target=target, name=f"directory-import-{job_id[:8]}", daemon=True).start()
    return job_id
