"""Reads of the registry, scoped to the user before anything else."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from jmu_planner import access
from jmu_planner.db import ScriptOrder, SerbianCollate
from stakeholders.models import JMU, LSG, Institution, JMUMembership, LSGQuerySet, Settlement, User


def jmus_writable_by(user: User, roles: Iterable[str]) -> QuerySet[JMU]:
    """Active JMUs of the LSGs where the user holds one of `roles` (administrators: all)."""
    jmus = JMU.objects.filter(status=JMU.Status.ACTIVE).select_related("lsg")
    return access.scope_editable(jmus, user, "lsg", roles)


def lsg_list(*, user: User) -> LSGQuerySet:
    """LSGs the user may see, with their district and whether an active JMU exists."""
    active_jmu = JMU.objects.filter(lsg=OuterRef("pk"), status=JMU.Status.ACTIVE)
    return (
        LSG.objects.visible_to(user)
        .select_related("district")
        .annotate(has_jmu=Exists(active_jmu))
        .order_by(ScriptOrder("name_lat", "name_cyr"), "code")
    )


@dataclass(frozen=True)
class LSGPage:
    lsg: LSG
    jmu: JMU | None
    former_jmus: list[JMU]
    members: list[JMUMembership]
    former_members: list[JMUMembership]
    settlements: list[Settlement]
    institutions: list[Institution]
    can_edit: bool
    roles: frozenset[str]


def lsg_page(*, user: User, pk: int) -> LSGPage:
    """Everything the LSG page shows, in a fixed number of queries (see test_lsg_page_queries)."""
    lsg = get_object_or_404(LSG.objects.visible_to(user).select_related("district"), pk=pk)
    memberships = JMUMembership.objects.select_related("role", "institution")
    jmus = list(
        JMU.objects.filter(lsg=lsg)
        .order_by("-decision_date")
        .prefetch_related(Prefetch("memberships", queryset=memberships))
    )
    jmu = next((j for j in jmus if j.status == JMU.Status.ACTIVE), None)
    members: list[JMUMembership] = []
    former: list[JMUMembership] = []
    if jmu is not None:
        for membership in jmu.memberships.all():
            (members if membership.is_active else former).append(membership)
    return LSGPage(
        lsg=lsg,
        jmu=jmu,
        former_jmus=[j for j in jmus if j is not jmu],
        members=members,
        former_members=former,
        settlements=list(Settlement.objects.filter(lsg=lsg).order_by(SerbianCollate("name"))),
        institutions=list(
            Institution.objects.filter(lsg=lsg)
            .select_related("type")
            .order_by("type__position", SerbianCollate("name"))
        ),
        can_edit=access.may(user, "stakeholders.change_registry", lsg),
        roles=access.roles_in(user, lsg),
    )
