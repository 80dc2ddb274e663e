"""One small mechanism for every lifecycle: plans, reports, and whatever comes next.

Each lifecycle is a declarative table of `Move`s (from, to, who may, guard, what it records,
whom it notifies) plus which statuses are editable and which frozen. `Lifecycle.transition`
is the only way a status changes: it locks the row, refuses an illegal move with a domain
error, runs the guard, saves, writes the status-change row and runs the move's effects
(notifications go out after commit). Each move is also a django-rules permission
(`plans.submit_plan`, `reporting.accept_report`...), so views and templates ask
`access.may(user, "plans.submit_plan", plan)` like any other action.

The shape follows django-oscar's `Order.pipeline` and `set_status()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from jmu_planner import access
from jmu_planner.services import set_history_user

if TYPE_CHECKING:
    from stakeholders.models import User

# A row with a `status` field whose model has a `Status` TextChoices (a plan, a report, a time
# sheet...): Django's models share no type that says so.
Stateful = Any


class TransitionRefused(ValidationError):
    """An illegal move, a missing note, a failed guard or a role that may not make the move."""


Guard = Callable[..., dict[str, Any] | None]  # (obj, *, actor, note, **context) -> fields to set
Effect = Callable[..., None]  # (obj, *, actor, note, **context) -> None, inside the transaction


@dataclass(frozen=True)
class Move:
    name: str  # the verb; the permission is "<app>.<name>_<noun>"
    source: frozenset[str]
    target: str
    who: rules.Predicate
    label: Any = ""  # the button's text (lazy)
    guard: Guard | None = None
    note_required: Any = None  # the message shown when the note is missing
    effects: tuple[Effect, ...] = ()
    automatic: bool = False  # made by the system as part of another move, never by a person


@dataclass
class Lifecycle:
    model: type[models.Model]
    noun: str  # "plan", "report": names the permissions
    transition_model: type[models.Model]  # the status-change row: (<fk>, actor, from, to, note)
    transition_fk: str
    moves: Iterable[Move]
    editable: frozenset[str]
    frozen: frozenset[str]
    lock_related: tuple[str, ...] = ()
    _by_edge: dict[tuple[str, str], Move] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.moves = tuple(self.moves)
        for move in self.moves:
            for source in move.source:
                self._by_edge[(source, move.target)] = move
            rules.set_perm(self.permission(move), move.who & _status_in(self.noun, move.source))
        _LIFECYCLES[self.model._meta.app_label, self.noun] = self

    def permission(self, move: Move) -> str:
        return f"{self.model._meta.app_label}.{move.name}_{self.noun}"

    def move(self, status: str, to: str) -> Move | None:
        return self._by_edge.get((status, to))

    def status_label(self, status: str) -> str:
        """The status's name as a sentence reads it ("submitted"), or the value if it is none."""
        # Each lifecycle's model declares its Status choices; models.Model does not.
        choices: type[models.TextChoices] = self.model.Status  # type: ignore[attr-defined]
        return str(choices(status).label).lower() if status in choices.values else status

    def allowed(self, user: User, obj: Stateful) -> list[Move]:
        """The moves this user may make on this object now (for the page's buttons)."""
        return [
            move
            for move in self.moves
            if not move.automatic
            and obj.status in move.source
            and access.may(user, self.permission(move), obj)
        ]

    def may(self, user: User, obj: Stateful, to: str) -> bool:
        move = self.move(obj.status, to)
        return move is not None and not move.automatic and access.may(user, self.permission(move), obj)

    def require_move(self, user: User, obj: Stateful, to: str) -> Move:
        """For a page that makes the move to `to`: a 404 when no person ever makes such a move, a 403
        that says why when this user may not make it now (wrong status or role)."""
        by_target = {move.target: move for move in self.moves if not move.automatic}
        if to not in by_target:
            raise Http404
        move = self.move(obj.status, to)
        if move is None or move.automatic:
            raise PermissionDenied(refusal_for_move(user, self.permission(by_target[to]), obj))
        access.require(user, self.permission(move), obj)
        return move

    @transaction.atomic
    def transition(
        self, obj: Stateful, *, to: str, actor: User, note: str = "", system: bool = False, **context: Any
    ) -> Stateful:
        """Move `obj` to `to`, or refuse with the reason. `system` moves skip the role check."""
        locked = self.model._default_manager.select_for_update()
        if self.lock_related:
            locked = locked.select_related(*self.lock_related)
        obj = locked.get(pk=obj.pk)
        move = self.move(obj.status, to)
        status_label = obj.get_status_display().lower()
        if move is None or (move.automatic and not system):
            raise TransitionRefused(
                _("A %(noun)s that is %(status)s cannot be moved to “%(to)s”.")
                % {
                    "noun": obj._meta.verbose_name,
                    "status": status_label,
                    "to": self.status_label(to),
                }
            )
        if not system and not access.may(actor, self.permission(move), obj):
            raise TransitionRefused(_("You may not make this change."))
        note = (note or "").strip()
        if move.note_required and not note:
            raise TransitionRefused({"note": str(move.note_required)})
        changes = move.guard(obj, actor=actor, note=note, **context) if move.guard else None
        from_status = obj.status
        for name, value in (changes or {}).items():
            setattr(obj, name, value)
        obj.status = move.target
        set_history_user(obj, actor)
        update_fields = ["status", *(changes or {})]
        if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
            update_fields.append("updated_at")
        obj.save(update_fields=update_fields)
        self.transition_model._default_manager.create(
            **{self.transition_fk: obj},
            actor=actor,
            from_status=from_status,
            to_status=move.target,
            note=note,
        )
        for effect in move.effects:
            effect(obj, actor=actor, note=note, **context)
        return obj


_LIFECYCLES: dict[tuple[str, str], Lifecycle] = {}


def _status_in(noun: str, statuses: frozenset[str]) -> rules.Predicate:
    def check(user: User, obj: Stateful) -> bool:
        return obj is not None and obj.status in statuses

    return rules.Predicate(check, name=f"{noun}_in_{'_'.join(sorted(statuses))}")


def refusal_for_move(user: User, permission: str, obj: Stateful) -> str:
    """The 403 reason for a lifecycle move: the status is wrong, or the role is."""
    app_label, _sep, codename = permission.partition(".")
    verb, _sep, noun = codename.rpartition("_")
    lifecycle = _LIFECYCLES.get((app_label, noun))
    move = next((m for m in lifecycle.moves if m.name == verb), None) if lifecycle else None
    if lifecycle and move is not None and obj is not None and obj.status not in move.source:
        return _("A %(noun)s that is %(status)s cannot be moved to “%(to)s”.") % {
            "noun": obj._meta.verbose_name,
            "status": obj.get_status_display().lower(),
            "to": lifecycle.status_label(move.target),
        }
    return _("You may not make this change.")
