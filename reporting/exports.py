"""Exports across the LSGs a user can see: measures, indicators with progress, budgets and spending,
report figures; as CSV (streamed, row by row) or XLSX.

Both formats are safe against formula injection (text starting with = + - @ tab or CR gets a
leading apostrophe, jmu_planner.spreadsheets.safe_text) and show counts of people from 1 to 4 as "<5",
with no progress beside a hidden value and the totals beside hidden counts as ranges
(jmu_planner.figures).
Rows are read in chunks: each chunk costs the same few queries, so memory stays flat.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import Any

from django.http import StreamingHttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from jmu_planner import figures, i18n
from jmu_planner.script import for_reader
from jmu_planner.spreadsheets import append_row, safe_text, style_header, style_title, xlsx_response
from reporting import monitoring
from reporting.models import AGE_GROUPS, COUNT_FIELDS, SEXES
from stakeholders.models import User

CHUNK = 500
COUNT_LABELS = {
    "male_0_17": _("boys 0-17"),
    "male_18_64": _("men 18-64"),
    "male_65": _("men 65+"),
    "female_0_17": _("girls 0-17"),
    "female_18_64": _("women 18-64"),
    "female_65": _("women 65+"),
}


def _chunks(rows: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _lsg_columns(lsg) -> list[Any]:
    return [lsg.code, lsg.name_lat, lsg.district.name_lat]


LSG_HEADERS = [_("LSG code"), _("LSG"), _("District")]
PLAN_HEADERS = [_("Plan"), _("Period from"), _("Period until"), _("Status"), _("Version")]


def _plan_columns(plan) -> list[Any]:
    return [plan.title, plan.period_start, plan.period_end, plan.get_status_display(), plan.version]


def _measure_rows(user: User, selection: monitoring.Selection) -> Iterator[list[Any]]:
    for measure in monitoring.measures(user=user, selection=selection).iterator(chunk_size=CHUNK):
        plan = measure.plan
        yield [
            *_lsg_columns(plan.jmu.lsg),
            *_plan_columns(plan),
            measure.code,
            measure.area.name,
            measure.title,
            measure.responsible_label if measure.responsible_party or measure.responsible_id else "",
            measure.start_month,
            measure.end_month,
            measure.get_financing_display(),
            measure.planned or monitoring.ZERO,
            measure.spent or monitoring.ZERO,
        ]


def _indicator_rows(user: User, selection: monitoring.Selection) -> Iterator[list[Any]]:
    rows = monitoring.indicators(user=user, selection=selection).iterator(chunk_size=CHUNK)
    for chunk in _chunks(rows):
        progress = monitoring.progress_of(chunk)
        for indicator in chunk:
            measure = indicator.measure
            found = progress[indicator.pk]
            yield [
                *_lsg_columns(measure.plan.jmu.lsg),
                *_plan_columns(measure.plan),
                measure.code,
                indicator.name,
                indicator.unit,
                indicator.get_type_display(),
                indicator.get_aggregation_display(),
                indicator.baseline,
                indicator.get_target_qualifier_display() if indicator.target_qualifier else "",
                indicator.target,
                found.value_outside,
                found.months,
                found.progress_outside,
                _yes_no(found.met_outside),
            ]


def _yes_no(met: bool | None) -> Any:
    return "" if met is None else str(_("yes") if met else _("no"))


def _budget_rows(user: User, selection: monitoring.Selection) -> Iterator[list[Any]]:
    for line in monitoring.budget_lines(user=user, selection=selection).iterator(chunk_size=CHUNK):
        measure = line.measure
        spent = line.spent or monitoring.ZERO
        yield [
            *_lsg_columns(measure.plan.jmu.lsg),
            *_plan_columns(measure.plan),
            measure.code,
            line.source.name,
            line.get_category_display(),
            line.description,
            line.amount,
            spent,
            line.amount - spent,
        ]


def _figure_rows(user: User, selection: monitoring.Selection) -> Iterator[list[Any]]:
    groups = monitoring.figure_groups(user=user, selection=selection)
    for chunk in _chunks(groups.iterator(chunk_size=CHUNK)):
        for found in monitoring.figures_for(chunk, user=user, selection=selection):
            shown = found.outside()
            yield [
                *_lsg_columns(found.lsg),
                found.year,
                found.reports,
                shown["activities"],
                shown["households"],
                shown["people"],
                *[shown[name] for name in COUNT_FIELDS],
                found.spent,
            ]


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Any  # lazy text
    description: Any
    headers: list[Any]
    rows: Callable[[User, monitoring.Selection], Iterator[list[Any]]]
    money_columns: tuple[int, ...] = ()


_PLAN_AT = len(LSG_HEADERS) + len(PLAN_HEADERS)
DATASETS: dict[str, Dataset] = {
    dataset.slug: dataset
    for dataset in [
        Dataset(
            "measures",
            _("Measures"),
            _("Every measure of the plans, with its planned budget and what the reports say was spent."),
            [
                *LSG_HEADERS,
                *PLAN_HEADERS,
                _("Code"),
                _("Thematic area"),
                _("Measure"),
                _("Responsible institution"),
                _("Start month"),
                _("End month"),
                _("Financing"),
                _("Planned (RSD)"),
                _("Spent (RSD)"),
            ],
            _measure_rows,
            money_columns=(_PLAN_AT + 7, _PLAN_AT + 8),
        ),
        Dataset(
            "indicators",
            _("Indicators with progress"),
            _(
                "Each indicator's value to date over the submitted and accepted monthly reports, its "
                "progress to target, (value − baseline) ÷ (target − baseline), or value ÷ target without "
                "a baseline, and whether the target is met as its qualifier reads. Beside a count shown "
                "as <5 neither is given: it would give the count back."
            ),
            [
                *LSG_HEADERS,
                *PLAN_HEADERS,
                _("Measure"),
                _("Indicator"),
                _("Unit"),
                _("Type"),
                _("Roll-up rule"),
                _("Baseline"),
                _("Target qualifier"),
                _("Target"),
                _("Value to date"),
                _("Months reported"),
                _("Progress %"),
                _("Target met"),
            ],
            _indicator_rows,
        ),
        Dataset(
            "budgets",
            _("Budgets and spending"),
            _("Each budget line: planned, spent according to the reports, remaining."),
            [
                *LSG_HEADERS,
                *PLAN_HEADERS,
                _("Measure"),
                _("Funding source"),
                _("Cost category"),
                _("Description"),
                _("Planned (RSD)"),
                _("Spent (RSD)"),
                _("Remaining (RSD)"),
            ],
            _budget_rows,
            money_columns=(_PLAN_AT + 4, _PLAN_AT + 5, _PLAN_AT + 6),
        ),
        Dataset(
            "figures",
            _("Report figures"),
            _(
                "People and households reached and money spent per LSG and year, from the submitted "
                "and accepted monthly reports."
            ),
            [
                *LSG_HEADERS,
                _("Year"),
                _("Monthly reports"),
                _("Field activities"),
                _("Households visited"),
                _("People reached"),
                *COUNT_LABELS.values(),
                _("Spent (RSD)"),
            ],
            _figure_rows,
            money_columns=(len(LSG_HEADERS) + 5 + len(COUNT_FIELDS),),
        ),
    ]
}


def filename(dataset: Dataset, selection: monitoring.Selection) -> str:
    parts = ["jmu", dataset.slug]
    if selection.year:
        parts.append(str(selection.year))
    return slugify("-".join(parts))


# --- CSV -------------------------------------------------------------------------------------------


def csv_cell(value: Any, *, language: str = i18n.ENGLISH) -> str:
    """A value as CSV text: formula-safe text in the reader's script, ungrouped decimals with the
    reader's decimal separator (1234.50, 1234,50 in Serbian), ISO dates, empty for none."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = f"{value:f}"
        return text if language == i18n.ENGLISH else text.replace(".", ",")
    if isinstance(value, int):  # a number is data, never a formula: -3 stays -3
        return str(value)
    if isinstance(value, figures.Range):
        return str(value)
    return safe_text(for_reader(str(value), language))


