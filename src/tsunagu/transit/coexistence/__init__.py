"""Coexistence check (公共交通との共存): the pure check, its CSV/.xlsx files, forms and pages."""
