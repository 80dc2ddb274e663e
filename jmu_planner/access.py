"""The access policy: who sees what, and who may do what. Nothing else in the project decides.

A user holds roles per LSG (local coordinator, JMU member, expert) and may hold one global role
(programme officer, administrator). Everything an LSG owns is invisible to users with no role in
that LSG, except programme officers and administrators.

Two halves, one rule each:
- **Visibility** is a queryset filter (`scope_visible`, `scope_editable`): views fetch through it,
  so an object the user may not see is simply not found (404).
- **Actions** are named predicates registered with django-rules (`plans.change_plan`,
  `reporting.accept_report`, ...). A visible object with a forbidden action is a 403 whose page
  says why (`require`). Lifecycle moves register their own permissions from their tables
  (`jmu_planner.lifecycle`), built from the predicates defined here.

A user's roles are read once per request (one query) and cached on the user object.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import rules
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jmu_planner.text import serbian_sort_key

if TYPE_CHECKING:
    from stakeholders.models import User

# The scoping functions return the queryset they were given, narrowed: its class and its model.
Rows = TypeVar("Rows", bound=models.QuerySet)


class Role(models.TextChoices):
    """Roles a person holds in one LSG."""

    COORDINATOR = "coordinator", _("Local coordinator")
    MEMBER = "member", _("JMU member")
    EXPERT = "expert", _("Expert")


class GlobalRole(models.TextChoices):
    """Roles that span the whole programme."""

    NONE = "", pgettext_lazy("role", "None")
    PROGRAMME_OFFICER = "programme_officer", _("Programme officer")
    ADMINISTRATOR = "administrator", _("Administrator")


# The role sets, spelled once. Authors write an LSG's plans and reports (DOMAIN.md: the
# coordinator and the experts assigned to it); the registry is the coordinator's; JMU members
# log field work and draft report sections.
AUTHORS = frozenset({Role.COORDINATOR, Role.EXPERT})
REGISTRY_EDITORS = frozenset({Role.COORDINATOR})
ADOPTERS = frozenset({Role.COORDINATOR})
FIELD_WORKERS = frozenset({Role.COORDINATOR, Role.EXPERT, Role.MEMBER})
# Engagements (meetings, visits, minutes, recommendations) are read by the LSG's coordinators and
# experts, written by its assigned experts; JMU members are participants, not readers of minutes.
ENGAGEMENT_READERS = AUTHORS
EXPERTS = frozenset({Role.EXPERT})


@dataclass(frozen=True)
class LSGLink:
    pk: int
    name_lat: str
    name_cyr: str
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def name(self) -> str:
        """In the reader's script."""
        return self.name_cyr if (get_language() or "") == "sr" and self.name_cyr else self.name_lat


