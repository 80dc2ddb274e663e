"""Demo reports for `make run`: this year's plan adopted, months reported, one month overdue.

Figures are invented; they only make the pages and roll-ups show something realistic.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from plans.demo import plan_demo_seed
from plans.models import BudgetLine, Indicator, OperationalPlan, PlanTransition, ThematicArea
from reporting.models import FieldActivity, IndicatorValue, Report, ReportTransition, Spending
from reporting.services import due_date, period_of, required_indicators
from stakeholders.models import JMU

Status = OperationalPlan.Status


def _adopt(plan: OperationalPlan) -> None:
    if plan.status == Status.ADOPTED:
        return
    steps = [
        (Status.DRAFT, Status.SUBMITTED),
        (Status.SUBMITTED, Status.APPROVED),
        (Status.APPROVED, Status.ADOPTED),
    ]
    notes = {
        Status.SUBMITTED: "Nacrt dostavljen SKGO na pregled.",
        Status.APPROVED: "Plan je usklađen sa LAP-om; nema primedbi.",
        Status.ADOPTED: "Usvojen na sednici Gradskog veća.",
    }
    for start, end in steps:
        PlanTransition.objects.create(plan=plan, from_status=start, to_status=end, note=notes[end])
    OperationalPlan.objects.filter(pk=plan.pk).update(
        status=Status.ADOPTED,
        adopting_body="city_council",
        adoption_number="06-5/2026-II",
        signatory_name="Marija Petrović",
        signatory_function="Predsednica Gradskog veća",
        adoption_date=datetime.date(plan.period_start.year, 1, 20),
    )


def _value(indicator: Indicator, month: int) -> Decimal:
    if indicator.type == Indicator.Type.YES_NO:
        return Decimal(1 if month >= 6 else 0)
    if indicator.type == Indicator.Type.PERCENTAGE:
        start, end = indicator.baseline or Decimal(0), indicator.target or Decimal(100)
        return (start + (end - start) * month / 12).quantize(Decimal("0.01"))
    return Decimal(2 + month % 4)


def reports_demo_seed(jmu: JMU) -> None:
    today = timezone.localdate()
    plan = plan_demo_seed(jmu, year=today.year)
    _adopt(plan)
    plan.refresh_from_db()
    settlements = list(jmu.lsg.settlements.all())
    members = list(jmu.memberships.all())
    lines = list(BudgetLine.objects.filter(measure__plan=plan))
    areas = list(ThematicArea.objects.filter(number__in=[1, 3]))
    last_month = today.month - 1  # the month just ended is still a draft: due on the 10th
    for month in range(1, last_month + 1):
        start, end = period_of(Report.Kind.MONTHLY, datetime.date(today.year, month, 1))
        report, created = Report.objects.get_or_create(
            jmu=jmu,
            kind=Report.Kind.MONTHLY,
            period_start=start,
            defaults={
                "plan": plan,
                "period_end": end,
                "due_date": due_date(Report.Kind.MONTHLY, end),
                "achievements": "Obiđena su romska naselja; roditelji su informisani o upisu dece "
                "u pripremni predškolski program i o terminima vakcinacije.",
            },
        )
        if not created:
            continue
        for day, settlement in zip((5, 19), settlements * 2, strict=False):
            activity = FieldActivity.objects.create(
                jmu=jmu,
                date=start.replace(day=day),
                settlement=settlement,
                households=6 + month % 5,
                male_0_17=4 + month % 3,
                female_0_17=5 + month % 4,
                male_18_64=3,
                female_18_64=4,
                male_65=month % 2,
                female_65=1,
                note="Obilazak naselja: upis dece i vakcinacija",
            )
            activity.members.set(members[:3])
            activity.areas.set(areas)
        for indicator in required_indicators(report):
            IndicatorValue.objects.create(report=report, indicator=indicator, value=_value(indicator, month))
        for line in lines:
            Spending.objects.create(
                report=report, budget_line=line, amount=(line.amount / 12).quantize(Decimal("0.01"))
            )
        if month < last_month:
            ReportTransition.objects.create(report=report, from_status="draft", to_status="submitted")
            ReportTransition.objects.create(report=report, from_status="submitted", to_status="accepted")
            Report.objects.filter(pk=report.pk).update(
                status=Report.Status.ACCEPTED, submitted_at=timezone.now()
            )
