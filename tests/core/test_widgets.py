"""The long-list widgets write exactly Django's markup (issue 18: same pages, faster)."""

from __future__ import annotations

import pytest
from django import forms

from tsunagu.core.widgets import ManyCheckboxes, ManyOptions

CHOICES = [
    ("", "---------"),
    (1, "香春町 <b>自治会</b> & \"会\" 'x'"),
    ("a&b", "値に記号"),
    ("グループ", [(3, "中の選択肢"), (4, "もう一つ")]),
]


@pytest.mark.parametrize("value", [None, [], ["1"], ["1", "4"], ["a&b"]])
@pytest.mark.parametrize(
    "attrs",
    [None, {"id": "id_f"}, {"id": "id_f", "class": 'x"y', "required": True, "disabled": False}],
)
def test_many_checkboxes_writes_what_django_writes(value, attrs):
    django_html = forms.CheckboxSelectMultiple(choices=CHOICES).render("f", value, attrs)
    ours = ManyCheckboxes(choices=CHOICES).render("f", value, attrs)
    assert ours == django_html


@pytest.mark.parametrize("value", [None, "", "1", "4", "a&b"])
@pytest.mark.parametrize(
    "attrs",
    [None, {"id": "id_f"}, {"id": "id_f", "class": 'x"y', "required": True, "disabled": False}],
)
def test_many_options_writes_what_django_writes(value, attrs):
    django_html = forms.Select(choices=CHOICES).render("f", value, attrs)
    ours = ManyOptions(choices=CHOICES).render("f", value, attrs)
    assert ours == django_html


def test_many_checkboxes_in_a_bound_model_form_field_match_django(user_named, db):
    """With a model choice field (ModelChoiceIteratorValue values), as the issue form uses."""
    from tsunagu.directory.models import Organisation

    queryset = Organisation.objects.order_by("pk")[:20]
    picked = [str(o.pk) for o in queryset[:3]]

    class Both(forms.Form):
        django = forms.ModelMultipleChoiceField(queryset, widget=forms.CheckboxSelectMultiple)
        ours = forms.ModelMultipleChoiceField(queryset, widget=ManyCheckboxes)
        django_one = forms.ModelChoiceField(queryset, widget=forms.Select, required=False)
        ours_one = forms.ModelChoiceField(queryset, widget=ManyOptions, required=False)

    form = Both({"django": picked, "ours": picked, "django_one": picked[0], "ours_one": picked[0]})
    assert str(form["ours"]).replace("ours", "django") == str(form["django"])
    assert str(form["ours_one"]).replace("ours_one", "django_one") == str(form["django_one"])
    assert "checked" in str(form["ours"]) and "selected" in str(form["ours_one"])
