"""Demo data loader for transit: the synthetic 佐伯市 GTFS-JP feed, imported idempotently.

The feed (``tsunagu/transit/data/saiki_synthetic_gtfs``) is made up — see its README. It is
imported once under a fixed name; a later run with an unchanged feed writes nothing, so the
demo can be reloaded without history noise. A changed feed (a new ``feed_version``) is
re-imported, replacing the old one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

DEMO_FEED_DIR = Path(__file__).resolve().parent.parent / "transit" / "data" / "saiki_synthetic_gtfs"
DEMO_FEED_NAME = "佐伯市コミュニティバス・デマンドバス（合成データ）"
DEMO_MUNICIPALITY = "佐伯市"


def load_transit(actor: Any, summary: Any) -> None:
    """Load the transit demo records idempotently (matched on municipality + feed name)."""
    from tsunagu.areas.models import Municipality
    from tsunagu.transit.gtfs.reader import read_feed
    from tsunagu.transit.models import Feed
    from tsunagu.transit.services import feed_import

    municipality = Municipality.objects.filter(name=DEMO_MUNICIPALITY).first()
    if municipality is None:
        return
    version = read_feed(DEMO_FEED_DIR).feed_info.get("feed_version", "")
    existing = Feed.objects.filter(municipality=municipality, name=DEMO_FEED_NAME).first()
    if existing is not None and existing.version == version:
        summary.count("unchanged")
        return
    feed_import(
        path=DEMO_FEED_DIR,
        municipality=municipality,
        name=DEMO_FEED_NAME,
        actor=actor,
        source_filename="saiki_synthetic_gtfs",
        is_synthetic=True,
        note="デモ用の合成データです。実在の時刻表ではありません。",
    )
    summary.count("created" if existing is None else "updated")
