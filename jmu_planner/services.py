"""The write steps every service shares: validate the whole row, save, record who did it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models

if TYPE_CHECKING:
    from stakeholders.models import User

M = TypeVar("M", bound=models.Model)


def set_history_user(instance: models.Model, actor: User | None) -> None:
    """Who django-simple-history records for the next save or delete of `instance`."""
    # django-simple-history reads this attribute; the models declare no such field.
    instance._history_user = actor  # type: ignore[attr-defined]


def model_save(instance: M, *, actor: User | None, update_fields: list[str] | None = None) -> M:
    instance.full_clean()
    set_history_user(instance, actor)
    instance.save(update_fields=update_fields)
    return instance


def model_update(instance: M, *, actor: User | None, data: Mapping[str, Any]) -> M:
    for name, value in data.items():
        setattr(instance, name, value)
    return model_save(instance, actor=actor, update_fields=list(data))
