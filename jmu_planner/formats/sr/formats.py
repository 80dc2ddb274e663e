"""Serbian formats, the same in both scripts (sr_Latn imports these).

Django's own Serbian formats write `j. F Y.` and `j.m.Y.`; Serbian official documents write
dates with two-digit day and month, `22.11.2026.`, and amounts as `1.234.567,89`.
"""

DATE_FORMAT = "d.m.Y."
SHORT_DATE_FORMAT = "d.m.Y."
DATETIME_FORMAT = "d.m.Y. H:i"
SHORT_DATETIME_FORMAT = "d.m.Y. H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y."
MONTH_DAY_FORMAT = "j. F"
FIRST_DAY_OF_WEEK = 1  # Monday

# Accepted in date fields: 22.11.2026. and 22.11.2026, with or without leading zeros, and ISO.
DATE_INPUT_FORMATS = [
    "%d.%m.%Y.",
    "%d.%m.%Y",
    "%d.%m.%y.",
    "%d.%m.%y",
    "%Y-%m-%d",
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y. %H:%M:%S",
    "%d.%m.%Y. %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y.",
    "%d.%m.%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
