# The catalog/instances and the service B groups were built side by side, each with its own
# initial migration (they share no table); this joins the two histories.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_catalog"),
        ("programs", "0001_service_b"),
    ]

    operations = []
