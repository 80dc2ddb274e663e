"""Month arithmetic in one place (dateutil's relativedelta), so no module counts days to find a month.

Every function raises ValueError (or OverflowError) past year 9999 or before year 1, as
`datetime` does; forms keep typed dates inside MIN_YEAR..MAX_YEAR, so pages never get there.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from dateutil.relativedelta import relativedelta

# The years a date typed into a form may have: far enough for founding decisions and
# ten-year plans, near enough that a year more or less never leaves what `datetime` can hold.
MIN_YEAR = 1900
MAX_YEAR = 2200


def month_start(day: datetime.date) -> datetime.date:
    """The first day of the day's month."""
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    """The last day of the day's month (28 February 2027, 29 February 2028, 30 April...)."""
    return day + relativedelta(day=31)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier); a day the month lacks becomes its last day."""
    return day + relativedelta(months=months)


def same_day_next_year(day: datetime.date) -> datetime.date:
    """A year later; 29 February becomes 28 February."""
    return day + relativedelta(years=1)


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from start's month to end's month (days ignored): March → May is 2."""
    return (end.year - start.year) * 12 + end.month - start.month


def quarter_start(day: datetime.date) -> datetime.date:
    """The first day of the calendar quarter the day is in."""
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def iter_months(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    """First days of the months from start's month up to and including end's month."""
    for offset in range(months_between(start, end) + 1):
        yield add_months(month_start(start), offset)
