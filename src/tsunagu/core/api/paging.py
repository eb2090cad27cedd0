"""Paging of the API's lists: one envelope (items, count, page, per_page, has_next)."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Query

MAX_PER_PAGE = 100
MAX_PAGE = 10_000
PAGE_HELP = "ページ番号（1から）"
PER_PAGE_HELP = f"1ページの件数（最大{MAX_PER_PAGE}）"

# The ``page`` and ``per_page`` query parameters of every list.
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE, description=PAGE_HELP)]
PerPage = Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description=PER_PAGE_HELP)]


def paginate(queryset: QuerySet[Any], page: int, per_page: int) -> tuple[list[Any], int, bool]:
    """The page's records, the total count and whether a next page exists."""
    count = queryset.count()
    start = (page - 1) * per_page
    return list(queryset[start : start + per_page]), count, start + per_page < count


def page_out(items: list[Any], count: int, page: int, per_page: int, has_next: bool) -> Any:
    return {
        "items": items,
        "count": count,
        "page": page,
        "per_page": per_page,
        "has_next": has_next,
    }
