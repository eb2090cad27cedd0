"""The UI is Japanese first with English available; every string has its English form."""

from __future__ import annotations

import ast
import gettext
import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from django.utils.translation.template import templatize

import tsunagu
from tests.source_code import nodes

PO_FILE = Path(tsunagu.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


class PoEntry(NamedTuple):
    context: str | None
    msgid: str
    plural: str | None
    msgstrs: tuple[str, ...]
    fuzzy: bool

    @property
    def translated(self) -> bool:
        # msgfmt leaves fuzzy entries out of the .mo: Django would show the Japanese.
        return bool(self.msgid) and all(self.msgstrs) and not self.fuzzy


_PO_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _po_string(quoted: str) -> str:
    """The text of a quoted .po string (ast.literal_eval, ~12,000 times, took a second)."""
    inner = quoted[1:-1]
    if "\\" not in inner:
        return inner
    return re.sub(r"\\(.)", lambda m: _PO_ESCAPES.get(m[1], m[0]), inner)


_PO_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")\s*$')


def po_entries(text: str) -> list[PoEntry]:
    """The entries of a .po file (obsolete ``#~`` entries left out, as msgfmt does)."""
    entries: list[PoEntry] = []
    fields: dict[str, str] = {}
    field = ""
    fuzzy = pending_fuzzy = False

    def close() -> None:
        if "msgid" in fields:
            msgstrs = tuple(v for k, v in sorted(fields.items()) if k.startswith("msgstr"))
            entries.append(
                PoEntry(
                    fields.get("msgctxt"),
                    fields["msgid"],
                    fields.get("msgid_plural"),
                    msgstrs,
                    fuzzy,
                )
            )

    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#,") and "fuzzy" in line:
            pending_fuzzy = True
        if not line or line.startswith("#"):
            continue
        keyword = _PO_KEYWORD.match(line)
        if keyword is None:  # a continuation line: "…"
            fields[field] += _po_string(line)
            continue
        field = keyword[1]
        starts_entry = field == "msgctxt" or (field == "msgid" and "msgctxt" not in fields)
        if starts_entry or (field == "msgid" and any(k.startswith("msgstr") for k in fields)):
            close()
            fields, fuzzy, pending_fuzzy = {}, pending_fuzzy, False
        fields[field] = _po_string(keyword[2])
    close()
    return entries


def test_every_japanese_ui_string_has_an_english_translation():
    untranslated = [
        e.msgid for e in po_entries(PO_FILE.read_text()) if e.msgid and not e.translated
    ]
    assert untranslated == []


def test_compiled_catalogue_exists_and_is_not_empty():
    mo_file = PO_FILE.with_suffix(".mo")
    assert mo_file.exists()
    assert mo_file.read_bytes()  # an empty catalogue would silently show Japanese


def test_compiled_catalogue_holds_every_translation_of_the_po_file():
    # Django reads the .mo: a .po entry added without running msgfmt shows Japanese.
    with PO_FILE.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    stale = []
    for e in po_entries(PO_FILE.read_text()):
        if not e.translated:
            continue
        key = e.msgid if e.context is None else f"{e.context}\x04{e.msgid}"
        looked_up = (
            [compiled.get((key, n)) for n in range(len(e.msgstrs))]
            if e.plural is not None
            else [compiled.get(key)]
        )
        if looked_up != list(e.msgstrs):
            stale.append(e.msgid)
    assert stale == [], "run msgfmt -o django.mo django.po: " + ", ".join(stale[:20])


def test_dashboard_in_english_uses_english_labels(client_as, user_named):
    user = user_named("kawara")
    user.language = "en"
    user.save()
    body = client_as("kawara").get("/dashboard/").content.decode()
    assert '<html lang="en">' in body
    assert "Dashboard" in body
    assert "Total population" in body
    assert "ダッシュボード" not in body
    # the regional issues panel's count is a {% blocktrans count %}, once shown in Japanese
    assert re.search(r"\d+ regional issues? \(by stage\)", body)
    assert "件（段階別）" not in body
    assert "Indicators &amp; money" in body  # the menu entry a plugin adds
    assert "指標・財政" not in body


# What Django looks up at run time, per gettext function: the roles of its leading
# arguments ("c" context, "s" message, "p" plural message), as makemessages's xgettext
# keywords read them (--keyword=pgettext:1c,2 and so on).
GETTEXT_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "_": ("s",),
    "gettext": ("s",),
    "gettext_lazy": ("s",),
    "gettext_noop": ("s",),
    "ngettext": ("s", "p"),
    "ngettext_lazy": ("s", "p"),
    "pgettext": ("c", "s"),
    "pgettext_lazy": ("c", "s"),
    "npgettext": ("c", "s", "p"),
    "npgettext_lazy": ("c", "s", "p"),
}
_BARE_UNDERSCORE_CALL = re.compile(r"(?<![\w.])_\s*\(")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


