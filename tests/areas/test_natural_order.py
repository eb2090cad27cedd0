"""Issue 12: numbered areas and bodies are listed 第1 < 第2 < 第10 (not 第1 < 第10 < 第2), on the
areas page, the body list and the area choices of the filters and forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

NAMES = ("第10テスト地区", "第1テスト地区", "第2テスト地区")  # created in this (id) order
NATURAL = ["第1テスト地区", "第2テスト地区", "第10テスト地区"]


@pytest.fixture
def saiki_areas(municipality: Callable[[str], Any]) -> Any:
    from tsunagu.areas.models import DailyLifeArea, District

    saiki = municipality("佐伯市")
    for name in NAMES:
        District.objects.create(municipality=saiki, name=name)
        DailyLifeArea.objects.create(municipality=saiki, name=name.replace("地区", "圏域"))
    return saiki


def _in_page_order(html: str, names: list[str]) -> list[str]:
    positions = {name: html.find(name) for name in names}
    assert all(p >= 0 for p in positions.values()), positions
    return sorted(names, key=positions.__getitem__)


def test_areas_page_lists_districts_and_daily_life_areas_in_natural_order(
    saiki_areas: Any, client_as: Callable[[str], Client]
) -> None:
    html = client_as("saiki").get(reverse("areas:detail", args=["municipality", saiki_areas.pk]))
    page = html.content.decode()
    assert _in_page_order(page, NATURAL) == NATURAL
    areas = [n.replace("地区", "圏域") for n in NATURAL]
    assert _in_page_order(page, areas) == areas


def test_body_list_and_its_area_filter_are_in_natural_order(
    saiki_areas: Any, client_as: Callable[[str], Client]
) -> None:
    from tsunagu.bodies.models import ConsultativeBody

    for name in ("第10テスト協議体", "第1テスト協議体", "第2テスト協議体"):
        ConsultativeBody.objects.create(municipality=saiki_areas, name=name, kind="layer2")
    page = client_as("saiki").get(reverse("bodies:list")).content.decode()
    bodies = ["第1テスト協議体", "第2テスト協議体", "第10テスト協議体"]
    assert _in_page_order(page, bodies) == bodies
    assert _in_page_order(page, NATURAL) == NATURAL  # the area filter's options


def test_area_choices_of_directory_and_issues_and_the_record_form(saiki_areas: Any) -> None:
    from tsunagu.areas.models import Municipality
    from tsunagu.directory.forms import OrganisationForm
    from tsunagu.directory.views.search import area_choices_for as directory_choices
    from tsunagu.regional_issues.views import area_choices_for as issue_choices

    only_saiki = Municipality.objects.filter(pk=saiki_areas.pk)
    for choices in (directory_choices(only_saiki), issue_choices(only_saiki)):
        flat = [label for _g, options in _groups(choices) for _v, label in options]
        labels = [label.split(": ", 1)[-1] for label in flat if "テスト地区" in label]
        assert labels == NATURAL
    form = OrganisationForm(municipality=saiki_areas)
    names = [d.name for d in form.fields["districts"].queryset if "テスト地区" in d.name]
    assert names == NATURAL


def _groups(choices: list[Any]) -> list[Any]:
    if choices and isinstance(choices[0][1], list):
        return choices
    return [("", choices)]
