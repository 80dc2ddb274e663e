"""Plan factories: a measure's indicators and budget lines belong to its plan; numbers are gapless."""

import datetime
from decimal import Decimal

import factory

from plans.models import (
    BudgetLine,
    FundingSource,
    Indicator,
    Measure,
    OperationalPlan,
    ThematicArea,
)
from stakeholders.tests.factories import InstitutionFactory, JMUFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperationalPlan

    jmu = factory.SubFactory(JMUFactory)
    title = factory.Sequence(lambda n: f"Operativni plan {n}")
    period_start = datetime.date(2027, 1, 1)
    period_end = datetime.date(2027, 12, 31)


def _next_number(measure) -> int:
    return Measure.objects.filter(plan=measure.plan, area=measure.area).count() + 1


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    plan = factory.SubFactory(PlanFactory)
    area = factory.LazyFunction(lambda: ThematicArea.objects.get(number=1))
    number = factory.LazyAttribute(_next_number)
    title = factory.Sequence(lambda n: f"Mera {n}")
    responsible = factory.SubFactory(InstitutionFactory, lsg=factory.SelfAttribute("..plan.jmu.lsg"))
    start_month = datetime.date(2027, 2, 1)
    end_month = datetime.date(2027, 11, 1)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    measure = factory.SubFactory(MeasureFactory)
    name = factory.Sequence(lambda n: f"Indikator {n}")
    unit = "osoba"
    baseline = Decimal("10")
    target = Decimal("20")


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    measure = factory.SubFactory(MeasureFactory)
    source = factory.LazyFunction(lambda: FundingSource.objects.get(code="lsg-budget"))
    amount = Decimal("100000.00")


def source(code: str) -> FundingSource:
    return FundingSource.objects.get(code=code)


def area(number: int) -> ThematicArea:
    return ThematicArea.objects.get(number=number)
