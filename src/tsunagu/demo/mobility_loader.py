"""Demo data loader for mobility (filled by the owning work); called by demo.loader.load_demo."""

from __future__ import annotations

from typing import Any


def load_mobility(actor: Any, summary: Any) -> None:
    """Load the mobility demo records idempotently (matched on natural keys)."""
