"""Form helpers for templates: {% load jmu_forms %}.

`{% error_summary %}` (in base.html) lists, above everything else on a refused page, each error of
every bound form and formset the page holds, each linking to its field: a long form's messages no
longer sit out of sight. static/js/error-summary.js moves the focus to it.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BaseForm, BaseFormSet
from django.utils.text import capfirst

register = template.Library()


def _form_errors(form: BaseForm, *, prefix: str = "") -> list[dict[str, Any]]:
    items = [
        {"label": prefix.rstrip(", "), "message": message, "anchor": ""}
        for message in form.non_field_errors()
    ]
    for name, errors in form.errors.items():
        if name not in form.fields:
            continue
        field = form[name]
        label = f"{prefix}{field.label}" if prefix else capfirst(field.label or "")
        anchor = "" if field.is_hidden else field.id_for_label
        items.extend({"label": label, "message": message, "anchor": anchor} for message in errors)
    return items


def page_errors(values: Any) -> list[dict[str, Any]]:
    """Each error of the bound forms and formsets among `values`, in the order they are given."""
    items: list[dict[str, Any]] = []
    seen: set[int] = set()
    for value in values:
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, BaseFormSet) and value.is_bound:
            model = getattr(value, "model", None)
            noun = capfirst(model._meta.verbose_name) if model is not None else ""
            items.extend({"label": noun, "message": m, "anchor": ""} for m in value.non_form_errors())
            for number, form in enumerate(value.forms, start=1):
                if form.errors:  # "Indicator 2, target: Enter a number."
                    items.extend(_form_errors(form, prefix=f"{noun} {number}, ".lstrip()))
        elif isinstance(value, BaseForm) and value.is_bound and value.errors:
            items.extend(_form_errors(value))
    return items


@register.inclusion_tag("partials/error_summary.html", takes_context=True)
def error_summary(context: template.Context) -> dict[str, Any]:
    return {"errors": page_errors(context.flatten().values())}
