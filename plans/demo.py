"""A demo draft plan for `make run`: realistic measures, invented figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from plans import services
from plans.models import FundingSource, Indicator, Measure, OperationalPlan, ThematicArea
from plans.services import ChildRow, MeasureInput
from stakeholders.models import JMU, Institution

# area, title, responsible institution type, months, financing,
# indicators [(name, unit, type, baseline, target)], budget [(source, amount)]
DEMO_MEASURES = [
    (
        "education",
        "Upis romske dece u pripremni predškolski program",
        "preschool",
        (1, 9),
        Measure.Financing.NEW,
        [("Broj dece upisane u pripremni predškolski program", "dece", "number", 18, 30)],
        [("lsg-budget", "180000.00"), ("sctm", "240000.00")],
    ),
    (
        "education",
        "Dopunska nastava i mentorska podrška učenicima u riziku od napuštanja škole",
        "school",
        (2, 12),
        Measure.Financing.LOCAL,
        [
            ("Broj učenika obuhvaćenih mentorskom podrškom", "učenika", "number", 12, 25),
            ("Stopa osipanja među učenicima u mentorstvu", "%", "percentage", 9, 3),
        ],
        [("lsg-budget", "150000.00")],
    ),
    (
        "employment",
        "Obuka za aktivno traženje posla i upućivanje na mere aktivne politike zapošljavanja",
        "nes",
        (3, 11),
        Measure.Financing.NEW,
        [("Broj nezaposlenih Roma upućenih na mere NSZ", "osoba", "number", 20, 45)],
        [("sctm", "200000.00"), ("in-kind", "60000.00")],
    ),
    (
        "health",
        "Terenske posete zdravstvenih medijatorki: vakcinacija i sistematski pregledi",
        "health-centre",
        (1, 12),
        Measure.Financing.NATIONAL,
        [("Obuhvat dece potpunom vakcinacijom", "%", "percentage", 72, 90)],
        [],
    ),
    (
        "civil-status",
        "Pomoć u pribavljanju ličnih dokumenata i upisu u matične knjige rođenih",
        "csw",
        (1, 12),
        Measure.Financing.NEW,
        [
            ("Broj osoba koje su pribavile lična dokumenta", "osoba", "number", 0, 40),
            ("Organizovan mobilni dan upisa u matične knjige", "da/ne", "yes_no", 0, 1),
        ],
        [("lsg-budget", "90000.00"), ("sctm", "60000.00")],
    ),
]


def plan_demo_seed(jmu: JMU, year: int | None = None) -> OperationalPlan:
    year = year or timezone.localdate().year + 1
    existing = OperationalPlan.objects.filter(jmu=jmu, period_start__year=year).first()
    if existing is not None:
        return existing
    plan = services.plan_create(
        jmu=jmu,
        actor=None,
        data={
            "title": f"Operativni plan mobilnog tima za inkluziju Roma – {jmu.lsg.name_lat}, {year}.",
            "period_start": datetime.date(year, 1, 1),
            "period_end": datetime.date(year, 12, 31),
            "lap_name": f"Lokalni akcioni plan za unapređenje položaja Roma – {jmu.lsg.name_lat}",
            "lap_period": f"{year - 2}–{year + 2}",
            "context": "Na teritoriji grada živi oko 1.500 Roma, većinom u dva podstandardna "
            "naselja. Veliki broj dece nije obuhvaćen pripremnim predškolskim "
            "programom, a deo odraslih nema lična dokumenta ni zdravstveno osiguranje.",
        },
    )
    areas = {a.code: a for a in ThematicArea.objects.all()}
    sources = {s.code: s for s in FundingSource.objects.all()}
    institutions = {i.type.code: i for i in Institution.objects.filter(lsg=jmu.lsg).select_related("type")}
    for area, title, inst, (start, end), financing, indicators, budget in DEMO_MEASURES:
        services.measure_create(
            plan=plan,
            actor=None,
            values=MeasureInput(
                data={
                    "area": areas[area],
                    "title": title,
                    "responsible": institutions.get(inst),
                    "start_month": datetime.date(year, start, 1),
                    "end_month": datetime.date(year, end, 1),
                    "financing": financing,
                    "target_group": "Romske porodice iz podstandardnih naselja",
                },
                indicators=[
                    ChildRow(
                        None,
                        {
                            "name": n,
                            "unit": u,
                            "type": t,
                            "baseline": Decimal(b),
                            "target": Decimal(g),
                            "aggregation": Indicator.Aggregation.LATEST
                            if t != "number"
                            else Indicator.Aggregation.SUM,
                        },
                    )
                    for n, u, t, b, g in indicators
                ],
                budget_lines=[
                    ChildRow(None, {"source": sources[s], "amount": Decimal(a)}) for s, a in budget
                ],
            ),
        )
    services.communication_save(
        plan=plan,
        actor=None,
        rows=[
            ChildRow(
                None,
                {
                    "audience": "Roditelji u naseljima",
                    "message": "Upis u pripremni program",
                    "channel": "Obilasci i roditeljski sastanci",
                    "timing": "I i III tromesečje",
                    "responsible": "Pedagoški asistent",
                },
            ),
            ChildRow(
                None,
                {
                    "audience": "Lokalna javnost",
                    "message": "Rezultati mobilnog tima",
                    "channel": "Sajt grada, lokalni mediji",
                    "timing": "Tromesečno",
                    "responsible": "Koordinator za romska pitanja",
                },
            ),
        ],
    )
    return plan
