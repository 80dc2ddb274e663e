"""The registry's reads (stakeholders/selectors.py): scoped to the user first (my LSG is found,
another LSG's is not), then what they add."""

import pytest
from django.http import Http404

from jmu_planner.access import Role
from stakeholders import selectors
from stakeholders.models import JMU
from stakeholders.tests.factories import JMUFactory

pytestmark = pytest.mark.django_db


def test_lsg_list_shows_my_lsg_and_whether_it_has_an_active_jmu_and_not_another_lsg(
    lsg, other_lsg, jmu, users
):
    mine = list(selectors.lsg_list(user=users["member"]))
    assert [(row.pk, row.has_jmu) for row in mine] == [(lsg.pk, True)]
    every = {row.pk: row.has_jmu for row in selectors.lsg_list(user=users["officer"])}
    assert (every[lsg.pk], every[other_lsg.pk]) == (True, False)


def test_lsg_page_of_my_lsg_splits_current_and_former_members_and_another_lsg_is_a_404(
    lsg, other_lsg, jmu, membership, users
):
    former = type(membership).objects.create(
        jmu=jmu,
        person_name="Bivši član",
        role=membership.role,
        institution=membership.institution,
        since=membership.since,
        until=membership.since.replace(year=membership.since.year + 1),
    )
    page = selectors.lsg_page(user=users["coordinator"], pk=lsg.pk)
    assert (page.jmu, page.members, page.former_members) == (jmu, [membership], [former])
    assert page.can_edit and page.roles == frozenset({Role.COORDINATOR})
    with pytest.raises(Http404):
        selectors.lsg_page(user=users["coordinator"], pk=other_lsg.pk)


def test_jmus_writable_by_are_the_active_jmus_where_the_user_holds_the_role(lsg, other_lsg, jmu, users):
    theirs = JMUFactory(lsg=other_lsg)
    JMUFactory(lsg=lsg, status=JMU.Status.INACTIVE)  # not active: never offered
    assert list(selectors.jmus_writable_by(users["coordinator"], [Role.COORDINATOR])) == [jmu]
    assert list(selectors.jmus_writable_by(users["member"], [Role.COORDINATOR])) == []
    assert set(selectors.jmus_writable_by(users["administrator"], [Role.COORDINATOR])) >= {jmu, theirs}
