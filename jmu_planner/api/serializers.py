"""What the API returns: reference names in both scripts, money as strings with two decimals."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jmu_planner import figures
from plans.models import Indicator, Measure, OperationalPlan
from reporting import selectors
from reporting.models import COUNT_FIELDS
from stakeholders.models import LSG

COUNT_SCHEMA = {
    "oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "enum": [figures.SMALL]}],
    "nullable": True,
    "description": 'A count of people or households; 1 to 4 read "<5".',
}
TOTAL_SCHEMA = {
    "oneOf": [
        {"type": "integer", "minimum": 0},
        {"type": "string", "enum": [figures.SMALL]},
        {"type": "string", "pattern": "^[0-9]+–[0-9]+$"},
    ],
    "nullable": True,
    "description": (
        "A total of counts (people: the six age and sex groups; Roma population: men and women); "
        'where one of them reads "<5", the range the shown ones allow ("6–9"), so that no hidden '
        "count can be worked back by subtraction."
    ),
}


@extend_schema_field(COUNT_SCHEMA)
class SuppressedCountField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return figures.hidden(value)


@extend_schema_field(TOTAL_SCHEMA)
class HiddenTotalField(serializers.Field):
    """The total of the counts `parts(row)` as it may stand beside them (figures.hidden_total)."""

    def __init__(self, parts, **kwargs):
        self.parts = parts
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, row):
        parts = self.parts(row)
        if any(part is None for part in parts):
            return None
        total = figures.hidden_total(parts)
        return str(total) if isinstance(total, figures.Range) else total


class LSGSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.name_lat")
    district_code = serializers.CharField(source="district.code")
    population = serializers.IntegerField(allow_null=True)
    roma_male = SuppressedCountField()
    roma_female = SuppressedCountField()
    roma_population = HiddenTotalField(lambda lsg: [lsg.roma_male, lsg.roma_female])

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
    target_met = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "id", "lsg", "plan", "measure", "measure_code", "name", "unit", "type", "breakdown",
            "aggregation", "baseline", "target_qualifier", "target", "target_milestone", "value",
            "months_reported", "progress", "target_met",
        ]  # fmt: skip

    def _progress(self, indicator) -> selectors.IndicatorRow:
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
        shown = self._progress(indicator).value_outside
        return None if shown is None else str(shown)

    def get_months_reported(self, indicator) -> int:
        return self._progress(indicator).months

    @extend_schema_field(
        {
            "type": "string",
            "format": "decimal",
            "nullable": True,
            "description": (
                "Progress to target in percent, one decimal: (value − baseline) ÷ (target − baseline) "
                "with a baseline, value ÷ target without; null where neither makes sense or the "
                'value reads "<5" (the progress would give it back).'
            ),
        }
    )
    def get_progress(self, indicator):
        progress = self._progress(indicator).progress_outside
        return None if progress is None else f"{progress:.1f}"

    @extend_schema_field(
        {
            "type": "boolean",
            "nullable": True,
            "description": (
                'Whether the value meets the target as its qualifier reads ("at least": ≥, "at most": ≤, '
                "none: reached in the planned direction); null for a target in words, no value, or a "
                'value that reads "<5".'
            ),
        }
    )
    def get_target_met(self, indicator) -> bool | None:
        return self._progress(indicator).met_outside


class FiguresSerializer(serializers.Serializer):
    lsg = LSGRefSerializer()
    year = serializers.IntegerField()
    monthly_reports = serializers.IntegerField(source="reports")
    activities = serializers.IntegerField()
    households = SuppressedCountField()
    people = HiddenTotalField(lambda row: list(row.counts.values()))
    spent = serializers.DecimalField(max_digits=16, decimal_places=2)

    def get_fields(self):
        fields = super().get_fields()
        for name in COUNT_FIELDS:
            fields[name] = SuppressedCountField(source=f"counts.{name}")
        return fields
