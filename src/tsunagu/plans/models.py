"""Plans (計画), shared goals and role agreements (規範的統合), indicators, money and PDCA."""

# Each feature keeps its models in its sub-package; Django finds them through this module.
from tsunagu.plans.casesheets.models import *  # noqa: F403
from tsunagu.plans.councils.models import *  # noqa: F403
from tsunagu.plans.indicators.models import *  # noqa: F403
from tsunagu.plans.money.models import *  # noqa: F403
