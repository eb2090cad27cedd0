"""Rides (送迎): services, drivers, vehicles, riders, booking, day plans and driver sheets —
writes (services, planning), reads (selectors), what of a rider a user may see (privacy), the
transit coexistence check, riders as points of transit's gap analysis, pages, URLs and API."""
