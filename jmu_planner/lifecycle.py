"""One small mechanism for every lifecycle: plans, reports, and whatever comes next.

Each lifecycle is a declarative table of `Move`s (from, to, who may, guard, what it records,
whom it notifies) plus which statuses are editable and which frozen: the one place the querysets
(`editable_by`), the models' `is_editable`/`is_frozen`, the access predicates and the templates read
them from (`lifecycle_of(Model)`). The status-change row is a `jmu_planner.models.StatusChange`; the
review cycle shared by reports, time sheets and final reports is `review_lifecycle`; whom a move
tells is a `Tell(event, audience)` with an audience named in `jmu_planner.access.AUDIENCES`.
`Lifecycle.transition` is the only way a status changes: it locks the row, refuses an illegal
move with a domain error, runs the guard, saves, writes the status-change row and runs the move's effects
(notifications go out after commit). Each move is also a django-rules permission
(`plans.submit_plan`, `reporting.accept_report`...), so views and templates ask
`access.may(user, "plans.submit_plan", plan)` like any other action.

The shape follows django-oscar's `Order.pipeline` and `set_status()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, cast

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jmu_planner import access
from jmu_planner.models import ReviewStatus
from jmu_planner.notifications.services import notify

if TYPE_CHECKING:
    from stakeholders.models import User


class TransitionRefused(ValidationError):
    """An illegal move, a missing note, a failed guard or a role that may not make the move."""


class Missing(str):
    """One thing that keeps an object from a move, as the sentence the user reads, with `url`: where
    to fix it (the measure's or the report's form, anchored at the field). A string everywhere a
    refusal's message is one; the transition pages link it."""

    url: str

    def __new__(cls, text: str, url: str = "") -> Missing:
        item = super().__new__(cls, text)
        item.url = url
        return item


Guard = Callable[..., dict[str, Any] | None]  # (obj, *, actor, note, **context) -> fields to set
Effect = Callable[..., None]  # (obj, *, actor, note, **context) -> None, inside the transaction


@dataclass(frozen=True)
class Tell:
    """An effect: tell `audience` (a name in `access.AUDIENCES`) of the move, as `event`."""

    event: str
    audience: str

    def __post_init__(self) -> None:
        if self.audience not in access.AUDIENCES:
            raise ValueError(f"Unknown audience {self.audience!r}: one of {sorted(access.AUDIENCES)}")


@dataclass(frozen=True)
class Notice:
    """What a lifecycle's notifications say and link to, and whose the object is (for the audiences)."""

    params: Callable[..., dict[str, Any]]  # (obj, actor, note) -> the event's parameters
    url: Callable[[Any], str]
    lsg_id: Callable[[Any], int | None] = lambda obj: None
    author: Callable[[Any], Any] = lambda obj: None


@dataclass(frozen=True)
class Move:
    name: str  # the verb; the permission is "<app>.<name>_<noun>"
    source: frozenset[str]
    target: str
    who: rules.Predicate
    label: Any = ""  # the button's text (lazy)
    guard: Guard | None = None
    note_required: Any = None  # the message shown when the note is missing
    effects: tuple[Effect | Tell, ...] = ()
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
    notice: Notice | None = None
    _by_edge: dict[tuple[str, str], Move] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.moves = tuple(self.moves)
        for move in self.moves:
            for source in move.source:
                self._by_edge[(source, move.target)] = move
            rules.set_perm(self.permission(move), move.who & _status_in(self.noun, move.source))
            access.MOVE_REFUSALS[self.permission(move)] = partial(self.refusal, move)
        _BY_MODEL[self.model] = self
        if self.notice is None and any(isinstance(e, Tell) for m in self.moves for e in m.effects):
            raise ValueError(f"The {self.noun} lifecycle tells of its moves: give it a Notice.")

    def refusal(self, move: Move, obj: Any) -> str:
        """The 403 reason for a move: the status is wrong, or the role is (access.refusal asks it
        through `access.MOVE_REFUSALS`)."""
        if obj is not None and obj.status not in move.source:
            return _("A %(noun)s that is %(status)s cannot be moved to “%(to)s”.") % {
                "noun": obj._meta.verbose_name,
                "status": obj.get_status_display().lower(),
                "to": _status_choices(self.model)(move.target).label.lower(),
            }
        return _("You may not make this change.")

    def is_editable(self, status: str) -> bool:
        """Content can be changed: its authors are writing it."""
        return status in self.editable

    def is_frozen(self, status: str) -> bool:
        """Content can never change again."""
        return status in self.frozen

    def tell(self, obj: Any, tell: Tell, *, actor: User | None, note: str = "") -> None:
        """Notify the move's audience (never the one who made it), after commit."""
        notice = self.notice
        assert notice is not None, "__post_init__ requires a Notice of a lifecycle that tells"
        users = access.audience(
            tell.audience, lsg_id=notice.lsg_id(obj), author=notice.author(obj), actor=actor
        )
        notify(users=users, event=tell.event, params=notice.params(obj, actor, note), url=notice.url(obj))

    def permission(self, move: Move) -> str:
        return f"{self.model._meta.app_label}.{move.name}_{self.noun}"

    def move(self, status: str, to: str) -> Move | None:
        return self._by_edge.get((status, to))

    def allowed(self, user: User, obj: Any) -> list[Move]:
        """The moves this user may make on this object now (for the page's buttons)."""
        return [
            move
            for move in self.moves
            if not move.automatic
            and obj.status in move.source
            and access.may(user, self.permission(move), obj)
        ]

    def may(self, user: User, obj: Any, to: str) -> bool:
        move = self.move(obj.status, to)
        return move is not None and not move.automatic and access.may(user, self.permission(move), obj)

    def require_move(self, user: User, obj: Any, to: str) -> Move:
        """For a page that makes the move to `to`: a 404 when no person ever makes such a move, a 403
        that says why when this user may not make it now (wrong status or role)."""
        by_target = {move.target: move for move in self.moves if not move.automatic}
        if to not in by_target:
            raise Http404
        move = self.move(obj.status, to)
        if move is None or move.automatic:
            raise PermissionDenied(self.refusal(by_target[to], obj))
        access.require(user, self.permission(move), obj)
        return move

    @transaction.atomic
    def transition(
        self, obj: Any, *, to: str, actor: User | None, note: str = "", system: bool = False, **context: Any
    ) -> Any:
        """Move `obj` to `to`, or refuse with the reason. `system` moves skip the role check."""
        locked = _manager(self.model).select_for_update()
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
                    "to": _status_choices(self.model)(to).label.lower()
                    if to in _status_choices(self.model).values
                    else to,
                }
            )
        # Only system moves (imports, demos) are made without an actor; a person's move always has one,
        # and the rules answer for a missing one as they always have.
        if not system and not access.may(actor, self.permission(move), obj):  # type: ignore[arg-type]
            raise TransitionRefused(_("You may not make this change."))
        note = (note or "").strip()
        if move.note_required and not note:
            raise TransitionRefused({"note": str(move.note_required)})
        changes = move.guard(obj, actor=actor, note=note, **context) if move.guard else None
        from_status = obj.status
        for name, value in (changes or {}).items():
            setattr(obj, name, value)
        obj.status = move.target
        obj._history_user = actor
        update_fields = ["status", *(changes or {})]
        if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
            update_fields.append("updated_at")
        obj.save(update_fields=update_fields)
        _manager(self.transition_model).create(
            **{self.transition_fk: obj},
            actor=actor,
            from_status=from_status,
            to_status=move.target,
            note=note,
        )
        for effect in move.effects:
            if isinstance(effect, Tell):
                self.tell(obj, effect, actor=actor, note=note)
            else:
                effect(obj, actor=actor, note=note, **context)
        return obj


