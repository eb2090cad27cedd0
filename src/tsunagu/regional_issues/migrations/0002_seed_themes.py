from django.db import migrations


def seed(apps, schema_editor):
    from tsunagu.regional_issues.themes import seed as seed_themes

    seed_themes(apps)


class Migration(migrations.Migration):
    dependencies = [("regional_issues", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
