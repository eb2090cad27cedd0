"""Short-term intensive prevention courses (短期集中予防サービス, 訪問型C / 通所型C): courses,
participants, graduation with its 受皿 plan, follow-ups, outcome and readiness reports."""
