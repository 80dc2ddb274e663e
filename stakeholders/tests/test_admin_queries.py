"""The admin's JMU page: its queries do not grow with the JMU's members."""

import pytest
from django.urls import reverse

from jmu_planner.access import GlobalRole
from stakeholders.tests.factories import InstitutionFactory, JMUFactory, MembershipFactory, user_with_role

pytestmark = pytest.mark.django_db


def change_page_queries(client, jmu, django_assert_max_num_queries) -> tuple[int, str]:
    with django_assert_max_num_queries(30) as ctx:
        response = client.get(reverse("admin:stakeholders_jmu_change", args=[jmu.pk]))
    assert response.status_code == 200
    return len(ctx), response.content.decode()


def test_the_jmu_change_page_costs_the_same_with_1_or_12_members(client, django_assert_max_num_queries):
    client.force_login(user_with_role(GlobalRole.ADMINISTRATOR))
    InstitutionFactory.create_batch(30)  # not offered in every row
    small, large = JMUFactory(), JMUFactory()
    MembershipFactory(jmu=small)
    members = MembershipFactory.create_batch(12, jmu=large)

    change_page_queries(client, small, django_assert_max_num_queries)  # fills ContentType's cache
    one, _ = change_page_queries(client, small, django_assert_max_num_queries)
    twelve, page = change_page_queries(client, large, django_assert_max_num_queries)

    assert twelve == one <= 20
    # Each row shows its own institution, chosen, and no list of the others.
    for member in members:
        assert f'<option value="{member.institution_id}" selected>{member.institution}</option>' in page
    assert page.count("<option") < 12 * 20
