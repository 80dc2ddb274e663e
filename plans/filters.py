import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jmu_planner.db import ScriptOrder
from jmu_planner.filters import FilterSet, YearFilter
from plans.models import OperationalPlan
from stakeholders.models import LSG, District


class PlanFilter(FilterSet):
    lsg = django_filters.ModelChoiceFilter(label=_("LSG"), field_name="jmu__lsg", queryset=LSG.objects.none())
    year = YearFilter(label=_("Year"), method="in_year")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OperationalPlan.Status.choices)

    class Meta:
        model = OperationalPlan
        fields = ["lsg", "year", "status"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The LSG dropdown offers only LSGs the user may see.
        self.filters["lsg"].queryset = LSG.objects.visible_to(user).in_reading_order()

    def in_year(self, queryset: QuerySet, name: str, value) -> QuerySet:
        """Plans whose period touches the year."""
        return queryset.filter(period_start__year__lte=value, period_end__year__gte=value)


class ReviewQueueFilter(FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OperationalPlan.Status.choices)
    lsg = django_filters.ModelChoiceFilter(
        label=_("LSG"), field_name="jmu__lsg", queryset=LSG.objects.in_reading_order()
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"), field_name="jmu__lsg__district",
        queryset=District.objects.order_by(ScriptOrder("name_lat", "name_cyr")),
    )  # fmt: skip

    class Meta:
        model = OperationalPlan
        fields = ["status", "lsg", "district"]
