"""Word copies (DOCX) of plans and reports, for councils and administrations that edit and
circulate Word files: the same heading, sections, tables and totals as the PDF, built from the same
context (reporting.documents.plan_context / report_context), so every figure is computed once.

Real Word headings (Title, Heading 1/2) and tables, not images, so the copy stays editable. What
people typed is shown in the reader's script, as on the pages (stored as typed).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from jmu_planner import i18n
from jmu_planner.text import to_cyrillic, to_latin
from plans.templatetags.plan_tags import line_text
from reporting.templatetags.report_tags import progress

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def typed(value: Any) -> str:
    """What someone typed, in the reader's script: Cyrillic for a Cyrillic reader, Latin for a
    Latin one; English readers get it as typed."""
    text = "" if value is None else str(value)
    language = i18n.current_language()
    if language == i18n.SERBIAN_CYRILLIC:
        return to_cyrillic(text)
    if language == i18n.SERBIAN_LATIN:
        return to_latin(text)
    return text


def _date(value) -> str:
    return i18n.short_date(value) if value else "—"


class _Writer:
    """A Word document with the few shapes the copies use."""

    def __init__(self, *, landscape: bool) -> None:
        self.doc = WordDocument()
        section = self.doc.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
        for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, margin, Cm(2))
        normal = self.doc.styles["Normal"]
        normal.font.name, normal.font.size = "DejaVu Sans", Pt(10)

    def authority(self, lines: Iterable[str]) -> None:
        """The heading of an LSG act, top left: Republika Srbija, the city or municipality, the body."""
        for line in lines:
            if line:
                paragraph = self.doc.add_paragraph()
                paragraph.paragraph_format.space_after = Pt(0)
                paragraph.add_run(line.upper()).bold = True

    def title(self, text: str) -> None:
        self.doc.add_paragraph(text, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER

    def heading(self, text: str, level: int = 1) -> None:
        self.doc.add_heading(text, level=level)

    def para(self, text: str, *, bold: bool = False, center: bool = False) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.add_run(text or "—").bold = bold
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def table(self, header: list[str], rows: list[list[str]], footer: list[list[str]] = ()) -> None:
        """A real Word table: the header row repeats on every page, the footer rows are bold."""
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        _repeat_header(table.rows[0])
        for values, bold in [(row, False) for row in rows] + [(row, True) for row in footer]:
            cells = table.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                # One run per cell, its lines joined by line breaks (python-docx writes "\n" as <w:br/>):
                # a paragraph per line took twice as long for a 150-measure plan.
                run = cell.paragraphs[0].add_run(str(text))
                if bold:  # setting False writes an element too: a fifth of the time of a large plan
                    run.bold = True
        self.doc.add_paragraph()

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def lsg_heading(lsg, body: str) -> list[str]:
    """Republika Srbija – Grad Kragujevac – Gradsko veće, in the reader's language and script."""
    return [_("Republic of Serbia"), f"{lsg.get_type_display()} {lsg.name}", body]


def adopting_body(plan, lsg) -> str:
    """The body that adopted the plan (the adoption record), or that adopts it: the city's or the
    municipality's council."""
    if plan.adopting_body:
        return plan.get_adopting_body_display()
    return str(
        plan.AdoptingBody.CITY_COUNCIL.label
        if lsg.type == "city"
        else plan.AdoptingBody.MUNICIPAL_COUNCIL.label
    )


# --- The plan ---------------------------------------------------------------------------------------


