"""The co-financing rule's one reading of "the LSG's other plans": one version of each plan counts.
Both the plan's live figures (plans.selectors) and an adopted version's snapshot (plans.snapshot)
read the SCTM lines of the other plans through it."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from jmu_planner.lifecycle import lifecycle_of
from plans.models import BudgetLine, FundingSource, OperationalPlan


def sctm_lines_of_other_plans(plan: OperationalPlan, window_start: datetime.date) -> QuerySet[BudgetLine]:
    """The SCTM lines of the LSG's other plans in the window, one version of each plan counted.

    This plan's own versions do not count (its own lines stand for them: an amendment replaces
    the version in force); of another plan, only the version in force counts, not the version it
    superseded nor a draft amendment of it that is not adopted yet.
    """
    Status = OperationalPlan.Status
    return (
        BudgetLine.objects.planned()
        .filter(
            measure__plan__jmu__lsg_id=plan.jmu.lsg_id,
            measure__plan__period_end__gte=window_start,
            measure__plan__period_start__lte=plan.period_end,
            source__share=FundingSource.Share.SCTM,
        )
        .exclude(measure__plan__lineage=plan.lineage)
        .exclude(measure__plan__status=Status.SUPERSEDED)
        .exclude(
            measure__plan__amends__isnull=False,
            measure__plan__status__in=[
                *sorted(lifecycle_of(OperationalPlan).editable),
                Status.SUBMITTED,
                Status.APPROVED,
            ],
        )
    )
