"""The 履歴 page's filter by action kind, shared by every history template.

Every app's history view passes ``entries`` (from :func:`tsunagu.core.history.history_entries`);
the template narrows them with ``?kind=<code>`` here, so no view needs its own filter code.
"""

from __future__ import annotations

from typing import Any

from django import template

from tsunagu.core.history import action_choices, action_filter

register = template.Library()


@register.simple_tag(takes_context=True)
def history_filter(context: template.Context, entries: list[Any]) -> dict[str, Any]:
    """``{"entries": …, "choices": [(code, label)], "selected": code}`` for the request."""
    request = context.get("request")
    wanted = request.GET.get("kind", "") if request is not None else ""
    choices = action_choices(entries)
    selected = wanted if any(code == wanted for code, _label in choices) else ""
    return {
        "entries": action_filter(entries, selected),
        "choices": choices,
        "selected": selected,
    }
