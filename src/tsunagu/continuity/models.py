"""Stewardship (担当・副担当), contact log and handover (引継ぎ) on transfer (人事異動)."""
