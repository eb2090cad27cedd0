"""Natural order of Japanese ordinal names (第1圏域 < 第2圏域 < 第10圏域)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tsunagu.core.sorting import kanji_number, natural_key, natural_order, natural_sorted


def test_digit_runs_compare_as_numbers() -> None:
    names = ["第10圏域", "第2圏域", "第1圏域", "第11圏域"]
    assert sorted(names, key=natural_key) == ["第1圏域", "第2圏域", "第10圏域", "第11圏域"]


def test_full_width_digits_and_kanji_ordinals_sort_with_the_number() -> None:
    names = ["第十圏域", "第２圏域", "第1圏域", "第三圏域", "第十二圏域"]
    assert sorted(names, key=natural_key) == [
        "第1圏域",
        "第２圏域",
        "第三圏域",
        "第十圏域",
        "第十二圏域",
    ]


@pytest.mark.parametrize(
    ("text", "number"), [("十", 10), ("十二", 12), ("二十", 20), ("百五", 105), ("一〇", 10)]
)
def test_kanji_numbers(text: str, number: int) -> None:
    assert kanji_number(text) == number


def test_other_text_keeps_text_order_and_ties_are_stable() -> None:
    names = ["中央地区", "上浦地区", "3丁目", "10丁目", "第1圏域", "第１圏域", ""]
    ordered = sorted(names, key=natural_key)
    assert ordered == sorted(ordered, key=natural_key)  # a total order
    assert ordered.index("3丁目") < ordered.index("10丁目")
    assert ordered.index("第1圏域") < ordered.index("第１圏域")  # tie broken by the text
    assert ordered[0] == ""
    assert natural_key(None) == natural_key("")


def test_natural_sorted_uses_the_name_by_default() -> None:
    items = [SimpleNamespace(name=n) for n in ("第10圏域", "第1圏域", "第2圏域")]
    assert [i.name for i in natural_sorted(items)] == ["第1圏域", "第2圏域", "第10圏域"]


@pytest.mark.django_db
def test_natural_order_keeps_a_queryset_in_natural_order(municipality) -> None:  # type: ignore[no-untyped-def]
    from tsunagu.areas.models import District

    saiki = municipality("佐伯市")
    for name in ("第10テスト区", "第1テスト区", "第2テスト区"):
        District.objects.create(municipality=saiki, name=name)
    queryset = District.objects.filter(municipality=saiki, name__contains="テスト区")
    ordered = queryset.order_by(natural_order(queryset))
    assert [d.name for d in ordered] == ["第1テスト区", "第2テスト区", "第10テスト区"]
    assert ordered.count() == 3
    assert list(District.objects.none().order_by(natural_order(District.objects.none()))) == []
