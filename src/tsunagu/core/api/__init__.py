"""The REST API kit every app's router is built with (/api/v1/).

- :mod:`.auth`: tokens, session and bearer authentication, throttles, the token endpoint;
- :mod:`.errors`: one error shape for every app (``install_error_handlers``, ``ErrorOut``,
  ``FieldError`` / ``ApiValidationError``, the Japanese field labels);
- :mod:`.schemas`: base request bodies (``CleanIn`` / ``ApiIn``), dates, ids, references
  and the page envelope;
- :mod:`.paging`: page and per-page parameters, ``paginate`` and ``page_out``;
- :mod:`.refs`: turning the ids and codes of a request into objects (``References``,
  ``municipality_filter``) and records into references (``ref``, ``municipality_ref``);
- :mod:`.services`: ``call_service``, a service's errors in the API's field names.

Feature apps import this kit, never another feature app's ``api`` or ``schemas`` module.
"""
