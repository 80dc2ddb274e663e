"""The figures that leave the database for people: one home for their arithmetic.

Roll-up of an indicator's months by its rule, progress to target, "target met", small-count
hiding and the plan's total. Pure functions of numbers (no models, no queries): the queries stay
in the selectors, which hand their rows to these. The report pages, the dashboard, the LSG
profile, the PDFs, the XLSX and CSV exports and the API all read their figures through here, so
a reader sees the same number wherever it is shown (reporting/tests/test_figures_everywhere.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
ZERO = Decimal("0.00")

# --- Roll-up: the months of a period as one value ----------------------------------------------------

SUM, LATEST, MAX, AVERAGE = "sum", "latest", "max", "avg"  # Indicator.Aggregation's values
RULES = (SUM, LATEST, MAX, AVERAGE)


def cents(value: Decimal | int | float | str | None) -> Decimal | None:
    """A value as the plan keeps it: two decimals, half up (an average of thirds is 0.33)."""
    if value is None:
        return None
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def roll_up(months: Sequence[Decimal | int | None], rule: str) -> Decimal | None:
    """The months' values (oldest first) as one value by the indicator's rule.

    A month with no value (not reported, or left empty on purpose) is skipped; zero counts as
    zero. "Latest" is the last month with a value; none is None. The selectors compute the same
    in the database (one grouped aggregate and one window query); this is the rule written out.
    """
    given = [Decimal(v) for v in months if v is not None]
    if not given:
        return None
    if rule == SUM:
        return cents(sum(given))
    if rule == LATEST:
        return cents(given[-1])
    if rule == MAX:
        return cents(max(given))
    if rule == AVERAGE:
        return cents(sum(given) / len(given))
    raise ValueError(f"unknown roll-up rule {rule!r}")


def picked(
    aggregates: Mapping[str, Decimal | int | float | None], rule: str, part: str = "value"
) -> Decimal | None:
    """The value of `part` by `rule` out of a row of database aggregates named `<part>__<rule>`."""
    if rule not in RULES:
        raise ValueError(f"unknown roll-up rule {rule!r}")
    return cents(aggregates.get(f"{part}__{rule}"))


# --- Progress and "target met" -----------------------------------------------------------------------


def progress(value: Decimal | None, *, baseline: Decimal | None, target: Decimal | None) -> Decimal | None:
    """Progress to target in percent, one decimal (DOMAIN.md).

    (v − b) ÷ (t − b) when the baseline is known and differs from the target, for rising and
    falling indicators alike (vaccination 72 → 90 %, value 85.5 %: 75.0 %); v ÷ t with no
    baseline; None when neither makes sense (no value, no target, a zero target without a
    baseline, a baseline equal to the target).
    """
    if value is None or target is None:
        return None
    if baseline is not None:
        if baseline == target:
            return None
        share = (Decimal(value) - baseline) / (Decimal(target) - baseline)
    elif target:
        share = Decimal(value) / Decimal(target)
    else:
        return None
    return (share * 100).quantize(TENTH, rounding=ROUND_HALF_UP)


EXACTLY, AT_LEAST, AT_MOST = "", "at_least", "at_most"  # Indicator.Qualifier's values


def target_met(
    value: Decimal | None, *, target: Decimal | None, qualifier: str, baseline: Decimal | None = None
) -> bool | None:
    """Whether the value meets the target as its qualifier reads; None when that cannot be said.

    "At least": v ≥ t; "at most": v ≤ t. A target with no qualifier (stored as "exactly") is
    met once the value reaches it in the planned direction: v ≤ t where the target lies below
    the baseline (a rate to bring down), else v ≥ t. A target in words only (no number) is never
    counted as met or missed, nor is a value not yet reported.
    """
    if value is None or target is None:
        return None
    if qualifier == AT_MOST:
        return value <= target
    if qualifier == AT_LEAST:
        return value >= target
    if baseline is not None and target < baseline:
        return value <= target
    return value >= target


def _trim(value: Decimal | int | str) -> Decimal:
    """85.50 as 85.5 and 72.00 as 72: a formula's numbers as a person writes them."""
    value = Decimal(value)
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def _plain(value: Decimal | int | str, decimal_pos: int | None = None) -> str:
    return (
        f"{Decimal(value):.{decimal_pos}f}" if decimal_pos is not None else f"{Decimal(value).normalize():f}"
    )


