"""jmu_planner.figures: the arithmetic of every figure shown, written out case by case."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jmu_planner import figures
from jmu_planner.figures import SMALL, Range

# --- Roll-up -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "expected"),
    [("sum", D("9.00")), ("latest", D("4.00")), ("max", D("5.00")), ("avg", D("3.00"))],
)
def test_roll_up_skips_empty_months_and_counts_zero(rule, expected):
    # Months 0, (empty), 5, (empty), 4: sum 9, latest 4, maximum 5, average 9 ÷ 3 = 3.
    assert figures.roll_up([D(0), None, D(5), None, D(4)], rule) == expected


def test_roll_up_of_nothing_is_none_and_an_unknown_rule_is_refused():
    assert figures.roll_up([None, None], "sum") is None
    with pytest.raises(ValueError):
        figures.roll_up([D(1)], "median")


def test_average_rounds_half_up_to_cents():
    assert figures.roll_up([D(1), D(1), D(2)], "avg") == D("1.33")  # 4 ÷ 3


# --- Progress ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "baseline", "target", "expected"),
    [
        # Rising, from the baseline: (85.5 − 72) ÷ (90 − 72) = 13.5 ÷ 18 = 75.0 % (was 95.0 %).
        (D("85.5"), D(72), D(90), D("75.0")),
        # Falling: (15 − 20) ÷ (10 − 20) = −5 ÷ −10 = 50.0 %.
        (D(15), D(20), D(10), D("50.0")),
        # Rising past the target: (40 − 10) ÷ (30 − 10) = 150.0 %.
        (D(40), D(10), D(30), D("150.0")),
        # Moving the wrong way: (5 − 10) ÷ (30 − 10) = −25.0 %.
        (D(5), D(10), D(30), D("-25.0")),
        # No baseline: 3 ÷ 30 = 10.0 %.
        (D(3), None, D(30), D("10.0")),
        # One decimal, half up: 1 ÷ 3 = 33.3 %; 2 ÷ 3 = 66.7 %.
        (D(1), None, D(3), D("33.3")),
        (D(2), None, D(3), D("66.7")),
        # Nothing that makes sense: no value, no target, baseline equal to target, zero target.
        (None, D(1), D(3), None),
        (D(1), D(1), None, None),
        (D(1), D(3), D(3), None),
        (D(1), None, D(0), None),
    ],
)
def test_progress(value, baseline, target, expected):
    assert figures.progress(value, baseline=baseline, target=target) == expected


@pytest.mark.parametrize(
    ("value", "qualifier", "baseline", "expected"),
    [
        (D(70), "at_most", None, True),
        (D("70.5"), "at_most", None, False),
        (D(70), "at_least", None, True),
        (D("69.9"), "at_least", None, False),
        (D(75), "", None, True),  # no qualifier, rising: reached once v ≥ t
        (D(65), "", None, False),
        (D(65), "", D(90), True),  # no qualifier, falling (target 70 below baseline 90): v ≤ t
        (D(75), "", D(90), False),
        (None, "at_least", None, None),  # not reported: neither met nor missed
    ],
)
def test_target_met_follows_the_qualifier(value, qualifier, baseline, expected):
    assert figures.target_met(value, target=D(70), qualifier=qualifier, baseline=baseline) is expected


def test_a_target_in_words_is_never_met_or_missed():
    assert figures.target_met(D(1), target=None, qualifier="") is None


def test_progress_formula_names_the_three_numbers():
    text = figures.progress_formula(D("85.5"), baseline=D(72), target=D(90))
    assert "(85.5 − 72) ÷ (90 − 72) = 75.0 %" in text
    assert "3 ÷ 30 = 10.0 %" in figures.progress_formula(D(3), baseline=None, target=D(30))


# --- Small counts --------------------------------------------------------------------------------------


def test_small_counts_read_less_than_five_and_zero_stays_zero():
    assert [figures.hidden(n) for n in (None, 0, 1, 4, 5, 12)] == [None, 0, SMALL, SMALL, 5, 12]


def test_a_total_beside_a_hidden_part_is_a_range():
    # 7 people: 5 shown, 2 hidden. An exact 7 would give 7 − 5 = 2 back; 5 + 1 … 5 + 4 does not.
    assert figures.hidden_total([5, 2, 0]) == Range(6, 9)
    assert str(Range(6, 9)) == "6–9"
    assert figures.hidden_total([5, 0, 7]) == 12  # nothing hidden: exact
    assert figures.hidden_total([2, 0]) == SMALL  # 0 + 1 … 0 + 4: all of it below 5
    assert figures.hidden_total([0, 0]) == 0


def test_a_value_beside_its_progress_hides_only_whole_counts():
    assert figures.hidden_value(D(3), is_count=True) == SMALL
    assert figures.hidden_value(D("3.5"), is_count=True) == D("3.5")
    assert figures.hidden_value(D(3), is_count=False) == D(3)
    assert figures.hidden_value(D(0), is_count=True) == D(0)


def _published(grid):
    shown = figures.hidden_grid(grid)
    return (shown.cells, shown.row_totals, shown.column_totals, shown.total)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda width: st.lists(
            st.lists(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 9, 40]), min_size=width, max_size=width),
            min_size=1,
            max_size=4,
        )
    ),
    st.data(),
)
def test_no_hidden_count_can_be_worked_back_from_row_or_column_totals(grid, data):
    """Any hidden cell could be any other count from 1 to 4 and the published table (cells, row,
    column and grand totals) would read the same: no subtraction can give it back."""
    published = _published(grid)
    hidden_cells = [(r, c) for r, row in enumerate(grid) for c, v in enumerate(row) if 0 < v < 5]
    for r, c in hidden_cells:
        assert published[0][r][c] == SMALL
        other = data.draw(st.sampled_from([n for n in (1, 2, 3, 4) if n != grid[r][c]]))
        changed = [list(row) for row in grid]
        changed[r][c] = other
        assert _published(changed) == published
    # What is not hidden is exact.
    for r, row in enumerate(grid):
        if not any(0 < v < 5 for v in row):
            assert published[1][r] == sum(row)


# --- The plan's total ---------------------------------------------------------------------------------


def test_plan_total_counts_envelopes_once_and_names_what_is_not_split():
    # Lines 100 + 50 (40 of them drawn on an envelope of 1,000; 10 on one of 5):
    # overall = 150 + (1,000 − 40) − (10 − 5) = 1,105.
    total = figures.plan_total(D(150), [(D(1000), D(40)), (D(5), D(10))])
    assert total.overall == D(1105)
    assert total.not_split == D(960)
    assert total.overdrawn == D(5)
    assert total.lines == D(150)
    assert figures.plan_total(D(150)).overall == D(150)
