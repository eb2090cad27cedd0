"""``{% record_sections object %}``: the sections higher apps add to a record's page (the
``record_detail_sections`` hook of :mod:`tsunagu.core.sections`), rendered in key order."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from tsunagu.core.sections import RECORD_DETAIL_SECTIONS, sections

register = template.Library()


@register.simple_tag(takes_context=True)
def record_sections(context: template.Context, record: Any) -> SafeString:
    request = context.get("request")
    user = getattr(request, "user", None)
    parts = [
        render_to_string(
            section.template, {**context.flatten(), "section": section}, request=request
        )
        for section in sections(RECORD_DETAIL_SECTIONS, user=user, record=record)
    ]
    return mark_safe("".join(parts))  # rendered templates, escaped by Django
