"""Sections that a higher app adds to a lower app's detail page (through a named hook).

The lower app names the hook and calls :func:`sections`; each registered function returns a
:class:`Section` or ``None``. The page includes ``section.template`` with ``section`` in the
context and lists ``section.anchor``/``section.label`` in its table of contents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tsunagu.core.plugins import hooks


@dataclass(frozen=True)
class Section:
    """A section of a page: its template (included with ``section`` in the context), the
    id of its heading (for the page's table of contents) and the heading's text."""

    template: str
    anchor: str
    label: str
    context: dict[str, Any] = field(default_factory=dict)


def sections(name: str, **kwargs: Any) -> list[Section]:
    return [s for provide in hooks(name) if (s := provide(**kwargs)) is not None]


# Sections a higher app adds to the page of any record of a lower app (e.g. plans: 「計画との
# つながり」 on a regional issue, a service B group, a mobility service, a roadmap). Each
# function takes ``user`` and ``record`` and returns a Section or None; pages render them with
# ``{% load tsunagu_sections %}{% record_sections object %}``.
RECORD_DETAIL_SECTIONS = "record_detail_sections"
