"""Demo data loader for transit (filled by the owning work); called by demo.loader.load_demo."""

from __future__ import annotations

from typing import Any


def load_transit(actor: Any, summary: Any) -> None:
    """Load the transit demo records idempotently (matched on natural keys)."""
