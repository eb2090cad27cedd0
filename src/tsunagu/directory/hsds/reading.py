"""Reading an HSDS dataset (JSON or tabular), checking its fields and references, and an import's errors and summary."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from tsunagu.core import spreadsheet
from tsunagu.core.encoding import decode_spreadsheet_text
from tsunagu.core.errors import TsunaguError
from tsunagu.directory.hsds.schema import (
    LINK_ENTITIES,
    MAX_ERRORS_SHOWN,
    NONEMPTY,
    PRESENT,
    REFERENCES,
    SOFT_REFERENCES,
    TABLE_ALIASES,
    TABLES,
    Field,
)

# --- reading datasets ------------------------------------------------------------------


@dataclass
class Where:
    """Where a record came from, for messages: a JSON path or a CSV file and line."""

    table: str
    file: str | None = None
    line: int | None = None
    path: str | None = None
    record_id: str | None = None

    def describe(self, field_name: str | None = None) -> str:
        title = TABLES[self.table].title
        ident = f"（{title} id: {self.record_id}）" if self.record_id else f"（{title}）"
        if self.line is not None:
            text = f"{self.file} {self.line}行目"
            if field_name:
                text += f"の列「{field_name}」"
        else:
            text = ".".join(p for p in (self.path, field_name) if p)
            text = f"{self.file} の {text}" if self.file and text else (self.file or text)
        return text + ident


@dataclass
class Row:
    table: str
    data: dict[str, Any]
    where: Where
    values: dict[str, Any] = field(default_factory=dict)  # parsed, after validation

    @property
    def id(self) -> str:
        return str(self.data.get("id") or "")

    def get(self, name: str) -> Any:
        return self.values.get(name)


@dataclass
class Dataset:
    format: str  # json | tabular
    source_name: str | None = None
    tables: dict[str, dict[str, Row]] = field(default_factory=lambda: {name: {} for name in TABLES})
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # tabular headers

    def error(self, where: Where | None, problem: str, field_name: str | None = None) -> None:
        self.errors.append(f"{where.describe(field_name)}: {problem}" if where else problem)

    def warn(self, where: Where | None, problem: str, field_name: str | None = None) -> None:
        self.warnings.append(f"{where.describe(field_name)}: {problem}" if where else problem)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _JsonReader:
    """Flattens HSDS JSON (nested records) into tables, filling links from the nesting."""

    def __init__(self, dataset: Dataset) -> None:
        self.ds = dataset
        self.missing_ids = 0

    def add(
        self, table: str, obj: Any, path: str, links: dict[str, Any] | None = None
    ) -> Row | None:
        where = Where(table, file=self.ds.source_name, path=path)
        if not isinstance(obj, dict):
            self.ds.error(where, "オブジェクト（{…}）で指定してください。")
            return None
        spec = TABLES[table]
        data = {k: obj[k] for k in spec.field_names if k in obj}
        raw_id = data.get("id")
        if isinstance(raw_id, int | str) and not isinstance(raw_id, bool) and str(raw_id).strip():
            data["id"] = str(raw_id).strip()
            where.record_id = data["id"]
        for key, value in (links or {}).items():
            if value is None:
                continue
            given = data.get(key)
            if _is_blank(given) or key == "link_entity":
                data[key] = value  # the nesting says what an attribute is attached to
            elif str(given).strip() != value:
                self.ds.error(
                    where,
                    f"入れ子になっている親の id（{value}）と一致しません（{given}）。",
                    key,
                )
        if "id" not in data or not isinstance(data["id"], str):
            self.ds.error(where, "必須の項目「id」がありません。", "id")
            self.missing_ids += 1
            key = f"（id なし {self.missing_ids}）"
        else:
            key = data["id"]
        rows = self.ds.tables[table]
        if key in rows:
            # The same record nested in several places (a phone of a service and of its
            # organisation, say): one record, with every link it was given.
            existing = rows[key]
            for k, v in data.items():
                if _is_blank(existing.data.get(k)) and not _is_blank(v):
                    existing.data[k] = v
            return existing
        row = Row(table, data, where)
        rows[key] = row
        return row

    def children(self, obj: dict[str, Any], key: str, path: str) -> Iterator[tuple[str, Any]]:
        value = obj.get(key)
        if value is None:
            return
        where = f"{path}.{key}" if path else key
        if not isinstance(value, list):
            self.ds.errors.append(f"{self._prefix()}{where}: 配列（[…]）で指定してください。")
            return
        for i, item in enumerate(value):
            yield f"{where}[{i}]", item

    def _prefix(self) -> str:
        return f"{self.ds.source_name} の " if self.ds.source_name else ""

    def organization(self, obj: Any, path: str) -> Row | None:
        row = self.add("organization", obj, path)
        if row is None:
            return None
        org_id = row.id or None
        for p, item in self.children(obj, "services", path):
            self.service(item, p, organization_id=org_id)
        for p, item in self.children(obj, "locations", path):
            self.location(item, p, organization_id=org_id)
        for p, item in self.children(obj, "phones", path):
            self.add("phone", item, p, {"organization_id": org_id})
        for p, item in self.children(obj, "funding", path):
            self.add("funding", item, p, {"organization_id": org_id})
        for p, item in self.children(obj, "attributes", path):
            self.attribute(item, p, "organization", org_id)
        return row

    def service(self, obj: Any, path: str, organization_id: str | None = None) -> Row | None:
        if isinstance(obj, dict) and isinstance(obj.get("organization"), dict):
            org = self.organization(obj["organization"], _join(path, "organization"))
            if org is not None and org.id:
                organization_id = organization_id or org.id
        row = self.add("service", obj, path, {"organization_id": organization_id})
        if row is None:
            return None
        service_id = row.id or None
        link = {"service_id": service_id}
        for p, item in self.children(obj, "phones", path):
            self.add("phone", item, p, link)
        for p, item in self.children(obj, "schedules", path):
            self.add("schedule", item, p, link)
        for p, item in self.children(obj, "service_areas", path):
            self.add("service_area", item, p, link)
        for p, item in self.children(obj, "service_at_locations", path):
            self.service_at_location(item, p, service_id)
        for p, item in self.children(obj, "cost_options", path):
            self.add("cost_option", item, p, link)
        for key in ("funding", "fundings"):
            for p, item in self.children(obj, key, path):
                self.add("funding", item, p, link)
        for p, item in self.children(obj, "attributes", path):
            self.attribute(item, p, "service", service_id)
        return row

    def service_at_location(self, obj: Any, path: str, service_id: str | None) -> Row | None:
        location_id = None
        if isinstance(obj, dict) and isinstance(obj.get("location"), dict):
            location = self.location(obj["location"], _join(path, "location"))
            location_id = location.id if location is not None and location.id else None
        row = self.add(
            "service_at_location",
            obj,
            path,
            {"service_id": service_id, "location_id": location_id},
        )
        if row is None:
            return None
        for p, item in self.children(obj, "schedules", path):
            self.add(
                "schedule",
                item,
                p,
                {"service_id": row.data.get("service_id"), "service_at_location_id": row.id},
            )
        for p, item in self.children(obj, "service_areas", path):  # HSDS 3.1
            self.add("service_area", item, p, {"service_id": row.data.get("service_id")})
        return row

    def location(self, obj: Any, path: str, organization_id: str | None = None) -> Row | None:
        row = self.add("location", obj, path, {"organization_id": organization_id})
        if row is None:
            return None
        for p, item in self.children(obj, "addresses", path):
            self.add("address", item, p, {"location_id": row.id or None})
        for p, item in self.children(obj, "attributes", path):
            self.attribute(item, p, "location", row.id or None)
        return row

    def attribute(self, obj: Any, path: str, link_entity: str, link_id: str | None) -> Row | None:
        term_id = None
        if isinstance(obj, dict) and isinstance(obj.get("taxonomy_term"), dict):
            term = self.taxonomy_term(obj["taxonomy_term"], _join(path, "taxonomy_term"))
            term_id = term.id if term is not None and term.id else None
        return self.add(
            "attribute",
            obj,
            path,
            {"link_entity": link_entity, "link_id": link_id, "taxonomy_term_id": term_id},
        )

    def taxonomy_term(self, obj: Any, path: str) -> Row | None:
        taxonomy_id = None
        if isinstance(obj, dict) and isinstance(obj.get("taxonomy_detail"), dict):
            taxonomy = self.add("taxonomy", obj["taxonomy_detail"], _join(path, "taxonomy_detail"))
            taxonomy_id = taxonomy.id if taxonomy is not None and taxonomy.id else None
        return self.add("taxonomy_term", obj, path, {"taxonomy_id": taxonomy_id})

    def top_level_list(self, key: str, items: list[Any], path: str) -> None:
        handlers: dict[str, Callable[[Any, str], Any]] = {
            "organization": self.organization,
            "service": self.service,
            "location": self.location,
            "taxonomy_term": self.taxonomy_term,
            "service_at_location": lambda o, p: self.service_at_location(o, p, None),
            "attribute": lambda o, p: self.attribute(o, p, "", None),
        }
        table = TABLE_ALIASES[key]
        handler = handlers.get(table, lambda o, p: self.add(table, o, p))
        for i, item in enumerate(items):
            handler(item, f"{path}[{i}]")

    def read(self, data: Any) -> None:
        if isinstance(data, dict) and isinstance(data.get("contents"), list):
            data = data["contents"]  # one page of an HSDS API list response
        if isinstance(data, list):
            for i, item in enumerate(data):
                if _looks_like_service(item):
                    self.service(item, f"[{i}]")
                else:
                    self.organization(item, f"[{i}]")
            return
        if not isinstance(data, dict):
            self.ds.errors.append(
                f"{self._prefix()}HSDS の JSON はオブジェクトか配列で指定してください。"
            )
            return
        if "id" in data:  # one record: an organisation (with its services) or a service
            if _looks_like_service(data):
                self.service(data, "")
            else:
                self.organization(data, "")
            return
        lists = {
            k: v
            for k, v in data.items()
            if k in TABLE_ALIASES and isinstance(v, list) and not k.endswith(".csv")
        }
        if lists:
            # Organisations first, so services listed on their own find them.
            order = {name: i for i, name in enumerate(TABLES)}
            for key in sorted(lists, key=lambda k: order[TABLE_ALIASES[k]]):
                self.top_level_list(key, lists[key], key)
            return
        self.ds.errors.append(
            f"{self._prefix()}HSDS のデータが見つかりません"
            "（organizations・services などの配列か、組織・サービスのオブジェクトが必要です）。"
        )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _looks_like_service(item: Any) -> bool:
    return isinstance(item, dict) and any(
        k in item for k in ("organization", "organization_id", "status", "service_at_locations")
    )


def _read_json(data: Any, *, source_name: str | None) -> Dataset:
    dataset = Dataset("json", source_name=source_name)
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            prefix = f"{source_name} の" if source_name else ""
            dataset.errors.append(
                f"{prefix}JSON を読み取れません（{exc.lineno}行目 {exc.colno}文字目: {exc.msg}）。"
            )
            return dataset
    _JsonReader(dataset).read(data)
    return dataset


class _Source:
    """Files of a tabular package: a directory or a zip file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.zip: zipfile.ZipFile | None = None
        self.root = ""
        if self.path.is_file() and zipfile.is_zipfile(self.path):
            self.zip = zipfile.ZipFile(self.path)
            names = [n for n in self.zip.namelist() if n.rsplit("/", 1)[-1] == "datapackage.json"]
            if names:
                best = min(names, key=lambda n: n.count("/"))
                self.root = best[: -len("datapackage.json")]

    def read(self, name: str) -> bytes | None:
        name = name.lstrip("./")
        if self.zip is not None:
            try:
                return self.zip.read(self.root + name)
            except KeyError:
                return None
        target = (self.path / name).resolve()
        if self.path.resolve() not in target.parents or not target.is_file():
            return None
        return target.read_bytes()

    def exists(self) -> bool:
        return self.read("datapackage.json") is not None


