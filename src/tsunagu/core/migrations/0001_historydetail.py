from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="HistoryDetail",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("model_label", models.CharField(max_length=100, verbose_name="記録の種類")),
                ("history_id", models.BigIntegerField(verbose_name="履歴の番号")),
                ("label", models.CharField(max_length=200, verbose_name="項目")),
                ("before", models.TextField(blank=True, verbose_name="変更前")),
                ("after", models.TextField(blank=True, verbose_name="変更後")),
            ],
            options={
                "verbose_name": "履歴の明細",
                "verbose_name_plural": "履歴の明細",
                "ordering": ["pk"],
                "indexes": [
                    models.Index(
                        fields=["model_label", "history_id"],
                        name="core_history_detail_lookup",
                    )
                ],
            },
        ),
    ]
