"""Exports across LSGs: figures equal the hand-computed ones, counts below 5 suppressed, no formulas."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jmu_planner.spreadsheets import MONEY_FORMAT
from reporting import exports
from reporting.tests.monitoring_world import YEAR, build_world


@pytest.fixture
def world(db):
    return build_world()


def download_csv(client, user, dataset, query=""):
    client.force_login(user)
    response = client.get(reverse("reporting:export-download", args=[dataset, "csv"]) + query)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].endswith('.csv"')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def download_xlsx(client, user, dataset, query=""):
    client.force_login(user)
    response = client.get(reverse("reporting:export-download", args=[dataset, "xlsx"]) + query)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).active


def test_report_figures_equal_hand_computed_ones_and_suppress_small_counts(client, world):
    rows = download_csv(client, world.users["coordinator"], "figures")
    assert len(rows) == 1
    row = rows[0]
    assert row["LSG code"] == world.home.code and row["Year"] == str(YEAR)
    # January and February count; March is a draft.
    assert row["Monthly reports"] == "2" and row["Field activities"] == "2"
    # 14 people, but boys 0-17 (4) read "<5": an exact 14 beside the other groups (10 + 0 + …)
    # would give the 4 back, so the total is the range the shown groups allow: 10 + 1 … 10 + 4.
    assert row["Households visited"] == "7" and row["People reached"] == "11–14"
    assert row["boys 0-17"] == "<5" and row["women 18-64"] == "10" and row["girls 0-17"] == "0"
    assert row["Spent (RSD)"] == "500.50"


def test_indicators_with_progress(client, world):
    rows = {r["Indicator"]: r for r in download_csv(client, world.users["officer"], "indicators")}
    assert rows["Upućeni"]["Value to date"] == "<5"  # 2 + 1 referred: a count of people below 5
    # Its progress, (3 − 0) ÷ (100 − 0) = 3.0 %, would give the 3 back: not shown beside "<5".
    assert rows["Upućeni"]["Progress %"] == "" and rows["Upućeni"]["Months reported"] == "2"
    assert rows["Upućeni"]["Target met"] == ""
    assert rows["Obuhvat"]["Value to date"] == "60.00" and rows["Obuhvat"]["Progress %"] == "60.0"


def test_measures_and_budgets_with_spending(client, world):
    measures = download_csv(client, world.users["coordinator"], "measures")
    assert [(m["Planned (RSD)"], m["Spent (RSD)"]) for m in measures] == [("1000.00", "500.50")]
    budgets = download_csv(client, world.users["coordinator"], "budgets")
    assert [(b["Planned (RSD)"], b["Spent (RSD)"], b["Remaining (RSD)"]) for b in budgets] == [
        ("1000.00", "500.50", "499.50")
    ]


@pytest.mark.serbian
@pytest.mark.parametrize(("language", "measure"), [("sr-latn", "Mera upisa"), ("sr", "Мера уписа")])
def test_a_serbian_csv_is_what_excel_in_serbian_reads(client, world, language, measure):
    """Fields separated by ';', decimals with a comma, text in the reader's script."""
    user = world.users["coordinator"]
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    response = client.get(reverse("reporting:export-download", args=["budgets", "csv"]))
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows[0]) > 5 and len(rows[1]) == len(rows[0])
    assert [cell for cell in rows[1] if cell.endswith((",00", ",50"))] == ["1000,00", "500,50", "499,50"]
    measures = list(
        csv.reader(
            io.StringIO(
                b"".join(
                    client.get(
                        reverse("reporting:export-download", args=["measures", "csv"])
                    ).streaming_content
                )
                .decode()
                .removeprefix("\ufeff")
            ),
            delimiter=";",
        )
    )
    assert "'+" + measure in measures[1]


@pytest.mark.serbian
def test_a_cyrillic_xlsx_has_text_in_cyrillic_and_numbers_as_numbers(client, world):
    user = world.users["coordinator"]
    user.language = "sr"
    user.save(update_fields=["language"])
    sheet = download_xlsx(client, user, "measures")
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert "'+Мера уписа" in [c.value for c in cells]
    money = [c for c in cells if c.number_format == MONEY_FORMAT and c.value is not None]
    assert money and all(isinstance(c.value, int | float | Decimal) for c in money)