def _decode(raw: bytes) -> str:
    return decode_spreadsheet_text(raw)[0]


def _read_tabular(path: Path) -> Dataset:
    source = _Source(path)
    dataset = Dataset("tabular", source_name=Path(path).name)
    descriptor_raw = source.read("datapackage.json")
    if descriptor_raw is None:
        dataset.errors.append(
            f"{Path(path).name}: datapackage.json が見つかりません"
            "（HSDS の表形式は CSV ファイルと datapackage.json を同じフォルダーに置きます）。"
        )
        return dataset
    try:
        descriptor = json.loads(_decode(descriptor_raw))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        dataset.errors.append(f"datapackage.json を読み取れません（{exc}）。")
        return dataset
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        dataset.errors.append("datapackage.json に resources の配列がありません。")
        return dataset
    paths: dict[str, str] = {}
    for i, resource in enumerate(resources):
        if not isinstance(resource, dict):
            continue
        name = str(resource.get("name") or "")
        resource_path = resource.get("path")
        if isinstance(resource_path, list):  # a resource split over several files
            resource_path = resource_path[0] if resource_path else None
        table = TABLE_ALIASES.get(name) or TABLE_ALIASES.get(str(resource_path or ""))
        if table is None:
            continue  # a table we do not use (contacts, programs …) or an extension
        if not isinstance(resource_path, str) or not resource_path:
            dataset.errors.append(
                f"datapackage.json の resources[{i}]（{name}）に path がありません。"
            )
            continue
        paths.setdefault(table, resource_path)
    for table, resource_path in paths.items():
        raw = source.read(resource_path)
        if raw is None:
            dataset.errors.append(f"datapackage.json に書かれた {resource_path} が見つかりません。")
            continue
        try:
            text = _decode(raw)
        except UnicodeDecodeError:
            dataset.errors.append(f"{resource_path}: 文字コードを UTF-8 にしてください。")
            continue
        _read_csv(dataset, table, resource_path.rsplit("/", 1)[-1], text)
    return dataset


