"""Search index of the directory: SearchEntry plus the vendor-specific full-text side.

SearchEntry stays narrow (name, scope, facet values) so that scanning thousands of
matches is cheap; the terms, pre-tokenised by tsunagu.core.text, are stored:

- SQLite: in the FTS5 table ``directory_searchentry_fts`` (rowid = SearchEntry.id;
  columns name_terms, the name's terms, and terms, all of them), written by
  tsunagu.directory.search; a trigger deletes its row with the entry. The unicode61
  tokenizer is told that every character except spaces belongs to a word, so it splits
  the terms exactly where they were joined and only folds case.
- PostgreSQL: in the columns ``name_tsv`` and ``terms_tsv`` of SearchEntry, tsvectors
  built by array_to_tsvector (the terms as they are, no parser), with GIN indexes.

Both therefore hold exactly the same terms, and the same query finds the same rows. An
index on the name in code-point order serves the listing by name. Existing records are
indexed by ``manage.py rebuild_search_index``.
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS directory_searchentry_fts USING fts5(
        name_terms,
        terms,
        tokenize="unicode61 remove_diacritics 0 categories 'L* M* N* P* S* C*'"
    )""",
    # binary order = code-point order, as PostgreSQL's COLLATE "C" below
    """CREATE INDEX IF NOT EXISTS directory_searchentry_sort_name
        ON directory_searchentry (name, kind, id)""",
    """CREATE TRIGGER IF NOT EXISTS directory_searchentry_fts_ad
        AFTER DELETE ON directory_searchentry BEGIN
        DELETE FROM directory_searchentry_fts WHERE rowid = old.id;
    END""",
]
SQLITE_BACKWARD = [
    "DROP INDEX IF EXISTS directory_searchentry_sort_name",
    "DROP TRIGGER IF EXISTS directory_searchentry_fts_ad",
    "DROP TABLE IF EXISTS directory_searchentry_fts",
]
POSTGRESQL_FORWARD = [
    # Written by tsunagu.directory.search, unknown to the Django model (inserts get the
    # empty default until then).
    """ALTER TABLE directory_searchentry
        ADD COLUMN IF NOT EXISTS name_tsv tsvector NOT NULL DEFAULT ''::tsvector,
        ADD COLUMN IF NOT EXISTS terms_tsv tsvector NOT NULL DEFAULT ''::tsvector""",
    # Keep the rows narrow: the tsvectors go to TOAST, so that scanning thousands of
    # matches reads small pages (GIN answers @@ without reading the tsvectors back).
    "ALTER TABLE directory_searchentry SET (toast_tuple_target = 128)",
    """CREATE INDEX IF NOT EXISTS directory_searchentry_terms_tsv
        ON directory_searchentry USING gin (terms_tsv)""",
    """CREATE INDEX IF NOT EXISTS directory_searchentry_name_tsv
        ON directory_searchentry USING gin (name_tsv)""",
    # code-point order, as SQLite's binary order above
    """CREATE INDEX IF NOT EXISTS directory_searchentry_sort_name
        ON directory_searchentry (name COLLATE "C", kind, id)""",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS directory_searchentry_sort_name",
    "DROP INDEX IF EXISTS directory_searchentry_name_tsv",
    "DROP INDEX IF EXISTS directory_searchentry_terms_tsv",
    "ALTER TABLE directory_searchentry RESET (toast_tuple_target)",
    "ALTER TABLE directory_searchentry DROP COLUMN IF EXISTS terms_tsv",
    "ALTER TABLE directory_searchentry DROP COLUMN IF EXISTS name_tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements_by_vendor:
            raise RuntimeError(f"directory search: unsupported database {vendor!r}")
        for statement in statements_by_vendor[vendor]:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0001_initial"),
        ("directory", "0002_seed_taxonomy"),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('organisation', '団体・組織'), ('resource', '地域資源')], max_length=16, verbose_name='種類')),
                ('name', models.CharField(max_length=200, verbose_name='名称')),
                ('visibility', models.CharField(max_length=16)),
                ('status', models.CharField(max_length=16)),
                ('serves_whole_municipality', models.BooleanField(default=False)),
                ('provider_visibility', models.CharField(blank=True, max_length=16)),
                ('org_type', models.CharField(max_length=40)),
                ('eligibility_keys', models.CharField(blank=True, max_length=300)),
                ('eligibility_mask', models.BigIntegerField(default=0)),
                ('weekday_keys', models.CharField(blank=True, max_length=20)),
                ('weekday_mask', models.SmallIntegerField(default=0)),
                ('category', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='directory.category')),
                ('municipality', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='areas.municipality')),
                ('organisation', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='search_entry', to='directory.organisation', verbose_name='団体・組織')),
                ('prefecture', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='areas.prefecture')),
                ('provider', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='directory.organisation')),
                ('provider_municipality', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='areas.municipality')),
                ('provider_prefecture', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='areas.prefecture')),
                ('resource', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='search_entry', to='directory.resource', verbose_name='地域資源')),
            ],
            options={
                'verbose_name': '検索索引',
                'verbose_name_plural': '検索索引',
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('kind', 'organisation'), ('organisation__isnull', False), ('resource__isnull', True)), models.Q(('kind', 'resource'), ('organisation__isnull', True), ('resource__isnull', False)), _connector='OR'), name='search_entry_one_record')],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        ),
    ]
