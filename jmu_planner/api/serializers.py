"""What the API returns: reference names in both scripts, money as strings with two decimals."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jmu_planner import figures
from plans.models import BudgetEnvelope, BudgetLine, Indicator, Measure, OperationalPlan
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
            "id",
            "code",
            "name_lat",
            "name_cyr",
            "type",
            "district",
            "district_code",
            "parent_city",
            "census_year",
            "population_male",
            "population_female",
            "population",
            "roma_male",
            "roma_female",
            "roma_population",
            "development_level",
        ]


class LSGRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = LSG
        fields = ["id", "code", "name_lat", "name_cyr"]


BOUND_HELP = (
    'What the amount states: "" a planned cost, "at_most" a ceiling, "at_least" a floor. A ceiling '
    "or a floor is never part of `planned` nor of any total."
)


class BudgetLineSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.code")
    source_kind = serializers.CharField(source="source.kind", help_text="budget, grant, loan or in_kind.")
    envelope = serializers.CharField(source="envelope.name", allow_null=True, default=None)
    bound = serializers.CharField(help_text=BOUND_HELP)

    class Meta:
        model = BudgetLine
        fields = [
            "source",
            "source_kind",
            "category",
            "description",
            "currency",
            "exchange_rate",
            "unit_cost",
            "quantity",
            "periods",
            "amount_in_currency",
            "amount",
            "bound",
            "envelope",
        ]


class EnvelopeSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.code")
    source_kind = serializers.CharField(source="source.kind", help_text="budget, grant, loan or in_kind.")
    bound = serializers.CharField(help_text=BOUND_HELP)
    responsible = serializers.CharField(
        source="responsible.name",
        allow_null=True,
        default=None,
        help_text="The body responsible for an allocation (an envelope no measure may draw on).",
    )

    class Meta:
        model = BudgetEnvelope
        fields = ["name", "year", "source", "source_kind", "amount", "bound", "responsible", "period_text"]


class MeasureSerializer(serializers.ModelSerializer):
    code = serializers.CharField()
    area = serializers.CharField(source="area.code")
    area_number = serializers.IntegerField(source="area.number")
    responsible_party = serializers.CharField(
        help_text='"" an institution or group of the register (`responsible`), "lsg" the LSG itself, '
        '"jmu" the JMU itself.'
    )
    responsible = serializers.CharField(source="responsible.name", allow_null=True, default=None)
    responsible_count = serializers.IntegerField(
        source="responsible.member_count",
        allow_null=True,
        default=None,
        help_text="For a group (e.g. health mediators of the district): how many, if known.",
    )
    co_responsible = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    partner_institutions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    secondary_areas = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    planned = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        allow_null=True,
        help_text="Planned costs in RSD: no ceiling or floor.",
    )

    class Meta:
        model = Measure
        fields = [
            "id",
            "code",
            "area",
            "area_number",
            "secondary_areas",
            "title",
            "objective",
            "objective_reference",
            "lap_measure_number",
            "responsible_party",
            "responsible",
            "responsible_count",
            "co_responsible",
            "partner_institutions",
            "partners",
            "start_month",
            "end_month",
            "period_text",
            "target_group",
            "financing",
            "planned",
            "budget_lines",
        ]


class PlanSerializer(serializers.ModelSerializer):
    lsg = LSGRefSerializer(source="jmu.lsg")
    measures = MeasureSerializer(many=True)
    envelopes = EnvelopeSerializer(many=True, read_only=True)

    class Meta:
        model = OperationalPlan
        fields = [
            "id",
            "lsg",
            "title",
            "period_start",
            "period_end",
            "version",
            "status",
            "lap_name",
            "lap_period",
            "adopting_body",
            "adoption_number",
            "adoption_date",
            "eur_rate",
            "measures",
            "envelopes",
        ]


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
            "id",
            "lsg",
            "plan",
            "measure",
            "measure_code",
            "name",
            "unit",
            "type",
            "breakdown",
            "aggregation",
            "baseline_qualifier",
            "baseline",
            "target_qualifier",
            "target",
            "target_milestone",
            "value",
            "months_reported",
            "progress",
            "target_met",
        ]

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
