"""Writes of the experts' work: time sheets and the final report. Callers have checked the action
(access.require); these check the data."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from jmu_planner import i18n
from stakeholders.engagements.services import fill
from stakeholders.models import (
    ExpertContract,
    FinalReport,
    TimeSheet,
    TimeSheetEntry,
    User,
)

ZERO = Decimal("0")


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
    fill(entry, data, ["lsg", "activity", "engagement", "days"])
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


def timesheet_entry_delete(*, entry: TimeSheetEntry, actor: User) -> None:
    """Remove a row of a time sheet still being written (the view asks `change_timesheet` first)."""
    entry.delete()


def final_report_save(*, contract: ExpertContract, actor: User, data: dict[str, Any]) -> FinalReport:
    report, _created = FinalReport.objects.get_or_create(contract=contract)
    fill(report, data, ["outputs", "conclusions"])
    report.full_clean()
    report.save(update_fields=["outputs", "conclusions"])
    return report
