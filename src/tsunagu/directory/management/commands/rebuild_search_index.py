"""Recompute the directory's search index (after bulk loads, or to repair it)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from tsunagu.directory.search.index import rebuild_index


class Command(BaseCommand):
    help = "団体・地域資源の検索索引を作り直します。"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = rebuild_index()
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"検索索引を作り直しました: {count} 件（{elapsed:.1f} 秒）")
        )
