"""Programme cohorts: which LSGs took part in which JMU programme (reference data)."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from stakeholders.models import LSG, ProgrammeCohort

PROGRAMME_CSV = Path(__file__).resolve().parent / "data" / "jmu_lsgs_by_programme.csv"


@transaction.atomic
def programme_cohorts_load(*, path: Path = PROGRAMME_CSV) -> int:
    """Create or refresh the cohorts and their LSGs; returns the number of LSG memberships.

    Rows are matched by municipality code. A row without one (the City of Niš: the registry, like
    the programme's source, lists only its city municipalities) takes the city of that name, or
    else the city municipalities of that city. A row matching no LSG is skipped: the registry is
    the authority on LSGs.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_code = {lsg.code: lsg.pk for lsg in LSG.objects.only("pk", "code")}
    by_city: dict[str, set[int]] = {}
    for lsg in LSG.objects.filter(type=LSG.Type.CITY).only("pk", "name_lat"):
        by_city.setdefault(lsg.name_lat, set()).add(lsg.pk)
    city_parts: dict[str, set[int]] = {}
    for lsg in LSG.objects.filter(type=LSG.Type.CITY_MUNICIPALITY).only("pk", "parent_city"):
        city_parts.setdefault(lsg.parent_city, set()).add(lsg.pk)
    members: dict[str, set[int]] = {}
    for row in rows:
        code = row["programme_id"]
        if code not in members:
            ProgrammeCohort.objects.update_or_create(
                code=code, defaults={"name": row["programme"], "period": row["programme_period"]}
            )
        ids = members.setdefault(code, set())
        if row["municipality_code"]:
            found = by_code.get(row["municipality_code"])
            ids.update([found] if found is not None else [])
        else:
            name = row["lsg_name_lat"]
            ids.update(by_city.get(name) or city_parts.get(name, set()))
    linked = 0
    for cohort in ProgrammeCohort.objects.filter(code__in=members):
        cohort.lsgs.set(members[cohort.code])
        linked += len(members[cohort.code])
    return linked
