"""Demo data of the experts' work (texts in Serbian Latin): the demo expert's engagements in
Kragujevac, a recommendation the plan answers, the city's LAP harmonised with its plan, a contract,
a time sheet and a final report. Called at the end of `stakeholders.demo.demo_seed`; safe to rerun."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from plans.models import Measure, OperationalPlan
from stakeholders.models import (
    LSG,
    Engagement,
    ExpertContract,
    FinalReport,
    FollowUp,
    JMUMembership,
    LAPMeasure,
    Participant,
    PolicyDocument,
    Recommendation,
    TimeSheet,
    TimeSheetEntry,
    User,
)

DEMO_ENGAGEMENTS = [
    # (days ago, type, title, place, agenda, minutes, questions raised, advice given)
    (
        40,
        Engagement.Type.COORDINATION_MEETING,
        "Koordinacioni sastanak mobilnog tima",
        "Gradska uprava Kragujevac",
        "1. Institucionalni i finansijski okvir novog operativnog plana\n2. Plan rada i rokovi",
        "Dogovoreno je da svaka institucija do kraja meseca dostavi podatke o aktivnostima koje već "
        "finansira iz lokalnog ili republičkog budžeta.",
        "",
        "",
    ),
    (
        21,
        Engagement.Type.WORKSHOP,
        "Radionica: mere operativnog plana po oblastima",
        "Centar za socijalni rad Kragujevac",
        "1. Pregled LAP-a za unapređenje položaja Roma\n2. Izbor mera po tematskim oblastima\n"
        "3. Pokazatelji i budžet",
        "Učesnici su predložili mere u oblasti obrazovanja i zdravlja i uskladili ih sa LAP-om.",
        "",
        "",
    ),
    (
        7,
        Engagement.Type.MENTORING_SESSION,
        "Mentorska sesija: izveštavanje mobilnog tima",
        "Onlajn (Zoom)",
        "Mesečni i tromesečni izveštaji",
        "",
        "Kako prikazati aktivnosti koje nisu u planu? Ko potpisuje tromesečni izveštaj?",
        "Aktivnosti van plana upisati kao terenske aktivnosti sa napomenom; izveštaj potpisuje "
        "koordinator nakon usvajanja na sastanku tima.",
    ),
]
DEMO_RECOMMENDATIONS = [
    (
        "Uvesti redovne obilaske naselja pedagoškog asistenta i zdravstvene medijatorke radi upisa "
        "dece u pripremni predškolski program.",
        "Mobilni tim za inkluziju Roma",
    ),
    ("Obezbediti sredstva iz gradskog budžeta za nabavku udžbenika za romsku decu.", "Gradsko veće"),
]
DEMO_LAP_MEASURES = [
    ("1.1", "Povećanje obuhvata romske dece predškolskim vaspitanjem i obrazovanjem"),
    ("1.2", "Smanjenje osipanja romske dece iz osnovnog obrazovanja"),
    ("2.1", "Unapređenje dostupnosti zdravstvene zaštite u romskim naseljima"),
    ("3.1", "Podrška zapošljavanju Roma kroz mere aktivne politike zapošljavanja"),
]


def engagements_demo_seed(lsg: LSG, expert: User) -> None:
    """The demo expert's work in `lsg` (its plan for this year must exist, adopted)."""
    today = timezone.localdate()
    engagements = []
    for days_ago, type_, title, place, agenda, minutes, questions, advice in DEMO_ENGAGEMENTS:
        engagement, created = Engagement.objects.get_or_create(
            title=title,
            created_by=expert,
            defaults={
                "type": type_,
                "date": today - datetime.timedelta(days=days_ago),
                "place": place,
                "agenda": agenda,
                "minutes": minutes,
                "questions_raised": questions,
                "advice_given": advice,
            },
        )
        if created:
            engagement.lsgs.set([lsg])
            for membership in JMUMembership.objects.filter(jmu__lsg=lsg)[:3]:
                Participant.objects.create(engagement=engagement, membership=membership)
            Participant.objects.create(
                engagement=engagement, name="Zoran Simić", institution="Stalna konferencija gradova i opština"
            )
        engagements.append(engagement)
    workshop = engagements[1]
    FollowUp.objects.get_or_create(
        engagement=workshop,
        task="Dostaviti nacrt mera za oblast zdravlja",
        defaults={"owner": "Sanja Demirović", "due_date": today + datetime.timedelta(days=10)},
    )
    plan = OperationalPlan.objects.filter(jmu__lsg=lsg, period_start__year=today.year).first()
    measures = list(Measure.objects.filter(plan=plan).order_by("area__number", "number")) if plan else []
    for (text, addressee), measure in zip(DEMO_RECOMMENDATIONS, [measures[:1], []], strict=True):
        recommendation, created = Recommendation.objects.get_or_create(
            engagement=workshop, lsg=lsg, text=text, defaults={"addressee": addressee, "created_by": expert}
        )
        if created and measure:
            recommendation.status = Recommendation.Status.ACCEPTED
            recommendation.save(update_fields=["status"])
            recommendation.measures.add(*measure)
    lap, _created = PolicyDocument.objects.get_or_create(
        lsg=lsg,
        kind=PolicyDocument.Kind.LAP_ROMA,
        defaults={
            "title": f"Lokalni akcioni plan za unapređenje položaja Roma – {lsg.name_lat}",
            "period_start": datetime.date(today.year - 2, 1, 1),
            "period_end": datetime.date(today.year + 2, 12, 31),
            "adopted_by": "Skupština grada",
            "adoption_date": datetime.date(today.year - 2, 2, 25),
        },
    )
    for number, title in DEMO_LAP_MEASURES:
        LAPMeasure.objects.get_or_create(document=lap, number=number, defaults={"title": title})
    if measures:
        Measure.objects.filter(pk=measures[0].pk, lap_measure__isnull=True).update(
            lap_measure=LAPMeasure.objects.get(document=lap, number="1.1")
        )
    contract, _created = ExpertContract.objects.get_or_create(
        expert=expert,
        title="Ekspert za izradu operativnih planova mobilnih timova",
        defaults={
            "days_contracted": Decimal("30"),
            "period_start": datetime.date(today.year, 1, 1),
            "period_end": datetime.date(today.year, 12, 31),
        },
    )
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    if month.year == today.year:
        timesheet, created = TimeSheet.objects.get_or_create(contract=contract, month=month)
        if created:
            for activity, engagement, days in [
                ("Priprema i vođenje radionice", workshop, Decimal("2")),
                ("Izrada nacrta operativnog plana", None, Decimal("3.5")),
            ]:
                TimeSheetEntry.objects.create(
                    timesheet=timesheet, lsg=lsg, activity=activity, engagement=engagement, days=days
                )
    FinalReport.objects.get_or_create(
        contract=contract,
        defaults={
            "outputs": "Održana dva sastanka i jedna radionica; izrađen nacrt operativnog plana; "
            "dostavljene preporuke za usklađivanje sa LAP-om."
        },
    )
