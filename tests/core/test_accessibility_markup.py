"""Accessibility of the shared markup (issue 12, §6): field errors linked to their fields,
page titles, named scrolling regions, one focus style, Japanese content marked in English mode."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import reverse

import tsunagu

ROOT = Path(tsunagu.__file__).parent


def _title(page: str) -> str:
    match = re.search(r"<title>(.*?)</title>", page, re.S)
    assert match is not None
    return match.group(1).strip()


def test_page_title_separates_page_and_site() -> None:
    page = Client().get(reverse("accounts:login")).content.decode()

    assert _title(page) == "ログイン | つなぐ"


def test_failed_submit_links_errors_to_fields_and_says_so_in_the_title(db: Any) -> None:
    page = (
        Client().post(reverse("accounts:login"), {"username": "", "password": ""}).content.decode()
    )

    assert _title(page).startswith("エラー: ")
    described = re.findall(r'aria-describedby="([^"]+)"', page)
    error_ids = set(re.findall(r'<ul class="errorlist" id="([^"]+)"', page))
    assert error_ids
    assert all(error_id.endswith("_error") for error_id in error_ids)
    referenced = {token for value in described for token in value.split()}
    assert error_ids <= referenced  # every error list is what its field points to
    for token in referenced:
        assert f'id="{token}"' in page


def test_app_form_with_errors_uses_the_one_field_template(client_as: Any) -> None:
    page = (
        client_as("kawara").post(reverse("regional_issues:create"), {"title": ""}).content.decode()
    )

    error_ids = re.findall(r'<ul class="errorlist" id="([^"]+)"', page)
    assert error_ids
    assert not [e for e in error_ids if e.endswith("_errors")]
    assert _title(page).startswith("エラー: ")


def test_only_the_core_field_template_remains() -> None:
    copies = [
        p.relative_to(ROOT).as_posix()
        for p in ROOT.rglob("*.html")
        if p.name in {"_fields.html", "_field.html"}
    ]
    assert copies == []


def test_every_scrolling_table_region_is_named_and_focusable() -> None:
    regions = [
        (path, match.group(0))
        for path in ROOT.rglob("*.html")
        for match in re.finditer(r'<div class="table-scroll"[^>]*>', path.read_text())
    ]
    assert len(regions) > 40
    unnamed = [
        f"{path.relative_to(ROOT)}: {tag}"
        for path, tag in regions
        if not (
            'tabindex="0"' in tag
            and 'role="region"' in tag
            and ("aria-label=" in tag or "aria-labelledby=" in tag)
        )
    ]
    assert unnamed == []


def test_one_focus_style_for_the_whole_site() -> None:
    overrides = [
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*.css")
        if "vendor" not in path.parts
        # print.css and meeting_print.css: standalone A4 pages that do not load tsunagu.css
        and path.name not in {"tsunagu.css", "print.css", "meeting_print.css"}
        and "focus-visible" in path.read_text()
    ]
    assert overrides == []
    core = (ROOT / "core" / "static" / "tsunagu" / "tsunagu.css").read_text()
    assert ":focus-visible { outline: 3px solid var(--text)" in core


def test_japanese_content_is_marked_in_english_mode(client_as: Any, user_named: Any) -> None:
    from tsunagu.directory.models import Organisation

    user = user_named("saiki")
    user.language = "en"
    user.save()
    organisation = Organisation.objects.filter(municipality__name="佐伯市").order_by("pk").first()
    assert organisation is not None

    page = (
        client_as("saiki")
        .get(reverse("directory:organisation_detail", args=[organisation.pk]))
        .content.decode()
    )

    assert '<html lang="en">' in page
    assert f'<h1 lang="ja">{organisation.name}' in page


def test_japanese_mode_adds_no_redundant_lang(client_as: Any, municipality: Any) -> None:
    from tsunagu.directory.models import Organisation

    organisation = (
        Organisation.objects.filter(municipality=municipality("佐伯市")).order_by("pk").first()
    )
    assert organisation is not None

    page = (
        client_as("saiki")
        .get(reverse("directory:organisation_detail", args=[organisation.pk]))
        .content.decode()
    )

    assert f"<h1>{organisation.name}" in page
