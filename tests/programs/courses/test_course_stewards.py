"""Service C courses have stewards (担当), and only holders of the care right may be one."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.care.factories import staff
from tests.programs.courses import helpers
from tsunagu.accounts.models import Role
from tsunagu.continuity.models import Stewardship
from tsunagu.continuity.stewardship.selectors import responsibilities_of
from tsunagu.continuity.stewardship.services import stewardship_assign
from tsunagu.core.errors import PermissionDenied, TsunaguError

pytestmark = pytest.mark.django_db


def test_a_course_gets_a_steward_who_sees_it_among_their_responsibilities() -> None:
    supervisor = staff("care-lead", "香春町", role=Role.MUNICIPALITY_STAFF)
    steward = staff("care-sc", "香春町")
    course = helpers.course(actor=supervisor)

    stewardship_assign(obj=course, steward=steward, actor=supervisor)

    titles = [r.title for _kind, rows in responsibilities_of(user=steward) for r in rows]
    assert course.name in titles
    page = Client()
    page.force_login(steward)
    assert steward.display_name in page.get(f"/care/courses/{course.pk}/").content.decode()


def test_a_colleague_without_the_care_right_cannot_steward_a_course() -> None:
    supervisor = staff("care-lead", "香春町", role=Role.MUNICIPALITY_STAFF)
    colleague = staff("no-care", "香春町", care=False)
    course = helpers.course(actor=supervisor)

    with pytest.raises(TsunaguError):
        stewardship_assign(obj=course, steward=colleague, actor=supervisor)

    assert not Stewardship.objects.of(course).exists()


def test_staff_without_the_care_right_cannot_assign_a_course_steward() -> None:
    course = helpers.course()
    outsider = staff("no-care", "香春町", care=False, role=Role.MUNICIPALITY_STAFF)

    with pytest.raises(PermissionDenied):
        stewardship_assign(obj=course, steward=staff("care-sc", "香春町"), actor=outsider)

    assert not Stewardship.objects.of(course).exists()
