import pytest


@pytest.fixture(autouse=True)
def without_demo_issues(db):
    """These tests count issues and action items: start each from none (rolled back after)."""
    from tsunagu.bodies.models import ActionItem
    from tsunagu.regional_issues.models import RegionalIssue

    ActionItem.objects.all().delete()
    RegionalIssue.objects.all().delete()
