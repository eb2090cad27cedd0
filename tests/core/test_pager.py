"""One pager template for the paged lists (issue 13: copied in two apps before)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template import loader
from django.template.loader import render_to_string


def test_pager_links_keep_the_lists_query() -> None:
    page = Paginator(range(120), 50).page(2)
    html = render_to_string("core/pager.html", {"page": page, "query": "q=%E8%A6%8B"})
    assert 'href="?q=%E8%A6%8B&amp;page=1"' in html
    assert 'href="?q=%E8%A6%8B&amp;page=3"' in html
    assert "2 / 3 ページ" in html
    one_page = Paginator(range(3), 50).page(1)
    assert render_to_string("core/pager.html", {"page": one_page}).strip() == ""


def test_paged_lists_use_the_one_pager() -> None:
    for template in (
        "engagements/engagement_list.html",
        "engagements/insight_search.html",
        "regional_issues/issue_list.html",
    ):
        source = loader.get_template(template).template.source
        assert '{% include "core/pager.html" %}' in source
        assert "has_other_pages" not in source
