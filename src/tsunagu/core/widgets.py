"""Form widgets that render long choice lists without one template per option.

Django renders each option of a ``CheckboxSelectMultiple`` through four nested templates;
a regional issue's form offers every resource and organisation of its municipality, and at
2,000 resources that rendering took over a second per page (issue 18). ``ManyCheckboxes``
writes the very same markup as Django's templates (``multiple_input.html``,
``input_option.html``, ``input.html``, ``attrs.html``) directly; a test compares the two.
"""

from __future__ import annotations

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