def _is_active(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


# --- Who the user is ----------------------------------------------------------------------------


@rules.predicate
def is_administrator(user: User) -> bool:
    """Administrators: the global role, or a Django superuser (the operator who installed it)."""
    return _is_active(user) and (user.is_superuser or user.global_role == GlobalRole.ADMINISTRATOR)


@rules.predicate
def is_programme_officer(user: User) -> bool:
    return _is_active(user) and user.global_role == GlobalRole.PROGRAMME_OFFICER


def programme_officers() -> models.QuerySet:
    """The active programme officers: whom a submission is sent to for review."""
    from django.contrib.auth import get_user_model  # the user model is not importable at import time

    return get_user_model().objects.filter(is_active=True, global_role=GlobalRole.PROGRAMME_OFFICER)


def lsg_authors(lsg_id: int, exclude: User | None = None) -> models.QuerySet:
    """The active coordinators and experts of an LSG, but `exclude` (who made the change): whom a
    plan's or report's review and comments are told to."""
    return _lsg_people(lsg_id, AUTHORS, exclude)


def coordinators(lsg_id: int, exclude: User | None = None) -> models.QuerySet:
    """The active coordinators of an LSG, but `exclude`."""
    return _lsg_people(lsg_id, {Role.COORDINATOR}, exclude)


def _lsg_people(lsg_id: int, roles: Iterable[str], exclude: User | None) -> models.QuerySet:
    from django.contrib.auth import get_user_model  # the user model is not importable at import time

    users = get_user_model().objects.filter(
        is_active=True, lsg_roles__lsg_id=lsg_id, lsg_roles__role__in=roles
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.distinct()


# Whom a lifecycle's move is told to (jmu_planner.lifecycle.Tell): a name, the people it means for
# an object of an LSG written by `author`; never the one who made the move.
AUDIENCES = {
    "programme_officers": lambda lsg_id, author, actor: programme_officers(),
    "lsg_authors": lambda lsg_id, author, actor: lsg_authors(lsg_id, exclude=actor),
    "coordinators": lambda lsg_id, author, actor: coordinators(lsg_id, exclude=actor),
    "author": lambda lsg_id, author, actor: [author] if author is not None and author.is_active else [],
}


def audience(name: str, *, lsg_id: int | None, author: User | None, actor: User | None) -> list[User]:
    actor_pk = getattr(actor, "pk", None)
    return [user for user in AUDIENCES[name](lsg_id, author, actor) if user.pk != actor_pk]


@rules.predicate
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
    RoleAssignment = apps.get_model("stakeholders", "RoleAssignment")  # the registry sits above the core
    by_lsg: dict[int, tuple[str, str, set[str]]] = {}
    rows = (
        RoleAssignment.objects.filter(user=user)
        .select_related("lsg")
        .only("role", "lsg__id", "lsg__name_lat", "lsg__name_cyr")
    )
    for row in rows:
        by_lsg.setdefault(row.lsg_id, (row.lsg.name_lat, row.lsg.name_cyr, set()))[2].add(row.role)
    cached = {
        pk: LSGLink(pk=pk, name_lat=lat, name_cyr=cyr, roles=frozenset(roles))
        for pk, (lat, cyr, roles) in by_lsg.items()
    }
    # A per-request cache on the user object, which declares no such field.
    user._jmu_lsg_roles = cached  # type: ignore[attr-defined]
    return cached


def lsg_ids_with_role(user: User, roles: Iterable[str] | None = None) -> set[int]:
    wanted = set(roles) if roles is not None else None
    return {pk for pk, link in lsg_roles(user).items() if wanted is None or link.roles & wanted}


def lsg_id_of(obj: Any) -> int | None:
    """The LSG that owns `obj`: an LSG, an id, or any row reached from one (JMU, plan, measure,
    report, document, field activity, comment thread...)."""
    if obj is None or isinstance(obj, int):
        return obj
    if isinstance(obj, apps.get_model("stakeholders", "LSG")):  # the registry sits above the core
        return obj.pk
    if hasattr(obj, "lsg_id"):
        return obj.lsg_id
    for parent in ("jmu", "plan", "report", "measure", "thread", "subject"):
        owner = getattr(obj, parent, None)
        if owner is not None:
            return lsg_id_of(owner)
    return None


def roles_in(user: User, lsg: Any) -> frozenset[str]:
    lsg_id = lsg_id_of(lsg)
    link = lsg_roles(user).get(lsg_id) if lsg_id is not None else None
    return link.roles if link else frozenset()


def _holds(name: str, roles: frozenset[str]) -> rules.Predicate:
    """The user holds one of `roles` in the object's LSG; without an object, in any LSG."""

    def check(user: User, obj: Any = None) -> bool:
        if obj is None:
            return bool(lsg_ids_with_role(user, roles))
        return bool(roles_in(user, obj) & roles)

    return rules.Predicate(check, name=name)


is_author = _holds("is_author", AUTHORS)
is_coordinator = _holds("is_coordinator", REGISTRY_EDITORS)
is_adopter = _holds("is_adopter", ADOPTERS)
is_field_worker = _holds("is_field_worker", FIELD_WORKERS)
has_lsg_role = _holds("has_lsg_role", frozenset(Role.values))


# --- What the object is ---------------------------------------------------------------------------


@rules.predicate
def is_editable(user: User, obj: Any) -> bool:
    """The object's lifecycle status still allows changes to its content."""
    return obj is not None and bool(getattr(obj, "is_editable", False))


@rules.predicate
def is_adopted(user: User, obj: Any) -> bool:
    return obj is not None and obj.status == "adopted"


@rules.predicate
def is_publishable(user: User, obj: Any) -> bool:
    """An adopted plan or an accepted annual report: what may be made public (DOMAIN.md)."""
    return obj is not None and bool(getattr(obj, "is_publishable", False))


@rules.predicate
def logged_it(user: User, activity: Any) -> bool:
    return activity is not None and activity.created_by_id == user.pk


@rules.predicate
def is_engagement_expert(user: User, obj: Any = None) -> bool:
    """An expert assigned to every LSG the engagement concerns; without an object, to any LSG.

    `obj` is an engagement or a row hanging from one (its `engagement_lsg_ids` names the LSGs).
    """
    mine = lsg_ids_with_role(user, EXPERTS)
    if obj is None:
        return bool(mine)
    lsg_ids = obj.engagement_lsg_ids
    return bool(lsg_ids) and lsg_ids <= mine


@rules.predicate
def owns_contract(user: User, obj: Any) -> bool:
    """The expert whose contract the time sheet or final report is."""
    return obj is not None and _is_active(user) and obj.expert_id == user.pk


# --- Actions ------------------------------------------------------------------------------------
# Each action: its predicate and the sentence a refused user reads on the 403 page.

writes_for_lsg = is_administrator | is_author


@dataclass(frozen=True)
class Action:
    predicate: rules.Predicate
    who: Any  # lazy text: who may do this
    status_bound: bool = False  # refused also because of the object's status


ACTIONS: dict[str, Action] = {
    "stakeholders.change_lsg": Action(
        is_administrator, _("Only administrators change an LSG's reference record.")
    ),
    "stakeholders.change_registry": Action(
        is_administrator | is_coordinator,
        _("Only the LSG's coordinator changes its JMU, members, settlements and institutions."),
    ),
    "plans.add_plan": Action(writes_for_lsg, _("Only coordinators and assigned experts write plans.")),
    "plans.change_plan": Action(
        writes_for_lsg & is_editable,
        _("Only the LSG's coordinators and assigned experts change its plans."),
        status_bound=True,
    ),
    "plans.copy_plan": Action(
        writes_for_lsg, _("Only the LSG's coordinators and assigned experts copy its plans.")
    ),
    "plans.amend_plan": Action(
        writes_for_lsg & is_adopted,
        _("Only the LSG's coordinators and assigned experts amend its adopted plan."),
    ),
    "plans.comment_plan": Action(
        writes_for_lsg | is_programme_officer,
        _("Comments are written by programme officers and by the LSG's coordinators and experts."),
    ),
    "plans.review_plans": Action(sees_everything, _("The review queue is for programme officers.")),
    "reporting.review_reports": Action(
        sees_everything, _("The review queue for reports is for programme officers.")
    ),
    "reporting.add_report": Action(
        writes_for_lsg, _("Only coordinators and assigned experts start reports.")
    ),
    "reporting.change_report": Action(
        writes_for_lsg & is_editable,
        _("Only the LSG's coordinators and assigned experts enter values and spending."),
        status_bound=True,
    ),
    "reporting.draft_report": Action(
        (is_administrator | is_field_worker) & is_editable,
        _("Only the JMU's people draft its reports."),
        status_bound=True,
    ),
    "reporting.log_field_work": Action(
        is_administrator | is_field_worker, _("Only the JMU's people log its field work.")
    ),
    "reporting.change_activity": Action(
        (writes_for_lsg | (is_field_worker & logged_it)) & is_editable,
        _("JMU members change only the entries they logged; coordinators and experts any."),
    ),
    "reporting.request_document": Action(
        sees_everything | is_author,
        _("PDFs are made by programme officers and by the LSG's coordinators and experts."),
    ),
    "reporting.publish": Action(
        (is_administrator | is_programme_officer | is_coordinator) & is_publishable,
        _("Adopted plans and accepted annual reports are published by coordinators and officers."),
    ),
    "reporting.unpublish": Action(
        is_administrator | is_programme_officer | is_coordinator,
        _("Only the LSG's coordinator or a programme officer takes a publication down."),
    ),
    "stakeholders.add_engagement": Action(
        is_administrator | is_engagement_expert, _("Engagements are recorded by the LSG's assigned experts.")
    ),
    "stakeholders.change_engagement": Action(
        is_administrator | is_engagement_expert,
        _("Only the experts assigned to the engagement's LSGs change it."),
    ),
    "stakeholders.link_recommendation": Action(
        is_administrator | is_coordinator,
        _("The LSG's coordinator links recommendations to the plan's measures."),
    ),
    "stakeholders.change_policy": Action(
        is_administrator | is_author,
        _("Only the LSG's coordinators and assigned experts record its policy documents."),
    ),
    "stakeholders.change_timesheet": Action(
        (is_administrator | owns_contract) & is_editable,
        _("Only the expert changes their own time sheet while it is a draft or returned."),
        status_bound=True,
    ),
    "stakeholders.add_timesheet": Action(
        is_administrator | owns_contract, _("Only the expert starts their own time sheets.")
    ),
    "stakeholders.change_final_report": Action(
        (is_administrator | owns_contract) & is_editable,
        _("Only the expert changes their own final report while it is a draft or returned."),
        status_bound=True,
    ),
    "stakeholders.request_engagement_document": Action(
        sees_everything | is_engagement_expert,
        _("Engagement PDFs are made by programme officers and the engagement's experts."),
    ),
    "stakeholders.request_final_report_document": Action(
        sees_everything | owns_contract,
        _("Final report PDFs are made by programme officers and the expert."),
    ),
}

for _name, _action in ACTIONS.items():
    rules.add_perm(_name, _action.predicate)


def may(user: User, action: str, obj: Any = None) -> bool:
    """May `user` do `action` (a name in ACTIONS or a lifecycle move) to `obj`?"""
    return rules.has_perm(action, user, obj)


def require(user: User, action: str, obj: Any = None) -> None:
    """Refuse with a 403 that says why, when the user may see `obj` but not do `action` to it."""
    if may(user, action, obj):
        return
    raise PermissionDenied(refusal(user, action, obj))


def refusal(user: User, action: str, obj: Any = None) -> str:
    rule = ACTIONS.get(action)
    frozen_reason = getattr(obj, "frozen_reason", None)  # a field entry whose month is closed
    if rule is not None and frozen_reason is not None and not obj.is_editable:
        return frozen_reason()
    if rule is not None and rule.status_bound and obj is not None and not obj.is_editable:
        return str(
            _("This %(what)s is %(status)s: it can no longer be changed.")
            % {"what": obj._meta.verbose_name, "status": obj.get_status_display().lower()}
        )
    if rule is not None:
        return str(rule.who)
    explain = MOVE_REFUSALS.get(action)
    return str(explain(obj)) if explain is not None else str(_("You may not make this change."))


# A lifecycle move's permission ("plans.submit_plan") → why it is refused for an object: filled in by
# each lifecycle table (jmu_planner.lifecycle), which sits above this module.
MOVE_REFUSALS: dict[str, Callable[[Any], str]] = {}


# --- Visibility -----------------------------------------------------------------------------------


def scope_visible(queryset: Rows, user: User, lsg_path: str) -> Rows:
    """Rows whose LSG (reached through `lsg_path`) the user may read."""
    if not _is_active(user):
        return queryset.none()
    if sees_everything(user):
        return queryset
    return queryset.filter(**{f"{lsg_path}__in": lsg_ids_with_role(user)})


def scope_editable(queryset: Rows, user: User, lsg_path: str, roles: Iterable[str]) -> Rows:
    """Rows whose LSG the user may change through one of `roles`; administrators change all."""
    if not _is_active(user):
        return queryset.none()
    if is_administrator(user):
        return queryset
    return queryset.filter(**{f"{lsg_path}__in": lsg_ids_with_role(user, roles)})


def scope_engagement_rows(queryset: Rows, user: User, lsg_path: str) -> Rows:
    """Engagement work of the LSGs reached through `lsg_path`: officers and administrators read
    all of it; the LSG's coordinators and experts their LSGs'; nobody else any."""
    if sees_everything(user):
        return queryset
    return scope_editable(queryset, user, lsg_path, ENGAGEMENT_READERS)


def may_read_engagements(user: User, lsg_id: int) -> bool:
    """May the user read the engagements (and recommendations) of this LSG? No query."""
    return sees_everything(user) or lsg_id in lsg_ids_with_role(user, ENGAGEMENT_READERS)


def navigation_for(user: User) -> dict:
    links = sorted(lsg_roles(user).values(), key=lambda link: serbian_sort_key(link.name_lat))
    return {
        "lsgs": links,
        "sees_everything": sees_everything(user),
        "is_administrator": is_administrator(user),
        "is_programme_officer": is_programme_officer(user),
        "engagements": sees_everything(user) or bool(lsg_ids_with_role(user, ENGAGEMENT_READERS)),
        "is_expert": bool(lsg_ids_with_role(user, EXPERTS)),
    }
