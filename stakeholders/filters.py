import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jmu_planner.text import to_cyrillic, to_latin
from stakeholders.models import LSG, District


class LSGFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    district = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=District.objects.order_by("name_lat")
    )
    type = django_filters.ChoiceFilter(label=_("Type"), choices=LSG.Type.choices)
    has_jmu = django_filters.BooleanFilter(label=_("Has a JMU"), field_name="has_jmu")

    class Meta:
        model = LSG
        fields = ["q", "district", "type", "has_jmu"]

    def search(self, queryset: QuerySet[LSG], name: str, value: str) -> QuerySet[LSG]:
        """A name in either script: the query is also tried transliterated into the other."""
        value = value.strip()
        if not value:
            return queryset
        condition = Q(code=value)
        for variant in {value, to_latin(value), to_cyrillic(value)}:
            condition |= Q(name_lat__icontains=variant) | Q(name_cyr__icontains=variant)
        return queryset.filter(condition)
