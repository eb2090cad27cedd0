# Plans/agreements/PDCA and indicators/money/councils/case sheets were built side by side, each
# with its own initial migration (they share no table); this joins the two histories.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_indicators"),
        ("plans", "0001_plans"),
    ]

    operations = []
