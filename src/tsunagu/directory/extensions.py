"""Extension points of the organisation and person pages, filled by apps above the directory.

The continuity app shows there who is 担当 of the relationship and the contact log
(連絡・訪問の記録); the directory never imports it. An app registers with
``core.plugins.register_hook(<name>, <key>, function)`` from its ``plugin.py``; the function
returns a :class:`tsunagu.core.sections.Section` or ``None``.
"""

from __future__ import annotations

# function(*, user, organisation, can_edit) -> Section | None
ORGANISATION_DETAIL_SECTIONS = "organisation_detail_sections"
# function(*, user, person, can_edit) -> Section | None
PERSON_DETAIL_SECTIONS = "person_detail_sections"