class Msgid(NamedTuple):
    context: str | None
    msgid: str
    plural: str | None

    @property
    def key(self) -> tuple[str | None, str, bool]:
        return (self.context, self.msgid, self.plural is not None)

    def found_in(self, translated: set[tuple[str | None, str, bool]]) -> bool:
        # ngettext looks up (msgid, form): only a plural entry answers it. gettext looks up
        # msgid, then (msgid, form for 1) (Python's GNUTranslations.gettext): either answers.
        if self.plural is not None:
            return self.key in translated
        return bool(
            {(self.context, self.msgid, False), (self.context, self.msgid, True)} & translated
        )

    def __str__(self) -> str:
        text = repr(self.msgid)
        if self.plural is not None:
            text += f" (plural {self.plural!r})"
        if self.context is not None:
            text += f" (context {self.context!r})"
        return text


def _as_msgid(function: str, arguments: list[str | None]) -> Msgid | None:
    roles = GETTEXT_FUNCTIONS[function]
    if len(arguments) < len(roles) or any(arguments[i] is None for i in range(len(roles))):
        return None  # a variable or an expression: nothing to look for in the catalogue
    found = dict(zip(roles, arguments, strict=False))
    return Msgid(found.get("c"), found["s"], found.get("p"))  # type: ignore[arg-type]


def _literal(node: ast.expr) -> str | None:
    """The string Django receives for a literal argument ("a" "b" and "a" + "b" included)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def _python_msgids(path: Path) -> Iterator[Msgid]:
    # Every gettext function but ``_`` has "gettext" in its name, aliases included (the
    # import names it): files without either need no syntax tree, which is the slow part.
    text = path.read_text(encoding="utf-8")
    if "gettext" not in text and not _BARE_UNDERSCORE_CALL.search(text):
        return
    tree = nodes(path)
    names = {name: name for name in GETTEXT_FUNCTIONS}  # makemessages goes by name
    modules: set[str] = set()
    for node in tree:
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            names.update(
                {a.asname or a.name: a.name for a in node.names if a.name in GETTEXT_FUNCTIONS}
            )
        elif isinstance(node, ast.ImportFrom) and node.module == "django.utils":
            modules.update(a.asname or a.name for a in node.names if a.name == "translation")
        elif isinstance(node, ast.Import):
            modules.update(
                a.asname for a in node.names if a.name == "django.utils.translation" and a.asname
            )
    for node in tree:
        if not isinstance(node, ast.Call):
            continue
        function = None
        if isinstance(node.func, ast.Name):
            function = names.get(node.func.id)
        elif isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            if node.func.value.id in modules and node.func.attr in GETTEXT_FUNCTIONS:
                function = node.func.attr
        if function is not None:
            msgid = _as_msgid(function, [_literal(arg) for arg in node.args])
            if msgid is not None:
                yield msgid


def _python_string(token: str) -> str:
    quoted = token.lstrip("uUrRbB")
    if "\\" in quoted or quoted[:3] in ('"""', "'''"):
        return ast.literal_eval(token)
    return quoted[1:-1]


def _template_msgids(path: Path) -> Iterator[Msgid]:
    """The messages of a template, as makemessages finds them.

    Django's ``templatize`` turns ``{% trans %}``, ``{% blocktrans %}`` (``count``,
    ``with``, ``trimmed``, ``context``) and their ``translate`` spellings into gettext
    calls with the exact msgid looked up at run time (``{{ n }}`` as ``%(n)s``); those
    calls are read back with Python's tokenizer, which is what xgettext does with them.
    """
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(code).readline)
        if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)
    ]
    for i, token in enumerate(tokens[:-1]):
        if token.type != tokenize.NAME or token.string not in GETTEXT_FUNCTIONS:
            continue
        if tokens[i + 1].string != "(":
            continue
        arguments: list[str | None] = []
        current: str | None = ""
        depth = 0
        for inner in tokens[i + 2 :]:
            if inner.string == "(":
                depth += 1
            elif inner.string == ")" and depth:
                depth -= 1
            elif inner.string in (",", ")") and not depth:
                arguments.append(current)
                if inner.string == ")":
                    break
                current = ""
                continue
            if inner.type == tokenize.STRING and current is not None and not depth:
                current += _python_string(inner.string)
            else:
                current = None
        msgid = _as_msgid(token.string, arguments)
        if msgid is not None:
            yield msgid


