"""The report page's long tables as Python rows, the way plans/templatetags/plan_tags.py builds
the plan matrix.

A 150-measure plan gives a report 450 indicator rows, 300 budget lines and some 170 summary rows;
as nested template tags their rendering was most of the page's time (bench/report_rollup.py).
Here each row is one f-string; every value from the database goes through `e()` (html.escape),
fixed words are translated once per language, and amounts are formatted by jmu_planner.i18n.money.
The markup is the one the template had (reporting/tests/test_report_page.py pins it).
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Iterable
from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from jmu_planner import figures, i18n
from plans.models import Indicator
from reporting.models import IndicatorValue

register = template.Library()
e = html.escape
DANGER = ' class="table-danger"'  # an overspent row


@functools.lru_cache(maxsize=16)
def _labels(language: str) -> dict[str, str]:
    """The rows' fixed words, translated once per language rather than once per row."""
    return {
        "progress": _("Progress"),
        "not_reported": _("not reported"),
        **{f"agg:{k}": str(v) for k, v in Indicator.Aggregation.choices},
        **{f"empty:{k}": str(v) for k, v in IndicatorValue.EmptyReason.choices},
        "empty:": "",
    }


def _money() -> Callable[[Decimal | None], str]:
    """i18n.money, remembered for the rows of one table: its amounts repeat (zeros, a line's
    planned amount in the line, measure and total rows), and each call reads the language's
    formats anew. Made per call of a tag, so per request and per language."""
    return functools.lru_cache(maxsize=1024)(i18n.money)


def _localize(value) -> str:
    """A number as `{{ value }}` shows it: the language's decimal mark, no grouping."""
    return formats.localize(value)


def _step(progress: Decimal) -> str:
    """The progress bar's CSS step (0-20), as `{% widthratio progress 5 1 %}` computed it."""
    if progress >= 100:
        return "bg-success progress-step-20"
    if progress <= 0:
        return "progress-step-0"
    return f"progress-step-{round(float(progress) / 5.0)}"


@register.filter
def progress(value: Decimal | None) -> str:
    """Progress as shown everywhere: one decimal in the reader's format, "75,0 %"; none is "—"."""
    return "—" if value is None else f"{i18n.number(value, 1)} %"


@register.filter
def progress_title(row) -> str:
    """The tooltip beside a progress: the formula with the row's three numbers."""
    indicator = row.indicator
    return figures.progress_formula(
        row.value, baseline=indicator.baseline, target=indicator.target, number=i18n.number
    )


@register.simple_tag
def indicator_rows(rows: Iterable) -> SafeString:
    """The indicator roll-up's rows (selectors.IndicatorRow): code, name with the months counted,
    months unreported and months left empty on purpose, rule, baseline, value, target, progress."""
    labels = _labels(get_language() or "")
    progress_label = e(labels["progress"])
    not_reported = e(labels["not_reported"])
    parts = []
    for row in rows:
        indicator = row.indicator
        parts.append(f"<tr><td>{e(indicator.measure.code)}</td><td>{e(indicator.name)}")
        if row.months:
            months = ngettext("%(counter)s month", "%(counter)s months", row.months) % {"counter": row.months}
            parts.append(f' <span class="small text-body-secondary">({e(months)})</span>')
        if row.unreported:
            unreported = ngettext(
                "%(counter)s month without a value or a reason",
                "%(counter)s months without a value or a reason",
                row.unreported,
            ) % {"counter": row.unreported}
            parts.append(f'<div class="small text-danger unreported">{e(unreported)}</div>')
        for empty in row.empty_months:
            note = f" ({e(empty.note)})" if empty.note else ""
            parts.append(
                '<div class="small text-body-secondary empty-on-purpose">'
                f"{empty.month.month:02}/{empty.month.year}: {not_reported} — "
                f"{e(labels[f'empty:{empty.reason}'])}{note}</div>"
            )
        parts.append(
            f'</td><td class="small">{e(labels[f"agg:{indicator.aggregation}"])}</td>'
            f'<td class="text-end">{e(indicator.display_value(indicator.baseline))}</td>'
            f'<td class="text-end fw-semibold">{e(row.display)}</td>'
            f'<td class="text-end">{e(indicator.target_display)}</td><td class="text-end">'
        )
        shown_progress = row.progress
        if shown_progress is None:
            parts.append(f'<span title="{e(progress_title(row))}">—</span></td></tr>')
        else:
            shown = e(i18n.number(shown_progress, 1))
            parts.append(
                f'<div class="progress" role="progressbar" aria-label="{progress_label}" '
                f'aria-valuenow="{shown}" aria-valuemin="0" aria-valuemax="100" '
                f'title="{e(progress_title(row))}">'
                f'<div class="progress-bar {_step(shown_progress)}">{shown} %</div></div></td></tr>'
            )
    return mark_safe("".join(parts))  # noqa: S308 - every database value above is escaped


def _rate(row) -> str:
    rate = row.rate
    return "—" if rate is None else e(_localize(rate))


@register.simple_tag
def execution_lines(lines: Iterable) -> SafeString:
    """Budget execution per line (selectors.ExecutionRow): planned, spent in the period and to
    date, remaining, rate; an overspent line is marked."""
    money = _money()
    parts = [
        f'<tr{DANGER if row.overspent else ""}><td class="small">{e(row.label)}</td>'
        f'<td class="text-end">{e(money(row.planned))}</td>'
        f'<td class="text-end">{e(money(row.in_period))}</td>'
        f'<td class="text-end">{e(money(row.to_date))}</td>'
        f'<td class="text-end">{e(money(row.remaining))}</td>'
        f'<td class="text-end">{_rate(row)}</td></tr>'
        for row in lines
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every database value above is escaped


@register.simple_tag
def execution_summary(rows: Iterable, truncate: int = 0) -> SafeString:
    """Spent to date against planned, by area, source or measure; `truncate` shortens the label
    as `|truncatechars` does."""
    money = _money()
    parts = []
    for row in rows:
        label = Truncator(row.label).chars(truncate) if truncate else row.label
        parts.append(
            f"<tr{DANGER if row.overspent else ''}><td>{e(label)}</td>"
            f'<td class="text-end">{e(money(row.to_date))} / {e(money(row.planned))}</td></tr>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every database value above is escaped


def _input(bound) -> str:
    """A bound field's widget as BoundField.as_widget() renders it (attributes, id, value), written
    out as Django's django/forms/widgets/input.html does, without a template per field."""
    widget = bound.field.widget
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    value = context["value"]
    text = [f'<input type="{e(context["type"])}" name="{e(context["name"])}"']
    if value is not None:
        text.append(f' value="{e(str(value))}"')
    for name, attr in context["attrs"].items():
        if attr is not False:
            text.append(f" {e(name)}" if attr is True else f' {e(name)}="{e(str(attr))}"')
    text.append(">")
    return "".join(text)


@register.simple_tag
def spending_rows(form) -> SafeString:
    """The spending form's rows: each budget line with its planned amount and its input."""
    money = _money()
    parts = []
    for line, field in form.rows():
        description = f" – {e(line.description)}" if line.description else ""
        errors = "".join(
            f'<div class="invalid-feedback d-block">{e(str(error))}</div>' for error in field.errors
        )
        parts.append(
            f'<tr><td><label for="{e(field.id_for_label)}">{e(line.measure.code)} {e(str(line.source))}'
            f'{description}</label></td><td class="text-end">{e(money(line.amount))}</td>'
            f"<td>{_input(field)}{errors}</td></tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every database value above is escaped
