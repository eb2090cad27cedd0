"""The directory in a real browser (issue 3): search, filter, a record, the map, an .xlsx
import through the four steps, and the public page.

Run with ``python -m pytest -m browser tests/browser``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

# search_index: the live server's flush empties the full-text terms (see conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("search_index")]

RESULTS = re.compile(r"検索結果 (\d+)件")
IMPORTED = ("ひまわり号の見守り訪問", "ひまわり号の買い物送迎")


def _count(page: Any) -> int:
    heading = page.locator("#results-heading")
    expect(heading).to_have_text(RESULTS)
    match = RESULTS.search(heading.inner_text())
    assert match is not None
    return int(match.group(1))


def _search(page: Any, query: str) -> None:
    page.get_by_label(re.compile("^キーワード")).fill(query)
    page.get_by_role("button", name="検索", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]q="))


def _figure(page: Any, term: str) -> Any:
    """The <dd> after the <dt> named ``term`` in the page's figures."""
    return page.locator("dl.figures dt", has_text=re.compile(f"^{term}$")).locator(
        "xpath=following-sibling::dd[1]"
    )


def test_search_filter_open_record_and_map(page: Any, login: Any, live_server: Any) -> None:
    # Tiles (and anything else not served by the app) cannot load: fail them at once,
    # as they would offline, rather than wait for a network that is not there.
    page.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    login(page, "kawara")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    nav = page.get_by_role("navigation", name="メインメニュー")
    nav.get_by_role("link", name="地域資源", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("地域資源を探す")

    _search(page, "見守")  # two characters
    results = page.locator("ol.hits")
    expect(results.get_by_role("link", name="見守り活動", exact=True)).to_be_visible()
    everything = _count(page)
    assert everything >= 2

    # Narrow to the category (its descendants included): the organisations drop out.
    category = page.get_by_label("分類", exact=True)
    option = category.locator("option", has_text="見守り・安否確認")
    category.select_option(option.get_attribute("value"))
    page.get_by_role("button", name="この条件で検索").click()
    expect(page).to_have_url(re.compile(r"[?&]category=\d+"))
    expect(page.get_by_label("分類", exact=True)).to_have_value(option.get_attribute("value"))
    expect(results.get_by_role("link", name="見守り活動", exact=True)).to_be_visible()
    filtered = _count(page)
    assert 1 <= filtered < everything
    expect(results.locator(".badge-organisation")).to_have_count(0)
    expect(results.locator("li.hit")).to_have_count(filtered)

    results.get_by_role("link", name="見守り活動", exact=True).click()
    expect(page).to_have_url(re.compile(r"/directory/resources/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("見守り活動")
    expect(page.locator("dl.details").first).to_contain_text("生活支援 › 見守り・安否確認")

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("地域資源を探す")
    page.get_by_role("link", name="この条件で地図を見る").click()
    expect(page).to_have_url(re.compile(r"/directory/map/\?.*category=\d+"))
    expect(page.get_by_role("heading", level=1)).to_have_text("地図で見る")
    # The same records are listed under the map, whether or not they have a position.
    listed = page.get_by_role("region", name=re.compile("地図に表示している記録"))
    expect(listed.get_by_role("link", name="見守り活動", exact=True)).to_be_visible()
    expect(page.locator("#map.leaflet-container")).to_be_visible()  # Leaflet (local) ran
    offline = page.locator("#map-offline")
    expect(offline).to_be_visible()
    expect(offline).to_have_text("地図の背景を読み込めません（オフライン）。一覧は下にあります。")


def _workbook(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["名称", "提供する団体", "分類", "内容", "公開範囲"])
    sheet.append([IMPORTED[0], "保険健康課", "見守り・安否確認", "月に一度の訪問", "公開"])
    sheet.append([IMPORTED[1], "香春町", "買い物支援", "週に一度の送迎", "関係者"])
    book.save(path)
    return path


def test_import_xlsx_through_the_four_steps(
    page: Any, login: Any, tmp_path: Path, settings: Any
) -> None:
    settings.TSUNAGU_IMPORT_DIR = str(tmp_path / "imports")  # not the project's var/
    workbook = _workbook(tmp_path / "香春町の地域資源.xlsx")
    login(page, "kawara")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="地域資源", exact=True
    ).click()
    page.get_by_role("link", name="Excel・CSVから取り込む").click()

    # 1/4: the file
    expect(page.get_by_role("heading", level=1)).to_have_text("Excel・CSV からの取り込み")
    page.get_by_label(re.compile("^取り込むもの")).select_option(label="地域資源")
    page.get_by_label(re.compile("^取り込み先の市町村")).select_option(label="香春町")
    page.get_by_label(re.compile("^ファイル")).set_input_files(workbook)
    page.get_by_role("button", name="次へ（列の対応付け）").click()

    # 2/4: the columns, chosen from the headers
    expect(page.get_by_role("heading", level=1)).to_have_text("列の対応付け")
    expect(page.locator("main")).to_contain_text(IMPORTED[0])  # the file's first rows
    expect(page.get_by_label(re.compile("^提供する団体"))).to_have_value("1")
    expect(page.get_by_label(re.compile("^分類"))).to_have_value("2")
    page.get_by_role("button", name="次へ（全行を確認する）").click()

    # 3/4: every row checked, nothing written yet
    expect(page.get_by_role("heading", level=1)).to_have_text("取り込む内容の確認")
    expect(_figure(page, "新規登録")).to_have_text("2")
    expect(page.get_by_role("alert")).to_have_count(0)
    page.get_by_role("button", name="香春町に取り込む").click()

    # 4/4: the report
    expect(page.get_by_role("heading", level=1)).to_have_text("取り込みの結果")
    expect(page.get_by_role("status")).to_contain_text("を香春町に取り込みました。")
    expect(_figure(page, "新規登録")).to_have_text("2")

    page.get_by_role("link", name="地域資源を見る").click()
    _search(page, "ひまわり")
    assert _count(page) == 2
    results = page.locator("ol.hits")
    for name in IMPORTED:
        expect(results.get_by_role("link", name=name, exact=True)).to_be_visible()
    results.get_by_role("link", name=IMPORTED[0], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(IMPORTED[0])
    expect(page.locator("dl.details").first).to_contain_text("保険健康課")
    expect(page.locator("dl.details").first).to_contain_text("見守り・安否確認")

    # Residents see the one imported as 公開, not the one for 関係者.
    page.goto("/public/?q=ひまわり")
    public = page.locator("ol.hits")
    expect(public.get_by_role("link", name=IMPORTED[0], exact=True)).to_be_visible()
    expect(public.get_by_role("link", name=IMPORTED[1])).to_have_count(0)


def test_public_page_lists_public_resources_only(page: Any) -> None:
    from tsunagu.directory.models import Resource, Visibility
    from tsunagu.directory.selectors import public_resource_list

    partners = Resource.objects.filter(
        visibility=Visibility.PARTNERS, municipality__name="香春町"
    ).first()
    assert partners is not None  # 住民主体による日常生活支援（サービスB）
    public_total = public_resource_list().count()

    page.goto("/public/")
    expect(page.get_by_role("heading", level=1)).to_have_text("地域の支えあい・サービスをさがす")
    expect(page.get_by_role("button", name="ログアウト")).to_have_count(0)
    expect(page.get_by_role("navigation", name="メインメニュー")).to_have_count(0)
    expect(page.locator("#results-heading")).to_have_text(f"{public_total}件見つかりました")
    results = page.locator("ol.hits")
    expect(results.get_by_role("link", name="見守り活動", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name=partners.name)).to_have_count(0)
    expect(results.locator(".badge-organisation")).to_have_count(0)

    # The same two characters that find the partners-only resource for kawara.
    page.get_by_label(re.compile("^キーワード")).fill("見守")
    page.get_by_role("button", name="検索", exact=True).click()
    expect(page).to_have_url(re.compile(r"/public/\?.*q="))
    expect(results.get_by_role("link", name="見守り活動", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name=partners.name)).to_have_count(0)
    results.get_by_role("link", name="見守り活動", exact=True).click()
    expect(page).to_have_url(re.compile(r"/public/resources/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("見守り活動")

    response = page.goto(f"/public/resources/{partners.pk}/")
    assert response is not None and response.status == 404