def plan_docx(context: dict[str, Any]) -> bytes:
    """The plan as a Word document, from the PDF's context (reporting.documents.plan_context)."""
    plan, lsg, jmu, totals = context["plan"], context["lsg"], context["jmu"], context["totals"]
    money = i18n.money
    word = _Writer(landscape=True)
    word.authority(lsg_heading(lsg, adopting_body(plan, lsg)))
    if plan.adoption_number:
        word.para(_("No.: %(number)s") % {"number": typed(plan.adoption_number)})
        word.para(_("Date: %(date)s") % {"date": _date(plan.adoption_date)})
    word.para(typed(lsg.name))
    if context["is_draft"]:
        word.para(_("DRAFT"), bold=True, center=True)
    word.title(typed(plan.title))
    word.para(
        f"{_date(plan.period_start)} – {_date(plan.period_end)} · {_('Version')} {plan.version}", center=True
    )
    word.para(typed(jmu), center=True)
    if plan.lap_name:
        word.para(
            f"{_('Implements')}: {typed(plan.lap_name)}"
            + (f" ({plan.lap_period})" if plan.lap_period else "")
        )

    word.heading(_("Composition of the Joint Mobile Unit"))
    word.table(
        [_("Name"), _("Role"), _("Institution"), _("Since")],
        [
            [typed(m.person_name), typed(m.role), typed(m.institution or "—"), _date(m.since)]
            for m in context["members"]
        ],
    )

    word.heading(_("Context and needs"))
    word.para(typed(plan.context))

    word.heading(_("Measures"))
    for section in context["sections"]:
        area = section.area
        word.heading(f"{area.number}. {typed(area.name)}", level=2)
        word.table(
            [
                _("No."),
                _("Measure"),
                _("Indicators (baseline → target)"),
                _("Responsible / partners"),
                _("Timing"),
                _("Funding source and amount (RSD)"),
            ],
            [_measure_row(area, m) for m in section.measures],
            footer=[["", _("Area total"), "", "", "", money(section.total)]],
        )

    word.heading(_("Budget summary (RSD)"))
    word.table(
        [_("Thematic area"), _("Amount")],
        [[f"{s.area.number}. {typed(s.area.name)}", money(s.total)] for s in context["sections"]],
        footer=[[_("Total"), money(totals.overall)]],
    )
    footer = [[_("Total"), money(totals.overall)]]
    if totals.overall_eur is not None:
        label = _("Total in EUR (at %(rate)s RSD/EUR)") % {"rate": plan.eur_rate}
        footer.append([label, money(totals.overall_eur)])
    word.table(
        [_("Funding source"), _("Amount")],
        [[typed(source.name), money(amount)] for source, amount in totals.by_source],
        footer=footer,
    )

    if totals.envelopes:
        word.table(
            [_("Shared envelope"), _("Amount"), _("Drawn by measures")],
            [
                [
                    f"{typed(use.envelope)} · {typed(use.envelope.source.name)} ({', '.join(use.measures)})",
                    money(use.envelope.amount),
                    money(use.drawn),
                ]
                for use in totals.envelopes
            ],
        )

    word.heading(_("Communication plan"))
    word.table(
        [_("Audience"), _("Message"), _("Channel"), _("Timing"), _("Responsible")],
        [
            [typed(c.audience), typed(c.message), typed(c.channel), typed(c.timing), typed(c.responsible)]
            for c in context["communication"]
        ],
    )

    word.heading(_("Adoption"))
    if plan.adoption_number:
        word.para(
            _("Adopted by the %(body)s, decision no. %(number)s of %(date)s.")
            % {
                "body": plan.get_adopting_body_display(),
                "number": typed(plan.adoption_number),
                "date": _date(plan.adoption_date),
            }
        )
    else:
        word.para(_("Not yet adopted."))
    word.table(
        [_("Coordinator for Roma issues"), _("For the LSG body")],
        [["\n\n______________________", "\n\n______________________\n" + _("(seal)")]],
    )
    return word.bytes()


def _measure_row(area, measure) -> list[str]:
    """A row of the measures matrix, its cells' lines as the PDF's (templates/pdf/plan.html)."""
    text = [typed(measure.title)]
    if measure.secondary_area_list:
        also = ", ".join(f"{a.number}. {typed(a.name)}" for a in measure.secondary_area_list)
        text.append(f"{_('Also serves')}: {also}")
    if measure.objective:
        reference = f" ({typed(measure.objective_reference)})" if measure.objective_reference else ""
        text.append(typed(measure.objective) + reference)
    if measure.lap_measure_number:
        text.append(f"{_('LAP measure')} {measure.lap_measure_number}")
    for extra in (measure.activities, measure.target_group):
        if extra:
            text.append(typed(extra))
    if measure.notes:
        text.append(f"{_('Notes')}: {typed(measure.notes)}")
    indicators = []
    for i in measure.indicator_list:
        indicators.append(f"{typed(i.name)}: {typed(i.baseline_text)} → {typed(i.target_text)}")
        details = [i.get_type_display(), f"{_('roll-up')}: {i.get_aggregation_display()}"]
        if i.breakdown != "none":
            details.append(i.get_breakdown_display())
        if i.means_of_verification:
            details.append(typed(i.means_of_verification))
        indicators.append(" · ".join(details))
    responsible = [typed(measure.responsible or "—")]
    if measure.co_responsible_list:
        responsible.append(
            f"{_('Co-responsible')}: {', '.join(typed(i) for i in measure.co_responsible_list)}"
        )
    partners = [typed(p) for p in measure.partner_list] + (
        [typed(measure.partners)] if measure.partners else []
    )
    if partners:
        responsible.append(f"{_('Partners')}: {', '.join(partners)}")
    lines = []
    for b in measure.line_list:
        envelope = f" ({_('from envelope')} {typed(b.envelope)})" if b.envelope_id else ""
        lines.append(f"{typed(b.source)}: {line_text(b)}{envelope}")
        lines.append(
            " · ".join([b.get_category_display()] + ([typed(b.description)] if b.description else []))
        )
    return [
        f"{area.number}.{measure.number}",
        "\n".join(text),
        "\n".join(indicators) or "—",
        "\n".join(responsible),
        typed(measure.timing),
        "\n".join(lines) or measure.get_financing_display(),
    ]


