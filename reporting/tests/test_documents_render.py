"""How the plan PDF is rendered fast and lean (bench/pdf.py): the measure cells' lines are blocks with
the old line height, and a render leaves no garbage behind for the next one."""

import gc
import itertools
import re
import subprocess

import pytest

from plans.models import OperationalPlan
from plans.tests.factories import BudgetLineFactory, IndicatorFactory, MeasureFactory, PlanFactory
from reporting import documents
from reporting.models import Document
from stakeholders.tests.factories import JMUFactory

ACTIVITIES = "Obilasci naselja, razgovori s roditeljima, pomoć pri upisu. " * 4


@pytest.fixture
def plan(db, reference_data):
    plan = PlanFactory(jmu=JMUFactory(), status=OperationalPlan.Status.ADOPTED, title="Plan za merenje")
    measure = MeasureFactory(
        plan=plan,
        title="Naslov mere",
        objective="Povećati obuhvat dece",
        activities=ACTIVITIES,
        target_group="Deca 5-7 godina",
        notes="Napomena",
        partners="Škole",
    )
    IndicatorFactory(measure=measure, name="Broj dece")
    IndicatorFactory(measure=measure, name="Broj roditelja")
    BudgetLineFactory(measure=measure)
    return plan


def measure_rows(html: str) -> str:
    return html[html.index('<table class="matrix">') : html.index('class="area-total"')]


@pytest.mark.django_db
def test_a_measure_cell_puts_each_later_line_in_a_block_not_br_and_span(plan):
    # One line box of <br>s and nested <span>s per cell made WeasyPrint re-split the whole inline
    # content for every line: a 150-measure plan took 23 % more work (cProfile calls) than with blocks.
    rows = measure_rows(documents.document_html(Document(plan=plan)))
    assert "<br>" not in rows and "<span" not in rows
    assert '<div class="sub small">Povećati obuhvat dece</div>' in rows
    assert '<div class="sub small muted">Deca 5-7 godina</div>' in rows
    assert '<div class="sub small muted">Notes: Napomena</div>' in rows
    assert rows.count('<div class="sub small muted">') >= 2 + 1 + 1 + 1  # indicators, budget line, …


def word_tops(path: str, first_page: int) -> dict[str, list[float]]:
    """The top of each word on a page of the PDF, in points (pdftotext -bbox)."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(first_page), "-l", str(first_page), path, "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    tops: dict[str, list[float]] = {}
    for y_min, word in re.findall(r'yMin="([0-9.]+)"[^>]*>([^<]+)</word>', xml):
        tops.setdefault(word, []).append(float(y_min))
    return tops


@pytest.mark.django_db
def test_the_cells_lines_keep_the_line_height_of_the_body_text(plan):
    # As <br> + <span class="small"> each line was as tall as the cell's 8.5 pt × 1.3 line; the blocks
    # keep that pitch (.sub), so a plan has the same look and the same number of pages as before.
    document = Document.objects.create(plan=plan, subject_status="adopted")
    documents.document_render(document)
    document.refresh_from_db()
    page = next(p for p in range(1, document.pages + 1) if "Naslov" in word_tops(document.file.path, p))
    tops = word_tops(document.file.path, page)
    title, objective = tops["Naslov"][0], tops["Povećati"][0]
    activity_lines = sorted(set(tops["Obilasci"]))
    assert len(activity_lines) >= 3  # the activities wrap over several lines
    # Lines that hold the word are whole lines apart: 11.05 pt each (7.5 pt × 1.3 would be 9.75 pt).
    lines_apart = [(b - a) / 11.05 for a, b in itertools.pairwise(activity_lines)]
    assert all(abs(n - round(n)) < 0.02 for n in lines_apart)
    # One line below the title (its top lower by the smaller font's shorter ascent, about 0.6 pt).
    assert 11.05 <= objective - title < 12


@pytest.mark.django_db
def test_a_render_leaves_no_garbage_and_the_collector_as_it_was(plan):
    # The collector is paused during a render; before the fix each render's boxes stayed as cyclic
    # garbage until some later collection (1.1 GB after four 500-measure renders in one worker).
    document = Document.objects.create(plan=plan, subject_status="adopted")
    gc.collect()
    documents.document_render(document)
    assert gc.isenabled()
    assert gc.collect() < 2000  # when the collector resumed with the render still referenced: 10,340


@pytest.mark.django_db
def test_a_failed_render_also_resumes_the_collector(plan, plan_print_template):
    plan_print_template("pdf/does-not-exist.html")
    document = Document.objects.create(plan=plan, subject_status="adopted")
    with pytest.raises(Exception, match="does-not-exist"):
        documents.document_render(document)
    assert gc.isenabled()
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED


@pytest.mark.django_db
def test_the_cover_is_the_first_page_without_the_running_header(plan):
    # A named page on .cover used to force a blank first page; the cover was page 2, with the header.
    document = Document.objects.create(plan=plan, subject_status="adopted")
    documents.document_render(document)
    first = word_tops(document.file.path, 1)
    assert "Plan" in first and "merenje" in first  # the title, on the cover
    assert "Version" in first and "Page" in first  # the cover's own version line; the page footer
    second = word_tops(document.file.path, 2)
    assert min(second["Version"]) < 40  # from page 2 on, the running header at the top (@page :first)
    assert min(first["Version"]) > 40
