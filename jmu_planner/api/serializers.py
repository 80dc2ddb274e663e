"""What the API returns: reference names in both scripts, money as strings with two decimals."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from plans.models import Indicator, Measure, OperationalPlan
from reporting import monitoring
from reporting.models import COUNT_FIELDS
from stakeholders.models import LSG

COUNT_SCHEMA = {
    "oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "enum": [monitoring.SUPPRESSED]}],
    "nullable": True,
    "description": 'A count of people or households; 1 to 4 read "<5".',
}


@extend_schema_field(COUNT_SCHEMA)
class SuppressedCountField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return monitoring.suppressed(value)


class LSGSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.name_lat")
    district_code = serializers.CharField(source="district.code")
    population = serializers.IntegerField(allow_null=True)
    roma_male = SuppressedCountField()
    roma_female = SuppressedCountField()
    roma_population = SuppressedCountField()

    class Meta:
        model = LSG
        fields = [
            "id", "code", "name_lat", "name_cyr", "type", "district", "district_code", "parent_city",
            "census_year", "population_male", "population_female", "population",
            "roma_male", "roma_female", "roma_population", "development_level",
        ]  # fmt: skip


class LSGRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = LSG
        fields = ["id", "code", "name_lat", "name_cyr"]


class MeasureSerializer(serializers.ModelSerializer):
    code = serializers.CharField()
    area = serializers.CharField(source="area.code")
    area_number = serializers.IntegerField(source="area.number")
    responsible = serializers.CharField(source="responsible.name", allow_null=True, default=None)
    planned = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)

    class Meta:
        model = Measure
        fields = [
            "id", "code", "area", "area_number", "title", "objective", "objective_reference",
            "responsible", "partners", "start_month", "end_month", "target_group", "financing", "planned",
        ]  # fmt: skip


class PlanSerializer(serializers.ModelSerializer):
    lsg = LSGRefSerializer(source="jmu.lsg")
    measures = MeasureSerializer(many=True)

    class Meta:
        model = OperationalPlan
        fields = [
            "id", "lsg", "title", "period_start", "period_end", "version", "status", "lap_name",
            "lap_period", "adopting_body", "adoption_number", "adoption_date", "eur_rate", "measures",
        ]  # fmt: skip


class IndicatorSerializer(serializers.ModelSerializer):
    lsg = LSGRefSerializer(source="measure.plan.jmu.lsg")
    plan = serializers.IntegerField(source="measure.plan_id")
    measure = serializers.IntegerField(source="measure_id")
    measure_code = serializers.CharField(source="measure.code")
    value = serializers.SerializerMethodField()
    months_reported = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "id", "lsg", "plan", "measure", "measure_code", "name", "unit", "type", "breakdown",
            "aggregation", "baseline", "target", "value", "months_reported", "progress",
        ]  # fmt: skip

    def _progress(self, indicator) -> monitoring.Progress:
        return self.context["progress"][indicator.pk]

    @extend_schema_field(
        {
            "oneOf": [{"type": "string", "format": "decimal"}, {"type": "string", "enum": ["<5"]}],
            "nullable": True,
            "description": (
                "Value to date over the reported months, by the roll-up rule; "
                'a whole count below 5 reads "<5".'
            ),
        }
    )
    def get_value(self, indicator) -> str | None:
        shown = monitoring.value_outside(indicator, self._progress(indicator).value)
        return None if shown is None else str(shown)

    def get_months_reported(self, indicator) -> int:
        return self._progress(indicator).months

    @extend_schema_field(serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True))
    def get_progress(self, indicator):
        progress = self._progress(indicator).progress
        return None if progress is None else f"{progress:.1f}"


class FiguresSerializer(serializers.Serializer):
    lsg = LSGRefSerializer()
    year = serializers.IntegerField()
    monthly_reports = serializers.IntegerField(source="reports")
    activities = serializers.IntegerField()
    households = SuppressedCountField()
    people = SuppressedCountField()
    spent = serializers.DecimalField(max_digits=16, decimal_places=2)

    def get_fields(self):
        fields = super().get_fields()
        for name in COUNT_FIELDS:
            fields[name] = SuppressedCountField(source=f"counts.{name}")
        return fields
