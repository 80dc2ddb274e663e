"""The registry: LSGs, Roma settlements, institutions, JMUs, their members, and people's roles."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from jmu_planner import access, i18n
from jmu_planner.access import GlobalRole, Role
from jmu_planner.db import ScriptOrder
from jmu_planner.text import to_cyrillic
from jmu_planner.uploads import UPLOAD_KINDS, ServerNamedUpload

# Serbia without Kosovo lies inside this box; a point outside is a typo or swapped coordinates.
SERBIA_LAT = (41.85, 46.19)
SERBIA_LON = (18.81, 23.01)
LAT_OUTSIDE = _("This latitude lies outside Serbia (41.85–46.19).")
LON_OUTSIDE = _("This longitude lies outside Serbia (18.81–23.01).")
NOTES_MAX_LENGTH = 2000

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 /()\-]{5,22}$",
    _("Enter a phone number of digits, spaces and / - ( ), e.g. +381 11 123 4567 or 064/123-4567."),
)
municipality_code_validator = RegexValidator(
    r"^[0-9]{5}$", _("The official municipality code has exactly five digits.")
)


class BilingualNameMixin(models.Model):
    """Reference rows carry an English and a Serbian name; the page shows the reader's one.

    The Serbian name is stored in Latin script; Cyrillic readers get it transliterated here, the
    one place that does it, so no page spells a Cyrillic name of its own.
    """

    name_en = models.CharField(_("name (English)"), max_length=150)
    name_sr = models.CharField(_("name (Serbian)"), max_length=150)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = i18n.current_language()
        if language == i18n.ENGLISH:
            return self.name_en
        return to_cyrillic(self.name_sr) if language == i18n.SERBIAN_CYRILLIC else self.name_sr


class ScriptNameMixin:
    """Rows with a Latin and a Cyrillic name show the one of the reader's script (English: Latin)."""

    @property
    def name(self) -> str:
        return self.name_cyr if i18n.is_cyrillic() else self.name_lat

    @property
    def other_script_name(self) -> str:
        return self.name_lat if i18n.is_cyrillic() else self.name_cyr


class User(AbstractUser):
    """A person who signs in. Roles in LSGs live in RoleAssignment; global roles here."""

    global_role = models.CharField(
        _("global role"), max_length=32, choices=GlobalRole.choices, blank=True, default=""
    )
    # Blank until the user picks one or first signs in (then the language they signed in with).
    language = models.CharField(
        _("language"), max_length=10, blank=True, default="",
        choices=[(code, name) for code, name in settings.LANGUAGES],
    )  # fmt: skip

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_administrator(self) -> bool:
        return access.is_administrator(self)

    # Administrators manage users, LSGs and reference data in the admin without per-model grants.
    def has_perm(self, perm, obj=None) -> bool:
        return self.is_administrator or super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        return self.is_administrator or super().has_module_perms(app_label)


class District(ScriptNameMixin, models.Model):
    """Administrative district (okrug); the City of Belgrade is one of its own."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name_lat = models.CharField(_("name (Latin)"), max_length=100)
    name_cyr = models.CharField(_("name (Cyrillic)"), max_length=100)
    region = models.CharField(_("statistical region"), max_length=100)

    class Meta:
        ordering = ["name_lat"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class LSGQuerySet(models.QuerySet):
    def visible_to(self, user) -> LSGQuerySet:
        return access.scope_visible(self, user, "pk")

    def editable_by(self, user) -> LSGQuerySet:
        # The LSG's own record (census, development level) is reference data: administrators.
        return self if access.is_administrator(user) else self.none()

    def in_reading_order(self) -> LSGQuerySet:
        """Alphabetical in the reader's script (Serbian Latin or Cyrillic order)."""
        return self.order_by(ScriptOrder("name_lat", "name_cyr"), "code")


class CoordinatorEngagement(models.TextChoices):
    """How the LSG engages its coordinator for Roma issues (RIMS: vrsta angažovanja)."""

    NONE = "none", _("No coordinator engaged")
    PERMANENT = "permanent", _("Employed, permanent")
    FIXED_TERM = "fixed_term", _("Employed, fixed term")
    CONTRACT = "contract", _("Service contract")
    OTHER = "other", _("Other engagement")


