import django_filters
from django.utils.translation import gettext_lazy as _

from jmu_planner.filters import FilterSet, YearFilter
from reporting.models import Report
from stakeholders.models import LSG


class ReportFilter(FilterSet):
    lsg = django_filters.ModelChoiceFilter(label=_("LSG"), field_name="jmu__lsg", queryset=LSG.objects.none())
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Report.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Report.Status.choices)
    year = YearFilter(label=_("Year"), field_name="period_start__year")

    class Meta:
        model = Report
        fields = ["lsg", "kind", "status", "year"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["lsg"].queryset = LSG.objects.visible_to(user).in_reading_order()
