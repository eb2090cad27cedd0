"""The one-machine cache keeps its entries past Django's 300 and does not list its folder
on every write (issue 18: the dashboard's kept panels and the table versions)."""

from __future__ import annotations

from tsunagu.core.filecache import FileCache


def test_entries_past_the_limit_stay_until_the_next_cull(tmp_path):
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    for n in range(40):
        cache.set(f"key{n}", n)
    # Django's FileBasedCache would have culled a random half at every set past 10 entries
    assert [cache.get(f"key{n}") for n in range(40)] == list(range(40))


def test_a_new_process_culls_an_overfull_folder_once(tmp_path):
    first = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    for n in range(40):
        first.set(f"key{n}", n)
    later = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    later.set("new", 1)  # its first write looks at the folder: 40 entries, half removed
    kept = [n for n in range(40) if later.get(f"key{n}") is not None]
    assert len(kept) == 20 and later.get("new") == 1
