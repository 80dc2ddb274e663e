"""The registry: LSGs, districts, Roma settlements, institutions, JMUs, their members, and people's roles."""

from __future__ import annotations

import datetime

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
from simple_history.models import HistoricalRecords

from jmu_planner import access, i18n
from jmu_planner.access import GlobalRole, Role
from jmu_planner.db import ScriptOrder
from jmu_planner.lifecycle import editable_statuses
from jmu_planner.text import to_cyrillic
from jmu_planner.uploads import UPLOAD_KINDS, ServerNamedUpload, detect_kind, validate_image_upload

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
        _("language"),
        max_length=10,
        blank=True,
        default="",
        choices=[(code, name) for code, name in settings.LANGUAGES],
    )

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
        _("parent city"),
        max_length=100,
        blank=True,
        help_text=_("For a city municipality, the city it belongs to."),
    )
    # The city LSG itself (Belgrade, Niš): the name above is kept as the source spells it.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="city_municipalities",
        verbose_name=_("city"),
    )
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
        _("post of the Roma coordinator"),
        max_length=200,
        blank=True,
        help_text=_("The job title under which the coordinator's duties are done."),
    )
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
        _("budget dedicated to Roma inclusion (RSD)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Funds the LSG set aside for improving the position of Roma in that year; 0 if none."),
    )
    # Printed at the head of the LSG's official documents; checked by content (PNG or JPEG) in
    # stakeholders.services.lsg_update, stored under a name the server chooses, never SVG.
    coat_of_arms = models.FileField(
        _("coat of arms (PNG or JPEG)"),
        upload_to=ServerNamedUpload("stakeholders/arms", None),
        blank=True,
        help_text=_("Printed at the head of the LSG's plans and reports. PNG or JPEG, at most 1 MB."),
    )

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

    @property
    def stored_extension(self) -> str:
        """The coat of arms' extension on disk, from what its content is (ServerNamedUpload)."""
        return UPLOAD_KINDS.get(detect_kind(self.coat_of_arms) or "", ".img")

    def clean(self) -> None:
        errors = {}
        if self.coat_of_arms and not self.coat_of_arms._committed:  # a new upload, not the stored one
            try:
                validate_image_upload(self.coat_of_arms)
            except ValidationError as error:
                errors["coat_of_arms"] = error.messages
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
    status_path = ""  # "status", "plan__status"...: its lifecycle says which statuses are editable

    def visible_to(self, user):
        return access.scope_visible(self, user, self.lsg_path)

    def editable_by(self, user):
        rows = access.scope_editable(self, user, self.lsg_path, self.editor_roles)
        if self.status_path:
            statuses = editable_statuses(self.model, self.status_path)
            rows = rows.filter(**{f"{self.status_path}__in": sorted(statuses)})
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
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(SERBIA_LAT[0], LAT_OUTSIDE),
            MaxValueValidator(SERBIA_LAT[1], LAT_OUTSIDE),
        ],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(SERBIA_LON[0], LON_OUTSIDE),
            MaxValueValidator(SERBIA_LON[1], LON_OUTSIDE),
        ],
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    households = models.PositiveIntegerField(_("estimated households"), null=True, blank=True)
    people = models.PositiveIntegerField(_("estimated people"), null=True, blank=True)
    infrastructure_notes = models.TextField(
        _("infrastructure notes"),
        blank=True,
        max_length=NOTES_MAX_LENGTH,
        validators=[MaxLengthValidator(NOTES_MAX_LENGTH)],
    )

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
        LSG,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="institutions",
        verbose_name=_("LSG"),
    )
    type = models.ForeignKey(
        InstitutionType,
        on_delete=models.PROTECT,
        related_name="institutions",
        verbose_name=_("type"),
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[phone_validator])
    email = models.EmailField(_("e-mail"), blank=True)
    # A group named as a party ("Roma CSOs", "85 health mediators of the district"): how many, if known.
    member_count = models.PositiveIntegerField(
        _("how many"),
        null=True,
        blank=True,
        help_text=_("For a group: how many people or organisations, if known."),
    )
    # National bodies are renamed and merged: a plan names a body as it was called when adopted,
    # and a filter for today's body finds its former names through `successor`.
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("succeeded by"),
        help_text=_("The body that took over its work when it was renamed, merged or closed."),
    )

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
        return f"{self.name} ({self.member_count})" if self.member_count else self.name

    @property
    def is_national(self) -> bool:
        return self.lsg_id is None

    def clean(self) -> None:
        errors = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("A body cannot end before it starts.")
        if self.successor_id and self.successor_id == self.pk:
            errors["successor"] = _("A body cannot succeed itself.")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def with_former_names(cls, pks) -> set[int]:
        """The bodies and every body they succeeded, back through renamings and mergers."""
        found = set(pks)
        frontier = set(found)
        for _step in range(20):  # a chain of renamings; the bound only guards against a cycle
            frontier = set(cls.objects.filter(successor_id__in=frontier).values_list("pk", flat=True)) - found
            if not frontier:
                break
            found |= frontier
        return found


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
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("institution"),
    )
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
