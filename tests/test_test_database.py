"""The test database is built from the models and the migrations' data steps replayed
(tests/conftest.py): it must hold what the migrations would have put there."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.conftest import data_migration_steps
from tsunagu.directory.models import Category
from tsunagu.regional_issues.models import Theme
from tsunagu.regional_issues.themes import THEMES

pytestmark = pytest.mark.django_db


def test_every_data_step_of_the_project_migrations_is_found() -> None:
    steps = data_migration_steps()
    assert [label for label, _operation in steps] == ["directory", "directory", "regional_issues"]


def test_seeded_taxonomy_and_themes_are_in_the_test_database() -> None:
    assert Category.objects.filter(parent__isnull=True).exists()
    assert Theme.objects.count() == len(THEMES)


def test_search_index_sql_of_the_migration_ran() -> None:
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "directory_searchentry")
    # Created by the migration's SQL on both vendors, never by the model.
    assert "directory_searchentry_sort_name" in indexes
