"""Engagements (meetings, visits, workshops, mentoring), their participants, attachments, follow-ups
and recommendations.

The experts' terms of reference ask for coordination meetings, field visits and workshops with
written recommendations; the learning cluster asks for mentoring sessions with reports.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
)
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from jmu_planner import access
from jmu_planner.models import StatusChange
from jmu_planner.text import to_latin
from jmu_planner.uploads import UPLOAD_KINDS, ServerNamedUpload
from stakeholders.models.registry import LSG, JMUMembership

ENGAGEMENT_TEXT = 10000


def engagement_text(label, **kwargs):
    return models.TextField(
        label,
        blank=True,
        max_length=ENGAGEMENT_TEXT,
        validators=[MaxLengthValidator(ENGAGEMENT_TEXT)],
        **kwargs,
    )


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
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    history = HistoricalRecords()
    objects = EngagementQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")

    def __str__(self) -> str:
        """ "Mentoring session: <title>", the type written once: a title that already begins with its
        type ("Mentorska sesija: izveštavanje", in either script) is shown as it is."""
        kind = str(self.get_type_display())
        if to_latin(self.title).casefold().startswith(to_latin(kind).casefold()):
            return self.title
        return f"{kind}: {self.title}"

    @property
    def engagement_lsg_ids(self) -> set[int]:
        cached = getattr(self, "_lsg_ids", None)
        if cached is None:
            cached = self._lsg_ids = {lsg.pk for lsg in self.lsgs.all()}
        return cached

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
        return self.filter(engagement__in=Engagement.objects.visible_to(user)).readable_parts(user)

    def readable_parts(self, user):
        """Of engagements the user sees: the shared rows, and those given to one LSG only where the
        user may read that LSG's engagement work. An exchange event of several LSGs shows each
        reader its shared part and its own LSG's follow-ups and attachments, not the others'."""
        if not any(f.name == "lsg" for f in self.model._meta.fields) or access.sees_everything(user):
            return self
        return self.filter(
            models.Q(lsg__isnull=True)
            | models.Q(lsg_id__in=access.lsg_ids_with_role(user, access.ENGAGEMENT_READERS))
        )


def _require_engagement_lsg(row) -> None:
    if row.lsg_id and row.engagement_id and row.lsg_id not in row.engagement.engagement_lsg_ids:
        raise ValidationError({"lsg": _("Choose one of the engagement's LSGs.")})


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
        JMUMembership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="engagements",
        verbose_name=_("JMU member"),
    )
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
    # Empty: the engagement's shared part, for all its LSGs; else one LSG's part (seen by its readers).
    lsg = models.ForeignKey(
        LSG,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for LSG"),
        help_text=_("Leave empty when it concerns all the engagement's LSGs."),
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def clean(self) -> None:
        _require_engagement_lsg(self)

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
    # Empty: the engagement's shared part, for all its LSGs; else one LSG's part (seen by its readers).
    lsg = models.ForeignKey(
        LSG,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for LSG"),
        help_text=_("Leave empty when it concerns all the engagement's LSGs."),
    )

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return self.task

    def clean(self) -> None:
        if not (self.owner or "").strip():
            raise ValidationError({"owner": _("A follow-up needs an owner: say who does it.")})
        _require_engagement_lsg(self)


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
        "plans.Measure",
        blank=True,
        related_name="recommendations",
        verbose_name=_("plan measures that carry it out"),
    )
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


class RecommendationTransition(StatusChange):
    STATUS = Recommendation.Status
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="transitions")

    class Meta(StatusChange.Meta):
        pass
