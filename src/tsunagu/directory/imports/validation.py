"""Who may import where, the import plan, and the validator base that checks every row."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from tsunagu.accounts.permissions import scope_for
from tsunagu.areas.models import DailyLifeArea, District, Municipality
from tsunagu.core import wareki
from tsunagu.core.errors import PermissionDenied
from tsunagu.core.validators import control_character_in, control_character_message
from tsunagu.directory import catalog
from tsunagu.directory.imports.columns import (
    KIND_RESOURCE,
    ON_DUPLICATE_KEEP_BOTH,
    ON_DUPLICATE_SKIP,
    PHASE_VALIDATE,
    PROGRESS_EVERY,
    SPECS,
    CellError,
    Column,
    KindSpec,
    Progress,
    RowError,
    _error_order,
    column_letter,
    nfkc,
    phone_digits,
    split_list,
)
from tsunagu.directory.imports.reading import Table, _cell_text, mapping_headers
from tsunagu.directory.imports.values import (
    _CHOICE_ALIASES,
    _FALSE,
    _TRUE,
    _choice_key,
    _choice_lookup,
    _email_validator,
    _NameIndex,
    _url_validator,
    parse_session,
    parse_weekly_slot,
)
from tsunagu.directory.models import (
    Category,
    Eligibility,
    Location,
    Organisation,
    SogoServiceType,
    phone_validator,
)
from tsunagu.directory.permissions import can_create_in, can_edit_record

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
            if code is None and column.choices is SogoServiceType:
                # Every name and alias of the catalog (「サービスB（訪問型）」「訪問B」 …).
                found = catalog.lookup(text)
                code = found.code if found else None
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
