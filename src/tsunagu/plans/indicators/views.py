"""Indicator pages: the hub (指標・財政), an area's trends, entry form, import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tsunagu.accounts.scope import municipalities_editable_to, prefectures_editable_to
from tsunagu.areas.models import Municipality
from tsunagu.core.errors import TsunaguError
from tsunagu.core.fields import UNSET
from tsunagu.core.http import show_on_form
from tsunagu.plans.casesheets.builder import prefecture_case_sheets_for
from tsunagu.plans.councils.selectors import municipalities_with_formations_for
from tsunagu.plans.indicators import selectors
from tsunagu.plans.indicators.forms import CompareForm, IndicatorForm, IndicatorImportForm
from tsunagu.plans.indicators.importing import COLUMNS, IndicatorImportError, indicators_import
from tsunagu.plans.indicators.services import FIELD_NAMES, IndicatorFields, indicator_record
from tsunagu.plans.indicators.trends import build_charts, year_label
from tsunagu.plans.money.selectors import municipalities_with_money_for


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "plans/indicators/hub.html",
        {
            "areas": selectors.areas_with_indicators_for(user=user),
            "money_municipalities": municipalities_with_money_for(user=user),
            "council_municipalities": municipalities_with_formations_for(user=user),
            "prefecture_sheets": prefecture_case_sheets_for(user=user),
            "can_enter": municipalities_editable_to(user).exists()
            or prefectures_editable_to(user).exists(),
        },
    )


@login_required
def trends(request: HttpRequest, key: str) -> HttpResponse:
    user = request.user
    area = selectors.area_from_key(user=user, key=key)
    rows = selectors.indicator_series(user=user, area=area)
    choices = [
        (c.key, c.name) for c in selectors.areas_with_indicators_for(user=user) if c.key != key
    ]
    # By default a municipality is compared with its prefecture (when it has figures).
    default = [
        k
        for k, _name in choices
        if isinstance(area, Municipality) and k == f"p{area.prefecture_id}"
    ]
    form = CompareForm(
        request.GET if "compared" in request.GET else {"compare": default}, choices=choices
    )
    chosen = form.cleaned_data["compare"] if form.is_valid() else []
    others = []
    for other_key in chosen:
        other = selectors.area_from_key(user=user, key=other_key)
        others.append((other.name, selectors.indicator_series(user=user, area=other)))
    return render(
        request,
        "plans/indicators/trends.html",
        {
            "area": area,
            "rows": rows,
            "row_labels": {row.pk: year_label(row) for row in rows},
            "charts": build_charts(main=(area.name, rows), others=others),
            "form": form,
            "compared": [name for name, _rows in others],
        },
    )


def _area_choices(user: object) -> list[tuple[str, str]]:
    return [(f"p{p.pk}", p.name) for p in prefectures_editable_to(user)] + [
        (f"m{m.pk}", m.name) for m in municipalities_editable_to(user)
    ]


@login_required
def enter(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = IndicatorForm(request.POST or None, areas=_area_choices(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            area = selectors.area_from_key(user=user, key=data["area"])
            fields = IndicatorFields(
                **{n: data.get(n, UNSET) for n in FIELD_NAMES if n != "is_synthetic"}
            )
            indicator_record(
                actor=user,
                year=data["year"],
                source=data["source"],
                fields=fields,
                municipality=area if isinstance(area, Municipality) else None,
                prefecture=None if isinstance(area, Municipality) else area,
            )
        except TsunaguError as error:
            show_on_form(form, error)
        else:
            messages.success(request, "指標を登録しました。")
            return redirect(reverse("indicators:trends", args=[data["area"]]))
    return render(
        request,
        "plans/_form.html",
        {"form": form, "title": "指標を入力", "back_url": reverse("indicators:hub")},
    )


@login_required
def import_file(request: HttpRequest) -> HttpResponse:
    form = IndicatorImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = indicators_import(
                actor=request.user, data=upload.read(), file_name=upload.name
            )
        except IndicatorImportError as error:
            problems = error.problems
        except TsunaguError as error:
            show_on_form(form, error)
        else:
            text = f"{result.rows}件の指標を取り込みました。"
            if result.ignored_columns:
                text += " 使わなかった列: " + "、".join(result.ignored_columns)
            messages.success(request, text)
            return redirect("indicators:hub")
    return render(
        request,
        "plans/indicators/import.html",
        {"form": form, "problems": problems, "columns": COLUMNS},
    )
