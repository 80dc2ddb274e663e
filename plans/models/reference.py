"""Reference tables of plans: thematic areas and funding sources (editable in the admin)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stakeholders.models import BilingualNameMixin


class ThematicArea(BilingualNameMixin):
    """Reference data: education, employment, health, ... numbered as in the plan matrix."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(_("number"), unique=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("thematic area")
        verbose_name_plural = _("thematic areas")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class FundingSource(BilingualNameMixin):
    """Reference data: LSG budget, Republic budget, EU/IPA, SCTM co-financing, ..."""

    class Share(models.TextChoices):
        # Which side of the SCTM co-financing rule a source counts on.
        LSG = "lsg", _("LSG's own share")
        SCTM = "sctm", _("SCTM co-financing")
        OTHER = "other", _("Other sources")

    class Kind(models.TextChoices):
        # What the money is: a loan or a credit is repaid, a grant is not.
        BUDGET = "budget", _("Public budget")
        GRANT = "grant", _("Grant or donation")
        LOAN = "loan", _("Loan or credit")
        IN_KIND = "in_kind", _("In kind")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    share = models.CharField(_("counts as"), max_length=10, choices=Share.choices, default=Share.OTHER)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.GRANT)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")


# --- Operational plans ---------------------------------------------------------------------------