class _Echo:
    """csv.writer writes into this and gets the line back, so each row can be streamed."""

    def write(self, value: str) -> str:
        return value


def csv_lines(dataset: Dataset, *, user: User, selection: monitoring.Selection) -> Iterator[str]:
    """The rows as CSV lines, as Excel reads them in the reader's language: in Serbian the fields
    are separated by ';' and decimals written with a comma (Excel's list separator there)."""
    language = i18n.current_language()  # now: the lines are made while the response streams
    writer = csv.writer(_Echo(), delimiter="," if language == i18n.ENGLISH else ";")

    # A byte-order mark: Excel then reads the file as UTF-8 (Serbian letters, Cyrillic names).
    header = "\ufeff" + writer.writerow([csv_cell(str(h), language=language) for h in dataset.headers])

    def lines() -> Iterator[str]:
        yield header
        for row in dataset.rows(user, selection):
            yield writer.writerow([csv_cell(v, language=language) for v in row])

    return lines()


def csv_response(dataset: Dataset, *, user: User, selection: monitoring.Selection) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(dataset, user=user, selection=selection), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename(dataset, selection)}.csv"'
    return response


# --- XLSX ------------------------------------------------------------------------------------------


def workbook(dataset: Dataset, *, user: User, selection: monitoring.Selection) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = str(dataset.title)[:31]
    append_row(sheet, [str(h) for h in dataset.headers])
    style_header(sheet[1])
    for row in dataset.rows(user, selection):
        # A total shown as a range (jmu_planner.figures) is text: "6–9".
        row = [str(v) if isinstance(v, figures.Range) else v for v in row]
        append_row(sheet, row, money_columns=dataset.money_columns)
    sheet.freeze_panes = "A2"
    return book


