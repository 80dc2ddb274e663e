"""What the plans' tests share: a real PDF for a decision, the review path as calls, a measure
form's POST data. Imported by test modules (never one test module from another)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from plans import lifecycle, selectors
from plans.models import OperationalPlan
from plans.tests.factories import PlanFactory, area, source

Status = OperationalPlan.Status


def one_page_pdf() -> bytes:
    """A real (blank, one-page) PDF: a scanned decision must parse, not just start with %PDF-."""
    import io

    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


PDF = one_page_pdf()


def decision(content=PDF, name="odluka.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def move(plan, to, actor, **kwargs):
    return lifecycle.plan_transition(plan=plan, to=to, actor=actor, **kwargs)


def through_approval(plan, users):
    move(plan, Status.SUBMITTED, users["coordinator"])
    move(plan, Status.APPROVED, users["officer"])
    plan.refresh_from_db()
    return plan


def adopt(plan, users, date=datetime.date(2026, 11, 1)):
    return lifecycle.plan_adopt(
        plan=plan,
        actor=users["coordinator"],
        body="city_council",
        number="06-12/2026",
        date=date,
        file=decision(),
    )


def measure_post(plan, measure=None, **overrides):
    data = {
        "area": area(2).pk,
        "title": "Obuka za traženje posla",
        "financing": "new",
        "start_month": "2027-03",
        "end_month": "2027-10",
        "lock_version": measure.lock_version if measure else 0,
        "indicators-TOTAL_FORMS": "2",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-name": "Osobe upućene NSZ",
        "indicators-0-unit": "osoba",
        "indicators-0-type": "number",
        "indicators-0-baseline": "20",
        "indicators-0-target": "45",
        "indicators-0-breakdown": "sex",
        "indicators-0-aggregation": "sum",
        "indicators-1-name": "Održan sajam",
        "indicators-1-unit": "da/ne",
        "indicators-1-type": "yes_no",
        "indicators-1-baseline": "ne",
        "indicators-1-target": "da",
        "indicators-1-breakdown": "none",
        "indicators-1-aggregation": "latest",
        "budget-TOTAL_FORMS": "1",
        "budget-INITIAL_FORMS": "0",
        "budget-0-source": source("sctm").pk,
        "budget-0-category": "services",
        "budget-0-amount": "200000.00",
    }
    return data | overrides


def snapshot(plan):
    """Every field of every measure, indicator, budget line and envelope, as comparable values."""
    rows = []
    for m in selectors.measures_with_details(plan):
        rows.append(
            (
                m.code,
                m.title,
                m.objective,
                m.objective_reference,
                m.lap_measure_number,
                m.activities,
                m.responsible_party,
                m.responsible.name if m.responsible else None,
                m.partners,
                m.start_month,
                m.end_month,
                m.period_text,
                m.target_group,
                m.financing,
                m.notes,
                sorted(i.name for i in m.co_responsible_list),
                sorted(i.name for i in m.partner_list),
                sorted(a.number for a in m.secondary_area_list),
                [
                    (
                        i.name,
                        i.unit,
                        i.type,
                        i.baseline_qualifier,
                        i.baseline,
                        i.baseline_year,
                        i.baseline_source,
                        i.target_qualifier,
                        i.target,
                        i.target_milestone,
                        i.target_date,
                        i.means_of_verification,
                        i.breakdown,
                        i.aggregation,
                    )
                    for i in m.indicator_list
                ],
                [
                    (
                        b.source.code,
                        b.category,
                        b.description,
                        b.currency,
                        b.exchange_rate,
                        b.unit_cost,
                        b.quantity,
                        b.periods,
                        b.amount_in_currency,
                        b.amount,
                        b.envelope.name if b.envelope_id else None,
                        b.bound,
                    )
                    for b in m.line_list
                ],
            )
        )
    envelopes = [
        (e.name, e.year, e.source.code, e.amount, e.bound, e.responsible_id, e.period_text)
        for e in selectors.plan_envelopes(plan)
    ]
    return rows, envelopes


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("plan.xlsx", content, content_type="application/octet-stream")


def version_of(plan) -> OperationalPlan:
    """An empty draft version of the same plan (a second plan of the period would overlap)."""
    target = PlanFactory(
        jmu=plan.jmu, period_start=datetime.date(2029, 1, 1), period_end=datetime.date(2029, 12, 31)
    )
    OperationalPlan.objects.filter(pk=target.pk).update(
        period_start=plan.period_start, period_end=plan.period_end, lineage=plan.lineage, version=2
    )
    target.refresh_from_db()
    return target
