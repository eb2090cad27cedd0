"""Plans (計画), shared goals and role agreements (規範的統合), indicators, money and PDCA."""
