"""The dashboard's LSG rows written in Python (reporting/templatetags/dashboard_tags.py) are the
markup the template loop made, in each language."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from reporting.tests.worlds import YEAR

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dashboard_today", "dashboard_world")]

# The loop the page had, kept here as the reference.
TEMPLATE_LOOP = """{% load i18n jmu_i18n %}
    {% for row in page.rows %}
      <tr data-lsg="{{ row.lsg.pk }}">
        <td><a href="{% url 'stakeholders:lsg-detail' row.lsg.pk %}">{{ row.lsg.name }}</a><div class="small text-body-secondary">{{ row.lsg.district.name }}</div></td>
        <td>{{ row.jmu_status }}</td>
        <td>{% if row.in_force %}<a href="{% url 'plans:plan-detail' row.in_force.pk %}">v{{ row.in_force.version }}</a>{% else %}—{% endif %}</td>
        <td>{% if row.draft %}<a href="{% url 'plans:plan-detail' row.draft.pk %}"><span class="badge {{ row.draft.status_badge }}">{{ row.draft.get_status_display }}</span></a>{% else %}—{% endif %}</td>
        <td class="text-end">{{ row.figures.due }}</td>
        <td class="text-end{% if row.figures.overdue %} text-danger fw-semibold{% endif %}">{{ row.figures.overdue }}</td>
        <td class="text-end">{{ row.figures.reached }} / {{ row.figures.indicators }}{% if row.figures.reached_share is not None %} <span class="small text-body-secondary">({{ row.figures.reached_share|number }} %)</span>{% endif %}</td>
        <td class="text-end">{{ row.figures.planned|money }}</td>
        <td class="text-end">{{ row.figures.spent|money }}</td>
      </tr>
    {% endfor %}
"""


def squeeze(markup: str) -> str:
    return re.sub(r">\s+<", "><", markup).strip()


@pytest.mark.parametrize("language", ["en", "sr-latn", "sr"])
def test_rows_are_the_template_loops_markup(client, users, language):
    client.force_login(users["officer"])
    users["officer"].language = language
    users["officer"].save(update_fields=["language"])
    response = client.get(reverse("dashboard:programme"), {"year": YEAR})
    assert response.status_code == 200
    rows = response.context["page"].rows
    assert len(rows) >= 2 and any(row.in_force for row in rows) and any(row.figures.overdue for row in rows)
    with translation.override(language):
        expected = squeeze(Template(TEMPLATE_LOOP).render(Context({"page": response.context["page"]})))
    body = squeeze(response.content.decode())
    assert expected and expected in body
