"""A refused form names each error at the top, linking to its field; a refused submission of a plan
or report links each missing item to where it is fixed."""

import re

import pytest
from django.urls import reverse

from plans.tests.factories import MeasureFactory
from plans.tests.helpers import measure_post

pytestmark = pytest.mark.django_db


def summary(page: str) -> str:
    match = re.search(r'<div class="alert alert-danger error-summary".*?</div>', page, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def test_a_refused_measure_lists_each_error_with_a_link_to_its_field(client, users, plan):
    client.force_login(users["coordinator"])
    data = measure_post(plan, title="", **{"indicators-1-target": "many", "budget-0-amount": "-5"})
    response = client.post(reverse("plans:measure-create", args=[plan.pk]), data)
    assert response.status_code == 200
    top = summary(response.content.decode())
    assert 'href="#id_title"' in top and "Measure" in top
    assert 'href="#id_indicators-1-target"' in top and "Indicator 2, target" in top
    assert 'href="#id_budget-0-amount"' in top
    # As many links as errors (each message once), and above the form.
    page = response.content.decode()
    assert page.index('id="error-summary"') < page.index('name="title"')


def test_a_page_without_errors_has_no_summary(client, users, plan):
    client.force_login(users["coordinator"])
    page = client.get(reverse("plans:measure-create", args=[plan.pk])).content.decode()
    assert 'id="error-summary"' not in page


def test_a_refused_plan_submission_links_each_measure_to_its_missing_field(client, users, plan):
    measure = MeasureFactory(plan=plan, responsible=None)
    client.force_login(users["coordinator"])
    page = client.get(reverse("plans:plan-transition", args=[plan.pk, "submitted"])).content.decode()
    url = reverse("plans:measure-update", args=[measure.pk])
    assert (
        f'href="{url}#id_indicators-0-name">Measure 1.1: no indicator, no responsible institution.</a>'
        in page
    )
    assert "data-error-summary" in page


def test_a_plan_without_measures_links_to_adding_one(client, users, plan):
    client.force_login(users["coordinator"])
    page = client.get(reverse("plans:plan-transition", args=[plan.pk, "submitted"])).content.decode()
    assert f'href="{reverse("plans:measure-create", args=[plan.pk])}">The plan has no measures.</a>' in page
