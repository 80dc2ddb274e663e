"""The stakeholders app's models, by domain: the registry (LSGs, settlements, institutions, JMUs and
members, people's roles), engagements and recommendations, local policy documents, and the
experts' contracts and work."""

from stakeholders.models.engagements import (  # noqa: F401
    ENGAGEMENT_TEXT,
    Attachment,
    Engagement,
    EngagementChild,
    EngagementChildQuerySet,
    EngagementQuerySet,
    FollowUp,
    Participant,
    Recommendation,
    RecommendationQuerySet,
    RecommendationTransition,
    engagement_text,
)
from stakeholders.models.experts import (  # noqa: F401
    ExpertContract,
    ExpertContractQuerySet,
    ExpertWork,
    ExpertWorkQuerySet,
    FinalReport,
    FinalReportTransition,
    TimeSheet,
    TimeSheetEntry,
    TimeSheetTransition,
)
from stakeholders.models.policy import (  # noqa: F401
    LAPMeasure,
    PolicyDocument,
    PolicyDocumentQuerySet,
)
from stakeholders.models.registry import (  # noqa: F401
    JMU,
    LAT_OUTSIDE,
    LON_OUTSIDE,
    LSG,
    NOTES_MAX_LENGTH,
    SERBIA_LAT,
    SERBIA_LON,
    BilingualNameMixin,
    CoordinatorEngagement,
    District,
    Institution,
    InstitutionType,
    JMUMembership,
    JMUOwnedQuerySet,
    LSGOwnedQuerySet,
    LSGQuerySet,
    MemberRole,
    MembershipQuerySet,
    ProgrammeCohort,
    RoleAssignment,
    ScriptNameMixin,
    Settlement,
    User,
    municipality_code_validator,
    phone_validator,
)
