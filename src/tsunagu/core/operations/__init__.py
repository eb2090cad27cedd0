"""What the operator of a Tsunagu server runs and watches (docs/operations.md).

- :mod:`.archive`: ``tsunagu backup`` / ``tsunagu restore`` — one archive holding a
  consistent copy of the database and every uploaded file, with a manifest
  (docs/adr/0009-backup-and-restore.md);
- :mod:`.databases`: the vendor-specific half of it (SQLite's online backup API,
  PostgreSQL's ``pg_dump``/``pg_restore`` on an exported snapshot);
- :mod:`.checks`: the checks ``tsunagu serve`` and ``tsunagu migrate`` run before starting
  (database reachable, migrations applied, data directory writable with free space);
- :mod:`.requestlog` and :mod:`.metrics`: one log line per request, the ``/metrics`` page.

Part of core (the lowest layer): it knows databases and files, never an app.
"""
