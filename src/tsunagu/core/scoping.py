"""Scope properties that accounts.permissions reads (``scope_prefecture_id``, ``scope_municipality_id``).

Plain mixins (no fields), so models keep their own ``municipality`` / ``body`` fields and
migrations are unaffected.
"""

from __future__ import annotations


class MunicipalityScoped:
    """A record that belongs to ``self.municipality``."""

    @property
    def scope_prefecture_id(self) -> int:
        return self.municipality.prefecture_id  # type: ignore[attr-defined]

    @property
    def scope_municipality_id(self) -> int:
        return self.municipality_id  # type: ignore[attr-defined]


class BodyScoped:
    """A record that belongs to a consultative body (``self.body``) and so to its municipality."""

    @property
    def scope_prefecture_id(self) -> int:
        return self.body.scope_prefecture_id  # type: ignore[attr-defined]

    @property
    def scope_municipality_id(self) -> int:
        return self.body.municipality_id  # type: ignore[attr-defined]
