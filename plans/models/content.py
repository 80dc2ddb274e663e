"""Plan content: the operational plan, its measures, indicators, budget lines and envelopes."""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from jmu_planner import access, i18n
from jmu_planner.dates import iter_months
from jmu_planner.lifecycle import lifecycle_of
from jmu_planner.uploads import ServerNamedUpload
from plans.bodies import body_name
from plans.models.reference import FundingSource, ThematicArea
from stakeholders.models import JMU, Institution, LSGOwnedQuerySet

LONG_TEXT = 5000
# Who writes a plan: the LSG's coordinators and the experts assigned to it.
DEFAULT_EUR_RATE = Decimal("117.20")


def long_text(verbose_name, **kwargs):
    return models.TextField(
        verbose_name,
        blank=True,
        max_length=LONG_TEXT,
        validators=[MaxLengthValidator(LONG_TEXT)],
        **kwargs,
    )


class PlanQuerySet(LSGOwnedQuerySet):
    """Plans: written by the LSG's coordinators and experts while a draft or sent back."""

    lsg_path = "jmu__lsg"
    editor_roles = access.AUTHORS
    status_path = "status"


STATUS_BADGES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-info",
    "changes_requested": "text-bg-warning",
    "approved": "text-bg-primary",
    "returned": "text-bg-warning",
}


class OperationalPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        ADOPTED = "adopted", _("Adopted")
        SUPERSEDED = "superseded", _("Superseded by an amendment")

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
        _("LAP adoption reference"),
        max_length=200,
        blank=True,
        help_text=_("Body, decision number and date of the LAP's adoption."),
    )
    context = long_text(_("context and needs analysis"))
    eur_rate = models.DecimalField(
        _("exchange rate (RSD per EUR)"),
        max_digits=8,
        decimal_places=4,
        default=DEFAULT_EUR_RATE,
        validators=[MinValueValidator(Decimal("1"))],
        help_text=_("Used for the SCTM co-financing limit in euro."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    # All versions of one plan (the original and its amendments) share a lineage.
    lineage = models.UUIDField(_("lineage"), default=uuid.uuid4, editable=False, db_index=True)
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("amends version"),
    )
    adopting_body = models.CharField(_("adopted by"), max_length=20, choices=AdoptingBody.choices, blank=True)
    adoption_number = models.CharField(_("decision number"), max_length=60, blank=True)
    adoption_date = models.DateField(_("decision date"), null=True, blank=True)
    adoption_file = models.FileField(
        _("scanned decision (PDF)"), upload_to=ServerNamedUpload("plans/adoptions", ".pdf"), blank=True
    )
    # Who signed the decision, as the signature block of the adopted plan names them.
    signatory_name = models.CharField(_("signatory"), max_length=120, blank=True)
    signatory_function = models.CharField(
        _("signatory's function"),
        max_length=120,
        blank=True,
        help_text=_("As the decision states it, e.g. President of the City Council."),
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The create form's one-time token (a hidden field): a double-clicked submit finds the plan
    # its first click made instead of making a twin (plans.services.plan_create).
    request_token = models.UUIDField(default=uuid.uuid4, null=True, blank=True, unique=True, editable=False)
    # The reference values (funding sources, institutions, areas) as adopted: plans.snapshot.
    reference_snapshot = models.JSONField(default=dict, blank=True, editable=False)

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

    @property
    def adopting_body_name(self) -> str:
        """The adopting body as its LSG calls it ("Skupština opštine", "Gradsko veće": plans.bodies)."""
        return body_name(self.jmu.lsg, self.adopting_body)

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
                        {
                            "period_start": _(
                                "This JMU already has a plan for an overlapping period: %(plan)s "
                                "(%(start)s – %(end)s)."
                            )
                            % {
                                "plan": clash.title,
                                "start": i18n.short_date(clash.period_start),
                                "end": i18n.short_date(clash.period_end),
                            }
                        }
                    )

    @property
    def lsg(self):
        return self.jmu.lsg

    @property
    def is_editable(self) -> bool:
        return lifecycle_of(OperationalPlan).is_editable(self.status)

    @property
    def is_frozen(self) -> bool:
        return lifecycle_of(OperationalPlan).is_frozen(self.status)

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
    def is_publishable(self) -> bool:
        """An adopted version (in force or since superseded) may be published (DOMAIN.md)."""
        return self.was_adopted

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
        OperationalPlan,
        on_delete=models.CASCADE,
        related_name="communication",
        verbose_name=_("plan"),
    )
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
    class Party(models.TextChoices):
        # Who leads, as the field writes it: a registered institution or group, or the plan's own
        # LSG or JMU (no fake institution for either).
        INSTITUTION = "", _("an institution or group of the register")
        LSG = "lsg", _("the LSG itself")
        JMU = "jmu", _("the JMU itself")

    class Financing(models.TextChoices):
        NEW = "new", _("New: financed through the plan's budget")
        LOCAL = "local", _("Already financed: local budget")
        NATIONAL = "national", _("Already financed: national budget")

    plan = models.ForeignKey(
        OperationalPlan, on_delete=models.CASCADE, related_name="measures", verbose_name=_("plan")
    )
    area = models.ForeignKey(
        ThematicArea,
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("thematic area"),
    )
    number = models.PositiveSmallIntegerField(_("number in the area"))
    title = models.CharField(_("measure"), max_length=300)
    objective = models.CharField(_("objective it serves"), max_length=500, blank=True)
    objective_reference = models.CharField(
        _("LAP or Strategy reference"),
        max_length=100,
        blank=True,
        help_text=_("E.g. LAP 2.1 or Strategy 3.4."),
    )
    activities = long_text(_("activities"))
    responsible = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("responsible institution"),
    )
    responsible_party = models.CharField(
        _("responsible party"), max_length=10, choices=Party.choices, blank=True, default=Party.INSTITUTION
    )
    # One lead (`responsible`); real plans name several co-responsible bodies and partners,
    # local institutions of the LSG or national bodies (Institution.lsg NULL), and free text.
    co_responsible = models.ManyToManyField(
        Institution,
        blank=True,
        related_name="co_led_measures",
        verbose_name=_("co-responsible bodies"),
    )
    partner_institutions = models.ManyToManyField(
        Institution,
        blank=True,
        related_name="partnered_measures",
        verbose_name=_("partner institutions"),
    )
    partners = models.CharField(
        _("other partners"),
        max_length=500,
        blank=True,
        help_text=_("Partners not in the register, as the plan names them (e.g. Roma CSOs)."),
    )
    secondary_areas = models.ManyToManyField(
        ThematicArea,
        blank=True,
        related_name="secondary_measures",
        verbose_name=_("also serves areas"),
    )
    start_month = models.DateField(_("start month"), null=True, blank=True)
    end_month = models.DateField(_("end month"), null=True, blank=True)
    # The period as the plan writes it ("school year 2025/26", "Q4", "2024-2027, every year"):
    # shown instead of the months when given; the months stay for sorting and reminders.
    period_text = models.CharField(_("period as written"), max_length=100, blank=True)
    lap_measure_number = models.CharField(
        _("LAP measure number"),
        max_length=40,
        blank=True,
        help_text=_("The number of the LAP measure this measure carries out, e.g. 2.1.3."),
    )
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    financing = models.CharField(
        _("financing"), max_length=10, choices=Financing.choices, default=Financing.NEW
    )
    notes = long_text(_("notes"))
    # The measure of the LSG's policy document (LAP...) this one implements: harmonisation.
    lap_measure = models.ForeignKey(
        "stakeholders.LAPMeasure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_measures",
        verbose_name=_("implements LAP measure"),
    )
    # The measure of the previous version this one was copied from: lines versions up.
    origin = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    # Optimistic locking: a save must name the version it started from.
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    # The new-measure form's one-time token (hidden): a double-clicked submit makes one measure.
    request_token = models.UUIDField(default=uuid.uuid4, null=True, blank=True, unique=True)

    history = HistoricalRecords()
    objects = PlanChildQuerySet.as_manager()

    # Set by plans.selectors.measures_with_details (the whole plan in 4 queries), not fields.
    indicator_list: "list[Indicator]"
    line_list: "list[BudgetLine]"
    co_responsible_list: list[Institution]
    partner_list: list[Institution]
    secondary_area_list: list[ThematicArea]

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
    def responsible_label(self) -> str:
        """The lead as the plan names it: the institution or group, the LSG, the JMU, or a dash."""
        if self.responsible_party == self.Party.LSG:
            return self.plan.jmu.lsg.name
        if self.responsible_party == self.Party.JMU:
            return str(_("JMU of %(lsg)s") % {"lsg": self.plan.jmu.lsg.name})
        return str(self.responsible) if self.responsible_id else "—"

    @property
    def timing(self) -> str:
        """The period as written, else 03/2027 – 10/2027, or one month, or a dash."""
        if self.period_text:
            return self.period_text
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
        if self.responsible_party and self.responsible_id:
            errors["responsible"] = _("The LSG or the JMU leads: leave the institution empty.")
        elif (
            self.responsible_id
            and plan
            and self.responsible.lsg_id is not None
            and self.responsible.lsg_id != plan.jmu.lsg_id
        ):
            errors["responsible"] = _("Choose an institution of the plan's LSG or a national body.")
        if errors:
            raise ValidationError(errors)