def _read_csv(dataset: Dataset, table: str, file_name: str, text: str) -> None:
    spec = TABLES[table]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return
    except csv.Error as exc:
        dataset.errors.append(f"{file_name} 1行目: CSV を読み取れません（{exc}）。")
        return
    dataset.columns[table] = tuple(header)
    for f in spec.fields:
        if f.required and f.name not in header:
            dataset.errors.append(f"{file_name}: 必須の列「{f.name}」がありません。")
    rows = dataset.tables[table]
    line = 1
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            dataset.errors.append(f"{file_name} {start}行目: CSV を読み取れません（{exc}）。")
            break
        line = start
        if not any(c.strip() for c in cells):
            continue
        data = {
            # Our own export neutralises formula-like cells: read them back as written.
            name: (spreadsheet.unneutralise(cells[i]) if i < len(cells) else "")
            for i, name in enumerate(header)
            if name in spec.field_names
        }
        data = {k: (v.strip() if v.strip() else None) for k, v in data.items()}
        where = Where(table, file=file_name, line=line, record_id=data.get("id"))
        row = Row(table, data, where)
        if not data.get("id"):
            dataset.error(where, "必須の項目です。値がありません。", "id")
            rows[f"（id なし {file_name}:{line}）"] = row
            continue
        if data["id"] in rows:
            first = rows[data["id"]].where
            dataset.error(where, f"id が重複しています（{first.line}行目と同じ）。", "id")
            continue
        rows[data["id"]] = row


