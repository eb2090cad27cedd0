"""Form widgets that render long choice lists without one template per option.

Django renders each option of a ``CheckboxSelectMultiple`` through four nested templates;
a regional issue's form offers every resource and organisation of its municipality, and at
2,000 resources that rendering took over a second per page (issue 18). ``ManyCheckboxes``
writes the very same markup as Django's templates (``multiple_input.html``,
``input_option.html``, ``input.html``, ``attrs.html``) directly; a test compares the two.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, Any]) -> str:
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


def _option(option: dict[str, Any]) -> str:
    value = option["value"]
    html = (
        f'<input type="{conditional_escape(option["type"])}" name="{conditional_escape(option["name"])}"'
        + (f' value="{conditional_escape(str(value))}"' if value is not None else "")
        + _attrs(option["attrs"])
        + ">\n"  # the templates' files end with a newline, kept by each include
    )
    if not option.get("wrap_label"):
        return f"{html}\n\n"
    option_id = option["attrs"].get("id")
    label_for = f' for="{conditional_escape(option_id)}"' if option_id else ""
    return f"<label{label_for}>{html} {conditional_escape(option['label'])}</label>\n\n"


class ManyCheckboxes(forms.CheckboxSelectMultiple):
    """``CheckboxSelectMultiple`` with the same HTML, rendered in Python (long lists)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        widget_id = widget["attrs"].get("id")
        css_class = widget["attrs"].get("class")
        parts = [
            "<div",
            format_html(' id="{}"', widget_id) if widget_id else "",
            format_html(' class="{}"', css_class) if css_class else "",
            ">",
        ]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(format_html("\n  <div><label>{}</label>", group))
            for option in options:
                parts.append(f"<div>\n    {_option(option)}</div>")
            if group:
                parts.append("\n  </div>")
        parts.append("\n</div>")
        return mark_safe("".join(parts))


class ManyOptions(forms.Select):
    """``Select`` with the same HTML as Django's templates, rendered in Python (long lists)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(f'\n  <optgroup label="{conditional_escape(group)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
            if group:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


# --- search-to-add ------------------------------------------------------------------------

PICKER_RESULTS = 20  # matches offered per search: enough to choose, short enough to read


class SearchPicker(ManyCheckboxes):
    """A multiple choice from a long list: the chosen items as checkboxes and a search box
    that offers matches to add (htmx), instead of thousands of checkboxes.

    With up to ``full_list_max`` choices (a town's directory) it renders Django's full list.
    Above that, rendering and reading the page cost seconds and nobody can scan the list
    (issue 18: a city's 2,000 resources). The search goes to ``search_url`` (the form sets
    it), which answers with :func:`picker_list` over the same, already scoped, queryset; the
    search box's value is not a field of the form and is ignored when the form is posted.
    ``full_list_url`` (optional) links to the same page with the whole list, for browsing or
    for a browser without JavaScript.
    """

    template_name = "core/widgets/search_picker.html"

    def __init__(self, *args: Any, full_list_max: int = 200, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.full_list_max = full_list_max
        self.search_url = ""
        self.full_list_url = ""

    def _total(self) -> int:
        """How many choices, counted once per form and only up to ``full_list_max`` + 1: past
        that the number is not shown, and counting a city's thousands costs a scan."""
        if getattr(self, "_counted", None) is None:
            queryset = self.choices.queryset  # type: ignore[attr-defined]
            self._counted = queryset.order_by()[: self.full_list_max + 1].count()
        return self._counted

    def _is_long(self) -> bool:
        queryset = getattr(self.choices, "queryset", None)
        return bool(self.search_url) and queryset is not None and self._total() > self.full_list_max

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        if not self._is_long():
            return super().render(name, value, attrs, renderer)
        from django.template.loader import render_to_string

        widget_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        chosen = self.choices.queryset.filter(
            pk__in=[v for v in (value or []) if v not in (None, "")]
        )  # type: ignore[attr-defined]
        return render_to_string(
            self.template_name,
            {
                "name": name,
                "id": widget_id,
                "list": picker_list(
                    self.choices.field.label_from_instance,  # type: ignore[attr-defined]
                    name=name,
                    widget_id=widget_id,
                    checked=list(chosen),
                    matches=[],
                ),
                "search_url": self.search_url,
                "full_list_url": self.full_list_url,
            },
        )

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # like Django's checkboxes: no box ticked means an empty choice


def picker_matches(
    queryset: Any, query: str, exclude: list[Any], limit: int = PICKER_RESULTS
) -> tuple[list[Any], int]:
    """Up to ``limit`` rows of ``queryset`` whose name or よみがな contains ``query`` (after
    NFKC and case folding, so ＡＢＣ finds abc), and how many match in all."""
    from django.db.models import Q

    from tsunagu.core.text import normalize

    query = normalize(query)[:100]
    if not query:
        return [], 0
    fields = {f.name for f in queryset.model._meta.get_fields()}
    condition = Q(name__icontains=query)
    if "name_kana" in fields:
        condition |= Q(name_kana__icontains=query)
    found = queryset.filter(condition).exclude(pk__in=exclude)
    return list(found[:limit]), found.count()


def picker_list(
    label: Callable[[Any], str], *, name: str, widget_id: str, checked: list[Any],
    matches: list[Any], query: str = "", total_matches: int = 0,
) -> SafeString:  # fmt: skip
    """The list part of a :class:`SearchPicker`: ticked rows first, then the matches, each
    labelled by ``label`` (the field's ``label_from_instance``)."""
    from django.template.loader import render_to_string

    rows = [(obj.pk, label(obj), True) for obj in checked] + [
        (obj.pk, label(obj), False) for obj in matches
    ]
    return mark_safe(
        render_to_string(
            "core/widgets/search_picker_list.html",
            {
                "name": name,
                "id": widget_id,
                "rows": rows,
                "query": query,
                "shown": len(matches),
                "total_matches": total_matches,
            },
        )
    )
