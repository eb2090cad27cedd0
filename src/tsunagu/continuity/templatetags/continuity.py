"""``{% stewardship_section object %}``: the 「担当」 section for apps above continuity."""

from __future__ import annotations

from typing import Any

from django import template

from tsunagu.continuity.sections import stewardship_context

register = template.Library()


@register.inclusion_tag("continuity/_stewards.html", takes_context=True)
def stewardship_section(context: template.Context, obj: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    section = stewardship_context(user=user, obj=obj) if user is not None else None
    return {
        "section": {"context": section} if section else None,
        "date_style": context.get("date_style"),
    }
