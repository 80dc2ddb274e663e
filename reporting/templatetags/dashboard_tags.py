"""The programme dashboard's table of LSGs as Python rows, the way plans/templatetags/plan_tags.py
builds the plan matrix: a row per LSG of Serbia (170) through template tags was a third of the
officers' dashboard (bench/load.py). The markup is the template's; reporting/tests/
test_dashboard_rows.py renders both and compares them.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from jmu_planner import i18n

register = template.Library()
e = html.escape


def _url(name: str):
    """`reverse(name, args=[pk])` for many pks: reversed once, the pk put in by formatting."""
    marker = 987654321
    pattern = reverse(name, args=[marker]).replace(str(marker), "{}")
    return lambda pk: e(pattern.format(int(pk)))


@register.simple_tag
def dashboard_lsg_rows(rows: Iterable) -> SafeString:
    """The rows of the "By LSG" table (reporting.dashboard.LSGRow)."""
    lsg_url, plan_url = _url("stakeholders:lsg-detail"), _url("plans:plan-detail")
    parts = []
    for row in rows:
        lsg, figures, in_force, draft = row.lsg, row.figures, row.in_force, row.draft
        district = e(lsg.district.name) if lsg.district_id else ""
        force = f'<a href="{plan_url(in_force.pk)}">v{e(str(in_force.version))}</a>' if in_force else "—"
        drafted = (
            f'<a href="{plan_url(draft.pk)}"><span class="badge {e(draft.status_badge)}">'
            f"{e(str(draft.get_status_display()))}</span></a>"
            if draft
            else "—"
        )
        overdue = " text-danger fw-semibold" if figures.overdue else ""
        share = figures.reached_share
        reached = f"{formats.localize(figures.reached)} / {formats.localize(figures.indicators)}"
        if share is not None:
            reached += f' <span class="small text-body-secondary">({e(i18n.number(share))} %)</span>'
        not_split = ""
        if figures.not_split:
            note = _("of which %(amount)s in shared envelopes, not yet split across measures")
            not_split = f' title="{e(note % {"amount": i18n.money(figures.not_split)})}"'
        parts.append(
            f'<tr data-lsg="{lsg.pk}">'
            f'<td><a href="{lsg_url(lsg.pk)}">{e(lsg.name)}</a>'
            f'<div class="small text-body-secondary">{district}</div></td>'
            f"<td>{e(str(row.jmu_status))}</td><td>{force}</td><td>{drafted}</td>"
            f'<td class="text-end">{formats.localize(figures.due)}</td>'
            f'<td class="text-end{overdue}">{formats.localize(figures.overdue)}</td>'
            f'<td class="text-end">{reached}</td>'
            f'<td class="text-end"{not_split}>{e(i18n.money(figures.planned))}</td>'
            f'<td class="text-end">{e(i18n.money(figures.spent))}</td></tr>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value from the database is escaped above
