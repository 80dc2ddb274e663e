"""The plan matrix as XLSX: the export (`export`), the import with a row-by-row check before
anything is saved (`reading`), and the comparison of an import with the plan (`compare`); the
columns and cell words both sides share are in `columns`."""

from plans.spreadsheets.columns import COLUMNS, ENGLISH_COLUMNS, KEYS, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS  # noqa: F401
from plans.spreadsheets.export import plan_to_xlsx  # noqa: F401
from plans.spreadsheets.reading import ImportPreview, parse_plan_xlsx  # noqa: F401
