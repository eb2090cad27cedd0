from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    """Run each test in the default language, as a fresh process would, and leave it so.

    A request activates its user's language in this thread and nothing deactivates it, so
    an earlier test that used English would otherwise leak into in-process code here.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
