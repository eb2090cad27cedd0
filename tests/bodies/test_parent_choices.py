"""A body's parent may be any visible body of its municipality except itself and the bodies
below it (the page's form and the API share ``selectors.parent_choices``)."""

from __future__ import annotations

import pytest

from tsunagu.bodies import selectors, services
from tsunagu.bodies.services import BodyFields


@pytest.fixture
def admin(user_named):
    return user_named("admin")


def _body(municipality, admin, name, parent=None):
    data = {"name": name, "kind": "regular"}
    if parent is not None:
        data["parent"] = parent
    return services.body_create(municipality=municipality, fields=BodyFields(**data), actor=admin)


def test_a_body_cannot_hang_under_itself_or_its_descendants(admin, municipality):
    kawara = municipality("香春町")
    top = _body(kawara, admin, "親会議")
    child = _body(kawara, admin, "子部会", parent=top)
    grandchild = _body(kawara, admin, "孫分科会", parent=child)
    other = _body(kawara, admin, "別の会議")
    elsewhere = _body(municipality("佐伯市"), admin, "佐伯の会議")

    for_child = set(selectors.parent_choices(user=admin, municipality=kawara, body=child))
    assert top in for_child and other in for_child
    assert child not in for_child and grandchild not in for_child
    assert elsewhere not in for_child

    for_top = set(selectors.parent_choices(user=admin, municipality=kawara, body=top))
    assert {child, grandchild, top}.isdisjoint(for_top) and other in for_top

    for_new = set(selectors.parent_choices(user=admin, municipality=kawara))
    assert {top, child, grandchild, other} <= for_new and elsewhere not in for_new


def test_the_edit_form_offers_no_descendant_as_parent(client_as, admin, municipality):
    kawara = municipality("香春町")
    top = _body(kawara, admin, "親会議")
    child = _body(kawara, admin, "子部会", parent=top)
    page = client_as("kawara").get(f"/bodies/{top.pk}/edit/")
    assert page.status_code == 200
    choices = set(page.context["form"].fields["parent"].queryset)
    assert child not in choices and top not in choices
