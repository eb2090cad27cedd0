"""Forms of the coexistence pages: the requests check and the planned-area check."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tsunagu.core.forms import WarekiDateField
from tsunagu.transit.walking import walk_m_per_min


def _feed_label(feed: Any) -> str:
    return f"{feed.name}（{feed.municipality.name if feed.municipality else _('全国共通')}）"


class CoexistenceForm(forms.Form):
    feeds = forms.ModelMultipleChoiceField(
        label=_("比べる公共交通データ"),
        queryset=None,  # set in __init__
        widget=forms.CheckboxSelectMultiple,
        help_text=_("コミュニティバス・デマンドバスなど、既にある路線のデータを選びます。"),
    )
    requests_file = forms.FileField(
        label=_("移動の依頼（CSV ファイル）"),
        help_text=_(
            "見出し行に 出発地緯度, 出発地経度, 目的地緯度, 目的地経度, 日付, 出発可能時刻, "
            "出発期限 （英語名 origin_lat, origin_lon, dest_lat, dest_lon, date, earliest, "
            "latest も可）。任意で 番号, 到着期限, メモ。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    date = WarekiDateField(
        label=_("日付（CSV に日付の列がないとき）"),
        required=False,
    )
    walk_m = forms.IntegerField(
        label=_("歩ける距離（m、直線）"),
        min_value=50,
        max_value=3000,
        initial=500,
    )

    def __init__(self, *args: Any, feeds: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["feeds"].queryset = feeds  # type: ignore[attr-defined]
        self.fields["feeds"].label_from_instance = _feed_label  # type: ignore[attr-defined]
        self.fields["walk_m"].help_text = _(
            "自宅・目的地から停留所までの直線距離。実際の道のりはこれより長くなります。"
            "歩く時間は徒歩 分速%(speed)sm で計算します。"
        ) % {"speed": f"{walk_m_per_min():g}"}


class AreaCheckForm(forms.Form):
    """A planned service area: a district with a boundary (or centre), or a circle."""

    feeds = forms.ModelMultipleChoiceField(
        label=_("比べる公共交通データ"),
        queryset=None,  # set in __init__
        widget=forms.CheckboxSelectMultiple,
    )
    district = forms.ModelChoiceField(
        label=_("地区"),
        queryset=None,  # set in __init__
        required=False,
        empty_label=_("（地区を使わず、中心と半径で指定する）"),
        help_text=_("境界または中心点が登録されている地区だけを選べます。"),
    )
    centre_lat = forms.FloatField(
        label=_("中心の緯度"), required=False, min_value=-90, max_value=90
    )
    centre_lon = forms.FloatField(
        label=_("中心の経度"), required=False, min_value=-180, max_value=180
    )
    radius_m = forms.IntegerField(
        label=_("半径（m）"),
        min_value=100,
        max_value=20000,
        initial=1500,
        help_text=_("地区に境界がないとき、または中心を指定したときに使います。"),
    )
    date = WarekiDateField(label=_("日付"))

    def __init__(
        self, *args: Any, feeds: QuerySet[Any], districts: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["feeds"].queryset = feeds  # type: ignore[attr-defined]
        self.fields["feeds"].label_from_instance = _feed_label  # type: ignore[attr-defined]
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]
        self.fields["district"].label_from_instance = lambda d: (  # type: ignore[attr-defined]
            f"{d.name}（{d.municipality.name}）"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        district = data.get("district")
        has_centre = data.get("centre_lat") is not None and data.get("centre_lon") is not None
        if district is None and not has_centre:
            raise forms.ValidationError(
                _("地区を選ぶか、中心の緯度と経度の両方を入力してください。")
            )
        return data