# --- validation ------------------------------------------------------------------------

_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_BYDAY_RE = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")


def _parse_value(spec: Field, value: Any) -> Any:
    """The parsed value, or raise ValueError with a Japanese reason."""
    if spec.type == "number":
        if isinstance(value, bool):
            raise ValueError("数値で指定してください。")
        if isinstance(value, int | float):
            return Decimal(str(value))
        if isinstance(value, str):
            try:
                return Decimal(unicodedata.normalize("NFKC", value).strip().replace(",", ""))
            except InvalidOperation:
                pass
        raise ValueError(f"数値で指定してください（{value!r}）。")
    if not isinstance(value, str):
        if spec.name.endswith("id") and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        raise ValueError(f"文字列で指定してください（{value!r}）。")
    text = value.strip()
    if spec.type == "date":
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            raise ValueError(f"日付は YYYY-MM-DD の形で指定してください（{text}）。") from None
    if spec.type == "time":
        match = _TIME_RE.match(text)
        if not match:
            raise ValueError(f"時刻は HH:MM の形で指定してください（{text}）。")
        hour, minute, second = (int(g) if g else 0 for g in match.groups()[:3])
        try:
            # Times are the service's wall-clock times; a UTC offset suffix is not applied.
            return datetime.time(hour, minute, second)
        except ValueError:
            raise ValueError(f"時刻が正しくありません（{text}）。") from None
    if spec.type == "datetime":
        try:
            return datetime.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"日時は ISO 8601 の形で指定してください（{text}）。") from None
    if spec.enum and text not in spec.enum:
        allowed = "、".join(spec.enum)
        raise ValueError(f"{allowed} のいずれかにしてください（{text}）。")
    return text


