"""The review around a plan: its status changes and comment threads."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jmu_planner.models import StatusChange
from plans.models.content import LONG_TEXT, Indicator, Measure, OperationalPlan


class PlanTransition(StatusChange):
    """One step of a plan's life: who moved it, when, from what to what, and why."""

    STATUS = OperationalPlan.Status
    plan = models.ForeignKey(
        OperationalPlan,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("plan"),
    )

    class Meta(StatusChange.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.plan}: {self.from_status} → {self.to_status}"


class CommentThread(models.Model):
    """A discussion about the plan, one measure or one indicator; resolved or open."""

    plan = models.ForeignKey(
        OperationalPlan, on_delete=models.CASCADE, related_name="threads", verbose_name=_("plan")
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="threads",
        verbose_name=_("measure"),
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="threads",
        verbose_name=_("indicator"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["resolved_at", "-created_at"]
        verbose_name = _("comment thread")
        verbose_name_plural = _("comment threads")

    def __str__(self) -> str:
        return str(self.subject)

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def subject(self) -> str:
        if self.indicator_id:
            return _("Indicator %(code)s: %(name)s") % {
                "code": self.measure.code if self.measure_id else "",
                "name": self.indicator.name,
            }
        if self.measure_id:
            return _("Measure %(code)s") % {"code": self.measure.code}
        return str(_("The plan"))


class Comment(models.Model):
    thread = models.ForeignKey(
        CommentThread, on_delete=models.CASCADE, related_name="comments", verbose_name=_("thread")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:60]
