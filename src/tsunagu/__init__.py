"""Tsunagu (つなぐ): community-building support for older residents."""

__version__ = "0.1.0"
