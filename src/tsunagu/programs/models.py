"""総合事業 (介護予防・日常生活支援総合事業): the catalog of service/activity types, program
instances run by providers, and service B groups with their subsidy.

Each feature keeps its models in its sub-package; this module imports them so Django
finds them (one migration history for the app). The catalog itself is national reference
data in code (``tsunagu.directory.catalog``), not a table.
"""

from tsunagu.programs.courses.models import (  # noqa: F401
    Attendance,
    CandidateReceiver,
    Course,
    CourseSession,
    CourseSettings,
    FollowUp,
    Goal,
    Participant,
)
from tsunagu.programs.instances.models import (  # noqa: F401
    Enrolment,
    ParticipationCount,
    ProgramInstance,
)
from tsunagu.programs.service_b.models import (  # noqa: F401
    AccountLine,
    GroupActivity,
    PolicyRequirement,
    RequirementCheck,
    ServiceBGroup,
    SubsidyApplication,
    SubsidyPolicy,
    UsagePeriod,
)
