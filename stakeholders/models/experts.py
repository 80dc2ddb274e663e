"""The experts' contracts and their work: time sheets and the final report."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MinValueValidator,
)
from django.db import models
from django.utils.translation import gettext_lazy as _

from jmu_planner import access
from jmu_planner.lifecycle import lifecycle_of
from jmu_planner.models import ReviewStatus, StatusChange
from stakeholders.models.engagements import Engagement, engagement_text
from stakeholders.models.registry import LSG


class ExpertContractQuerySet(models.QuerySet):
    def visible_to(self, user):
        if access.sees_everything(user):
            return self
        return self.filter(expert=user) if user is not None and user.is_authenticated else self.none()


class ExpertContract(models.Model):
    """The days an expert is contracted for over a period (entered by the programme's staff)."""

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="expert_contracts",
        verbose_name=_("expert"),
    )
    title = models.CharField(_("assignment"), max_length=200)
    days_contracted = models.DecimalField(
        _("days contracted"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))

    objects = ExpertContractQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "pk"]
        verbose_name = _("expert contract")
        verbose_name_plural = _("expert contracts")

    def __str__(self) -> str:
        return f"{self.title} – {self.expert}"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})


class ExpertWorkQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(contract__in=ExpertContract.objects.visible_to(user))


class ExpertWork(models.Model):
    """A time sheet or final report: the expert's own, with a draft → submitted → accepted life."""

    Status = ReviewStatus  # the one review cycle (jmu_planner.lifecycle.review_lifecycle)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    objects = ExpertWorkQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def expert_id(self) -> int:
        return self.contract.expert_id

    @property
    def is_editable(self) -> bool:
        return lifecycle_of(type(self)).is_editable(self.status)

    @property
    def is_frozen(self) -> bool:
        return lifecycle_of(type(self)).is_frozen(self.status)


class TimeSheet(ExpertWork):
    """An expert's days in one month, per activity and LSG."""

    contract = models.ForeignKey(
        ExpertContract, on_delete=models.PROTECT, related_name="timesheets", verbose_name=_("contract")
    )
    month = models.DateField(_("month"))

    class Meta:
        ordering = ["contract", "month"]
        verbose_name = _("time sheet")
        verbose_name_plural = _("time sheets")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "month"],
                name="one_timesheet_per_month",
                violation_error_message=_("This contract already has a time sheet for this month."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} – {self.contract.expert}"


class TimeSheetEntry(models.Model):
    timesheet = models.ForeignKey(
        TimeSheet, on_delete=models.CASCADE, related_name="entries", verbose_name=_("time sheet")
    )
    lsg = models.ForeignKey(LSG, on_delete=models.PROTECT, related_name="+", verbose_name=_("LSG"))
    activity = models.CharField(_("activity"), max_length=300)
    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("engagement"),
    )
    days = models.DecimalField(
        _("days"), max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("time sheet entry")
        verbose_name_plural = _("time sheet entries")

    def __str__(self) -> str:
        return f"{self.activity} ({self.days})"

    def clean(self) -> None:
        if self.days is not None and (self.days * 2) % 1:
            raise ValidationError({"days": _("Days are counted in halves: 0.5, 1, 1.5...")})


class TimeSheetTransition(StatusChange):
    STATUS = ReviewStatus
    timesheet = models.ForeignKey(TimeSheet, on_delete=models.CASCADE, related_name="transitions")

    class Meta(StatusChange.Meta):
        pass


class FinalReport(ExpertWork):
    """The expert's final report: activities, outputs, recommendations and the days worked."""

    contract = models.OneToOneField(
        ExpertContract, on_delete=models.PROTECT, related_name="final_report", verbose_name=_("contract")
    )
    outputs = engagement_text(_("outputs"))
    conclusions = engagement_text(_("conclusions"))

    class Meta:
        verbose_name = _("final report")
        verbose_name_plural = _("final reports")

    def __str__(self) -> str:
        return str(_("Final report: %(contract)s") % {"contract": self.contract})


class FinalReportTransition(StatusChange):
    STATUS = ReviewStatus
    final_report = models.ForeignKey(FinalReport, on_delete=models.CASCADE, related_name="transitions")

    class Meta(StatusChange.Meta):
        pass
