"""Directory API router (/api/v1/directory/)."""

from ninja import Router

router = Router(tags=["directory"])
