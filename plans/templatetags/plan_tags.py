import functools
import html

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jmu_planner import i18n
from plans.models import CostCategory, Indicator, Measure

register = template.Library()


@register.filter
def money(value) -> str:
    """An amount in the active language's format: 1.234.567,00 in Serbian, 1,234,567.00 in
    English. The one money format (jmu_planner.i18n.money), also used by measure_row below."""
    return i18n.money(value)


@register.filter
def indicator_value(indicator, name: str) -> str:
    return indicator.display_value(getattr(indicator, name))


@functools.lru_cache(maxsize=16)
def _labels(language: str) -> dict[str, str]:
    """The row's fixed words, translated once per language rather than once per row."""
    financing = {key: str(label) for key, label in Measure.Financing.choices}
    categories = {f"cat:{key}": str(label) for key, label in CostCategory.choices}
    return {
        "target_group": _("Target group"),
        "no_indicator": _("No indicator yet"),
        "edit": _("Edit"),
        "up": _("Move up"),
        "down": _("Move down"),
        "history": _("History"),
        "also": _("Also serves"),
        "lap_measure": _("LAP measure"),
        "notes": _("Notes"),
        "co": _("Co-responsible"),
        "partners": _("Partners"),
        "verification": _("Verification"),
        "breakdown": _("breakdown"),
        "rule": _("roll-up"),
        "envelope": _("from envelope"),
        "reference": _("LAP or Strategy reference"),
        **financing,
        **categories,
        **{f"type:{k}": str(v) for k, v in Indicator.Type.choices},
        **{f"bd:{k}": str(v) for k, v in Indicator.Breakdown.choices},
        **{f"agg:{k}": str(v) for k, v in Indicator.Aggregation.choices},
    }


@register.filter(name="line_text")
def line_text(line) -> str:
    """A budget line as written: "Scholarships: 25 × 5,000.00 × 10 = 1,250,000.00 RSD",
    "EUR 2,000.00 at 117.2 = 234,400.00 RSD". Plain text (the caller escapes)."""
    text = ""
    if line.unit_cost is not None and line.quantity is not None:
        quantity = line.quantity
        places = 0 if quantity == quantity.to_integral() else None
        text = f"{i18n.number(quantity, places)} × {money(line.unit_cost)}"
        text += f" × {line.periods}" if line.periods else ""
        text += " = "
    if line.currency != "RSD":
        rate = i18n.rate(line.exchange_rate) if line.exchange_rate else "?"
        text += f"{line.currency} {money(line.amount_in_currency)} @ {rate} = "
    text += f"{money(line.amount)} RSD"
    if getattr(line, "bound", ""):
        # A ceiling or a floor, never a cost: "at most EUR 10,000.00 @ 117.20 = 1,172,000.00 RSD".
        text = f"{Indicator.Qualifier(line.bound).label} {text}"
    return text