def _validate_fields(dataset: Dataset) -> None:
    for table_name, rows in dataset.tables.items():
        spec = TABLES[table_name]
        for row in rows.values():
            for f in spec.fields:
                present = f.name in row.data
                value = row.data.get(f.name)
                if _is_blank(value):
                    if f.required == NONEMPTY and f.name != "id":
                        dataset.error(row.where, "必須の項目です。値がありません。", f.name)
                    elif f.required == PRESENT and dataset.format == "json" and not present:
                        dataset.error(row.where, "必須の項目がありません。", f.name)
                    continue
                try:
                    row.values[f.name] = _parse_value(f, value)
                except ValueError as exc:
                    dataset.error(row.where, str(exc), f.name)


def _drop_dangling(dataset: Dataset, row: Row, fname: str, title: str, value: Any) -> None:
    # Published data often links to records left out of the package: an optional link to
    # nothing is dropped with a 注意 (file, row, column), the record itself is imported.
    row.values.pop(fname, None)
    dataset.warn(
        row.where, f"{title} {value} はデータにないため、このつながりは取り込みません。", fname
    )


def _validate_references(dataset: Dataset) -> None:
    tables = dataset.tables
    for (table, fname), target in {**REFERENCES, **SOFT_REFERENCES}.items():
        soft = (table, fname) in SOFT_REFERENCES
        if table == "taxonomy_term" and fname == "taxonomy_id":
            continue
        for row in tables[table].values():
            value = row.get(fname)
            if value is None or value in tables[target]:
                continue
            title = TABLES[target].title
            if soft:
                _drop_dangling(dataset, row, fname, title, value)
            else:
                dataset.error(row.where, f"{title} {value} がデータにありません。", fname)
    if tables["taxonomy"]:
        for row in tables["taxonomy_term"].values():
            value = row.get("taxonomy_id")
            if value is not None and value not in tables["taxonomy"]:
                _drop_dangling(dataset, row, "taxonomy_id", "分類体系", value)
    for row in tables["attribute"].values():
        entity = LINK_ENTITIES.get(str(row.get("link_entity") or "").lower())
        link_id = row.get("link_id")
        if entity and link_id is not None and link_id not in tables[entity]:
            title = TABLES[entity].title
            dataset.error(row.where, f"{title} {link_id} がデータにありません。", "link_id")
    for row in tables["schedule"].values():
        byday = row.get("byday")
        if byday is None:
            continue
        for part in str(byday).upper().replace(" ", "").split(","):
            if part and not _BYDAY_RE.match(part):
                dataset.error(
                    row.where,
                    f"曜日は MO,TU のように指定してください（{byday}）。",
                    "byday",
                )
                break


def _validate(dataset: Dataset) -> None:
    if dataset.errors:
        return  # the structure is broken: field checks would only repeat it
    _validate_fields(dataset)
    _validate_references(dataset)


# --- import ----------------------------------------------------------------------------


class HsdsImportError(TsunaguError):
    """Validation failed; ``errors`` lists every problem, each naming file, record, field."""

    def __init__(self, errors: list[str]) -> None:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        head = f"HSDS データに {len(errors)} 件の誤りがあるため、何も取り込みませんでした。"
        lines = [head, *shown]
        if more:
            lines.append(f"ほか {more} 件")
        super().__init__("\n".join(lines), code="hsds_invalid")
        self.errors = errors


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def count(self, outcome: str, kind: str) -> None:
        bucket = getattr(self, outcome)
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    @property
    def total_updated(self) -> int:
        return sum(self.updated.values())

    def __str__(self) -> str:
        kinds = {"organisation": "団体", "resource": "地域資源", "location": "場所"}

        def part(bucket: dict[str, int]) -> str:
            return "、".join(f"{kinds[k]} {n}件" for k, n in bucket.items() if n) or "なし"

        lines = [
            f"新規: {part(self.created)}",
            f"更新: {part(self.updated)}",
            f"変更なし: {part(self.unchanged)}",
        ]
        if self.warnings:
            lines.append(f"注意 {len(self.warnings)} 件:")
            lines += [f"  - {w}" for w in self.warnings]
        return "\n".join(lines)
