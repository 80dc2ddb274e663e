"""Monthly, quarterly and annual reports of a JMU against the plan version in force.

Monthly reports hold the facts: the field activities of their month, indicator values, spending.
Quarterly and annual reports add a narrative; their figures are rolled up from the months
(selectors.rollup).
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jmu_planner import access, dates, i18n
from jmu_planner.lifecycle import lifecycle_of
from jmu_planner.models import ReviewStatus, StatusChange
from plans.models import STATUS_BADGES, BudgetLine, Indicator, Measure, OperationalPlan, ThematicArea
from reporting import document_kinds
from stakeholders.models import JMU, JMUMembership, LSGOwnedQuerySet, Settlement

LONG_TEXT = 5000
AGE_GROUPS = [("0_17", "0-17"), ("18_64", "18-64"), ("65", "65+")]
SEXES = [("male", _("men/boys")), ("female", _("women/girls"))]
COUNT_FIELDS = [f"{sex}_{age}" for sex, _label in SEXES for age, _a in AGE_GROUPS]


def text_field(label):
    return models.TextField(
        label, blank=True, max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )


def count_field(label):
    return models.PositiveIntegerField(
        label, default=0, validators=[MinValueValidator(0, _("A count cannot be negative."))]
    )


class ReportQuerySet(LSGOwnedQuerySet):
    """Reports: written by the LSG's coordinators and experts while a draft or returned."""

    lsg_path = "jmu__lsg"
    editor_roles = access.AUTHORS
    status_path = "status"


