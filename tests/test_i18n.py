"""The UI is Japanese first with English available; every string has its English form."""

from pathlib import Path

import tsunagu

PO_FILE = Path(tsunagu.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[tuple[str, str]]:
    entries, msgid, msgstr, state = [], [], [], None
    for line in [*text.splitlines(), ""]:
        if line.startswith("msgid "):
            msgid, msgstr, state = [line[7:-1]], [], "id"
        elif line.startswith(("msgstr ", "msgstr[0] ")):
            msgstr, state = [line.split(" ", 1)[1][1:-1]], "str"
        elif line.startswith('"') and state == "id":
            msgid.append(line[1:-1])
        elif line.startswith('"') and state == "str":
            msgstr.append(line[1:-1])
        elif not line.strip() and state == "str":
            entries.append(("".join(msgid), "".join(msgstr)))
            state = None
    return entries


def test_every_japanese_ui_string_has_an_english_translation():
    untranslated = [mid for mid, mstr in _entries(PO_FILE.read_text()) if mid and not mstr]
    assert untranslated == []


def test_compiled_catalogue_exists_and_is_not_empty():
    mo_file = PO_FILE.with_suffix(".mo")
    assert mo_file.exists()
    assert mo_file.read_bytes()  # an empty catalogue would silently show Japanese


def test_dashboard_in_english_uses_english_labels(client_as, user_named):
    user = user_named("kawara")
    user.language = "en"
    user.save()
    body = client_as("kawara").get("/dashboard/").content.decode()
    assert '<html lang="en">' in body
    assert "Dashboard" in body
    assert "Total population" in body
    assert "ダッシュボード" not in body


def _source_msgids() -> set[str]:
    """Japanese msgids written in templates ({% trans "…" %}) and Python (_("…"))."""
    import re

    root = Path(tsunagu.__file__).parent
    found: set[str] = set()
    trans_tag = re.compile(r"""\{%\s*trans\s+(["'])(.+?)\1""")
    gettext_call = re.compile(r"""(?<![\w.])_\(\s*"([^"\\]+)"\s*\)""")
    for path in root.rglob("*.html"):
        found.update(match[1] for match in trans_tag.findall(path.read_text()))
    for path in root.rglob("*.py"):
        if "migrations" in path.parts or path.name.startswith("report_"):
            continue
        found.update(gettext_call.findall(path.read_text()))
    return {msgid for msgid in found if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", msgid)}


def test_every_marked_string_in_the_source_is_in_the_english_catalogue():
    translated = {mid for mid, mstr in _entries(PO_FILE.read_text()) if mid and mstr}
    missing = sorted(_source_msgids() - translated)
    assert missing == [], "run makemessages -l en and translate: " + ", ".join(missing[:20])
