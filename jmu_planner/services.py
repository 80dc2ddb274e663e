"""The write steps every service shares: validate the whole row, save, record who did it."""

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def model_save(instance: M, *, actor, update_fields: list[str] | None = None) -> M:
    instance.full_clean()
    instance._history_user = actor  # read by django-simple-history
    instance.save(update_fields=update_fields)
    return instance


def model_update(instance: M, *, actor, data: Mapping[str, Any]) -> M:
    for name, value in data.items():
        setattr(instance, name, value)
    return model_save(instance, actor=actor, update_fields=list(data))