def progress_formula(
    value: Decimal | None,
    *,
    baseline: Decimal | None,
    target: Decimal | None,
    number: Callable[..., str] = _plain,
) -> str:
    """How the progress shown was computed, with the three numbers (a tooltip or a legend);
    `number` writes a number in the reader's format (jmu_planner.i18n.number)."""
    shown = progress(value, baseline=baseline, target=target)
    if shown is None:
        return _("No progress: it needs a value and a target (different from the baseline).")
    assert value is not None and target is not None  # progress() is None without either
    numbers = {
        "value": number(_trim(value)),
        "baseline": "" if baseline is None else number(_trim(baseline)),
        "target": number(_trim(target)),
        "progress": number(shown, 1),
    }
    if baseline is not None:
        return (
            _(
                "(value − baseline) ÷ (target − baseline) = (%(value)s − %(baseline)s) ÷ "
                "(%(target)s − %(baseline)s) = %(progress)s %%"
            )
            % numbers
        )
    return _("value ÷ target = %(value)s ÷ %(target)s = %(progress)s %%") % numbers


# --- Small counts: what may leave the LSG ------------------------------------------------------------

SMALL = "<5"
HIDE_BELOW = 5


def is_small(count: int | None) -> bool:
    """A count from 1 to 4: shown outside the LSG's own pages as "<5" (zero stays zero)."""
    return count is not None and 0 < count < HIDE_BELOW


def hidden(count: int | None) -> int | str | None:
    """A count as it may leave the LSG: the number, or "<5" for 1 to 4; None stays None."""
    if count is None:
        return None
    return SMALL if is_small(count) else int(count)


@dataclass(frozen=True)
class Range:
    """A total shown as the bounds its parts allow, where some parts are hidden: exact totals
    beside hidden parts would give them back by subtraction."""

    low: int
    high: int

    def __str__(self) -> str:
        return f"{self.low}–{self.high}"


def hidden_total(parts: Iterable[int | None]) -> int | str | Range:
    """The total of `parts` as it may stand beside them outside the LSG.

    With no part hidden it is the exact sum. Otherwise it is the range the shown parts and the
    number k of hidden ones allow, [shown + k, shown + 4k] ("<5" when all of it lies below 5):
    computed from what is shown only, it says nothing about the hidden parts that "<5" did not
    already say, in any row or column.
    """
    values = [int(p or 0) for p in parts]
    small = sum(1 for v in values if is_small(v))
    shown = sum(v for v in values if not is_small(v))
    if not small:
        return shown
    low, high = shown + small, shown + (HIDE_BELOW - 1) * small
    return SMALL if high < HIDE_BELOW else Range(low, high)


@dataclass(frozen=True)
class HiddenGrid:
    """A table of counts with its row, column and grand totals, as it may leave the LSG."""

    cells: list[list[int | str | None]]
    row_totals: list[int | str | Range]
    column_totals: list[int | str | Range]
    total: int | str | Range


def hidden_grid(rows: Sequence[Sequence[int | None]]) -> HiddenGrid:
    """Each cell hidden as `hidden`, each total as `hidden_total` of the cells it adds up."""
    columns = list(zip(*rows, strict=True)) if rows else []
    return HiddenGrid(
        cells=[[hidden(int(v or 0)) for v in row] for row in rows],
        row_totals=[hidden_total(row) for row in rows],
        column_totals=[hidden_total(column) for column in columns],
        total=hidden_total(v for row in rows for v in row),
    )


def hidden_value(value: Decimal | None, *, is_count: bool) -> Decimal | str | None:
    """An indicator's value as it may leave the LSG: a whole count from 1 to 4 reads "<5"."""
    if is_count and value is not None and value == int(value) and is_small(int(value)):
        return SMALL
    return value


# --- The plan's total ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanTotal:
    """What a plan plans to spend, in RSD.

    `overall` counts each shared envelope once with its own amount, and the budget lines that do
    not draw on one; `lines` is what the measures' budget lines add up to; `not_split` is the
    part of the envelopes no measure draws on yet, and `overdrawn` what lines draw beyond their
    envelope (counted once, in the envelope): overall = lines + not_split − overdrawn.
    """

    overall: Decimal
    lines: Decimal
    not_split: Decimal
    overdrawn: Decimal


def plan_total(lines: Decimal, envelopes: Iterable[tuple[Decimal, Decimal]] = ()) -> PlanTotal:
    """The plan's total from the sum of its budget lines and each envelope's (amount, drawn)."""
    not_split = overdrawn = ZERO
    for amount, drawn in envelopes:
        drawn = drawn or ZERO
        not_split += max(amount - drawn, ZERO)
        overdrawn += max(drawn - amount, ZERO)
    lines = lines or ZERO
    return PlanTotal(
        overall=lines + not_split - overdrawn, lines=lines, not_split=not_split, overdrawn=overdrawn
    )


def share(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """`part` as a percentage of `whole`, one decimal; None of nothing."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole) * 100).quantize(TENTH, rounding=ROUND_HALF_UP)
