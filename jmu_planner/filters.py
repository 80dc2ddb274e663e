"""Filters every list page shares."""

from __future__ import annotations

import django_filters
from django import forms

from jmu_planner.dates import MAX_YEAR, MIN_YEAR
from jmu_planner.forms import ALL_CHOICE_LABEL, DASHES


class FilterSet(django_filters.FilterSet):
    """The project's list filters: a filter's empty choice reads "All" (not a row of dashes)."""

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            if getattr(field, "empty_label", None) == DASHES:
                field.empty_label = ALL_CHOICE_LABEL
        return form


class YearField(forms.IntegerField):
    """A whole year that dates can hold: `?year=0` or `?year=99999999999999999999` is a message
    at the field (and an empty list, as for any invalid filter), never a date out of range."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(**kwargs)


class YearFilter(django_filters.NumberFilter):
    field_class = YearField
