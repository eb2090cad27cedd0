"""Pages of rides, one module per page group: services (service_pages), drivers and vehicles,
riders, booking and requests, day plans and driver sheets; shared helpers in common.

Thin on purpose: parse, call a selector or a service (or :mod:`tsunagu.mobility.rides.planning`),
render. Out-of-scope objects raise NotFound (404), writes without rights PermissionDenied (403);
the domain-error middleware turns both into responses.
"""