def source_msgids(root: Path) -> list[tuple[str, Msgid]]:
    """Every Japanese message marked for translation under ``root``, with its file.

    Migrations and the demo's ``report_*`` modules are left out: they hold the seed
    report's figures and places as data, not text of the UI.
    """
    found: list[tuple[str, Msgid]] = []
    templates = [*root.rglob("*.html"), *(p for p in root.rglob("*.txt") if "templates" in p.parts)]
    for path in sorted(templates):
        found += [(str(path.relative_to(root)), m) for m in _template_msgids(path)]
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts or path.name.startswith("report_"):
            continue
        found += [(str(path.relative_to(root)), m) for m in _python_msgids(path)]
    return [(where, m) for where, m in found if _JAPANESE.search(m.msgid)]


def missing_from_catalogue(root: Path, po_text: str) -> list[str]:
    """``file: msgid`` for each message under ``root`` with no English form in ``po_text``."""
    translated = {
        Msgid(e.context, e.msgid, e.plural).key for e in po_entries(po_text) if e.translated
    }
    return sorted(
        {f"{where}: {m}" for where, m in source_msgids(root) if not m.found_in(translated)}
    )


def test_every_marked_string_in_the_source_is_in_the_english_catalogue():
    missing = missing_from_catalogue(Path(tsunagu.__file__).parent, PO_FILE.read_text())
    assert missing == [], (
        f"{len(missing)} messages have no English form; add them to {PO_FILE.name} "
        "(or run makemessages -l en), translate and compile:\n" + "\n".join(missing[:40])
    )


def test_the_finder_reports_each_untranslated_message_with_its_file(tmp_path):
    # given: a template and a module marking messages in the ways makemessages reads,
    # a migration, and a catalogue with a few of them
    app = tmp_path / "app"
    (app / "templates").mkdir(parents=True)
    (app / "migrations").mkdir()
    (app / "templates" / "page.html").write_text(
        "{% load i18n %}"
        "{% blocktrans count n=items|length %}課題 {{ n }}件{% plural %}課題 {{ n }}件"
        "{% endblocktrans %}\n"
        "{% blocktranslate trimmed with name=user.name %}\n  {{ name }}さん、\n"
        "  ようこそ\n{% endblocktranslate %}\n"
        '{% translate "保存" context "ボタン" %}{% trans "翻訳済み" %}{% trans "English" %}\n',
        encoding="utf-8",
    )
    (app / "views.py").write_text(
        "from django.utils.translation import gettext_lazy as L, npgettext\n"
        'A = L("長い"\n      "文")\n'
        'B = npgettext("人数", "%(n)s人", "%(n)s人", 2)\n'
        "C = L(label)\n",
        encoding="utf-8",
    )
    (app / "migrations" / "0001_initial.py").write_text(
        'from django.utils.translation import gettext as _\nX = _("移行")\n', encoding="utf-8"
    )
    po_text = (
        'msgid "翻訳済み"\nmsgstr "Translated"\n\n'
        'msgctxt "ボタン"\nmsgid "保存"\nmsgstr "Save"\n\n'
        '#, fuzzy\nmsgid "長い文"\nmsgstr "Long"\n\n'
        'msgid "課題 %(n)s件"\nmsgstr "%(n)s issues"\n'
    )

    # when
    missing = missing_from_catalogue(tmp_path, po_text)

    # then: the exact msgids Django looks up ({{ var }} as %(var)s, trimmed, the context),
    # a fuzzy entry counts as missing and a singular entry does not answer a plural
    assert missing == [
        "app/templates/page.html: '%(name)sさん、 ようこそ'",
        "app/templates/page.html: '課題 %(n)s件' (plural '課題 %(n)s件')",
        "app/views.py: '%(n)s人' (plural '%(n)s人') (context '人数')",
        "app/views.py: '長い文'",
    ]
