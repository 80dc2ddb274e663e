"""Local policy documents (the LAP for Roma inclusion and others) and their measures, which plan
measures implement."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jmu_planner import access
from stakeholders.models.registry import LSG


class PolicyDocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return access.scope_visible(self, user, "lsg")


class PolicyDocument(models.Model):
    """A local policy document (LAP for Roma inclusion, employment, health, social welfare...)."""

    class Kind(models.TextChoices):
        LAP_ROMA = "lap_roma", _("Local action plan for Roma inclusion")
        EMPLOYMENT = "employment", _("Local employment action plan")
        HEALTH = "health", _("Public health plan")
        SOCIAL_WELFARE = "social_welfare", _("Social welfare development plan")
        EDUCATION = "education", _("Education plan")
        HOUSING = "housing", _("Housing plan")
        OTHER = "other", _("Other policy document")

    lsg = models.ForeignKey(
        LSG, on_delete=models.CASCADE, related_name="policy_documents", verbose_name=_("LSG")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    adopted_by = models.CharField(_("adopted by"), max_length=200, blank=True)
    adoption_date = models.DateField(_("adopted on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = PolicyDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")

    def __str__(self) -> str:
        return f"{self.title} ({self.period_start:%Y}–{self.period_end:%Y})"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})


class LAPMeasure(models.Model):
    """A measure of a policy document, which a plan measure may implement."""

    document = models.ForeignKey(
        PolicyDocument, on_delete=models.CASCADE, related_name="measures", verbose_name=_("policy document")
    )
    number = models.CharField(_("number"), max_length=20)
    title = models.CharField(_("measure"), max_length=500)

    class Meta:
        ordering = ["document", "number", "pk"]
        verbose_name = _("policy document measure")
        verbose_name_plural = _("policy document measures")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"],
                name="unique_lap_measure_number",
                violation_error_message=_("This document already has a measure with this number."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
