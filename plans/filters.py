import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jmu_planner.db import ScriptOrder
from jmu_planner.filters import FilterSet, YearFilter
from plans.models import BudgetEnvelope, Measure, OperationalPlan
from stakeholders.models import LSG, District, Institution

GROUP = "group"  # the institution type of groups (stakeholders' reference data)


class PlanFilter(FilterSet):
    lsg = django_filters.ModelChoiceFilter(label=_("LSG"), field_name="jmu__lsg", queryset=LSG.objects.none())
    year = YearFilter(label=_("Year"), method="in_year")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OperationalPlan.Status.choices)
    # Today's national bodies; a plan naming one by a former name (before a renaming or a merger) is found.
    body = django_filters.ModelChoiceFilter(
        label=_("National body"),
        method="naming_body",
        queryset=Institution.objects.filter(lsg__isnull=True, valid_until__isnull=True).order_by("name"),
    )

    party = django_filters.ChoiceFilter(
        label=_("Led by"),
        method="led_by",
        choices=[
            (Measure.Party.LSG, _("the LSG itself")),
            (Measure.Party.JMU, _("the JMU itself")),
            (GROUP, _("a group (e.g. Roma CSOs)")),
        ],
    )

    class Meta:
        model = OperationalPlan
        fields = ["lsg", "year", "status", "body", "party"]

    def led_by(self, queryset: QuerySet, name: str, value) -> QuerySet:
        """Plans with a measure led by the LSG itself, its JMU, or a group of the register."""
        if value == GROUP:
            measures = Measure.objects.filter(responsible__type__code=GROUP)
        else:
            measures = Measure.objects.filter(responsible_party=value)
        return queryset.filter(pk__in=measures.values("plan_id"))

    def naming_body(self, queryset: QuerySet, name: str, value) -> QuerySet:
        """Plans whose measures or allocations name the body, or a body it succeeded."""
        bodies = Institution.with_former_names({value.pk})
        measures = Measure.objects.filter(
            Q(responsible__in=bodies) | Q(co_responsible__in=bodies) | Q(partner_institutions__in=bodies)
        ).values("plan_id")
        envelopes = BudgetEnvelope.objects.filter(responsible__in=bodies).values("plan_id")
        return queryset.filter(Q(pk__in=measures) | Q(pk__in=envelopes))

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
        label=_("District"),
        field_name="jmu__lsg__district",
        queryset=District.objects.order_by(ScriptOrder("name_lat", "name_cyr")),
    )

    class Meta:
        model = OperationalPlan
        fields = ["status", "lsg", "district"]
