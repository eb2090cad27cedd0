import pytest

from tests._demo_rows import delete_demo_rows


@pytest.fixture(autouse=True)
def without_demo_issues(db):
    """These tests count issues and action items: start each from none (rolled back after)."""
    from tsunagu.bodies.models import ActionItem
    from tsunagu.regional_issues.models import RegionalIssue

    delete_demo_rows(ActionItem.objects.all(), RegionalIssue.objects.all())
