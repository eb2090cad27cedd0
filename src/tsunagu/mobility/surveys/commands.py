"""What the write services of needs surveys (ニーズ調査) set for one answer sheet (issue 13
item 6): the form, the spreadsheet import and the demo build it; the service sets it with
:func:`~tsunagu.core.fields.apply_fields`."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from tsunagu.core.fields import UNSET, Unset

if TYPE_CHECKING:
    from tsunagu.areas.models import District


@dataclasses.dataclass(frozen=True, kw_only=True)
class ResponseFields:
    """One answer sheet (回答); what is not given keeps the model's default (or, on update,
    the current answer)."""

    respondent_ref: str | Unset = UNSET
    district: District | Unset | None = UNSET
    age_band: str | Unset = UNSET
    lives_alone: bool | Unset | None = UNSET
    would_use: str | Unset = UNSET
    dest_hospital: bool | Unset = UNSET
    dest_shopping: bool | Unset = UNSET
    dest_bank: bool | Unset = UNSET
    dest_city_office: bool | Unset = UNSET
    dest_gathering_place: bool | Unset = UNSET
    dest_other: str | Unset = UNSET
    frequency: str | Unset = UNSET
    uses_cane: bool | Unset = UNSET
    uses_walker: bool | Unset = UNSET
    uses_wheelchair: bool | Unset = UNSET
    walk_to_stop: str | Unset = UNSET
    can_book_by_phone: bool | Unset | None = UNSET
    troubles: str | Unset = UNSET
    weight: int | Unset = UNSET
