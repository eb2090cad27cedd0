"""Municipalities named in API requests (by 全国地方公共団体コード).

The API kit (:mod:`tsunagu.core.api.refs`) sits below the apps and knows no municipality;
the lookups that need one are here, for every app's router.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tsunagu.accounts.scope import scope_for
from tsunagu.areas.models import Municipality
from tsunagu.core.api.errors import ApiValidationError, FieldError
from tsunagu.core.api.refs import References, normalise
from tsunagu.core.errors import PermissionDenied


def municipality_filter(code: str | None, field: str = "municipality") -> Municipality | None:
    """A list filter by 全国地方公共団体コード (422 for an unknown code)."""
    if not code:
        return None
    municipality = Municipality.objects.filter(code=normalise(code)).first()
    if municipality is None:
        raise ApiValidationError(
            [
                FieldError(
                    field,
                    _("市町村"),
                    _("市町村コード「%(code)s」は登録されていません。") % {"code": code},
                )
            ]
        )
    return municipality


class AreaReferences(References):
    """:class:`References` that also find the municipality a new record belongs to."""

    def municipality(self, field: str, code: str | None, *, user: Any) -> Municipality | None:
        """The municipality a new record belongs to: the code sent, or the user's only one."""
        if code:
            municipality = Municipality.objects.filter(code=normalise(code)).first()
            if municipality is None:
                self.error(
                    field, _("市町村コード「%(code)s」は登録されていません。") % {"code": code}
                )
            return municipality
        scope = scope_for(user)
        if len(scope.editable_municipality_ids) == 1:
            (pk,) = scope.editable_municipality_ids
            return Municipality.objects.get(pk=pk)
        if not scope.is_system_admin and not scope.editable_municipality_ids:
            raise PermissionDenied()
        self.error(field, _("市町村コード（%(field)s）を指定してください。") % {"field": field})
        return None