class LSG(ScriptNameMixin, models.Model):
    """A local self-government unit: municipality, city or city municipality."""

    class Type(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        CITY = "city", _("City")
        CITY_MUNICIPALITY = "city_municipality", _("City municipality")

    class DevelopmentLevel(models.IntegerChoices):
        I = 1, _("I (above national average)")  # noqa: E741
        # "% o" looks like a format directive to xgettext: these labels are never %-formatted.
        # xgettext:no-python-format
        II = 2, _("II (80-100 % of average)")
        # xgettext:no-python-format
        III = 3, _("III (60-80 % of average)")
        # xgettext:no-python-format
        IV = 4, _("IV (below 60 % of average)")
        DEVASTATED = 5, _("Devastated area")

    code = models.CharField(
        _("municipality code"), max_length=5, unique=True, validators=[municipality_code_validator]
    )
    name_lat = models.CharField(_("name (Latin)"), max_length=100)
    name_cyr = models.CharField(_("name (Cyrillic)"), max_length=100)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="lsgs", verbose_name=_("district")
    )
    parent_city = models.CharField(
        _("parent city"), max_length=100, blank=True,
        help_text=_("For a city municipality, the city it belongs to."),
    )  # fmt: skip
    # The city LSG itself (Belgrade, Niš): the name above is kept as the source spells it.
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="city_municipalities",
        verbose_name=_("city"),
    )  # fmt: skip
    census_year = models.PositiveSmallIntegerField(_("census year"), null=True, blank=True)
    population_male = models.PositiveIntegerField(_("population, men"), null=True, blank=True)
    population_female = models.PositiveIntegerField(_("population, women"), null=True, blank=True)
    roma_male = models.PositiveIntegerField(_("Roma population, men"), null=True, blank=True)
    roma_female = models.PositiveIntegerField(_("Roma population, women"), null=True, blank=True)
    development_level = models.PositiveSmallIntegerField(
        _("development level"), choices=DevelopmentLevel.choices, null=True, blank=True
    )
    # The profile the national monitoring database (RIMS) shows; blank means "not known".
    coordinator_engagement = models.CharField(
        _("Roma coordinator engaged"), max_length=20, choices=CoordinatorEngagement.choices, blank=True
    )
    coordinator_post = models.CharField(
        _("post of the Roma coordinator"), max_length=200, blank=True,
        help_text=_("The job title under which the coordinator's duties are done."),
    )  # fmt: skip
    coordinator_post_systematised = models.BooleanField(
        _("post in the job systematisation"), null=True, blank=True
    )
    lap_adopted = models.BooleanField(_("LAP for Roma inclusion adopted"), null=True, blank=True)
    lap_valid_from = models.DateField(_("LAP valid from"), null=True, blank=True)
    lap_valid_until = models.DateField(_("LAP valid until"), null=True, blank=True)
    dedicated_budget_year = models.PositiveSmallIntegerField(
        _("year of the dedicated budget"), null=True, blank=True
    )
    dedicated_budget = models.DecimalField(
        _("budget dedicated to Roma inclusion (RSD)"), max_digits=14, decimal_places=2,
        null=True, blank=True, validators=[MinValueValidator(0)],
        help_text=_("Funds the LSG set aside for improving the position of Roma in that year; 0 if none."),
    )  # fmt: skip

    history = HistoricalRecords()
    objects = LSGQuerySet.as_manager()

    class Meta:
        ordering = ["name_lat"]
        verbose_name = _("local self-government")
        verbose_name_plural = _("local self-governments")

    def __str__(self) -> str:
        return self.name

    @property
    def parent_city_name(self) -> str:
        """The parent city (stored in Latin script) in the reader's script."""
        return to_cyrillic(self.parent_city) if i18n.is_cyrillic() else self.parent_city

    @property
    def population(self) -> int | None:
        if self.population_male is None or self.population_female is None:
            return None
        return self.population_male + self.population_female

    @property
    def roma_population(self) -> int | None:
        if self.roma_male is None or self.roma_female is None:
            return None
        return self.roma_male + self.roma_female

    @property
    def coordinator_engaged(self) -> bool | None:
        if not self.coordinator_engagement:
            return None
        return self.coordinator_engagement != CoordinatorEngagement.NONE

    def clean(self) -> None:
        errors = {}
        if self.lap_valid_from and self.lap_valid_until and self.lap_valid_until < self.lap_valid_from:
            errors["lap_valid_until"] = _("The LAP cannot end before it starts.")
        if (self.dedicated_budget is None) != (self.dedicated_budget_year is None):
            errors["dedicated_budget"] = _("Give the dedicated budget together with its year.")
        for roma, total in (("roma_male", "population_male"), ("roma_female", "population_female")):
            roma_value, total_value = getattr(self, roma), getattr(self, total)
            if roma_value is not None and total_value is not None and roma_value > total_value:
                errors[roma] = _("The Roma population cannot exceed the total population.")
        if errors:
            raise ValidationError(errors)


