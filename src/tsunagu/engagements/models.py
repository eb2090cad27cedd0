"""Models (filled by the owning work)."""
