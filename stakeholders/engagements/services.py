"""Writes of engagements and what hangs from them, recommendations and policy documents. Callers
have checked the action (access.require); these check the data."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jmu_planner.services import M, set_history_user
from jmu_planner.uploads import validate_upload
from stakeholders.engagements.selectors import current_plan_measures
from stakeholders.models import (
    LSG,
    Attachment,
    Engagement,
    FollowUp,
    LAPMeasure,
    Participant,
    PolicyDocument,
    Recommendation,
    User,
)

if TYPE_CHECKING:
    from plans.models import Measure

ZERO = Decimal("0")


def fill(row: M, data: dict[str, Any], fields: list[str]) -> M:
    for name in fields:
        if name in data:
            setattr(row, name, data[name])
    return row


ENGAGEMENT_FIELDS = [
    "type",
    "title",
    "date",
    "held",
    "place",
    "agenda",
    "minutes",
    "questions_raised",
    "advice_given",
]


@transaction.atomic
def engagement_save(
    *, actor: User, data: dict[str, Any], lsgs: list[LSG], engagement: Engagement | None = None
) -> Engagement:
    """Record a new engagement or change one; a held one cannot be dated in the future."""
    engagement = engagement or Engagement(created_by=actor)
    fill(engagement, data, ENGAGEMENT_FIELDS)
    if not lsgs:
        raise ValidationError({"lsgs": _("Choose at least one LSG.")})
    engagement.full_clean()
    set_history_user(engagement, actor)
    engagement.save()
    engagement.lsgs.set(lsgs)
    engagement._lsg_ids = {lsg.pk for lsg in lsgs}
    return engagement


def participant_add(*, engagement: Engagement, actor: User, data: dict[str, Any]) -> Participant:
    participant = fill(Participant(engagement=engagement), data, ["membership", "name", "institution"])
    participant.full_clean()
    participant.save()
    return participant


def attachment_add(*, engagement: Engagement, actor: User, upload: Any, lsg: LSG | None = None) -> Attachment:
    """Keep a file whose content is a PDF, DOCX, XLSX or image of at most 10 MB; with `lsg`, it is
    that LSG's part of a shared engagement (seen by its readers only)."""
    try:
        kind = validate_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    attachment = Attachment(
        engagement=engagement,
        kind=kind,
        original_name=(upload.name or "")[:200] or kind,
        size=upload.size,
        uploaded_by=actor,
        lsg=lsg,
    )
    attachment.clean()
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


def follow_up_add(*, engagement: Engagement, actor: User, data: dict[str, Any]) -> FollowUp:
    follow_up = fill(FollowUp(engagement=engagement), data, ["task", "owner", "due_date", "lsg"])
    follow_up.owner = (follow_up.owner or "").strip()
    follow_up.full_clean()
    follow_up.save()
    return follow_up


def recommendation_add(*, engagement: Engagement, actor: User, data: dict[str, Any]) -> Recommendation:
    recommendation = fill(
        Recommendation(engagement=engagement, created_by=actor), data, ["lsg", "text", "addressee"]
    )
    recommendation.full_clean()
    set_history_user(recommendation, actor)
    recommendation.save()
    return recommendation


def recommendation_link(*, recommendation: Recommendation, measure: Measure, actor: User) -> Recommendation:
    """Say that `measure` (of a current plan of the recommendation's LSG) carries it out."""
    if not current_plan_measures(recommendation.lsg_id).filter(pk=measure.pk).exists():
        raise ValidationError({"measure": _("Choose a measure of the LSG's current plans.")})
    if recommendation.is_rejected:
        raise ValidationError({"measure": _("A rejected recommendation is not carried out by a measure.")})
    recommendation.measures.add(measure)
    return recommendation


# --- Policy documents ---------------------------------------------------------------------------


def policy_document_save(
    *, lsg: LSG, actor: User, data: dict[str, Any], document: PolicyDocument | None = None
) -> PolicyDocument:
    document = document or PolicyDocument(lsg=lsg)
    fill(document, data, ["kind", "title", "period_start", "period_end", "adopted_by", "adoption_date"])
    document.full_clean()
    set_history_user(document, actor)
    document.save()
    return document


def lap_measure_add(*, document: PolicyDocument, actor: User, data: dict[str, Any]) -> LAPMeasure:
    measure = fill(LAPMeasure(document=document), data, ["number", "title"])
    measure.full_clean()
    measure.save()
    return measure
