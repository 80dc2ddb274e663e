"""Writes of the experts' work: engagements and what hangs from them, policy documents, time
sheets and final reports. Callers have checked the action (access.require); these check the data."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from jmu_planner import i18n
from jmu_planner.uploads import validate_upload
from stakeholders.lifecycle import FINAL_REPORT_LIFECYCLE, RECOMMENDATION_LIFECYCLE, TIMESHEET_LIFECYCLE
from stakeholders.models import (
    LSG,
    Attachment,
    Engagement,
    ExpertContract,
    FinalReport,
    FollowUp,
    LAPMeasure,
    Participant,
    PolicyDocument,
    Recommendation,
    TimeSheet,
    TimeSheetEntry,
    User,
)

ZERO = Decimal("0")


def _fill(row, data: dict[str, Any], fields: list[str]):
    for name in fields:
        if name in data:
            setattr(row, name, data[name])
    return row


ENGAGEMENT_FIELDS = [
    "type", "title", "date", "held", "place", "agenda", "minutes", "questions_raised", "advice_given",
]  # fmt: skip


@transaction.atomic
def engagement_save(
    *, actor: User, data: dict[str, Any], lsgs: list[LSG], engagement: Engagement | None = None
) -> Engagement:
    """Record a new engagement or change one; a held one cannot be dated in the future."""
    engagement = engagement or Engagement(created_by=actor)
    _fill(engagement, data, ENGAGEMENT_FIELDS)
    if not lsgs:
        raise ValidationError({"lsgs": _("Choose at least one LSG.")})
    engagement.full_clean()
    engagement._history_user = actor
    engagement.save()
    engagement.lsgs.set(lsgs)
    engagement._lsg_ids = {lsg.pk for lsg in lsgs}
    return engagement


def participant_add(*, engagement: Engagement, actor: User, data: dict[str, Any]) -> Participant:
    participant = _fill(Participant(engagement=engagement), data, ["membership", "name", "institution"])
    participant.full_clean()
    participant.save()
    return participant


def attachment_add(*, engagement: Engagement, actor: User, upload: Any) -> Attachment:
    """Keep a file whose content is a PDF, DOCX, XLSX or image of at most 10 MB."""
    try:
        kind = validate_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    attachment = Attachment(
        engagement=engagement, kind=kind, original_name=(upload.name or "")[:200] or kind,
        size=upload.size, uploaded_by=actor,
    )  # fmt: skip
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


def follow_up_add(*, engagement: Engagement, actor: User, data: dict[str, Any]) -> FollowUp:
    follow_up = _fill(FollowUp(engagement=engagement), data, ["task", "owner", "due_date"])
    follow_up.owner = (follow_up.owner or "").strip()
    follow_up.full_clean()
    follow_up.save()
    return follow_up


def recommendation_add(*, engagement: Engagement, actor: User, data: dict[str, Any]) -> Recommendation:
    recommendation = _fill(
        Recommendation(engagement=engagement, created_by=actor), data, ["lsg", "text", "addressee"]
    )
    recommendation.full_clean()
    recommendation._history_user = actor
    recommendation.save()
    return recommendation


def recommendation_transition(
    *, recommendation: Recommendation, to: str, actor: User, note: str = ""
) -> Recommendation:
    return RECOMMENDATION_LIFECYCLE.transition(recommendation, to=to, actor=actor, note=note)


def recommendation_link(*, recommendation: Recommendation, measure, actor: User) -> Recommendation:
    """Say that `measure` (of a current plan of the recommendation's LSG) carries it out."""
    from stakeholders.engagement_selectors import current_plan_measures

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
    _fill(document, data, ["kind", "title", "period_start", "period_end", "adopted_by", "adoption_date"])
    document.full_clean()
    document._history_user = actor
    document.save()
    return document


def lap_measure_add(*, document: PolicyDocument, actor: User, data: dict[str, Any]) -> LAPMeasure:
    measure = _fill(LAPMeasure(document=document), data, ["number", "title"])
    measure.full_clean()
    measure.save()
    return measure


# --- Time sheets and the final report ----------------------------------------------------------


def contract_days_used(contract: ExpertContract, *, excluding: TimeSheetEntry | None = None) -> Decimal:
    entries = TimeSheetEntry.objects.filter(timesheet__contract=contract)
    if excluding is not None and excluding.pk:
        entries = entries.exclude(pk=excluding.pk)
    return entries.aggregate(total=Sum("days"))["total"] or ZERO


def timesheet_create(*, contract: ExpertContract, month: datetime.date, actor: User) -> TimeSheet:
    month = month.replace(day=1)
    if not (contract.period_start.replace(day=1) <= month <= contract.period_end):
        raise ValidationError({"month": _("Choose a month inside the contract's period.")})
    timesheet = TimeSheet(contract=contract, month=month)
    timesheet.full_clean()
    timesheet.save()
    return timesheet


@transaction.atomic
def timesheet_entry_save(
    *, timesheet: TimeSheet, actor: User, data: dict[str, Any], entry: TimeSheetEntry | None = None
) -> TimeSheetEntry:
    """Days per activity and LSG; the contract's days may not be exceeded (checked under a lock,
    so two entries saved at once cannot both slip under the limit)."""
    contract = ExpertContract.objects.select_for_update().get(pk=timesheet.contract_id)
    entry = entry or TimeSheetEntry(timesheet=timesheet)
    _fill(entry, data, ["lsg", "activity", "engagement", "days"])
    entry.full_clean()
    used = contract_days_used(contract, excluding=entry)
    if used + entry.days > contract.days_contracted:
        raise ValidationError(
            {
                "days": _(
                    "This would bring the days worked to %(total)s; the contract has %(contracted)s "
                    "(%(left)s left)."
                )
                % {
                    "total": i18n.figure(used + entry.days),
                    "contracted": i18n.figure(contract.days_contracted),
                    "left": i18n.figure(max(contract.days_contracted - used, ZERO)),
                }
            }
        )
    entry.save()
    return entry


def timesheet_transition(*, timesheet: TimeSheet, to: str, actor: User, note: str = "") -> TimeSheet:
    return TIMESHEET_LIFECYCLE.transition(timesheet, to=to, actor=actor, note=note)


def final_report_save(*, contract: ExpertContract, actor: User, data: dict[str, Any]) -> FinalReport:
    report, _created = FinalReport.objects.get_or_create(contract=contract)
    _fill(report, data, ["outputs", "conclusions"])
    report.full_clean()
    report.save(update_fields=["outputs", "conclusions"])
    return report


def final_report_transition(*, report: FinalReport, to: str, actor: User, note: str = "") -> FinalReport:
    return FINAL_REPORT_LIFECYCLE.transition(report, to=to, actor=actor, note=note)
