"""Service B (住民主体の支えあい活動団体) and its subsidy (支えあい活動補助金 as in 鹿児島市).

- ``models``: groups with activities and members, each municipality's subsidy policy with its
  requirements, usage periods (users and how many are 要支援・事業対象者), applications and
  実績報告 with separate B / other accounting lines and requirement checks.
- ``subsidy``: the pure computation (share, threshold, rule below it, floor to yen, the words).
- ``permissions``, ``selectors`` (scoped reads; counts from residents through care.access),
  ``services`` (writes with history), ``forms``, ``views``, ``urls``, ``xlsx``, ``api``.
"""
