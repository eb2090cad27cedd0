"""API: scoped like the pages; status change rules; visits and insights recorded."""

from __future__ import annotations

import datetime

import pytest

from tsunagu.engagements import services
from tsunagu.engagements.commands import (
    MilestoneFields,
    ParticipantFields,
    RoadmapFields,
    VisitFields,
)
from tsunagu.engagements.models import Visit

pytestmark = pytest.mark.django_db

BASE = "/api/v1/engagements"


@pytest.fixture
def pair(make_engagement, admin_user):
    izumi = make_engagement("出水市", status="in_support")
    kagoshima = make_engagement("鹿児島市", status="in_support")
    services.visit_record(
        engagement=izumi,
        fields=VisitFields(visited_on=datetime.date(2022, 10, 6)),
        participants=[ParticipantFields(kind="department", department="長寿支援課")],
        actor=admin_user,
    )
    services.insight_add(engagement=izumi, text="買物支援の必要に気づいた", actor=admin_user)
    return izumi, kagoshima


def test_list_is_scoped(pair, client_as):
    data = client_as("izumi").get(BASE).json()
    assert [e["municipality"]["name"] for e in data["items"]] == ["出水市"]
    data = client_as("kagoshima-pref").get(BASE).json()
    assert data["count"] == 2


def test_detail_has_visits_breadth_and_insights(pair, client_as):
    izumi, kagoshima = pair
    data = client_as("izumi").get(f"{BASE}/{izumi.pk}").json()
    assert data["visits"][0]["participants"][0]["label"] == "長寿支援課"
    assert data["breadth"] == [
        {"kind": "department", "label": "長寿支援課", "per_visit": [1], "visits_present": 1}
    ]
    assert data["insights"][0]["text"] == "買物支援の必要に気づいた"
    assert client_as("izumi").get(f"{BASE}/{kagoshima.pk}").status_code == 404


def test_insight_search_normalises(pair, client_as):
    data = client_as("kagoshima-pref").get(f"{BASE}/insights", {"q": "買い物"}).json()
    assert data["count"] == 1
    assert client_as("kagoshima").get(f"{BASE}/insights", {"q": "買い物"}).json()["count"] == 0


def test_transition_rules_through_api(pair, client_as):
    izumi, _ = pair
    client = client_as("izumi")
    response = client.post(
        f"{BASE}/{izumi.pk}/transitions", {"to": "stalled"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "reason_required"
    response = client.post(
        f"{BASE}/{izumi.pk}/transitions",
        {"to": "stalled", "reason": "担当者の異動"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "stalled"


def test_visit_create_through_api_and_denied_elsewhere(pair, client_as):
    izumi, kagoshima = pair
    body = {
        "visited_on": "2022-11-25",
        "participants": [
            {
                "kind": "outside",
                "organisation_name": "社協",
                "organisation_type": "social_welfare_council",
            }
        ],
    }
    response = client_as("izumi").post(
        f"{BASE}/{izumi.pk}/visits", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["number"] == 2
    response = client_as("izumi").post(
        f"{BASE}/{kagoshima.pk}/visits", body, content_type="application/json"
    )
    assert response.status_code == 404
    assert not Visit.objects.filter(engagement=kagoshima).exists()


def test_roadmaps_api_flags_overdue(make_engagement, client_as, user_named, municipality):
    staff = user_named("kurume")
    roadmap = services.roadmap_create(
        municipality=municipality("久留米市"),
        fields=RoadmapFields(title="行程表", first_fiscal_year=2022, last_fiscal_year=2030),
        actor=staff,
    )
    services.milestone_add(
        roadmap=roadmap, fields=MilestoneFields(fiscal_year=2022, title="啓発"), actor=staff
    )
    services.milestone_add(
        roadmap=roadmap, fields=MilestoneFields(fiscal_year=2030, title="受皿"), actor=staff
    )
    data = client_as("kurume").get(f"{BASE}/roadmaps/{roadmap.pk}").json()
    assert [m["overdue"] for m in data["milestones"]] == [True, False]
    assert client_as("kawara").get(f"{BASE}/roadmaps/{roadmap.pk}").status_code == 404
