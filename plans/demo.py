"""A demo draft plan for `make run`: realistic measures, invented figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

from plans import services
from plans.models import FundingSource, Indicator, Measure, OperationalPlan, ThematicArea
from plans.services import ChildRow, MeasureInput
from stakeholders.models import JMU, Institution

# area, title, responsible institution type, months, financing,
# indicators [(name, unit, type, baseline, target)], budget [(source, amount)]
DEMO_MEASURES = [
    ("education", "Enrolment of Roma children in pre-school preparatory programme", "preschool",
     (1, 9), Measure.Financing.NEW,
     [("Children enrolled in the preparatory programme", "children", "number", 18, 30)],
     [("lsg-budget", "180000.00"), ("sctm", "240000.00")]),
    ("education", "Homework support and mentoring for pupils at risk of dropping out", "school",
     (2, 12), Measure.Financing.LOCAL,
     [("Pupils in mentoring", "pupils", "number", 12, 25),
      ("Drop-out rate among mentored pupils", "%", "percentage", 9, 3)],
     [("lsg-budget", "150000.00")]),
    ("employment", "Job-search training and referral to active employment measures", "nes",
     (3, 11), Measure.Financing.NEW,
     [("Unemployed Roma referred to NES measures", "persons", "number", 20, 45)],
     [("sctm", "200000.00"), ("in-kind", "60000.00")]),
    ("health", "Health mediators' field visits: vaccination and check-ups", "health-centre",
     (1, 12), Measure.Financing.NATIONAL,
     [("Children fully vaccinated", "%", "percentage", 72, 90)],
     []),
    ("civil-status", "Help with personal documents and birth registration", "csw",
     (1, 12), Measure.Financing.NEW,
     [("Persons who obtained personal documents", "persons", "number", 0, 40),
      ("Mobile registration day held", "yes/no", "yes_no", 0, 1)],
     [("lsg-budget", "90000.00"), ("sctm", "60000.00")]),
]  # fmt: skip


def plan_demo_seed(jmu: JMU, year: int | None = None) -> OperationalPlan:
    year = year or datetime.date.today().year + 1
    existing = OperationalPlan.objects.filter(jmu=jmu, period_start__year=year).first()
    if existing is not None:
        return existing
    plan = services.plan_create(
        jmu=jmu, actor=None,
        data={"title": f"Operativni plan mobilnog tima {jmu.lsg.name_lat} za {year}.",
              "period_start": datetime.date(year, 1, 1), "period_end": datetime.date(year, 12, 31),
              "lap_name": f"Lokalni akcioni plan za inkluziju Roma grada {jmu.lsg.name_lat}",
              "lap_period": f"{year - 2}–{year + 2}",
              "context": "Demo: about 1,500 Roma live in two substandard settlements; many "
                         "children are not enrolled in pre-school and adults lack documents."},
    )  # fmt: skip
    areas = {a.code: a for a in ThematicArea.objects.all()}
    sources = {s.code: s for s in FundingSource.objects.all()}
    institutions = {i.type.code: i for i in Institution.objects.filter(lsg=jmu.lsg).select_related("type")}
    for area, title, inst, (start, end), financing, indicators, budget in DEMO_MEASURES:
        services.measure_create(
            plan=plan, actor=None,
            values=MeasureInput(
                data={"area": areas[area], "title": title, "responsible": institutions.get(inst),
                      "start_month": datetime.date(year, start, 1),
                      "end_month": datetime.date(year, end, 1), "financing": financing,
                      "target_group": "Roma children and families"},
                indicators=[
                    ChildRow(None, {"name": n, "unit": u, "type": t, "baseline": Decimal(b),
                                    "target": Decimal(g),
                                    "aggregation": Indicator.Aggregation.LATEST if t != "number"
                                    else Indicator.Aggregation.SUM})
                    for n, u, t, b, g in indicators
                ],
                budget_lines=[
                    ChildRow(None, {"source": sources[s], "amount": Decimal(a)}) for s, a in budget
                ],
            ),
        )  # fmt: skip
    services.communication_save(
        plan=plan, actor=None,
        rows=[ChildRow(None, {"audience": "Roditelji u naseljima",
                              "message": "Upis u pripremni program",
                              "channel": "Obilasci i roditeljski sastanci", "timing": "Q1 i Q3",
                              "responsible": "Pedagoški asistent"}),
              ChildRow(None, {"audience": "Lokalna javnost", "message": "Rezultati mobilnog tima",
                              "channel": "Sajt grada, lokalni mediji", "timing": "Tromesečno",
                              "responsible": "Koordinator"})],
    )  # fmt: skip
    return plan
