"""API router (mounted in tsunagu/api.py)."""

from ninja import Router

router = Router()
