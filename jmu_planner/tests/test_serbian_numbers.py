"""Every page in Serbian writes numbers the Serbian way: 1.234,5, never 1234.5 or 3.50 %.

Each GET page of the access matrix is rendered in `sr-latn` for a role that may see it, and its
visible text (text, form fields' values, tooltips) is searched for a number with a decimal point.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import translation

from jmu_planner.tests.access_world import MATRIX, build_world, url_of
from jmu_planner.tests.visible import visible_text
from plans.models import Indicator, Measure
from plans.tests.factories import BudgetLineFactory, IndicatorFactory, MeasureFactory
from reporting.models import IndicatorValue, Spending

pytestmark = pytest.mark.serbian

# A decimal point: digits, a dot, digits that are not a group of exactly three (1.234 is a
# thousand in Serbian) and not part of a date (22.11.2026.) or a longer dotted code.
DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.(?!\d{3}(?![\d]))\d+(?![\d.])")
# The measure form's help text names references to other documents by their section numbers.
_REFERENCE = re.compile(r"\b(?:LAP|Strategij\w*) \d+(?:\.\d+)+")


def decimal_points(text: str, codes: set[str] = frozenset()) -> list[str]:
    """The numbers with a decimal point in `text`, in context; `codes` (measure numbers such as
    1.2, references such as "LAP 2.1") are not numbers."""
    text = _REFERENCE.sub(" ", text)
    found = []
    for match in DECIMAL_POINT.finditer(text):
        if match[0] in codes:
            continue
        start, end = max(match.start() - 30, 0), match.end() + 30
        found.append(text[start:end].replace("\n", " ").strip())
    return found


def test_decimal_point_is_found():
    assert decimal_points("predviđeno 30.0 (preostalo: 22.0)") != []
    assert decimal_points('<input value="15000.00">') != []
    assert decimal_points("3.50 %") != []
    assert decimal_points("1.234,50 RSD od 22.11.2026. do 1.1.2027.; 2.250,00") == []
    assert decimal_points("Mera 1.2 (LAP 2.1)", codes={"1.2"}) == []


def with_decimals(world) -> None:
    """Figures with decimals wherever the world's pages show figures: a percentage indicator,
    a line in euros at a rate, a month's value and spending."""
    adopted = world.adopted
    for measure in (world.measure, MeasureFactory(plan=adopted, start_month=adopted.period_start)):
        indicator = IndicatorFactory(
            measure=measure,
            type=Indicator.Type.PERCENTAGE,
            unit="%",
            baseline=Decimal("72.50"),
            target=Decimal("90.25"),
            target_qualifier=Indicator.Qualifier.AT_LEAST,
        )
        line = BudgetLineFactory(
            measure=measure,
            currency="EUR",
            exchange_rate=Decimal("117.3500"),
            amount_in_currency=Decimal("2250.50"),
            amount=Decimal("264096.18"),
        )
    IndicatorValue.objects.create(report=world.report, indicator=indicator, value=Decimal("85.50"))
    Spending.objects.create(report=world.report, budget_line=line, amount=Decimal("15000.50"))


# Who looks at each page: the first role in this order that may open it.
READERS = ["coordinator", "expert", "officer", "administrator", "anonymous"]


@pytest.mark.django_db
def test_no_page_shows_a_decimal_point_in_serbian(client):
    world = build_world()
    with_decimals(world)
    pages = {}
    for name, row in sorted(MATRIX.items()):
        if row.method != "get":
            continue
        reader = next((role for role in READERS if row.expected[role] == 200), None)
        if reader is None:
            continue
        client.logout()
        if world.users[reader] is not None:
            world.users[reader].language = "sr-latn"
            world.users[reader].save(update_fields=["language"])
            client.force_login(world.users[reader])
        with translation.override("sr-latn"):
            response = client.get(url_of(name, world), HTTP_ACCEPT_LANGUAGE="sr-Latn")
        if response.streaming:  # a download, read to its end to close its file
            b"".join(response.streaming_content)
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        pages[name] = visible_text(response.content.decode())
    # Measure numbers (1.2) are codes; rows of the matrix may add measures, so they are read last.
    codes = {f"{area}.{number}" for area, number in Measure.objects.values_list("area__number", "number")}
    failures = [
        f"{name}: {points[:5]}" for name, text in pages.items() if (points := decimal_points(text, codes))
    ]
    assert not failures, "Decimal points in Serbian pages:\n" + "\n".join(failures)
