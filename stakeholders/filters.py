import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jmu_planner.db import ScriptOrder, matches_name
from jmu_planner.filters import FilterSet
from stakeholders.models import LSG, District


class LSGFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    district = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=District.objects.order_by(ScriptOrder("name_lat", "name_cyr"))
    )
    type = django_filters.ChoiceFilter(label=_("Type"), choices=LSG.Type.choices)
    has_jmu = django_filters.BooleanFilter(label=_("Has a JMU"), field_name="has_jmu")

    class Meta:
        model = LSG
        fields = ["q", "district", "type", "has_jmu"]

    def search(self, queryset: QuerySet[LSG], name: str, value: str) -> QuerySet[LSG]:
        """A name in either script, any case, with or without diacritics, or the exact code.
        The parent city counts too: "Nis" finds Niš's city municipalities."""
        value = value.strip()
        if not value:
            return queryset
        queryset, by_name = matches_name(queryset, value, "name_lat", "parent_city")
        return queryset.filter(by_name | Q(code=value))
