"""Directory pages, one module per page group: :mod:`.search` (with its rendered-item
cache), :mod:`.maps`, :mod:`.organisations`, :mod:`.people`, :mod:`.resources`,
:mod:`.areas` (the district view), :mod:`.stale`, :mod:`.history`; :mod:`.public` holds
the pages residents see without login. Helpers they share are in :mod:`.shared`.

Thin on purpose: parse the request, call a selector or a service, render. Scoping lives
in ``selectors`` (NotFound → 404) and ``permissions`` (PermissionDenied → 403).
"""