def xlsx_download(dataset: Dataset, *, user: User, selection: monitoring.Selection):
    return xlsx_response(
        workbook(dataset, user=user, selection=selection), filename=filename(dataset, selection)
    )


# --- One report's figures ------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    """A figure as a spreadsheet cell: numbers stay numbers, "<5" and ranges ("6–9") are text."""
    return str(value) if isinstance(value, figures.Range) else value


def report_workbook(page: Any) -> Workbook:
    """A report's figures (selectors.report_page) as a workbook for use outside the LSG: counts from
    1 to 4 read "<5", totals beside them are ranges, and no progress stands beside a hidden value
    (jmu_planner.figures)."""
    report = page.report
    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Report")[:31]
    append_row(sheet, [str(report)])
    style_title(sheet["A1"])
    outside = page.reach.outside()
    append_row(sheet, [gettext("People reached"), _cell(outside.people)])
    append_row(sheet, [gettext("Households visited"), _cell(outside.households)])
    for sex, sex_label in SEXES:
        for age, age_label in AGE_GROUPS:
            append_row(sheet, [f"{sex_label}, {age_label}", outside.counts[f"{sex}_{age}"]])
    sheet.append([])
    append_row(
        sheet,
        [
            gettext("Indicator"),
            gettext("Value"),
            gettext("Target"),
            gettext("Progress %"),
            gettext("Target met"),
        ],
    )
    style_header(sheet[sheet.max_row])
    for row in page.indicators:
        met = row.met_outside
        append_row(
            sheet,
            [
                f"{row.indicator.measure.code} {row.indicator.name}",
                _cell(row.value_outside),
                row.indicator.target_display,
                row.progress_outside,
                "" if met is None else str(gettext("yes") if met else gettext("no")),
            ],
        )
    sheet.append([])
    append_row(
        sheet, [gettext("Budget"), gettext("Planned"), gettext("Spent in period"), gettext("Spent to date")]
    )
    style_header(sheet[sheet.max_row])
    for row in page.execution.lines:
        append_row(sheet, [row.label, row.planned, row.in_period, row.to_date], money_columns=[1, 2, 3])
    return book
