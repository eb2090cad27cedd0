"""Dashboard panel registry.

Each app registers its panels in ``AppConfig.ready()``; the dashboard renders whatever
is registered, so it never imports another app's models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    order: int = 100


_PANELS: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    """Register (or replace, for reloads) a panel under its key."""
    _PANELS[panel.key] = panel


def panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


def render_context(request: HttpRequest) -> list[tuple[Panel, dict[str, Any]]]:
    """The panels that have something to show for this request, with their context."""
    shown = []
    for panel in panels():
        context = panel.context(request)
        if context is not None:
            shown.append((panel, context))
    return shown
