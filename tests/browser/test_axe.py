"""axe-core on the main pages at 1280 px and 320 px: no serious or critical violation.

Run with ``python -m pytest -m browser tests/browser/test_axe.py``. axe-core comes from the
``axe-playwright-python`` package (it ships ``axe.min.js``); nothing is fetched at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

WIDTHS = (1280, 320)
BLOCKING = {"serious", "critical"}


def _axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def _violations(page: Any) -> list[str]:
    """Serious and critical axe-core violations of the page as it is now, one line each.

    The test injects axe-core as an inline script, which the site's Content-Security-Policy
    rightly refuses: these pages are opened with ``bypass_csp`` (the policy itself is checked
    by every other browser test)."""
    page.add_script_tag(content=_axe_script())
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
            }));
        }"""
    )
    return [
        f"{page.url}: {v['id']} ({v['impact']}) at {', '.join(v['targets'])}"
        for v in result
        if v["impact"] in BLOCKING
    ]


def _first_pk(model_path: str, **filters: Any) -> int:
    from django.utils.module_loading import import_string

    obj = import_string(model_path)._default_manager.filter(**filters).order_by("pk").first()
    assert obj is not None, model_path
    return obj.pk


@pytest.mark.parametrize("width", WIDTHS)
def test_public_pages_have_no_serious_violations(new_page: Callable[..., Any], width: int) -> None:
    page = new_page(viewport={"width": width, "height": 800}, bypass_csp=True)
    found: list[str] = []
    for path in ("/accounts/login/", "/public/"):
        page.goto(path)
        found += _violations(page)
    # a form with errors
    page.goto("/accounts/login/")
    page.get_by_role("button", name="ログイン", exact=True).click()
    page.wait_for_load_state()
    assert page.title().startswith("エラー: ")
    found += _violations(page)
    assert found == []


@pytest.mark.parametrize("width", WIDTHS)
def test_signed_in_pages_have_no_serious_violations(
    new_page: Callable[..., Any], login: Callable[..., None], width: int
) -> None:
    from tsunagu.areas.models import Municipality

    saiki = Municipality.objects.get(name="佐伯市")
    organisation = _first_pk("tsunagu.directory.models.Organisation", municipality=saiki)
    paths = [
        "/dashboard/",
        "/directory/",
        f"/directory/organisations/{organisation}/",
        f"/directory/organisations/{organisation}/history/",
        "/areas/",
        f"/bodies/{_first_pk('tsunagu.bodies.models.ConsultativeBody', municipality=saiki)}/",
        f"/issues/{_first_pk('tsunagu.regional_issues.models.RegionalIssue', municipality=saiki)}/",
        f"/engagements/{_first_pk('tsunagu.engagements.models.Engagement', municipality=saiki)}/",
        "/issues/",
        "/mobility/",
        "/mobility/legal/",
    ]
    page = new_page(viewport={"width": width, "height": 800}, bypass_csp=True)
    login(page, "saiki-sc")
    found: list[str] = []
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        found += _violations(page)
    # an app form submitted empty: the error summary and the fields' errors
    page.goto("/issues/new/")
    page.get_by_label("課題", exact=False).first.fill("")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.title().startswith("エラー: ")
    found += _violations(page)
    assert found == []