@register.simple_tag
def measure_row(measure, can_edit: bool, first: bool, last: bool) -> str:
    """One row of the plan matrix.

    Built with f-strings and the standard library's escape rather than template tags or
    format_html: the plan page shows up to 150 rows and their rendering dominated its time
    (bench/plan_page.py). Every value from the database goes through `e()`.
    `measure` comes from selectors.measures_with_details().
    """
    e = html.escape
    labels = _labels(get_language() or "")
    code = f"{measure.area.number}.{measure.number}"
    parts = [
        f'<tr id="measure-{measure.pk}"><td class="fw-semibold">{code}</td><td>'
        f'<div class="fw-semibold">{e(measure.title)}</div>'
    ]
    reference = measure.objective_reference
    if measure.objective:
        parts.append(
            f'<div class="small">{e(measure.objective)}'
            + (f' <span class="text-body-secondary">({e(reference)})</span>' if reference else "")
            + "</div>"
        )
    elif reference:  # a reference without an objective is still shown
        parts.append(f'<div class="small text-body-secondary">{e(labels["reference"])}: {e(reference)}</div>')
    if measure.secondary_area_list:
        names = ", ".join(f"{a.number}. {a.name}" for a in measure.secondary_area_list)
        parts.append(f'<div class="small text-body-secondary">{e(labels["also"])}: {e(names)}</div>')
    if measure.lap_measure_number:
        parts.append(
            f'<div class="small text-body-secondary">{e(labels["lap_measure"])} '
            f"{e(measure.lap_measure_number)}</div>"
        )
    if measure.activities:
        parts.append(f'<div class="small measure-activities">{e(measure.activities)}</div>')
    if measure.target_group:
        parts.append(
            f'<div class="small text-body-secondary">{e(labels["target_group"])}: '
            f"{e(measure.target_group)}</div>"
        )
    if measure.notes:
        parts.append(f'<div class="small text-body-secondary">{e(labels["notes"])}: {e(measure.notes)}</div>')
    parts.append(
        f'<span class="badge text-bg-light border">{e(labels[measure.financing])}</span></td>'
        '<td><ul class="list-unstyled small mb-0">'
    )
    for i in measure.indicator_list:
        details = [labels[f"type:{i.type}"], f"{labels['rule']}: {labels[f'agg:{i.aggregation}']}"]
        if i.breakdown != Indicator.Breakdown.NONE:
            details.append(labels[f"bd:{i.breakdown}"])
        if i.means_of_verification:
            details.append(f"{labels['verification']}: {i.means_of_verification}")
        parts.append(
            f"<li>{e(i.name)}: {e(i.baseline_text)} → <strong>{e(i.target_text)}</strong>"
            f'<div class="text-body-secondary">{e(" · ".join(details))}</div></li>'
        )
    if not measure.indicator_list:
        parts.append(f'<li class="text-danger">{e(labels["no_indicator"])}</li>')
    parts.append(f'</ul></td><td class="small">{e(measure.responsible_label)}')
    if measure.co_responsible_list:
        names = ", ".join(i.name for i in measure.co_responsible_list)
        parts.append(f"<div>{e(labels['co'])}: {e(names)}</div>")
    partners = [i.name for i in measure.partner_list] + ([measure.partners] if measure.partners else [])
    if partners:
        parts.append(
            f'<div class="text-body-secondary">{e(labels["partners"])}: {e(", ".join(partners))}</div>'
        )
    parts.append(
        f'</td><td class="small text-nowrap">{e(measure.timing)}</td>'
        '<td class="small text-end"><ul class="list-unstyled mb-0">'
    )
    for line in measure.line_list:
        what = " · ".join(x for x in (labels[f"cat:{line.category}"], line.description) if x)
        envelope = (
            f' <span class="badge text-bg-light border">{e(labels["envelope"])} '
            f"{e(str(line.envelope))}</span>"
            if line.envelope_id
            else ""
        )
        parts.append(
            f'<li><span class="text-body-secondary">{e(str(line.source))}</span> '
            f"{e(line_text(line))}{envelope}"
            f'<div class="text-body-secondary">{e(what)}</div></li>'
        )
    if not measure.line_list:
        parts.append("<li>—</li>")
    parts.append('</ul></td><td class="text-nowrap text-end">')
    if can_edit:
        up, down = e(labels["up"]), e(labels["down"])
        parts.append(
            '<a class="btn btn-sm btn-link" '
            f'href="{reverse("plans:measure-update", args=[measure.pk])}">{e(labels["edit"])}</a>'
            '<button form="move-form" class="btn btn-sm btn-link px-1" '
            f'name="up" value="{measure.pk}" '
            f'title="{up}" aria-label="{up} {code}"{" disabled" if first else ""}>'
            '<i class="bi bi-arrow-up"></i></button>'
            '<button form="move-form" class="btn btn-sm btn-link px-1" '
            f'name="down" value="{measure.pk}" '
            f'title="{down}" aria-label="{down} {code}"{" disabled" if last else ""}>'
            '<i class="bi bi-arrow-down"></i></button><br>'
        )
    history = e(labels["history"])
    parts.append(
        f'<a class="small" href="{reverse("plans:measure-history", args=[measure.pk])}" '
        f'aria-label="{history} {code}">{history}</a></td>'
    )
    parts.append("</tr>")
    return mark_safe("".join(parts))  # noqa: S308 - every database value above is escaped


@register.filter
def count_state(comparison, state: str) -> int:
    return comparison.count(state)


@register.filter
def options(choices) -> str:
    """<option> elements for (value, label) pairs: a 150-measure plan offers some 600 (the comment
    subjects), too many for the template engine's per-variable cost (bench/plan_page.py)."""
    e = html.escape
    return mark_safe("".join(f'<option value="{e(str(v))}">{e(str(label))}</option>' for v, label in choices))  # noqa: S308
