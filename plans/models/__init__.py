"""Operational plans: reference tables (reference), plan content (content), review (review)."""

from plans.models.content import (  # noqa: F401
    DEFAULT_EUR_RATE,
    INDICATOR_FIELDS,
    LONG_TEXT,
    STATUS_BADGES,
    Bound,
    BudgetEnvelope,
    BudgetLine,
    CommunicationItem,
    CostCategory,
    Currency,
    Indicator,
    Measure,
    MeasureChildQuerySet,
    OperationalPlan,
    PlanChildQuerySet,
    PlanQuerySet,
    long_text,
)
from plans.models.reference import (  # noqa: F401
    FundingSource,
    ThematicArea,
)
from plans.models.review import (  # noqa: F401
    Comment,
    CommentThread,
    PlanTransition,
)
