"""Plans (計画), shared goals and role agreements (規範的統合), indicators, money and PDCA.

Each feature keeps its models in its sub-package; this module imports them so Django finds
them (one migration history for the app).
"""

from tsunagu.plans.agreements.models import (  # noqa: F401
    AgreedRole,
    AgreementReview,
    AgreementReviewReminder,
    RoleAgreement,
)
from tsunagu.plans.casesheets.models import *  # noqa: F403
from tsunagu.plans.councils.models import *  # noqa: F403
from tsunagu.plans.indicators.models import *  # noqa: F403
from tsunagu.plans.money.models import *  # noqa: F403
from tsunagu.plans.pdca.models import PdcaCycle  # noqa: F401
from tsunagu.plans.records.models import Plan, PlanItem, PlanItemLink  # noqa: F401
