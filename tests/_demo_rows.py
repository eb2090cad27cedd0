"""Starting a test without some of the demo's rows (not collected by pytest)."""

from __future__ import annotations

from django.db import models
from django.test import override_settings


def delete_demo_rows(*querysets: models.QuerySet) -> None:
    """Delete ``querysets`` in order, in the test's transaction, without history rows.

    Tests that count their own rows start from none of the demo's; the rollback after the
    test brings them back. Their deletion is set-up, not something a test looks at, and its
    history (a "-" row per deleted row and cascaded child, each with a snapshot of its
    many-to-many links) cost about 0.1–0.3 s per test. The deletes themselves, and their
    cascades, are the ordinary ones.
    """
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        for queryset in querysets:
            queryset.delete()
