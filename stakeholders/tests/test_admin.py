import pytest
from django.contrib import admin
from django.urls import reverse

from jmu_planner.access import GlobalRole
from stakeholders.tests.factories import MembershipFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_every_model_has_a_working_admin_for_administrators(client):
    MembershipFactory()
    client.force_login(user_with_role(GlobalRole.ADMINISTRATOR))
    project_apps = {"stakeholders", "plans", "reporting", "jmu_planner"}
    registered = [m for m in admin.site._registry if m._meta.app_label in project_apps]
    assert len(registered) >= 10
    for model in registered:
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
        assert client.get(add).status_code == 200, add


def test_officers_do_not_reach_the_admin(client):
    client.force_login(user_with_role(GlobalRole.PROGRAMME_OFFICER))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
