"""Operational plans: reference tables, plans, measures, indicators and budget lines."""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jmu_planner import access, i18n
from jmu_planner.dates import iter_months
from jmu_planner.uploads import ServerNamedUpload
from stakeholders.models import JMU, BilingualNameMixin, Institution, LSGOwnedQuerySet


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

    code = models.SlugField(_("code"), max_length=40, unique=True)
    share = models.CharField(_("counts as"), max_length=10, choices=Share.choices, default=Share.OTHER)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")


# --- Operational plans ---------------------------------------------------------------------------

LONG_TEXT = 5000
# Who writes a plan: the LSG's coordinators and the experts assigned to it.
DEFAULT_EUR_RATE = Decimal("117.20")


def long_text(verbose_name, **kwargs):
    return models.TextField(
        verbose_name, blank=True, max_length=LONG_TEXT,
        validators=[MaxLengthValidator(LONG_TEXT)], **kwargs,
    )  # fmt: skip


class PlanQuerySet(LSGOwnedQuerySet):
    """Plans: written by the LSG's coordinators and experts while a draft or sent back."""

    lsg_path = "jmu__lsg"
    editor_roles = access.AUTHORS
    status_path = "status"
    editable_statuses = ("draft", "changes_requested")  # OperationalPlan.Status.editable(), tested


STATUS_BADGES = {
    "draft": "text-bg-secondary", "submitted": "text-bg-info", "changes_requested": "text-bg-warning",
    "approved": "text-bg-primary", "returned": "text-bg-warning",
}  # fmt: skip


class OperationalPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        ADOPTED = "adopted", _("Adopted")
        SUPERSEDED = "superseded", _("Superseded by an amendment")

        @classmethod
        def editable(cls) -> list[str]:
            """Content can be changed: its authors are writing it."""
            return [cls.DRAFT, cls.CHANGES_REQUESTED]

        @classmethod
        def frozen(cls) -> list[str]:
            """Content can never change again: approved for adoption, adopted, or replaced."""
            return [cls.APPROVED, cls.ADOPTED, cls.SUPERSEDED]

    class AdoptingBody(models.TextChoices):
        MUNICIPAL_COUNCIL = "municipal_council", _("Municipal council")
        CITY_COUNCIL = "city_council", _("City council")
        ASSEMBLY = "assembly", _("Assembly")
        MAYOR = "mayor", _("Mayor")

    jmu = models.ForeignKey(JMU, on_delete=models.PROTECT, related_name="plans", verbose_name=_("JMU"))
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    lap_name = models.CharField(_("local action plan"), max_length=200, blank=True)
    lap_period = models.CharField(_("LAP period"), max_length=40, blank=True)
    lap_adoption = models.CharField(
        _("LAP adoption reference"), max_length=200, blank=True,
        help_text=_("Body, decision number and date of the LAP's adoption."),
    )  # fmt: skip
    context = long_text(_("context and needs analysis"))
    eur_rate = models.DecimalField(
        _("exchange rate (RSD per EUR)"), max_digits=8, decimal_places=4,
        default=DEFAULT_EUR_RATE, validators=[MinValueValidator(Decimal("1"))],
        help_text=_("Used for the SCTM co-financing limit in euro."),
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    # All versions of one plan (the original and its amendments) share a lineage.
    lineage = models.UUIDField(_("lineage"), default=uuid.uuid4, editable=False, db_index=True)
    amends = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendments",
        verbose_name=_("amends version"),
    )  # fmt: skip
    adopting_body = models.CharField(_("adopted by"), max_length=20, choices=AdoptingBody.choices, blank=True)
    adoption_number = models.CharField(_("decision number"), max_length=60, blank=True)
    adoption_date = models.DateField(_("decision date"), null=True, blank=True)
    adoption_file = models.FileField(
        _("scanned decision (PDF)"), upload_to=ServerNamedUpload("plans/adoptions", ".pdf"), blank=True
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies",
        verbose_name=_("copied from"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "jmu__lsg__name_lat"]
        verbose_name = _("operational plan")
        verbose_name_plural = _("operational plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="plan_period_ends_after_start",
                violation_error_message=_("The period must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.period_start and self.period_end:
            if self.period_end <= self.period_start:
                raise ValidationError({"period_end": _("The period must end after it starts.")})
            if self.jmu_id:
                # Versions of the same plan (amendments) share its period.
                overlapping = (
                    OperationalPlan.objects.filter(
                        jmu_id=self.jmu_id,
                        period_start__lte=self.period_end,
                        period_end__gte=self.period_start,
                    )
                    .exclude(pk=self.pk)
                    .exclude(lineage=self.lineage)
                )
                clash = overlapping.first()
                if clash is not None:
                    raise ValidationError(
                        {"period_start": _(
                            "This JMU already has a plan for an overlapping period: %(plan)s "
                            "(%(start)s – %(end)s)."
                        ) % {"plan": clash.title, "start": i18n.short_date(clash.period_start),
                             "end": i18n.short_date(clash.period_end)}}
                    )  # fmt: skip

    @property
    def lsg(self):
        return self.jmu.lsg

    @property
    def is_editable(self) -> bool:
        return self.status in self.Status.editable()

    @property
    def is_frozen(self) -> bool:
        return self.status in self.Status.frozen()

    @property
    def is_in_force(self) -> bool:
        return self.status == self.Status.ADOPTED

    @property
    def is_superseded(self) -> bool:
        return self.status == self.Status.SUPERSEDED

    @property
    def was_adopted(self) -> bool:
        """Adopted by the LSG body: in force now, or superseded by a later version."""
        return self.status in (self.Status.ADOPTED, self.Status.SUPERSEDED)

    @property
    def awaits_review(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def changes_requested(self) -> bool:
        return self.status == self.Status.CHANGES_REQUESTED

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(self.status, "text-bg-success")

    @property
    def is_draft_document(self) -> bool:
        """Its PDF carries the DRAFT watermark: not adopted, and not an adopted version since superseded."""
        return self.status not in (self.Status.ADOPTED, self.Status.SUPERSEDED)

    def months(self) -> list[datetime.date]:
        """First days of the months the plan covers."""
        return list(iter_months(self.period_start, self.period_end))


class CommunicationItem(models.Model):
    """A row of the plan's communication plan."""

    plan = models.ForeignKey(
        OperationalPlan, on_delete=models.CASCADE, related_name="communication",
        verbose_name=_("plan"),
    )  # fmt: skip
    audience = models.CharField(_("audience"), max_length=200)
    message = models.CharField(_("message"), max_length=500)
    channel = models.CharField(_("channel"), max_length=200)
    timing = models.CharField(_("timing"), max_length=100)
    responsible = models.CharField(_("responsible"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("communication plan row")
        verbose_name_plural = _("communication plan")

    def __str__(self) -> str:
        return f"{self.audience}: {self.message[:40]}"


class PlanChildQuerySet(PlanQuerySet):
    """Measures and the plan's other rows: as their plan."""

    lsg_path = "plan__jmu__lsg"
    status_path = "plan__status"


class MeasureChildQuerySet(PlanQuerySet):
    lsg_path = "measure__plan__jmu__lsg"
    status_path = "measure__plan__status"


class Measure(models.Model):
    class Financing(models.TextChoices):
        NEW = "new", _("New: financed through the plan's budget")
        LOCAL = "local", _("Already financed: local budget")
        NATIONAL = "national", _("Already financed: national budget")

    plan = models.ForeignKey(
        OperationalPlan, on_delete=models.CASCADE, related_name="measures", verbose_name=_("plan")
    )
    area = models.ForeignKey(
        ThematicArea, on_delete=models.PROTECT, related_name="measures",
        verbose_name=_("thematic area"),
    )  # fmt: skip
    number = models.PositiveSmallIntegerField(_("number in the area"))
    title = models.CharField(_("measure"), max_length=300)
    objective = models.CharField(_("objective it serves"), max_length=500, blank=True)
    objective_reference = models.CharField(
        _("LAP or Strategy reference"), max_length=100, blank=True,
        help_text=_("E.g. LAP 2.1 or Strategy 3.4."),
    )  # fmt: skip
    activities = long_text(_("activities"))
    responsible = models.ForeignKey(
        Institution, on_delete=models.PROTECT, null=True, blank=True,
        related_name="measures", verbose_name=_("responsible institution"),
    )  # fmt: skip
    partners = models.CharField(_("partners"), max_length=500, blank=True)
    start_month = models.DateField(_("start month"), null=True, blank=True)
    end_month = models.DateField(_("end month"), null=True, blank=True)
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    financing = models.CharField(
        _("financing"), max_length=10, choices=Financing.choices, default=Financing.NEW
    )
    notes = long_text(_("notes"))
    # The measure of the previous version this one was copied from: lines versions up.
    origin = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies",
        verbose_name=_("copied from"),
    )  # fmt: skip
    # Optimistic locking: a save must name the version it started from.
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords()
    objects = PlanChildQuerySet.as_manager()

    class Meta:
        ordering = ["area__number", "number"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"{self.area.number}.{self.number}"

    @property
    def timing(self) -> str:
        """03/2027 – 10/2027, or one month, or a dash."""
        start, end = self.start_month, self.end_month
        if start and end and start != end:
            return f"{start.month:02}/{start.year} – {end.month:02}/{end.year}"
        month = start or end
        return f"{month.month:02}/{month.year}" if month else "—"

    def clean(self) -> None:
        errors = {}
        plan = self.plan if self.plan_id else None
        for name in ("start_month", "end_month"):
            value = getattr(self, name)
            if value is not None:
                if value.day != 1:
                    setattr(self, name, value.replace(day=1))
                    value = getattr(self, name)
                if plan and not (plan.period_start.replace(day=1) <= value <= plan.period_end):
                    errors[name] = _("Choose a month inside the plan period (%(start)s – %(end)s).") % {
                        "start": plan.period_start.strftime("%m/%Y"),
                        "end": plan.period_end.strftime("%m/%Y"),
                    }
        if (
            "start_month" not in errors
            and "end_month" not in errors
            and self.start_month
            and self.end_month
            and self.end_month < self.start_month
        ):
            errors["end_month"] = _("The measure cannot end before it starts.")
        if self.responsible_id and plan and self.responsible.lsg_id != plan.jmu.lsg_id:
            errors["responsible"] = _("Choose an institution of the plan's LSG.")
        if errors:
            raise ValidationError(errors)


class Indicator(models.Model):
    class Type(models.TextChoices):
        NUMBER = "number", _("Number")
        PERCENTAGE = "percentage", _("Percentage")
        YES_NO = "yes_no", _("Yes/no")

    class Breakdown(models.TextChoices):
        NONE = "none", _("None")
        SEX = "sex", _("By sex")
        SEX_AGE = "sex_age", _("By sex and age group")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Sum")
        LATEST = "latest", _("Latest value")
        MAX = "max", _("Maximum")
        AVERAGE = "avg", _("Average")

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("measure")
    )
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    type = models.CharField(_("type"), max_length=12, choices=Type.choices, default=Type.NUMBER)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    means_of_verification = models.CharField(_("means of verification"), max_length=300, blank=True)
    breakdown = models.CharField(
        _("breakdown"), max_length=10, choices=Breakdown.choices, default=Breakdown.NONE
    )
    aggregation = models.CharField(
        _("roll-up rule"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()
    objects = MeasureChildQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        for name in ("baseline", "target"):
            value = getattr(self, name)
            if value is None:
                continue
            if value < 0:
                errors[name] = _("Enter zero or more.")
            elif self.type == self.Type.PERCENTAGE and value > 100:
                errors[name] = _("A percentage cannot be over 100.")
            elif self.type == self.Type.YES_NO and value not in (0, 1):
                errors[name] = _("A yes/no indicator takes yes or no.")
        if errors:
            raise ValidationError(errors)

    def with_unit(self, value: Decimal | None) -> str:
        """A value as the plan shows it: 30 children, 75 %, yes."""
        text = self.display_value(value)
        if value is None or self.type != self.Type.NUMBER or not self.unit:
            return text
        return f"{text} {self.unit}"

    def display_value(self, value: Decimal | None) -> str:
        if value is None:
            return "—"
        if self.type == self.Type.YES_NO:
            return str(_("yes")) if value == 1 else str(_("no"))
        text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}"
        return f"{text} %" if self.type == self.Type.PERCENTAGE else text


class CostCategory(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel and fees")
    SERVICES = "services", _("Services")
    MATERIALS = "materials", _("Materials and supplies")
    EQUIPMENT = "equipment", _("Equipment")
    TRAVEL = "travel", _("Travel and transport")
    SUPPORT = "support", _("Direct support to beneficiaries")
    OTHER = "other", _("Other")


class BudgetLine(models.Model):
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("measure")
    )
    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="budget_lines",
        verbose_name=_("funding source"),
    )  # fmt: skip
    category = models.CharField(
        _("cost category"), max_length=12, choices=CostCategory.choices, default=CostCategory.OTHER
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.DecimalField(
        _("planned amount (RSD)"), max_digits=14, decimal_places=2,
        validators=[MinValueValidator(Decimal("0"), _("Enter an amount of zero or more."))],
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()
    objects = MeasureChildQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.source}: {self.amount} RSD"


# --- Review: transitions and comments ---------------------------------------------------------------


class PlanTransition(models.Model):
    """One step of a plan's life: who moved it, when, from what to what, and why."""

    plan = models.ForeignKey(
        OperationalPlan,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("plan"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("by"),
    )  # fmt: skip
    at = models.DateTimeField(_("at"), default=timezone.now)
    from_status = models.CharField(_("from"), max_length=20, choices=OperationalPlan.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=OperationalPlan.Status.choices)
    note = models.TextField(_("note"), blank=True, max_length=LONG_TEXT)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.plan}: {self.from_status} → {self.to_status}"


class CommentThread(models.Model):
    """A discussion about the plan, one measure or one indicator; resolved or open."""

    plan = models.ForeignKey(
        OperationalPlan, on_delete=models.CASCADE, related_name="threads", verbose_name=_("plan")
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, null=True, blank=True, related_name="threads",
        verbose_name=_("measure"),
    )  # fmt: skip
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="threads",
        verbose_name=_("indicator"),
    )  # fmt: skip
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
