from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.areas.models import (
    AreaBase,
    DailyLifeArea,
    District,
    Municipality,
    Prefecture,
    StatisticsSnapshot,
)
from tsunagu.core.codes import normalize_code
from tsunagu.core.forms import WarekiDateField
from tsunagu.core.geo import parse_boundary


class BoundaryField(forms.CharField):
    """GeoJSON typed or pasted as text; parsed and validated with shapely."""

    widget = forms.Textarea(attrs={"rows": 5, "spellcheck": "false"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        return value

    def to_python(self, value: Any) -> dict[str, Any] | None:
        text = super().to_python(value)
        if not text:
            return None
        return parse_boundary(text)


class AreaForm(forms.ModelForm):
    boundary = BoundaryField(
        label=_("境界（GeoJSON）"),
        required=False,
        help_text=_(
            "Polygon または MultiPolygon。座標は [経度, 緯度] の順です。空欄で削除します。"
        ),
    )

    class Meta:
        fields = ["name", "name_kana", "boundary", "centre_lat", "centre_lon"]


def area_form_class(model: type[AreaBase]) -> type[AreaForm]:
    extra = {
        Prefecture: ["name_en"],
        Municipality: ["name_en"],
        DailyLifeArea: ["note"],
        District: ["district_kind", "daily_life_area", "note"],
    }[model]
    meta = type("Meta", (AreaForm.Meta,), {"model": model, "fields": AreaForm.Meta.fields + extra})
    return type(f"{model.__name__}Form", (AreaForm,), {"Meta": meta})


class MunicipalityCreateForm(forms.ModelForm):
    class Meta:
        model = Municipality
        fields = ["code", "name", "name_kana", "name_en"]

    def clean_code(self) -> str:
        # Full-width digits are accepted and stored as ASCII.
        return normalize_code(self.cleaned_data["code"])


class StatisticsSnapshotForm(forms.ModelForm):
    as_of = WarekiDateField(label=_("時点"))
    accept_inconsistency = forms.BooleanField(
        label=_("出典の記載どおり登録する（矛盾があれば「矛盾」として記録し、修正しない）"),
        required=False,
    )

    class Meta:
        model = StatisticsSnapshot
        fields = [
            "as_of",
            "as_of_precision",
            "as_of_text",
            "total_population",
            "population_65_plus",
            "population_75_plus",
            "support_required",
            "care_required",
            "certified_total",
            "program_eligible",
            "reported_aging_rate",
            "source",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "source": _("例: 事例表№3 鹿児島市 基本情報"),
            "reported_aging_rate": _("出典に記載がある場合のみ。計算値は人口から自動で求めます。"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("total_population", "population_65_plus", "population_75_plus"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 0})


class DistrictFormMixin:
    """Limit a district's daily-life-area choices to its own municipality."""

    @staticmethod
    def restrict(form: forms.ModelForm, municipality: Municipality) -> None:
        if "daily_life_area" in form.fields:
            form.fields["daily_life_area"].queryset = municipality.daily_life_areas.all()  # type: ignore[attr-defined]
