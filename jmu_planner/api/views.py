"""Read-only endpoints. Each queryset starts from the user's scope: an LSG the user may not see is
not found (404), as on the pages. Filters: ?year=, ?district= (id), ?lsg= (id)."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, Subquery, Sum
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from jmu_planner.api import serializers as api
from plans.models import BudgetEnvelope, BudgetLine, Measure
from reporting import monitoring

YEAR = OpenApiParameter(
    "year", OpenApiTypes.INT, description="Plans whose period touches this year; reports of it."
)
DISTRICT = OpenApiParameter("district", OpenApiTypes.INT, description="District id.")
LSG = OpenApiParameter("lsg", OpenApiTypes.INT, description="LSG id.")


class SelectionParams(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2200)
    district = serializers.IntegerField(required=False, min_value=1)
    lsg = serializers.IntegerField(required=False, min_value=1)


class ScopedMixin:
    """The query's filters, checked (a bad value is a 400 that says which)."""

    def params(self) -> dict:
        cached = getattr(self, "_params", None)
        if cached is None:
            checked = SelectionParams(data=self.request.query_params)
            checked.is_valid(raise_exception=True)
            cached = self._params = checked.validated_data
        return cached

    def selection(self) -> monitoring.Selection:
        params = self.params()
        return monitoring.Selection(year=params.get("year"), district_id=params.get("district"))


@extend_schema_view(list=extend_schema(parameters=[DISTRICT]))
class LSGViewSet(ScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Local self-governments you may see, with census figures (Roma counts below 5 read "<5")."""

    serializer_class = api.LSGSerializer

    def get_queryset(self):
        return monitoring.lsgs(user=self.request.user, selection=self.selection())


@extend_schema_view(list=extend_schema(parameters=[YEAR, DISTRICT, LSG]))
class PlanViewSet(ScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Operational plans in force (adopted), each with its measures and their planned budgets (RSD)."""

    serializer_class = api.PlanSerializer

    def get_queryset(self):
        planned = (
            BudgetLine.objects.planned()
            .filter(measure=OuterRef("pk"))
            .values("measure")
            .annotate(t=Sum("amount"))
            .values("t")
        )
        measures = Measure.objects.select_related("area", "responsible").annotate(planned=Subquery(planned))
        rows = (
            monitoring.plans(user=self.request.user, selection=self.selection(), adopted_only=True)
            .select_related("jmu__lsg")
            .prefetch_related(
                Prefetch("measures", queryset=measures.order_by("area__number", "number")),
                "measures__co_responsible",
                "measures__partner_institutions",
                "measures__secondary_areas",
                Prefetch(
                    "measures__budget_lines", queryset=BudgetLine.objects.select_related("source", "envelope")
                ),
                Prefetch(
                    "envelopes", queryset=BudgetEnvelope.objects.select_related("source", "responsible")
                ),
            )
            .order_by("jmu__lsg__code", "period_start", "pk")
        )
        if lsg := self.params().get("lsg"):
            rows = rows.filter(jmu__lsg_id=lsg)
        return rows


@extend_schema_view(list=extend_schema(parameters=[YEAR, DISTRICT, LSG]))
class IndicatorViewSet(ScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Indicators of the plans in force with their value to date and progress to target."""

    serializer_class = api.IndicatorSerializer

    def get_queryset(self):
        rows = monitoring.indicators(user=self.request.user, selection=self.selection(), adopted_only=True)
        if lsg := self.params().get("lsg"):
            rows = rows.filter(measure__plan__jmu__lsg_id=lsg)
        return rows

    def get_serializer(self, *args, **kwargs):
        # Progress for the rows of this page only: 2 queries, whatever the page size.
        if args:
            rows = args[0] if kwargs.get("many") else [args[0]]
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["progress"] = monitoring.progress_of(list(rows))
        return super().get_serializer(*args, **kwargs)


@extend_schema_view(list=extend_schema(parameters=[YEAR, DISTRICT, LSG]))
class FiguresViewSet(ScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Aggregated report figures per LSG and year, from submitted and accepted monthly reports:
    field activities, households and people reached (by sex and age group), money spent."""

    serializer_class = api.FiguresSerializer

    def get_queryset(self):
        rows = monitoring.figure_groups(user=self.request.user, selection=self.selection())
        if lsg := self.params().get("lsg"):
            rows = rows.filter(jmu__lsg_id=lsg)
        return rows

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        figures = monitoring.figures_for(list(page), user=request.user, selection=self.selection())
        return self.get_paginated_response(self.get_serializer(figures, many=True).data)