# --- Reports ----------------------------------------------------------------------------------------


def report_docx(context: dict[str, Any]) -> bytes:
    """A report as a Word document, from the PDF's context (reporting.documents.report_context);
    counts below 5 are already hidden there."""
    report, lsg, jmu, plan = context["report"], context["lsg"], context["jmu"], context["plan"]
    reach, execution, money = context["reach"], context["execution"], i18n.money
    word = _Writer(landscape=False)
    word.authority(lsg_heading(lsg, typed(jmu)))
    if context["is_draft"]:
        word.para(_("DRAFT"), bold=True, center=True)
    word.title(
        _("%(kind)s report %(period)s") % {"kind": report.get_kind_display(), "period": report.period_label}
    )
    word.para(f"{_date(report.period_start)} – {_date(report.period_end)}", center=True)
    word.para(f"{_('Against')}: {typed(plan.title)} ({_('version')} {plan.version})", center=True)
    word.para(report.get_status_display(), center=True)

    word.heading(_("Activities and people reached"))
    word.para(
        f"{_('People reached')}: {reach.people} · {_('households visited')}: {reach.households}"
        f" · {_('field activities')}: {reach.activities}"
    )
    word.table(
        [_("Age"), _("men/boys"), _("women/girls"), _("Total")], [[str(c) for c in row] for row in reach.rows]
    )
    if context["activities"]:
        # As in the PDF: no people per activity where a hidden count could be worked back from them.
        people = context.get("people_per_activity", True)
        word.table(
            [
                _("Date"),
                _("Type"),
                _("Settlement"),
                _("Households"),
                *([_("People")] if people else []),
                _("Note"),
            ],
            [
                [
                    _date(a["date"]),
                    a["type"],
                    typed(a["settlement"] or "—"),
                    a["households"],
                    *([a["people"]] if people else []),
                    typed(a["note"]),
                ]
                for a in context["activities"]
            ],
        )
    word.para(_("Counts below 5 are shown as <5."))

    word.heading(_("Indicator progress"))
    word.table(
        [_("No."), _("Indicator"), _("Rule"), _("Baseline"), _("Value"), _("Target"), _("Progress")],
        [
            [
                row.indicator.measure.code,
                typed(row.indicator.name),
                row.indicator.get_aggregation_display(),
                typed(row.indicator.display_value(row.indicator.baseline)),
                str(row.display_outside),
                typed(row.indicator.target_display),
                progress(row.progress_outside),
            ]
            for row in context["indicators"]
        ],
    )

    word.heading(_("Budget execution (RSD)"))
    total = execution.total
    word.table(
        [_("Budget line"), _("Planned"), _("Spent in period"), _("Spent to date"), _("Remaining")],
        [
            [
                typed(row.label) + (f" ({_('overspent')})" if row.overspent else ""),
                money(row.planned),
                money(row.in_period),
                money(row.to_date),
                money(row.remaining),
            ]
            for row in execution.lines
        ],
        footer=[
            [
                _("Total"),
                money(total.planned),
                money(total.in_period),
                money(total.to_date),
                money(total.remaining),
            ]
        ],
    )

    word.heading(_("Narrative"))
    for label, text in [
        (_("Achievements"), report.achievements),
        (_("Problems"), report.problems),
        (_("Proposals"), report.proposals),
        (_("Next period"), report.next_steps),
    ]:
        word.heading(label, level=2)
        word.para(typed(text))
    return word.bytes()