# What a person writes of an indicator, in the form's order: the measure form, the version compare
# and history, and the spreadsheet's comparison read this one list. A tuple: Django's inline formset
# appends its foreign key to a form's Meta.fields when that is a list.
INDICATOR_FIELDS = (
    "name",
    "unit",
    "type",
    "baseline_qualifier",
    "baseline",
    "baseline_year",
    "baseline_source",
    "target_qualifier",
    "target",
    "target_milestone",
    "target_date",
    "means_of_verification",
    "breakdown",
    "aggregation",
)


class Indicator(models.Model):
    class Type(models.TextChoices):
        NUMBER = "number", _("Number")
        PERCENTAGE = "percentage", _("Percentage")
        YES_NO = "yes_no", _("Yes/no")

    class Breakdown(models.TextChoices):
        NONE = "none", pgettext_lazy("breakdown", "None")
        SEX = "sex", _("By sex")
        SEX_AGE = "sex_age", _("By sex and age group")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Sum")
        LATEST = "latest", _("Latest value")
        MAX = "max", _("Maximum")
        AVERAGE = "avg", _("Average")

    class Qualifier(models.TextChoices):
        EXACTLY = "", _("exactly")
        MORE_THAN = "more_than", _("more than")
        AT_LEAST = "at_least", _("at least")
        AT_MOST = "at_most", _("at most")
        LESS_THAN = "less_than", _("less than")

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("measure")
    )
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    type = models.CharField(_("type"), max_length=12, choices=Type.choices, default=Type.NUMBER)
    # "more than 749 persons": a baseline is qualified as a target is.
    baseline_qualifier = models.CharField(
        _("baseline qualifier"),
        max_length=10,
        choices=Qualifier.choices,
        blank=True,
        default=Qualifier.EXACTLY,
    )
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_source = models.CharField(_("baseline source"), max_length=200, blank=True)
    target_qualifier = models.CharField(
        _("target qualifier"), max_length=10, choices=Qualifier.choices, blank=True, default=Qualifier.EXACTLY
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    # A milestone written as words ("centre opened"), with or instead of a number.
    target_milestone = models.CharField(_("target as text"), max_length=200, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
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

    # Formatted once by plans.selectors.measures_with_details, not fields.
    baseline_text: str
    target_text: str

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    # Counts add up month by month; a percentage or a yes/no does not (195 % of a 70 % target).
    DEFAULT_AGGREGATION = {
        Type.NUMBER: Aggregation.SUM,
        Type.PERCENTAGE: Aggregation.LATEST,
        Type.YES_NO: Aggregation.LATEST,
    }

    @classmethod
    def default_aggregation(cls, kind: str) -> str:
        return cls.DEFAULT_AGGREGATION.get(kind, cls.Aggregation.SUM)

    @property
    def target_display(self) -> str:
        """The target as written: "at least 30 children", "centre opened", by 06/2026."""
        parts = []
        if self.target is not None:
            qualifier = self.get_target_qualifier_display() if self.target_qualifier else ""
            parts.append(f"{qualifier} {self.with_unit(self.target)}".strip())
        if self.target_milestone:
            parts.append(self.target_milestone)
        text = "; ".join(parts) or "—"
        if self.target_date:
            text += " " + str(_("by %(date)s") % {"date": i18n.short_date(self.target_date)})
        return text

    @property
    def baseline_display(self) -> str:
        """more than 749 children (2024, CSW records)."""
        text = self.with_unit(self.baseline)
        if self.baseline is not None and self.baseline_qualifier:
            text = f"{self.get_baseline_qualifier_display()} {text}"
        note = ", ".join(str(p) for p in (self.baseline_year, self.baseline_source) if p)
        return f"{text} ({note})" if note else text

    def clean(self) -> None:
        errors = {}
        if self.type != self.Type.NUMBER and self.aggregation == self.Aggregation.SUM:
            # Never a sum of percentages (195 % against a 70 % target): the rule that fits the type.
            self.aggregation = self.default_aggregation(self.type)
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
        text = i18n.number(value, 0 if value == value.to_integral() else 2)
        return f"{text} %" if self.type == self.Type.PERCENTAGE else text


class CostCategory(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel and fees")
    SERVICES = "services", _("Services")
    MATERIALS = "materials", _("Materials and supplies")
    EQUIPMENT = "equipment", _("Equipment")
    TRAVEL = "travel", _("Travel and transport")
    SUPPORT = "support", _("Direct support to beneficiaries")
    OTHER = "other", _("Other")


class Currency(models.TextChoices):
    RSD = "RSD", "RSD"
    EUR = "EUR", "EUR"
    USD = "USD", "USD"


money_places = {"max_digits": 14, "decimal_places": 2}


class Bound(models.TextChoices):
    """What an amount states: a planned cost, or a rule's ceiling or floor ("at most EUR 10,000
    per LSG", "the LSG at least 30 %"). A ceiling or a floor is never added into a total: it is
    checked against what is planned (and spent)."""

    PLANNED = "", _("planned amount")
    AT_MOST = "at_most", _("at most (a ceiling)")
    AT_LEAST = "at_least", _("at least (a floor)")


def bound_field():
    return models.CharField(
        _("the amount is"),
        max_length=10,
        choices=Bound.choices,
        blank=True,
        default=Bound.PLANNED,
        help_text=_("A ceiling or a floor is checked against what is planned, never added into the totals."),
    )


class BudgetLineQuerySet(MeasureChildQuerySet):
    def planned(self):
        """Planned costs only: a ceiling or a floor is a rule, not a cost."""
        return self.filter(bound=Bound.PLANNED)


class BudgetEnvelope(models.Model):
    """A yearly allocation (e.g. the LSG's LAP budget line) that several measures draw on.

    The plan's totals count the envelope once; the budget lines drawing on it show their share.
    """

    plan = models.ForeignKey(
        OperationalPlan, on_delete=models.CASCADE, related_name="envelopes", verbose_name=_("plan")
    )
    name = models.CharField(_("envelope"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    source = models.ForeignKey(
        FundingSource,
        on_delete=models.PROTECT,
        related_name="envelopes",
        verbose_name=_("funding source"),
    )
    amount = models.DecimalField(
        _("amount (RSD)"),
        **money_places,
        validators=[MinValueValidator(Decimal("0"), _("Enter an amount of zero or more."))],
    )
    bound = bound_field()
    # An allocation with no measure drawing on it (a national plan's budget item) is a row of the
    # plan in its own right: its responsible body and period as the plan writes them.
    responsible = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="envelopes",
        verbose_name=_("responsible institution"),
    )
    period_text = models.CharField(_("period as written"), max_length=100, blank=True)

    history = HistoricalRecords()
    objects = PlanChildQuerySet.as_manager()

    class Meta:
        ordering = ["year", "name", "pk"]
        verbose_name = _("budget envelope")
        verbose_name_plural = _("budget envelopes")

    def __str__(self) -> str:
        return f"{self.name} ({self.year})" if self.year else self.name

    def clean(self) -> None:
        if (
            self.responsible_id
            and self.plan_id
            and self.responsible.lsg_id not in (None, self.plan.jmu.lsg_id)
        ):
            raise ValidationError(
                {"responsible": _("Choose an institution of the plan's LSG or a national body.")}
            )


class BudgetLine(models.Model):
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("measure")
    )
    source = models.ForeignKey(
        FundingSource,
        on_delete=models.PROTECT,
        related_name="budget_lines",
        verbose_name=_("funding source"),
    )
    category = models.CharField(
        _("cost category"), max_length=12, choices=CostCategory.choices, default=CostCategory.OTHER
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    # `amount` is always in RSD (every total and the co-financing rule read it); a line written in
    # EUR or USD keeps its own amount and the rate used, and `amount` is computed from them.
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.RSD)
    exchange_rate = models.DecimalField(
        _("rate (RSD per unit)"),
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )
    unit_cost = models.DecimalField(
        _("unit cost"), **money_places, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    periods = models.PositiveSmallIntegerField(
        _("months or periods"), null=True, blank=True, help_text=_("E.g. 10 months of a scholarship.")
    )
    amount_in_currency = models.DecimalField(
        _("amount in its currency"),
        **money_places,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), _("Enter an amount of zero or more."))],
    )
    amount = models.DecimalField(
        _("planned amount (RSD)"),
        **money_places,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), _("Enter an amount of zero or more."))],
    )
    envelope = models.ForeignKey(
        BudgetEnvelope,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
        verbose_name=_("drawn from envelope"),
    )
    bound = bound_field()
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()
    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.source}: {self.amount} RSD"

    @property
    def computed_in_currency(self) -> Decimal | None:
        """unit cost × quantity (× months), when the plan states them."""
        if self.unit_cost is None or self.quantity is None:
            return None
        return (self.unit_cost * self.quantity * (self.periods or 1)).quantize(Decimal("0.01"))

    @property
    def is_foreign(self) -> bool:
        return self.currency != Currency.RSD

    def clean_fields(self, exclude=None) -> None:
        # The RSD amount is derived before the fields are checked: the forms may leave it empty.
        self.fill_amounts()
        super().clean_fields(exclude=exclude)

    def fill_amounts(self) -> None:
        """Derive the amount in its currency (unit cost × quantity × months) and the RSD amount."""
        computed = self.computed_in_currency
        if computed is not None:
            self.amount_in_currency = computed
        if self.currency == Currency.RSD:
            self.exchange_rate = None
            if self.amount_in_currency is not None:
                self.amount = self.amount_in_currency
            elif self.amount is not None:
                self.amount_in_currency = self.amount
        elif self.amount_in_currency is not None and self.exchange_rate:
            self.amount = (self.amount_in_currency * self.exchange_rate).quantize(Decimal("0.01"))

    def clean(self) -> None:
        errors = {}
        if self.is_foreign and not self.exchange_rate:
            errors["exchange_rate"] = _("Give the rate used (RSD per %(currency)s).") % {
                "currency": self.currency
            }
        if self.amount is None and self.amount_in_currency is None:
            errors["amount_in_currency"] = _("Enter the amount, or the unit cost and the quantity.")
        if (self.unit_cost is None) != (self.quantity is None):
            errors["quantity"] = _("Give the unit cost together with the quantity.")
        if self.bound and self.envelope_id:
            errors["envelope"] = _("A ceiling or a floor draws on no envelope.")
        elif self.envelope_id and self.measure_id and self.envelope.plan_id != self.measure.plan_id:
            errors["envelope"] = _("Choose an envelope of this plan.")
        elif self.envelope_id and self.source_id and self.envelope.source_id != self.source_id:
            errors["envelope"] = _("The line draws on the envelope: give it the envelope's funding source.")
        if errors:
            raise ValidationError(errors)


# --- Review: transitions and comments ---------------------------------------------------------------
