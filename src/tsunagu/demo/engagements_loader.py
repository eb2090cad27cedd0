"""Demo data loader for engagements (filled by the owning work); called by demo.loader.load_demo."""

from __future__ import annotations

from typing import Any


def load_engagements(actor: Any, summary: Any) -> None:
    """Load the engagements demo records idempotently (matched on natural keys)."""
