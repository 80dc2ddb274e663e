"""Filters of the programme dashboard and of the review queue for reports; choices are scoped."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from jmu_planner.db import ScriptOrder
from jmu_planner.filters import FilterSet
from reporting.models import Report
from stakeholders.models import LSG, District, ProgrammeCohort


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    district = forms.ModelChoiceField(
        label=_("District"),
        required=False,
        empty_label=_("All districts"),
        queryset=District.objects.order_by(ScriptOrder("name_lat", "name_cyr")),
    )
    cohort = forms.ModelChoiceField(
        label=_("Programme"),
        required=False,
        empty_label=_("All programmes"),
        queryset=ProgrammeCohort.objects.all(),
    )
    lsg = forms.ModelChoiceField(
        label=_("LSG"), required=False, empty_label=_("All LSGs"), queryset=LSG.objects.none()
    )

    def __init__(self, *args, user, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        # Only LSGs the user may see are offered; another LSG's id is an invalid choice.
        self.fields["lsg"].queryset = LSG.objects.visible_to(user).in_reading_order()
        for bound in self.fields.values():
            bound.widget.attrs["class"] = "form-select form-select-sm"


class ReportReviewFilter(FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Report.Status.choices)
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Report.Kind.choices)
    lsg = django_filters.ModelChoiceFilter(
        label=_("LSG"), field_name="jmu__lsg", queryset=LSG.objects.in_reading_order()
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        field_name="jmu__lsg__district",
        queryset=District.objects.order_by(ScriptOrder("name_lat", "name_cyr")),
    )

    class Meta:
        model = Report
        fields = ["status", "kind", "lsg", "district"]