def test_csv_cells_cannot_run_as_formulas(client, world):
    measures = download_csv(client, world.users["coordinator"], "measures")
    assert measures[0]["Plan"] == '\'=HYPERLINK("http://evil")'
    assert measures[0]["Measure"] == "'+Mera upisa"
    budgets = download_csv(client, world.users["coordinator"], "budgets")
    assert budgets[0]["Description"] == "'@SUM(A1)"
    for dangerous in ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"]:
        assert exports.csv_cell(dangerous) == "'" + dangerous
    # Numbers are data, never text to neutralise: a negative remainder stays a number.
    assert exports.csv_cell(Decimal("-12.50")) == "-12.50" and exports.csv_cell(-3) == "-3"


def test_xlsx_has_no_formulas_money_as_decimals_and_suppressed_counts(client, world):
    sheet = download_xlsx(client, world.users["coordinator"], "budgets")
    header = [c.value for c in sheet[1]]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    line = dict(zip(header, sheet[2], strict=True))
    assert line["Plan"].value == '\'=HYPERLINK("http://evil")'
    assert line["Spent (RSD)"].value == Decimal("500.50") or line["Spent (RSD)"].value == 500.5
    assert line["Spent (RSD)"].number_format == MONEY_FORMAT
    figures = download_xlsx(client, world.users["coordinator"], "figures")
    header = [c.value for c in figures[1]]
    row = {h: c.value for h, c in zip(header, figures[2], strict=True)}
    assert row["boys 0-17"] == "<5" and row["People reached"] == "11–14"  # 10 shown + 1 … 4 hidden


@pytest.mark.parametrize(
    ("role", "lsgs"),
    [
        ("coordinator", {"home"}),
        ("member", {"home"}),
        ("other_coordinator", {"away"}),
        ("officer", {"home", "away"}),
    ],
)
def test_exports_cover_only_the_lsgs_the_user_can_see(client, world, role, lsgs):
    codes = {getattr(world, name).code for name in lsgs}
    rows = download_csv(client, world.users[role], "measures")
    assert {r["LSG code"] for r in rows} == codes


def test_year_and_district_filters(client, world):
    officer = world.users["officer"]
    assert download_csv(client, officer, "measures", f"?year={YEAR + 5}") == []
    rows = download_csv(client, officer, "measures", f"?district={world.away.district_id}")
    assert {r["LSG code"] for r in rows} == {world.away.code}
    # The draft plan of the year after is there with its status.
    rows = download_csv(client, officer, "measures", f"?year={YEAR + 1}")
    assert rows == []  # the draft has no measures
    assert (
        client.get(reverse("reporting:export-download", args=["measures", "csv"]) + "?year=0").status_code
        == 404
    )


def test_unknown_dataset_or_format_is_404(client, world):
    client.force_login(world.users["officer"])
    assert client.get(reverse("reporting:export-download", args=["people", "csv"])).status_code == 404
    assert client.get(reverse("reporting:export-download", args=["measures", "pdf"])).status_code == 404


def test_exports_page_lists_every_dataset_with_scoped_districts(client, world):
    client.force_login(world.users["coordinator"])
    response = client.get(reverse("reporting:exports"), {"year": YEAR})
    page = response.content.decode()
    for dataset in exports.DATASETS.values():
        assert reverse("reporting:export-download", args=[dataset.slug, "xlsx"]) + f"?year={YEAR}" in page
    assert list(response.context["form"].fields["district"].queryset) == [world.home.district]


def test_indicator_export_reads_a_constant_number_of_queries(client, world, django_assert_num_queries):
    """Progress costs 2 queries per chunk of 500 indicators, whatever the number of LSGs."""
    from plans.tests.factories import IndicatorFactory

    client.force_login(world.users["officer"])
    url = reverse("reporting:export-download", args=["indicators", "csv"])
    # session, user, the request's savepoint and release; then, while streaming, the indicators
    # through a server-side cursor and 2 for their progress: 7, for 2 indicators or 42.
    with django_assert_num_queries(7):
        b"".join(client.get(url).streaming_content)
    IndicatorFactory.create_batch(40, measure=world.referrals.measure)
    with django_assert_num_queries(7):
        assert b"".join(client.get(url).streaming_content).count(b"\n") == 43
