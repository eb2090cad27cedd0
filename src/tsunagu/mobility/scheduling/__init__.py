"""Ride scheduling core (配車計画): data model, OR-Tools solver, route feasibility, Cordeau I/O.

Pure Python + OR-Tools, no Django: see :mod:`.problem` for the interface.
"""
