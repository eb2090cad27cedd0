"""Directory API router (/api/v1/directory/).

Public reads (no login, rate-limited per address) under ``/public/``; everything else
needs a session or an API token and is scoped exactly like the pages: reads go through
:mod:`tsunagu.directory.selectors`, writes through :mod:`tsunagu.directory.services`
(which check permissions and write the history). A record the user may not see answers
404 whether or not it exists; one the user may see but not change answers 403.

A text query (``q``) is answered by the search page's engine (:mod:`tsunagu.directory.search.query`)
with the page's filters, so the API finds, counts, orders and pages exactly like
/directory/; the API's own filters (provider, status, visibility, stale …) narrow the same
search. Shared plumbing (errors, paging, references) is the kit of :mod:`tsunagu.core.api`.

One module per resource kind (``public``, ``resources``, ``organisations``, ``people``) adds
its routes to the one router of ``base``. Route order matters only inside a module (a literal
path such as ``/resources/stale`` before ``/resources/{id}``) and is kept there; the kinds share
no path. Split from one ~1,100-line module (issue 13: no module over ~800 lines). Each route names its
``operation_id`` as it was when this was one module (``tsunagu_directory_api_<function>``), so
the OpenAPI document and its clients do not change.
"""

from tsunagu.directory.api import organisations, people, public, resources
from tsunagu.directory.api.base import router

__all__ = ["organisations", "people", "public", "resources", "router"]
