"""The list-page filter form shared by apps: a bad value drops that filter, not the page."""

from __future__ import annotations

from django import forms

from tsunagu.core.forms import FilterForm


class _Filters(FilterForm):
    year = forms.IntegerField(required=False)
    q = forms.CharField(required=False)


def test_unbound_filters_are_all_none():
    assert _Filters().valid_data() == {"year": None, "q": None}


def test_a_bad_value_is_ignored_and_the_others_kept():
    assert _Filters({"year": "abc", "q": "買い物"}).valid_data() == {"year": None, "q": "買い物"}
    assert _Filters({"year": "2025", "q": ""}).valid_data() == {"year": 2025, "q": None}
