"""Page-level accessibility tags for base.html: the page title and Japanese content in English mode."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

register = template.Library()


def _has_errors(value: Any) -> bool:
    if isinstance(value, BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, BaseFormSet):
        return value.is_bound and value.total_error_count() > 0
    return False


def page_has_errors(context: template.Context) -> bool:
    """Does any bound form on the page (under any name, or in a list) carry errors?"""
    if context.get("form_errors"):
        return True
    for value in context.flatten().values():
        if _has_errors(value):
            return True
        if isinstance(value, (list, tuple)) and any(_has_errors(item) for item in value[:50]):
            return True
    return False


class PageTitleNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        page = " ".join(self.nodelist.render(context).split())
        site = gettext("つなぐ")
        title = f"{page} | {site}" if page else site
        if page_has_errors(context):
            # After a failed submit the title is the first thing a screen reader announces.
            title = gettext("エラー: ") + title
        return title


@register.tag
def page_title(parser: template.base.Parser, token: template.base.Token) -> PageTitleNode:
    """``{% page_title %}{% block title %}{% endblock %}{% endpage_title %}``: 「ログイン | つなぐ」.

    A child's title block is only known once rendered, so the separator is added here
    (``{% if self.title %}`` is always false in Django templates).
    """
    nodelist = parser.parse(("endpage_title",))
    parser.delete_first_token()
    return PageTitleNode(nodelist)


@register.simple_tag
def lang_ja() -> SafeString:
    """`` lang="ja"`` on Japanese content (names, descriptions) when the interface is not Japanese."""
    language = (get_language() or "ja").split("-")[0]
    return mark_safe("") if language == "ja" else mark_safe(' lang="ja"')
