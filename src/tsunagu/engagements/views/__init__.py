"""Pages of accompanying support (伴走的支援), one module per sub-resource: engagements (with
advisors), visits (with insights, contacts, follow-ups, breadth and the insight search),
roadmaps, the prefecture overview and programs. Case sheets are in ``casesheets``.

Thin on purpose: parse, call a selector (NotFound → 404) or a service (PermissionDenied → 403),
render. Scoping lives in ``selectors`` and ``permissions``.
"""