class ProgrammeCohort(models.Model):
    """Reference data: a programme that formed or supported JMUs, and the LSGs it took part with.

    Loaded from stakeholders/data/jmu_lsgs_by_programme.csv by `load_reference_data`.
    """

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("programme"), max_length=400)
    period = models.CharField(_("period"), max_length=100, blank=True)
    lsgs = models.ManyToManyField(LSG, blank=True, related_name="cohorts", verbose_name=_("LSGs"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme cohort")
        verbose_name_plural = _("programme cohorts")

    def __str__(self) -> str:
        return f"{self.code}: {self.short_name}"

    @property
    def short_name(self) -> str:
        """The programme's name without the funding details in brackets."""
        return self.name.split(" (")[0]


class LSGOwnedQuerySet(models.QuerySet):
    """Rows an LSG owns: readable by its people, changeable by `editor_roles` (and administrators).

    Subclasses name the path to the LSG and, for rows with a life cycle, the path to the status
    and the statuses in which the row can still be changed.
    """

    lsg_path = "lsg"
    editor_roles = access.REGISTRY_EDITORS
    status_path = ""
    editable_statuses: tuple[str, ...] = ()

    def visible_to(self, user):
        return access.scope_visible(self, user, self.lsg_path)

    def editable_by(self, user):
        rows = access.scope_editable(self, user, self.lsg_path, self.editor_roles)
        if self.status_path:
            rows = rows.filter(**{f"{self.status_path}__in": self.editable_statuses})
        return rows


class JMUOwnedQuerySet(LSGOwnedQuerySet):
    lsg_path = "jmu__lsg"


class RoleAssignment(models.Model):
    """A user's role in one LSG. A user can hold different roles in different LSGs."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="lsg_roles", verbose_name=_("user"))
    lsg = models.ForeignKey(
        LSG, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("LSG")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role in an LSG")
        verbose_name_plural = _("roles in LSGs")
        constraints = [models.UniqueConstraint(fields=["user", "lsg", "role"], name="unique_role_per_lsg")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.lsg}"


class Settlement(models.Model):
    """A Roma settlement in an LSG; aggregate estimates only, never people."""

    class Kind(models.TextChoices):
        FORMAL = "formal", _("Formal")
        INFORMAL = "informal", _("Informal")
        SUBSTANDARD = "substandard", _("Substandard")

    lsg = models.ForeignKey(LSG, on_delete=models.CASCADE, related_name="settlements", verbose_name=_("LSG"))
    name = models.CharField(_("name"), max_length=150)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True,
        validators=[
            MinValueValidator(SERBIA_LAT[0], LAT_OUTSIDE),
            MaxValueValidator(SERBIA_LAT[1], LAT_OUTSIDE),
        ],
    )  # fmt: skip
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True,
        validators=[
            MinValueValidator(SERBIA_LON[0], LON_OUTSIDE),
            MaxValueValidator(SERBIA_LON[1], LON_OUTSIDE),
        ],
    )  # fmt: skip
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    households = models.PositiveIntegerField(_("estimated households"), null=True, blank=True)
    people = models.PositiveIntegerField(_("estimated people"), null=True, blank=True)
    infrastructure_notes = models.TextField(
        _("infrastructure notes"), blank=True, max_length=NOTES_MAX_LENGTH,
        validators=[MaxLengthValidator(NOTES_MAX_LENGTH)],
    )  # fmt: skip

    history = HistoricalRecords()
    objects = LSGOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("Roma settlement")
        verbose_name_plural = _("Roma settlements")
        constraints = [
            models.UniqueConstraint(
                fields=["lsg", "name"],
                name="unique_settlement_name_per_lsg",
                violation_error_message=_("This LSG already has a settlement with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            raise ValidationError({missing: _("Give both latitude and longitude, or neither.")})


class InstitutionType(BilingualNameMixin):
    """Reference data: CSW, NES branch, school, pre-school, health centre, CSO, LSG department..."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("institution type")
        verbose_name_plural = _("institution types")


class Institution(models.Model):
    # No LSG: a national body (ministry, the Office for Human and Minority Rights, NES, SCTM, a
    # donor) in the one shared register that every LSG's plans choose from.
    lsg = models.ForeignKey(
        LSG, on_delete=models.CASCADE, null=True, blank=True, related_name="institutions",
        verbose_name=_("LSG"),
    )  # fmt: skip
    type = models.ForeignKey(
        InstitutionType, on_delete=models.PROTECT, related_name="institutions",
        verbose_name=_("type"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[phone_validator])
    email = models.EmailField(_("e-mail"), blank=True)

    history = HistoricalRecords()
    objects = LSGOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            models.UniqueConstraint(
                fields=["lsg", "name"],
                name="unique_institution_name_per_lsg",
                violation_error_message=_("This LSG already has an institution with this name."),
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(lsg__isnull=True),
                name="unique_national_institution_name",
                violation_error_message=_("A national body with this name is already registered."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.lsg_id is None


class JMU(models.Model):
    """A Joint Mobile Unit: one active per LSG, formed by a decision of an LSG body."""

    class FoundingBody(models.TextChoices):
        MUNICIPAL_COUNCIL = "municipal_council", _("Municipal council")
        CITY_COUNCIL = "city_council", _("City council")
        ASSEMBLY = "assembly", _("Assembly")
        MAYOR = "mayor", _("Mayor")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    lsg = models.ForeignKey(LSG, on_delete=models.CASCADE, related_name="jmus", verbose_name=_("LSG"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    founding_body = models.CharField(_("founding body"), max_length=30, choices=FoundingBody.choices)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    mou_date = models.DateField(_("MoU signed on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)

    history = HistoricalRecords()
    objects = LSGOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["lsg__name_lat", "-decision_date"]
        verbose_name = _("joint mobile unit")
        verbose_name_plural = _("joint mobile units")
        constraints = [
            models.UniqueConstraint(
                fields=["lsg"],
                condition=Q(status="active"),
                name="one_active_jmu_per_lsg",
                violation_error_message=_("This LSG already has an active JMU."),
            )
        ]

    def __str__(self) -> str:
        return self.name or str(_("JMU %(lsg)s") % {"lsg": self.lsg})

    def clean(self) -> None:
        if self.status == self.Status.ACTIVE and self.lsg_id:
            others = JMU.objects.filter(lsg_id=self.lsg_id, status=self.Status.ACTIVE)
            if others.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {"status": _("This LSG already has an active JMU; set the other one inactive first.")}
                )
        if self.mou_date and self.decision_date and self.mou_date < self.decision_date:
            raise ValidationError({"mou_date": _("The MoU cannot predate the founding decision.")})


class MemberRole(BilingualNameMixin):
    """Reference data: the roles people hold in a JMU."""

    COORDINATOR = "coordinator"

    code = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("JMU member role")
        verbose_name_plural = _("JMU member roles")


class MembershipQuerySet(JMUOwnedQuerySet):
    def active_on(self, day: datetime.date) -> MembershipQuerySet:
        return self.filter(since__lte=day).filter(Q(until__isnull=True) | Q(until__gte=day))


class JMUMembership(models.Model):
    """A person's place in a JMU: role, institution, from/until."""

    jmu = models.ForeignKey(JMU, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("JMU"))
    person_name = models.CharField(_("name and surname"), max_length=150)
    role = models.ForeignKey(
        MemberRole, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("role")
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, null=True, blank=True,
        related_name="memberships", verbose_name=_("institution"),
    )  # fmt: skip
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[phone_validator])
    email = models.EmailField(_("e-mail"), blank=True)
    since = models.DateField(_("member since"))
    until = models.DateField(_("member until"), null=True, blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["role__position", "person_name"]
        verbose_name = _("JMU membership")
        verbose_name_plural = _("JMU memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="membership_ends_after_it_starts",
                violation_error_message=_("A membership cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.role})"

    def is_active_on(self, day: datetime.date) -> bool:
        return self.since <= day and (self.until is None or self.until >= day)

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.since and self.until and self.until < self.since:
            errors["until"] = _("A membership cannot end before it starts.")
        if self.institution_id and self.jmu_id and self.institution.lsg_id != self.jmu.lsg_id:
            errors["institution"] = _("Choose an institution of this JMU's LSG.")
        is_coordinator = self.role_id and self.role.code == MemberRole.COORDINATOR
        if not errors and is_coordinator and self.jmu_id and self.since:
            clash = self._overlapping_coordinator()
            if clash is not None:
                errors["role"] = _(
                    "%(name)s is already this JMU's coordinator for these dates; end that membership first."
                ) % {"name": clash.person_name}
        if errors:
            raise ValidationError(errors)

    def _overlapping_coordinator(self) -> JMUMembership | None:
        """Another coordinator membership of this JMU whose dates overlap this one's."""
        overlapping = JMUMembership.objects.filter(
            jmu_id=self.jmu_id, role__code=MemberRole.COORDINATOR
        ).filter(Q(until__isnull=True) | Q(until__gte=self.since))
        if self.until is not None:
            overlapping = overlapping.filter(since__lte=self.until)
        return overlapping.exclude(pk=self.pk).first()


# --- Engagements, recommendations, policy documents and the experts' work ------------------------
# The experts' terms of reference ask for coordination meetings, field visits and workshops with
# written recommendations, the operational plan harmonised with the LSG's Local Action Plan, a
# time sheet and a final report; the learning cluster asks for mentoring sessions with reports.

ENGAGEMENT_TEXT = 10000


def engagement_text(label, **kwargs):
    return models.TextField(
        label, blank=True, max_length=ENGAGEMENT_TEXT, validators=[MaxLengthValidator(ENGAGEMENT_TEXT)],
        **kwargs,
    )  # fmt: skip


class EngagementQuerySet(models.QuerySet):
    def visible_to(self, user) -> EngagementQuerySet:
        """Engagements touching an LSG where the user is coordinator or expert (officers: all)."""
        if access.sees_everything(user):
            return self
        links = access.scope_engagement_rows(Engagement.lsgs.through.objects.all(), user, "lsg_id")
        return self.filter(pk__in=links.values("engagement_id"))


class Engagement(models.Model):
    """A meeting, visit, workshop, mentoring session or exchange event with an LSG's stakeholders."""

    class Type(models.TextChoices):
        COORDINATION_MEETING = "coordination_meeting", _("Coordination meeting")
        FIELD_VISIT = "field_visit", _("Field visit")
        WORKSHOP = "workshop", _("Workshop")
        MENTORING_SESSION = "mentoring_session", _("Mentoring session")
        EXCHANGE_EVENT = "exchange_event", _("Exchange event")

    type = models.CharField(_("type"), max_length=30, choices=Type.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    held = models.BooleanField(
        _("held"), default=True, help_text=_("Untick for an engagement that is still planned.")
    )
    lsgs = models.ManyToManyField(LSG, related_name="engagements", verbose_name=_("LSGs"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = engagement_text(_("agenda"))
    minutes = engagement_text(_("minutes"))
    # The mentoring session report's parts (the learning cluster's template).
    questions_raised = engagement_text(_("questions raised"))
    advice_given = engagement_text(_("advice given"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    history = HistoricalRecords()
    objects = EngagementQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.title}"

    @property
    def engagement_lsg_ids(self) -> set[int]:
        cached = getattr(self, "_lsg_ids", None)
        if cached is None:
            cached = self._lsg_ids = {lsg.pk for lsg in self.lsgs.all()}
        return cached

    @property
    def document_stem(self) -> str:
        """The PDF's file name stem (reporting.documents)."""
        return f"{self.date:%Y-%m-%d}-{self.type}-{self.title}"

    @property
    def is_mentoring(self) -> bool:
        return self.type == self.Type.MENTORING_SESSION

    def clean(self) -> None:
        if self.held and self.date and self.date > timezone.localdate():
            raise ValidationError(
                {"date": _("An engagement that was held cannot be dated in the future; untick “held”.")}
            )


class EngagementChildQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(engagement__in=Engagement.objects.visible_to(user))


class EngagementChild(models.Model):
    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="%(class)ss", verbose_name=_("engagement")
    )

    objects = EngagementChildQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def engagement_lsg_ids(self) -> set[int]:
        return self.engagement.engagement_lsg_ids


class Participant(EngagementChild):
    """Someone who took part: a JMU member from the registry, or a name with an institution."""

    membership = models.ForeignKey(
        JMUMembership, on_delete=models.PROTECT, null=True, blank=True, related_name="engagements",
        verbose_name=_("JMU member"),
    )  # fmt: skip
    name = models.CharField(_("name and surname"), max_length=150, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.membership.person_name if self.membership_id else self.name

    @property
    def display_institution(self) -> str:
        if self.membership_id and self.membership.institution_id:
            return self.membership.institution.name
        return self.institution

    def clean(self) -> None:
        if not self.membership_id and not self.name.strip():
            raise ValidationError({"name": _("Choose a JMU member or write the person's name.")})
        in_its_lsgs = not (self.membership_id and self.engagement_id) or (
            self.membership.jmu.lsg_id in self.engagement.engagement_lsg_ids
        )
        if not in_its_lsgs:
            raise ValidationError({"membership": _("Choose a member of a JMU of the engagement's LSGs.")})


class Attachment(EngagementChild):
    """A file from the engagement (list of signatures, presentation, photo), checked by content."""

    file = models.FileField(_("file"), upload_to=ServerNamedUpload("engagements", extension=None))
    kind = models.CharField(_("type"), max_length=10)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    @property
    def stored_extension(self) -> str:
        return UPLOAD_KINDS[self.kind]

    @property
    def download_name(self) -> str:
        """The user's name, made safe, with the extension of what the content is."""
        from django.utils.text import get_valid_filename

        stem = self.original_name.rsplit(".", 1)[0][:80]
        try:
            stem = get_valid_filename(stem)
        except Exception:  # noqa: BLE001 - a name of dots only: fall back to a neutral one
            stem = "attachment"
        return f"{stem}{self.stored_extension}"


class FollowUp(EngagementChild):
    """What was agreed to be done next, by whom and by when."""

    task = models.CharField(_("what is to be done"), max_length=500)
    owner = models.CharField(_("who does it"), max_length=150)
    due_date = models.DateField(_("due"))
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return self.task

    def clean(self) -> None:
        if not (self.owner or "").strip():
            raise ValidationError({"owner": _("A follow-up needs an owner: say who does it.")})


class RecommendationQuerySet(models.QuerySet):
    def visible_to(self, user) -> RecommendationQuerySet:
        return access.scope_engagement_rows(self, user, "lsg")


class Recommendation(models.Model):
    """A written recommendation from an engagement, addressed to someone in one LSG."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("recommendation", "Open")
        ACCEPTED = "accepted", pgettext_lazy("recommendation", "Accepted")
        REJECTED = "rejected", pgettext_lazy("recommendation", "Rejected")
        IMPLEMENTED = "implemented", pgettext_lazy("recommendation", "Implemented")

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="recommendations", verbose_name=_("engagement")
    )
    lsg = models.ForeignKey(
        LSG, on_delete=models.CASCADE, related_name="recommendations", verbose_name=_("LSG")
    )
    text = models.TextField(_("recommendation"), max_length=3000, validators=[MaxLengthValidator(3000)])
    addressee = models.CharField(_("addressed to"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    measures = models.ManyToManyField(
        "plans.Measure", blank=True, related_name="recommendations",
        verbose_name=_("plan measures that carry it out"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    history = HistoricalRecords()
    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def engagement_lsg_ids(self) -> set[int]:
        return self.engagement.engagement_lsg_ids

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_rejected(self) -> bool:
        return self.status == self.Status.REJECTED

    def clean(self) -> None:
        if self.lsg_id and self.engagement_id and self.lsg_id not in self.engagement.engagement_lsg_ids:
            raise ValidationError({"lsg": _("Choose one of the engagement's LSGs.")})


class Transition(models.Model):
    """A status change of an engagement-side row: who, when, from what to what, and why."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    from_status = models.CharField(_("from"), max_length=20)
    to_status = models.CharField(_("to"), max_length=20)
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    @property
    def to_label(self) -> str:
        return self.STATUS(self.to_status).label


class RecommendationTransition(Transition):
    STATUS = Recommendation.Status
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="transitions")

    class Meta(Transition.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


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
                fields=["document", "number"], name="unique_lap_measure_number",
                violation_error_message=_("This document already has a measure with this number."),
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ExpertContractQuerySet(models.QuerySet):
    def visible_to(self, user):
        if access.sees_everything(user):
            return self
        return self.filter(expert=user) if user is not None and user.is_authenticated else self.none()


class ExpertContract(models.Model):
    """The days an expert is contracted for over a period (entered by the programme's staff)."""

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_contracts",
        verbose_name=_("expert"),
    )  # fmt: skip
    title = models.CharField(_("assignment"), max_length=200)
    days_contracted = models.DecimalField(
        _("days contracted"), max_digits=5, decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )  # fmt: skip
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


class ContractRowQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(contract__in=ExpertContract.objects.visible_to(user))


class ExpertWorkStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")

    @classmethod
    def editable(cls) -> list[str]:
        return [cls.DRAFT, cls.RETURNED]

    @classmethod
    def frozen(cls) -> list[str]:
        return [cls.ACCEPTED]


class ContractRow(models.Model):
    """A time sheet or final report: the expert's own, with a draft → submitted → accepted life."""

    Status = ExpertWorkStatus

    status = models.CharField(
        _("status"), max_length=10, choices=ExpertWorkStatus.choices, default=ExpertWorkStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    objects = ContractRowQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def expert_id(self) -> int:
        return self.contract.expert_id

    @property
    def is_editable(self) -> bool:
        return self.status in ExpertWorkStatus.editable()

    @property
    def is_frozen(self) -> bool:
        return self.status in ExpertWorkStatus.frozen()


class TimeSheet(ContractRow):
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
                fields=["contract", "month"], name="one_timesheet_per_month",
                violation_error_message=_("This contract already has a time sheet for this month."),
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} – {self.contract.expert}"


class TimeSheetEntry(models.Model):
    timesheet = models.ForeignKey(
        TimeSheet, on_delete=models.CASCADE, related_name="entries", verbose_name=_("time sheet")
    )
    lsg = models.ForeignKey(LSG, on_delete=models.PROTECT, related_name="+", verbose_name=_("LSG"))
    activity = models.CharField(_("activity"), max_length=300)
    engagement = models.ForeignKey(
        Engagement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("engagement"),
    )  # fmt: skip
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


class TimeSheetTransition(Transition):
    STATUS = ExpertWorkStatus
    timesheet = models.ForeignKey(TimeSheet, on_delete=models.CASCADE, related_name="transitions")

    class Meta(Transition.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class FinalReport(ContractRow):
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

    @property
    def document_stem(self) -> str:
        return f"final-report-{self.contract.expert.username}-{self.contract.title}"


class FinalReportTransition(Transition):
    STATUS = ExpertWorkStatus
    final_report = models.ForeignKey(FinalReport, on_delete=models.CASCADE, related_name="transitions")

    class Meta(Transition.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