_BY_MODEL: dict[type[models.Model], Lifecycle] = {}


def _status_choices(model: type[models.Model]) -> type[models.TextChoices]:
    # Every lifecycle's model declares its `Status` choices, which `models.Model` does not know of.
    return cast(Any, model).Status


def _manager(model: type[models.Model]) -> models.Manager[Any]:
    # The plugin adds `objects` to each concrete model, not to `models.Model` that a lifecycle holds.
    return cast(Any, model).objects


def lifecycle_of(model: type[models.Model]) -> Lifecycle:
    """The lifecycle whose table a model's statuses follow (each app's `lifecycle` module is
    imported by its AppConfig.ready, so every table is known before the first request)."""
    try:
        return _BY_MODEL[model]
    except KeyError:
        raise LookupError(
            f"{model.__name__} has no lifecycle: is its app's lifecycle module imported in ready()?"
        ) from None


def status_owner(model: type[models.Model], status_path: str) -> type[models.Model]:
    """The model whose `status` a queryset's `status_path` ("status", "plan__status"...) reads."""
    *relations, _field = status_path.split("__")
    for name in relations:
        related = model._meta.get_field(name).related_model
        assert isinstance(related, type), f"{name!r} in {status_path!r} is not a relation"
        model = related
    return model


def editable_statuses(model: type[models.Model], status_path: str = "status") -> frozenset[str]:
    return lifecycle_of(status_owner(model, status_path)).editable


# --- The review cycle: reports, time sheets, final reports ---------------------------------------

REVIEW_EDITABLE = frozenset({ReviewStatus.DRAFT, ReviewStatus.RETURNED})
REVIEW_FROZEN = frozenset({ReviewStatus.ACCEPTED})


def review_lifecycle(
    *,
    model: type[models.Model],
    noun: str,
    transition_model: type[models.Model],
    transition_fk: str,
    authors: rules.Predicate,
    reviewers: rules.Predicate,
    submit_guard: Guard,
    reviews_told: str,
    notice: Notice,
    lock_related: tuple[str, ...] = (),
) -> Lifecycle:
    """draft → submitted → (returned → submitted)* → accepted (frozen). The authors submit (the
    programme officers are told); the reviewers return with a note or accept (`reviews_told` is
    told). `model.Status` is `ReviewStatus`."""
    S = ReviewStatus
    return Lifecycle(
        model=model,
        noun=noun,
        transition_model=transition_model,
        transition_fk=transition_fk,
        lock_related=lock_related,
        notice=notice,
        editable=REVIEW_EDITABLE,
        frozen=REVIEW_FROZEN,
        moves=[
            Move(
                "submit",
                frozenset({S.DRAFT, S.RETURNED}),
                S.SUBMITTED,
                authors,
                label=gettext_lazy("Submit"),
                guard=submit_guard,
                effects=(Tell(f"{noun}.submitted", "programme_officers"),),
            ),
            Move(
                "return",
                frozenset({S.SUBMITTED}),
                S.RETURNED,
                reviewers,
                label=gettext_lazy("Return for corrections"),
                note_required=gettext_lazy("Say what has to be fixed: a note is required."),
                effects=(Tell(f"{noun}.returned", reviews_told),),
            ),
            Move(
                "accept",
                frozenset({S.SUBMITTED}),
                S.ACCEPTED,
                reviewers,
                label=gettext_lazy("Accept"),
                effects=(Tell(f"{noun}.accepted", reviews_told),),
            ),
        ],
    )


def _status_in(noun: str, statuses: frozenset[str]) -> rules.Predicate:
    def check(user: User, obj: Any) -> bool:
        return obj is not None and obj.status in statuses

    return rules.Predicate(check, name=f"{noun}_in_{'_'.join(sorted(statuses))}")
