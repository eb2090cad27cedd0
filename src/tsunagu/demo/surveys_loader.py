"""Demo data loader for surveys (filled by the owning work); called by demo.loader.load_demo."""

from __future__ import annotations

from typing import Any


def load_surveys(actor: Any, summary: Any) -> None:
    """Load the surveys demo records idempotently (matched on natural keys)."""
