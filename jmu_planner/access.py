"""Roles and scoping shared by all apps.

A user holds roles per LSG (local coordinator, JMU member, expert) and may hold one global role
(programme officer, administrator). Everything an LSG owns is invisible to users with no role in
that LSG, except programme officers and administrators. Querysets call `scope_visible` /
`scope_editable` first, so a forbidden object is simply not found (404).

A user's roles are read once per request (one query) and cached on the user object.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from jmu_planner.text import serbian_sort_key

if TYPE_CHECKING:
    from stakeholders.models import LSG, User


class Role(models.TextChoices):
    """Roles a person holds in one LSG."""

    COORDINATOR = "coordinator", _("Local coordinator")
    MEMBER = "member", _("JMU member")
    EXPERT = "expert", _("Expert")


class GlobalRole(models.TextChoices):
    """Roles that span the whole programme."""

    NONE = "", _("None")
    PROGRAMME_OFFICER = "programme_officer", _("Programme officer")
    ADMINISTRATOR = "administrator", _("Administrator")


# Who may change an LSG's registry (JMU, members, settlements, institutions).
REGISTRY_EDITORS = frozenset({Role.COORDINATOR})


@dataclass(frozen=True)
class LSGLink:
    pk: int
    name: str
    roles: frozenset[str] = field(default_factory=frozenset)


def _is_active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_administrator(user: User) -> bool:
    return _is_active(user) and (user.is_superuser or user.global_role == GlobalRole.ADMINISTRATOR)


def is_programme_officer(user: User) -> bool:
    return _is_active(user) and user.global_role == GlobalRole.PROGRAMME_OFFICER


def sees_everything(user: User) -> bool:
    """Programme officers and administrators read every LSG's data."""
    return is_administrator(user) or is_programme_officer(user)


def lsg_roles(user: User) -> dict[int, LSGLink]:
    """The user's LSGs with the roles held in each, read once per request."""
    if not _is_active(user):
        return {}
    cached = getattr(user, "_jmu_lsg_roles", None)
    if cached is not None:
        return cached
    from stakeholders.models import RoleAssignment

    by_lsg: dict[int, tuple[str, set[str]]] = {}
    rows = (
        RoleAssignment.objects.filter(user=user)
        .select_related("lsg")
        .only("role", "lsg__id", "lsg__name_lat")
    )
    for row in rows:
        by_lsg.setdefault(row.lsg_id, (row.lsg.name_lat, set()))[1].add(row.role)
    cached = {pk: LSGLink(pk=pk, name=name, roles=frozenset(roles)) for pk, (name, roles) in by_lsg.items()}
    user._jmu_lsg_roles = cached
    return cached


def lsg_ids_with_role(user: User, roles: Iterable[str] | None = None) -> set[int]:
    wanted = set(roles) if roles is not None else None
    return {pk for pk, link in lsg_roles(user).items() if wanted is None or link.roles & wanted}


def roles_in(user: User, lsg: LSG | int) -> frozenset[str]:
    pk = lsg if isinstance(lsg, int) else lsg.pk
    link = lsg_roles(user).get(pk)
    return link.roles if link else frozenset()


def scope_visible(queryset: models.QuerySet, user: User, lsg_path: str) -> models.QuerySet:
    """Rows whose LSG (reached through `lsg_path`) the user may read."""
    if not _is_active(user):
        return queryset.none()
    if sees_everything(user):
        return queryset
    return queryset.filter(**{f"{lsg_path}__in": lsg_ids_with_role(user)})


def scope_editable(
    queryset: models.QuerySet, user: User, lsg_path: str, roles: Iterable[str]
) -> models.QuerySet:
    """Rows whose LSG the user may change through one of `roles`; administrators change all."""
    if not _is_active(user):
        return queryset.none()
    if is_administrator(user):
        return queryset
    return queryset.filter(**{f"{lsg_path}__in": lsg_ids_with_role(user, roles)})


def can_edit_registry(user: User, lsg: LSG | int) -> bool:
    return is_administrator(user) or bool(roles_in(user, lsg) & REGISTRY_EDITORS)


def navigation_for(user: User) -> dict:
    links = sorted(lsg_roles(user).values(), key=lambda link: serbian_sort_key(link.name))
    return {
        "lsgs": links,
        "sees_everything": sees_everything(user),
        "is_administrator": is_administrator(user),
        "is_programme_officer": is_programme_officer(user),
    }
