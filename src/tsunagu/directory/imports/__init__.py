"""Import organisations, people and resources from Excel (.xlsx) and CSV files.

Flow: :func:`.reading.read_table` (xlsx, or CSV in UTF-8 with/without BOM or
Shift_JIS/CP932) → :func:`.reading.auto_mapping` (the user's saved mapping, then header
names) → :func:`.validators.validate` (every row; errors name the file, row, column and
header in Japanese) → :func:`.commit.commit` (all or nothing, one transaction) →
:class:`.columns.ImportReport`.

Writes go through :mod:`tsunagu.directory.services` (organisation_create/update,
person_create/update, person_role_add, location_create, resource_update). New resources
are written in batches by ``services.resource_create_many``, which does what
``services.resource_create`` does (permission, validation, history rows incl. relations)
for many rows at once: one insert per table per batch instead of ~30 queries per row, which
is what makes 50,000 rows fit in a minute. The new resources are then added to the search
index in bulk, in the same transaction: the import and its index are all or nothing.

The web views (:mod:`.views`) run validation and commit as a background job (:mod:`.jobs`,
:mod:`tsunagu.core.jobs`; the worker for large files, inline for small ones) and show its
progress; the CLI (:func:`.commit.import_file`) calls the same code synchronously.
"""
