"""Pages of consultative bodies, one module per sub-resource: bodies, members, meetings,
attendance and minutes, action items, calendar feeds, certification and the public list.

Thin on purpose: parse the request, call a selector (NotFound → 404 for other
municipalities) or a service (PermissionDenied → 403; TsunaguError → a form error), render.
Files (minutes attachments, application documents) are served only through views that check
the user may see the meeting or application; MEDIA_ROOT is never exposed.
"""
