"""What an import reads: the kinds and their columns, text normalisation, and an import's errors and report."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from tsunagu.core.errors import TsunaguError
from tsunagu.directory.models import (
    ContactWay,
    FundingBasis,
    Organisation,
    OrganisationStatus,
    OrganisationType,
    Person,
    Resource,
    ResourceStatus,
    SogoServiceType,
    Visibility,
)

KIND_ORGANISATION = "organisation"
KIND_PERSON = "person"
KIND_RESOURCE = "resource"
KINDS = (KIND_ORGANISATION, KIND_PERSON, KIND_RESOURCE)

ON_DUPLICATE_SKIP = "skip"
ON_DUPLICATE_UPDATE = "update"
ON_DUPLICATE_KEEP_BOTH = "keep_both"
ON_DUPLICATE_CHOICES = (ON_DUPLICATE_SKIP, ON_DUPLICATE_UPDATE, ON_DUPLICATE_KEEP_BOTH)

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
