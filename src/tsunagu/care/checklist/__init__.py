"""The basic checklist (基本チェックリスト, DOMAIN.md §4.1): pure scoring, no database.

``rules`` holds the 25 items and the seven criteria; ``scoring`` scores one record,
``bulk`` many at once with numpy (same results row by row); ``io`` reads and writes the CSV
of ``tsunagu checklist score``.
"""
