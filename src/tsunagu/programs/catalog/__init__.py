"""The 総合事業 catalog pages and API (the catalog itself is directory/catalog.py)."""
