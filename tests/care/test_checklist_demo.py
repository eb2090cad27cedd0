"""The demo checklists: synthetic, every criterion and the missing-answer cases, idempotent."""

from __future__ import annotations

import pytest

from tsunagu.accounts.services import system_actor
from tsunagu.care.models import ChecklistRecord, ChecklistSurvey, ChecklistSurveyDistrict
from tsunagu.demo.checklist_loader import load_checklists
from tsunagu.demo.loader import LoadSummary

pytestmark = pytest.mark.django_db


def test_demo_checklists_meet_every_criterion_and_the_missing_cases():
    records = list(ChecklistRecord.objects.select_related("resident"))
    results = [r.result() for r in records]
    assert all(r.resident.is_synthetic and r.resident.name.startswith("デモ") for r in records)
    met = {k for result in results for k, m in enumerate(result.met, start=1) if m}
    assert met == {1, 2, 3, 4, 5, 6, 7}
    assert any(r.eligible is None and r.missing == (14,) for r in results)
    assert any(r.eligible is None and r.item12 is None for r in results)
    assert any(r.bmi_display == "18.5" and r.eligible is False for r in results)


def test_demo_survey_aggregates_are_synthetic_and_counted():
    surveys = list(ChecklistSurvey.objects.all())
    assert surveys
    assert all(s.is_synthetic for s in surveys)
    for survey in surveys:
        districts = ChecklistSurveyDistrict.objects.filter(survey=survey)
        assert sum(d.respondents for d in districts) == survey.respondents


def test_demo_checklist_loader_twice_changes_nothing():
    before = (ChecklistRecord.objects.count(), ChecklistSurvey.objects.count())
    summary = LoadSummary()
    load_checklists(system_actor(), summary)
    assert (ChecklistRecord.objects.count(), ChecklistSurvey.objects.count()) == before
    assert summary.created == 0
