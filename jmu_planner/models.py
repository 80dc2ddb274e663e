"""The project's own reference data that belongs to no app: the words kept as written."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class KeptTerm(models.Model):
    """A foreign word, name or abbreviation that a Cyrillic reader sees as written, in Latin
    (EU, IPA, UNICEF, OSCE, SCTM...): jmu_planner.script leaves it untransliterated."""

    term = models.CharField(
        _("word or name"),
        max_length=100,
        unique=True,
        help_text=_("As written, with its capitals: it is kept wherever it stands as a whole word."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("word kept as written")
        verbose_name_plural = _("words kept as written")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term
