"""The case sheet's edit form: its number, the 図表3 summary and each engagement's narrative."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.core import wareki
from tsunagu.engagements.casesheets.builder import NARRATIVE_FIELDS
from tsunagu.engagements.models import CaseSheetSettings, Engagement

NARRATIVE_LABELS = {
    "reasons": _("1 (1) 伴走的支援を受けた理由"),
    "background": _("1 (2) 伴走的支援を受けた取組の経緯等"),
    "post_support_actions": _("2 伴走的支援後の取組"),
    "points_of_attention": _("3 総合事業等の実施を通じて地域づくりを進める上での留意点"),
    "requests_to_government": _("4 地域づくりを進める上での国等への意見・要望"),
}
NARRATIVE_HELP = _(
    "段落ごとに改行してください。「・」で始まる行は箇条書き、「（注）」で始まる行は注として印刷されます。"
)


def field_name(engagement: Engagement, name: str) -> str:
    return f"e{engagement.pk}_{name}"


class CaseSheetForm(forms.Form):
    """One form for the whole sheet, so a save writes everything or nothing."""

    sheet_number = forms.IntegerField(
        label=_("事例表の番号（№）"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_("報告書などでの通し番号。空欄なら番号なしで表示します。"),
    )
    attention_summary = forms.CharField(
        label=_("留意点の要約（図表3に載せる文）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "「・」で始まる行が見出しになります。空欄なら「3 留意点」の文をそのまま図表3に載せます。"
        ),
    )

    def __init__(
        self,
        *args: Any,
        engagements: list[Engagement],
        settings: CaseSheetSettings | None,
        **kwargs: Any,
    ) -> None:
        initial = kwargs.setdefault("initial", {})
        if settings is not None:
            initial.setdefault("sheet_number", settings.sheet_number)
            initial.setdefault("attention_summary", settings.attention_summary)
        super().__init__(*args, **kwargs)
        self.engagements = engagements
        for engagement in engagements:
            for name in NARRATIVE_FIELDS:
                key = field_name(engagement, name)
                self.fields[key] = forms.CharField(
                    label=NARRATIVE_LABELS[name],
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 6 if name != "background" else 10}),
                    help_text=NARRATIVE_HELP,
                    initial=getattr(engagement, name),
                    strip=False,  # keep the line structure the user typed
                )

    def groups(self) -> list[dict[str, Any]]:
        """Fields per engagement, for fieldsets in the template."""
        return [
            {
                "engagement": engagement,
                "legend": (
                    f"{wareki.format_fiscal_year(engagement.fiscal_year)} "
                    f"{engagement.program.name}：{engagement.theme}"
                ),
                "fields": [self[field_name(engagement, name)] for name in NARRATIVE_FIELDS],
            }
            for engagement in self.engagements
        ]

    def narrative(self) -> dict[int, dict[str, str]]:
        """Cleaned narrative per engagement id; line endings normalised, outer blank lines dropped."""
        result: dict[int, dict[str, str]] = {}
        for engagement in self.engagements:
            result[engagement.pk] = {
                name: self.cleaned_data[field_name(engagement, name)]
                .replace("\r\n", "\n")
                .strip("\n")
                .rstrip()
                for name in NARRATIVE_FIELDS
            }
        return result