class Report(models.Model):
    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        ANNUAL = "annual", _("Annual")

    Status = ReviewStatus

    jmu = models.ForeignKey(JMU, on_delete=models.PROTECT, related_name="reports", verbose_name=_("JMU"))
    plan = models.ForeignKey(
        OperationalPlan, on_delete=models.PROTECT, related_name="reports", verbose_name=_("plan")
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    due_date = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    achievements = text_field(_("achievements"))
    problems = text_field(_("problems"))
    proposals = text_field(_("proposals"))
    next_steps = text_field(_("plan for the next period"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "kind"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["jmu", "kind", "period_start"],
                name="one_report_per_period",
                violation_error_message=_("This JMU already has a report for this period."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_label} – {self.jmu.lsg}"

    @property
    def period_label(self) -> str:
        if self.kind == self.Kind.MONTHLY:
            return self.period_start.strftime("%m/%Y")
        if self.kind == self.Kind.QUARTERLY:
            return f"Q{(self.period_start.month - 1) // 3 + 1}/{self.period_start.year}"
        return str(self.period_start.year)

    @property
    def is_editable(self) -> bool:
        return lifecycle_of(Report).is_editable(self.status)

    @property
    def is_frozen(self) -> bool:
        return lifecycle_of(Report).is_frozen(self.status)

    @property
    def is_returned(self) -> bool:
        return self.status == self.Status.RETURNED

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(self.status, "text-bg-success")

    @property
    def is_overdue(self) -> bool:
        return self.is_editable and timezone.localdate() > self.due_date

    @property
    def is_publishable(self) -> bool:
        """An accepted annual report may be published (DOMAIN.md); monthly and quarterly ones stay in."""
        return self.kind == self.Kind.ANNUAL and self.status == self.Status.ACCEPTED


class ReportTransition(StatusChange):
    STATUS = ReviewStatus
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transitions")

    class Meta(StatusChange.Meta):
        verbose_name = _("report status change")
        verbose_name_plural = _("report status changes")

    def __str__(self) -> str:
        return f"{self.report}: {self.from_status} → {self.to_status}"


class FieldActivityQuerySet(LSGOwnedQuerySet):
    """Field entries: the JMU's people read them; whether one may still change is its month's
    report's status (FieldActivity.is_editable), asked per entry."""

    lsg_path = "jmu__lsg"
    editor_roles = access.FIELD_WORKERS

    def in_month_of(self, report: Report) -> FieldActivityQuerySet:
        return self.filter(jmu_id=report.jmu_id, date__gte=report.period_start, date__lte=report.period_end)

    def in_months(self, months: models.QuerySet[Report]) -> FieldActivityQuerySet:
        """Entries of the given monthly reports' months: one EXISTS, whatever their number."""
        return self.filter(
            models.Exists(
                months.filter(
                    jmu_id=models.OuterRef("jmu_id"),
                    period_start__lte=models.OuterRef("date"),
                    period_end__gte=models.OuterRef("date"),
                )
            )
        )


class FieldActivity(models.Model):
    """One entry of the field log: what the JMU did on a day, and how many people it reached.

    It belongs to the JMU and the day, not to a report: the month's report shows the entries of
    its month whenever they were made, and freezes them while it is submitted or accepted.
    `client_id` is made by the device that logged it (offline): the same id sent again is the same
    entry, never a second one.
    """

    class Type(models.TextChoices):
        FIELD_VISIT = "field_visit", _("Field visit")
        MEETING = "meeting", _("Meeting")
        WORKSHOP = "workshop", _("Workshop")
        REFERRAL = "referral", _("Referral")
        OTHER = "other", _("Other")

    jmu = models.ForeignKey(JMU, on_delete=models.PROTECT, related_name="activities", verbose_name=_("JMU"))
    client_id = models.UUIDField(_("device id"), unique=True, default=uuid.uuid4, editable=False)
    date = models.DateField(_("date"))
    type = models.CharField(_("type"), max_length=12, choices=Type.choices, default=Type.FIELD_VISIT)
    settlement = models.ForeignKey(
        Settlement, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("settlement")
    )
    members = models.ManyToManyField(JMUMembership, blank=True, verbose_name=_("JMU members taking part"))
    areas = models.ManyToManyField(ThematicArea, blank=True, verbose_name=_("thematic areas"))
    measures = models.ManyToManyField(
        Measure, blank=True, related_name="field_activities", verbose_name=_("measures of the plan")
    )
    households = count_field(_("households visited"))
    male_0_17 = count_field(_("boys 0-17"))
    male_18_64 = count_field(_("men 18-64"))
    male_65 = count_field(_("men 65+"))
    female_0_17 = count_field(_("girls 0-17"))
    female_18_64 = count_field(_("women 18-64"))
    female_65 = count_field(_("women 65+"))
    note = models.CharField(_("short note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("logged"), default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = FieldActivityQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("field activity")
        verbose_name_plural = _("field activities")
        indexes = [models.Index(fields=["jmu", "date"], name="field_activity_jmu_date")]

    def __str__(self) -> str:
        return f"{i18n.short_date(self.date)} {self.get_type_display()}"

    @property
    def people(self) -> int:
        return sum(getattr(self, name) for name in COUNT_FIELDS)

    @property
    def month_report(self) -> Report | None:
        """The JMU's monthly report of the entry's month, if one was started (read once; lists
        set it for all their entries in one query: selectors.attach_month_reports)."""
        if not hasattr(self, "_month_report"):
            self._month_report = (
                Report.objects.filter(
                    jmu_id=self.jmu_id, kind=Report.Kind.MONTHLY, period_start=dates.month_start(self.date)
                ).first()
                if self.jmu_id and self.date
                else None
            )
        return self._month_report

    @property
    def is_editable(self) -> bool:
        """Open until the month's report is submitted; a returned report opens it again."""
        report = self.month_report
        return report is None or report.is_editable

    def frozen_reason(self) -> str:
        """The sentence the user reads when the entry's month is closed ('' while open)."""
        report = self.month_report
        if report is None or report.is_editable:
            return ""
        if report.is_frozen:
            return str(
                _("The report for %(month)s has been accepted: its field log is closed.")
                % {"month": report.period_label}
            )
        return str(
            _(
                "The report for %(month)s has been submitted: its field log is frozen until the "
                "report is returned."
            )
            % {"month": report.period_label}
        )

    def clean(self) -> None:
        if self.settlement_id and self.jmu_id and self.settlement.lsg_id != self.jmu.lsg_id:
            raise ValidationError({"settlement": _("Choose a settlement of this LSG.")})


class IndicatorValue(models.Model):
    """An indicator's value for one month, with its breakdown where the indicator has one."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="indicator_values")

    class EmptyReason(models.TextChoices):
        # Left empty on purpose: shown as such, skipped by the roll-ups (zero means zero).
        NOT_MEASURED = "not_measured", _("Not measured this month")
        NO_ACTIVITY = "no_activity", _("No activity this month")

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    empty_reason = models.CharField(
        _("left empty because"), max_length=20, choices=EmptyReason.choices, blank=True
    )
    empty_note = models.CharField(_("note"), max_length=300, blank=True)
    male = models.DecimalField(_("men/boys"), max_digits=14, decimal_places=2, null=True, blank=True)
    female = models.DecimalField(_("women/girls"), max_digits=14, decimal_places=2, null=True, blank=True)
    male_0_17 = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    male_18_64 = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    male_65 = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    female_0_17 = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    female_18_64 = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    female_65 = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_value_per_indicator")
        ]

    def __str__(self) -> str:
        shown = self.value if self.value is not None else self.get_empty_reason_display()
        return f"{self.indicator}: {shown}"

    @property
    def is_empty_on_purpose(self) -> bool:
        return self.value is None and bool(self.empty_reason)

    def clean(self) -> None:
        indicator = self.indicator
        errors = {}
        if self.report_id and indicator.measure.plan_id != self.report.plan_id:
            errors["indicator"] = _("This indicator belongs to another plan.")
        if self.value is None and not self.empty_reason:
            errors["value"] = _("Enter a value, or say why it is left empty.")
        elif self.value is not None and self.empty_reason:
            errors["empty_reason"] = _("A value was entered: it is not empty.")
        if self.value is not None:
            if self.value < 0:
                errors["value"] = _("Enter zero or more.")
            elif indicator.type == Indicator.Type.PERCENTAGE and self.value > 100:
                errors["value"] = _("A percentage cannot be over 100.")
            elif indicator.type == Indicator.Type.YES_NO and self.value not in (0, 1):
                errors["value"] = _("A yes/no indicator takes yes or no.")
        parts = []
        if indicator.breakdown == Indicator.Breakdown.SEX:
            parts = ["male", "female"]
        elif indicator.breakdown == Indicator.Breakdown.SEX_AGE:
            parts = COUNT_FIELDS
        values = [getattr(self, p) for p in parts]
        if any(v is not None and v < 0 for v in values):
            errors["value"] = _("A breakdown cannot hold negative numbers.")
        elif parts and any(v is not None for v in values) and self.value is not None:
            total = sum(v or 0 for v in values)
            if total != self.value:
                errors["value"] = _("The breakdown adds up to %(sum)s, not to the total %(total)s.") % {
                    "sum": i18n.figure(total) if total else "0",
                    "total": i18n.figure(self.value),
                }
        if errors:
            raise ValidationError(errors)


class Spending(models.Model):
    """What was spent in the month on one budget line of the plan."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="spending")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="spending")
    amount = models.DecimalField(
        _("spent (RSD)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0, _("Enter an amount of zero or more."))],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        constraints = [
            models.UniqueConstraint(fields=["report", "budget_line"], name="one_spending_per_line")
        ]

    def __str__(self) -> str:
        return f"{self.budget_line}: {self.amount}"

    def clean(self) -> None:
        if self.report_id and self.budget_line_id and self.budget_line.measure.plan_id != self.report.plan_id:
            raise ValidationError({"budget_line": _("This budget line belongs to another plan.")})


# The Document fields that may point at its subject; each names a kind in reporting.document_kinds.
DOCUMENT_SUBJECTS = ("plan", "report", "engagement", "final_report")


def _exactly_one(*fields: str) -> models.Q:
    condition = models.Q()
    for chosen in fields:
        condition |= models.Q(**{f"{f}__isnull": f != chosen for f in fields})
    return condition


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The documents of the subjects the user may see, whatever their kind (reporting.document_kinds)."""
        visible = models.Q(pk__in=[])
        for kind in document_kinds.KINDS.values():
            visible |= models.Q(**{f"{kind.name}__in": kind.subjects(user)}) & kind.readable(user)
        return self.filter(visible)


class Document(models.Model):
    """A PDF of a plan, a report, an engagement (mentoring session report) or an expert's final
    report, rendered in the background and kept as the document of record.

    Asking again makes a new document: an adopted version's PDF is never silently replaced. Only
    when the version can no longer change (jmu_planner.fragment_cache.may_cache) and its PDF was made by
    the same code in the same language is that one served instead (reporting.documents).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    plan = models.ForeignKey(
        OperationalPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    # The experts' documents: an engagement's (mentoring session) report and an expert's final report.
    engagement = models.ForeignKey(
        "stakeholders.Engagement", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    final_report = models.ForeignKey(
        "stakeholders.FinalReport", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("reason"), blank=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    render_ms = models.PositiveIntegerField(_("render time (ms)"), null=True, blank=True)
    subject_status = models.CharField(_("status of the plan or report"), max_length=20, blank=True)
    # The language of the person asking, kept so a worker renders in it and a retry matches.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=i18n.current_language
    )
    # The code, templates and catalogues it was asked of (jmu_planner.fragment_cache.code_fingerprint): an
    # adopted version's PDF made by the same code in the same language is served again.
    fingerprint = models.CharField(max_length=12, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the status last changed: a queued or rendering document untouched for too long is stale
    # (its message or its worker was lost) and is retried from the page or failed by the sweep.
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                # Exactly one subject: a plan, a report, an engagement or an expert's final report.
                condition=_exactly_one(*DOCUMENT_SUBJECTS),
                name="document_of_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"PDF {self.subject} ({self.get_status_display()})"

    @property
    def kind(self) -> document_kinds.DocumentKind:
        """What the subject is and how it is printed (reporting.document_kinds)."""
        return document_kinds.KINDS[next(f for f in DOCUMENT_SUBJECTS if getattr(self, f"{f}_id"))]

    @property
    def subject(self):
        return getattr(self, self.kind.name)

    @property
    def subject_status_display(self) -> str:
        """The subject's status when the PDF was asked for, as its own choices name it (translated)."""
        model = self._meta.get_field(self.kind.name).related_model
        fields = {f.name: f for f in model._meta.concrete_fields}
        if "status" not in fields:  # an engagement has no status
            return self.subject_status
        return str(dict(fields["status"].flatchoices).get(self.subject_status, self.subject_status))

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RENDERING}

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_stale(self) -> bool:
        """Pending for longer than a render may take (hard time limit + a minute): its worker or
        its queued message was lost. A person may ask for it again without waiting for the sweep."""
        if not self.is_pending:
            return False
        limit = datetime.timedelta(seconds=settings.PDF_HARD_TIME_LIMIT + 60)
        return timezone.now() - self.status_changed_at > limit

    @property
    def can_retry(self) -> bool:
        return self.is_failed or self.is_stale


class ReminderSent(models.Model):
    """One deadline reminder sent: for an expected report (its JMU, kind and period), an event and
    the day it was scheduled for. The unique constraint makes a re-run of the daily task, or two
    at once, send nothing twice; a missed day is caught up by the next run."""

    jmu = models.ForeignKey(JMU, on_delete=models.CASCADE, related_name="+")
    report_kind = models.CharField(_("kind"), max_length=10, choices=Report.Kind.choices)
    period_start = models.DateField(_("period start"))
    event = models.CharField(_("event"), max_length=40)
    scheduled_for = models.DateField(_("scheduled for"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["jmu", "report_kind", "period_start", "event", "scheduled_for"],
                name="reminder_sent_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.report_kind} {self.period_start} ({self.scheduled_for})"


class PublicationQuerySet(models.QuerySet):
    def current(self):
        """Publications not taken down: what the public pages show."""
        return self.filter(unpublished_at__isnull=True)


class Publication(models.Model):
    """One publishing of an adopted plan or an accepted annual report on the LSG's public page,
    until it is taken down. Publication is orthogonal to the status (an adopted plan stays adopted
    whether public or not), so it has its own rows: each publish is a new row, each unpublish closes
    the open one with who, when and why, and together the rows are the record of every change."""

    plan = models.ForeignKey(
        OperationalPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name=_("plan"),
    )
    report = models.ForeignKey(
        Report,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name=_("report"),
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    unpublished_at = models.DateTimeField(_("taken down"), null=True, blank=True)
    unpublished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken down by"),
    )
    reason = models.TextField(
        _("reason for taking it down"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["published_at", "pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(plan__isnull=False, report__isnull=True)
                | models.Q(plan__isnull=True, report__isnull=False),
                name="publication_of_a_plan_or_a_report",
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(unpublished_at__isnull=True, plan__isnull=False),
                name="one_open_publication_per_plan",
            ),
            models.UniqueConstraint(
                fields=["report"],
                condition=models.Q(unpublished_at__isnull=True, report__isnull=False),
                name="one_open_publication_per_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan or self.report} ({self.published_at:%Y-%m-%d})"

    @property
    def subject(self):
        return self.plan or self.report

    @property
    def is_current(self) -> bool:
        return self.unpublished_at is None
