"""The map of Roma settlements the user may see, with the same rows as a list beside it."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from jmu_planner.db import ScriptOrder, SerbianCollate
from jmu_planner.filters import FilterSet
from jmu_planner.script import for_reader
from stakeholders.models import LSG, Settlement, User


class SettlementMapFilter(FilterSet):
    """By LSG (only those the user may see) and by type."""

    lsg = django_filters.ModelChoiceFilter(label=_("LSG"), queryset=LSG.objects.none())
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Settlement.Kind.choices)

    class Meta:
        model = Settlement
        fields = ["lsg", "kind"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with_settlements = Settlement.objects.visible_to(user).values("lsg")
        self.filters["lsg"].queryset = (
            LSG.objects.visible_to(user)
            .filter(pk__in=with_settlements)
            .order_by(ScriptOrder("name_lat", "name_cyr"))
        )


def settlements_for_map(*, user: User) -> QuerySet[Settlement]:
    return (
        Settlement.objects.visible_to(user)
        .select_related("lsg")
        .order_by(ScriptOrder("lsg__name_lat", "lsg__name_cyr"), SerbianCollate("name"))
    )


def map_points(settlements: list[Settlement]) -> list[dict[str, Any]]:
    """What the map script draws: settlements with a location; names go in as text, never HTML."""
    return [
        {
            "id": s.pk,
            "name": for_reader(s.name),  # the page's script: the map's labels are not in its HTML
            "lsg": s.lsg.name,
            "kind": s.get_kind_display(),
            "households": s.households,
            "people": s.people,
            "lat": float(s.latitude),
            "lon": float(s.longitude),
        }
        for s in settlements
        if s.latitude is not None and s.longitude is not None
    ]


class SettlementMapView(LoginRequiredMixin, TemplateView):
    template_name = "stakeholders/settlement_map.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        found = SettlementMapFilter(
            self.request.GET or None, queryset=settlements_for_map(user=user), user=user
        )
        # As FilterView does: an invalid choice (another LSG's id) lists nothing, not everything.
        settlements = list(found.qs) if not found.is_bound or found.is_valid() else []
        context.update(
            filter=found,
            settlements=settlements,
            map_data={
                "points": map_points(settlements),
                "labels": {
                    "lsg": str(_("LSG")),
                    "kind": str(_("Type")),
                    "households": str(_("Estimated households")),
                    "people": str(_("Estimated people")),
                    "unknown": "—",
                    "offline": str(
                        _("The map background could not be loaded; the settlements are shown without it.")
                    ),
                },
            },
        )
        return context
