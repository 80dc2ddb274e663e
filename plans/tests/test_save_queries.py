"""A measure's save writes only what changed: its query count does not grow with its rows."""

import pytest
from django.urls import reverse

from plans.models import BudgetLine, Indicator
from plans.tests.factories import BudgetLineFactory, IndicatorFactory, MeasureFactory

pytestmark = pytest.mark.django_db


def posted(response) -> dict:
    """The measure form as the browser would send it back untouched."""
    context = response.context
    forms = [context["form"]]
    for formset in (context["indicators"], context["budget_lines"]):
        forms += [formset.management_form, *formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if value is True:
                data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(getattr(v, "pk", v)) for v in value]
            else:
                shown = field.field.widget.format_value(value)
                if shown is not None:
                    data[field.html_name] = shown
    return data


def save_title(client, measure, title, django_assert_max_num_queries):
    url = reverse("plans:measure-update", args=[measure.pk])
    data = posted(client.get(url)) | {"title": title}
    with django_assert_max_num_queries(20) as ctx:
        response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return len(ctx)


def test_saving_a_measure_costs_the_same_with_1_or_10_indicators_and_budget_lines(
    client, users, plan, django_assert_max_num_queries
):
    small, large = MeasureFactory(plan=plan), MeasureFactory(plan=plan)
    IndicatorFactory(measure=small, position=0)
    BudgetLineFactory(measure=small, position=0)
    for position in range(10):  # in order, as saved through the form
        IndicatorFactory(measure=large, position=position)
        BudgetLineFactory(measure=large, position=position)
    client.force_login(users["coordinator"])
    history = Indicator.history.count(), BudgetLine.history.count()

    small_count = save_title(client, small, "Kratka", django_assert_max_num_queries)
    large_count = save_title(client, large, "Duga", django_assert_max_num_queries)

    assert large_count == small_count
    large.refresh_from_db()
    assert large.title == "Duga"
    # Unchanged rows were not written again, nor recorded in their history.
    assert (Indicator.history.count(), BudgetLine.history.count()) == history
    assert large.indicators.count() == 10 and large.budget_lines.count() == 10


def test_a_changed_row_among_unchanged_ones_is_saved(client, users, plan):
    measure = MeasureFactory(plan=plan)
    indicators = [IndicatorFactory(measure=measure, position=p) for p in range(3)]
    client.force_login(users["coordinator"])
    url = reverse("plans:measure-update", args=[measure.pk])
    data = posted(client.get(url))
    index = next(i for i in range(3) if data[f"indicators-{i}-id"] == str(indicators[1].pk))
    data[f"indicators-{index}-name"] = "Promenjen naziv"
    assert client.post(url, data).status_code == 302
    assert set(measure.indicators.values_list("name", flat=True)) == {
        indicators[0].name,
        "Promenjen naziv",
        indicators[2].name,
    }
    assert Indicator.history.filter(id=indicators[1].pk).count() == 2
    assert Indicator.history.filter(id=indicators[0].pk).count() == 1
