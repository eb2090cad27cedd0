"""The settings for more than one machine, read from the environment as a server reads them.

One subprocess per case (settings are read once per process): Redis for the cache, S3 for
uploads, a replica database alias that mirrors the test database in tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

PRINT = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
default_storage = storages["default"]
from django.core.cache import caches
cache = caches["default"]
print(json.dumps({
    "storage": type(default_storage).__module__ + "." + type(default_storage).__name__,
    "bucket": getattr(default_storage, "bucket_name", None),
    "endpoint": getattr(default_storage, "endpoint_url", None),
    "location": getattr(default_storage, "location", None),
    "signed": getattr(default_storage, "querystring_auth", None),
    "cache": type(cache).__name__,
    "databases": sorted(settings.DATABASES),
    "replica_test": settings.DATABASES.get("replica", {}).get("TEST"),
    "replica_name": settings.DATABASES.get("replica", {}).get("NAME"),
    "routers": settings.DATABASE_ROUTERS,
}))
"""


def _settings_with(tmp_path: Path, **env: str) -> dict:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TSUNAGU_")}
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "tsunagu.settings",
            "PYTHONPATH": str(SRC),
            "TSUNAGU_DATA_DIR": str(tmp_path),
            **env,
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", PRINT], env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_one_machine_keeps_files_local_and_one_database(tmp_path):
    seen = _settings_with(tmp_path)

    assert seen["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert seen["cache"] == "FileCache"  # tsunagu.core.filecache: culled once a minute
    assert seen["databases"] == ["default"]


def test_past_one_machine_redis_s3_and_a_replica(tmp_path):
    seen = _settings_with(
        tmp_path,
        TSUNAGU_REDIS_URL="redis://127.0.0.1:6379/3",
        TSUNAGU_S3_BUCKET="tsunagu-uploads",
        TSUNAGU_S3_ENDPOINT_URL="https://s3.example.lg.jp",
        TSUNAGU_S3_ACCESS_KEY_ID="key",
        TSUNAGU_S3_SECRET_ACCESS_KEY="secret",
        TSUNAGU_REPLICA_DATABASE_URL="postgres://reader@10.0.0.6:5432/tsunagu",
    )

    assert seen["storage"] == "storages.backends.s3.S3Storage"
    assert seen["bucket"] == "tsunagu-uploads"
    assert seen["endpoint"] == "https://s3.example.lg.jp"
    assert seen["location"] == "media"
    assert seen["signed"] is True
    assert seen["cache"] == "RedisCache"
    assert seen["databases"] == ["default", "replica"]
    assert seen["replica_name"] == "tsunagu"
    assert seen["replica_test"]["MIRROR"] == "default"
    assert seen["routers"] == ["tsunagu.core.operations.databases.PrimaryRouter"]
