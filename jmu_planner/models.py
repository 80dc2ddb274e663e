"""The core's models: what every lifecycle's rows share (the mechanism is `jmu_planner.lifecycle`):
the status-change row each move writes, and the one review cycle that reports, time sheets and final
reports go through; and the project's own reference data that belongs to no app: the words kept as
written (jmu_planner.script)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NOTE_MAX_LENGTH = 5000


class ReviewStatus(models.TextChoices):
    """draft → submitted → (returned → submitted)* → accepted: the author submits, a reviewer
    returns it with a note or accepts it (then it is frozen)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class StatusChange(models.Model):
    """One step of a row's life: who moved it, when, from what to what, and why. A concrete model
    adds the foreign key to its row and names the row's statuses as `STATUS` (for `to_label`)."""

    STATUS: type[models.TextChoices]

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    from_status = models.CharField(_("from"), max_length=20)
    to_status = models.CharField(_("to"), max_length=20)
    note = models.TextField(_("note"), blank=True, max_length=NOTE_MAX_LENGTH)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

    @property
    def from_label(self) -> str:
        return self._label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)

    def _label(self, status: str) -> str:
        return self.STATUS(status).label if status in self.STATUS.values else status


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
