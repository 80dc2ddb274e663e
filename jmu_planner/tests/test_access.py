import pytest

from jmu_planner import access
from jmu_planner.access import GlobalRole, Role
from stakeholders.models import LSG, Settlement
from stakeholders.tests.factories import LSGFactory, SettlementFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_a_user_holds_different_roles_in_different_lsgs():
    first, second = LSGFactory(), LSGFactory()
    user = user_with_role(Role.COORDINATOR, first)
    user.lsg_roles.create(lsg=second, role=Role.EXPERT)
    user.lsg_roles.create(lsg=second, role=Role.MEMBER)
    assert access.roles_in(user, first) == {"coordinator"}
    assert access.roles_in(user, second) == {"expert", "member"}
    assert access.may(user, "stakeholders.change_registry", first)
    assert not access.may(user, "stakeholders.change_registry", second)


def test_roles_are_read_once_per_request(django_assert_num_queries):
    user = user_with_role(Role.MEMBER, LSGFactory())
    with django_assert_num_queries(1):
        for _ in range(3):
            access.lsg_roles(user)
            access.navigation_for(user)


def test_scoping_hides_other_lsgs_rows_except_from_global_roles():
    mine, theirs = SettlementFactory(), SettlementFactory()
    member = user_with_role(Role.MEMBER, mine.lsg)
    assert list(Settlement.objects.visible_to(member)) == [mine]
    assert not Settlement.objects.editable_by(member).exists()
    officer = user_with_role(GlobalRole.PROGRAMME_OFFICER)
    assert set(Settlement.objects.visible_to(officer)) == {mine, theirs}
    assert not Settlement.objects.editable_by(officer).exists()
    admin = user_with_role(GlobalRole.ADMINISTRATOR)
    assert set(Settlement.objects.editable_by(admin)) == {mine, theirs}


def test_anonymous_and_inactive_users_see_nothing():
    from django.contrib.auth.models import AnonymousUser

    SettlementFactory()
    assert not LSG.objects.visible_to(AnonymousUser()).exists()
    officer = user_with_role(GlobalRole.PROGRAMME_OFFICER)
    officer.is_active = False
    assert not Settlement.objects.visible_to(officer).exists()


def test_a_user_without_roles_sees_no_lsg():
    assert not LSG.objects.visible_to(UserFactory()).exists()


def test_administrators_have_admin_permissions_without_grants():
    admin = user_with_role(GlobalRole.ADMINISTRATOR)
    assert admin.has_perm("stakeholders.change_lsg")
    officer = user_with_role(GlobalRole.PROGRAMME_OFFICER)
    assert not officer.has_perm("stakeholders.change_lsg")
