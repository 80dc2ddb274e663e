from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jmu_planner.forms import DATE_INPUT, DecimalInput, LocalizedDecimalField, MonthField, formfield
from plans.models import Indicator, Measure, OperationalPlan, ThematicArea
from reporting.models import COUNT_FIELDS, FieldActivity, IndicatorValue, Report
from stakeholders.models import JMU, JMUMembership, Settlement


class ReportCreateForm(forms.Form):
    jmu = forms.ModelChoiceField(label=_("JMU"), queryset=JMU.objects.none())
    kind = forms.ChoiceField(label=_("Report"), choices=Report.Kind.choices)
    month = MonthField(label=_("Month"), help_text=_("For a quarterly or annual report, any month of it."))

    def __init__(self, *args, jmus=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jmu"].queryset = jmus if jmus is not None else JMU.objects.none()
        choices = list(self.fields["jmu"].queryset)
        if len(choices) == 1:
            self.initial.setdefault("jmu", choices[0].pk)


class MeasureChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.title}"


def settlements_recent_first(jmu: JMU) -> QuerySet[Settlement]:
    """The LSG's settlements, those the JMU logged work in most recently first, then by name."""
    return (
        Settlement.objects.filter(lsg_id=jmu.lsg_id)
        .annotate(last_logged=Max("fieldactivity__date", filter=Q(fieldactivity__jmu_id=jmu.pk)))
        .order_by(F("last_logged").desc(nulls_last=True), "name")
    )


def own_membership(jmu: JMU, user) -> JMUMembership | None:
    """The user's own membership of the JMU, found by e-mail (else by name): ticked by default."""
    members = [m for m in jmu.memberships.all() if m.is_active]
    email = (user.email or "").casefold()
    name = user.get_full_name().casefold()
    for member in members:
        if email and member.email.casefold() == email:
            return member
    return next((m for m in members if name and m.person_name.casefold() == name), None)


class ActivityForm(forms.ModelForm):
    """One day's field work: the same form on the page and, sent from the phone, in the sync."""

    measures = MeasureChoiceField(
        label=_("Measures of the plan"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people_total = forms.IntegerField(
        label=_("People reached in total"),
        min_value=0,
        required=False,
        help_text=_("Optional: when given, the counts by sex and age must add up to it."),
    )

    class Meta:
        model = FieldActivity
        fields = [
            "date",
            "type",
            "settlement",
            "members",
            "areas",
            "measures",
            "households",
            *COUNT_FIELDS,
            "note",
        ]
        formfield_callback = formfield
        widgets = {
            "date": DATE_INPUT,
            "members": forms.CheckboxSelectMultiple,
            "areas": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, jmu: JMU, plan: OperationalPlan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.jmu = jmu
        self.fields["settlement"].queryset = settlements_recent_first(jmu)
        self.fields["members"].queryset = JMUMembership.objects.filter(jmu_id=jmu.pk).select_related("role")
        self.fields["areas"].queryset = ThematicArea.objects.all()
        self.fields["measures"].queryset = (
            Measure.objects.filter(plan=plan).select_related("area") if plan else Measure.objects.none()
        )
        for name in [*COUNT_FIELDS, "households", "people_total"]:
            self.fields[name].widget.attrs.update(min=0, inputmode="numeric")
        for name in COUNT_FIELDS:  # drawn by hand in the sex × age grid, not by crispy
            self.fields[name].widget.attrs.update({"data-count": "", "class": "form-control"})

    def clean(self):
        data = super().clean()
        total = data.get("people_total")
        counts = [data.get(name) for name in COUNT_FIELDS]
        if total is not None and None not in counts and sum(counts) != total:
            self.add_error(
                "people_total",
                _("The counts by sex and age add up to %(sum)s, not %(total)s.")
                % {"sum": sum(counts), "total": total},
            )
        return data


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["achievements", "problems", "proposals", "next_steps"]
        formfield_callback = formfield
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


BREAKDOWN_LABELS = {
    "male": _("men/boys"),
    "female": _("women/girls"),
    "male_0_17": _("boys 0-17"),
    "male_18_64": _("men 18-64"),
    "male_65": _("men 65+"),
    "female_0_17": _("girls 0-17"),
    "female_18_64": _("women 18-64"),
    "female_65": _("women 65+"),
}


def breakdown_parts(indicator: Indicator) -> list[str]:
    if indicator.breakdown == Indicator.Breakdown.SEX:
        return ["male", "female"]
    if indicator.breakdown == Indicator.Breakdown.SEX_AGE:
        return list(COUNT_FIELDS)
    return []


class IndicatorValuesForm(forms.Form):
    """One row per indicator of the month: its value, and its breakdown where it has one."""

    def __init__(self, *args, indicators: list[Indicator], current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            saved = current.get(indicator.pk)
            if indicator.type == Indicator.Type.YES_NO:
                field = forms.TypedChoiceField(
                    choices=[("", "—"), ("1", _("yes")), ("0", _("no"))],
                    coerce=Decimal,
                    empty_value=None,
                    required=False,
                )
            else:
                field = LocalizedDecimalField(
                    min_value=0,
                    max_value=100 if indicator.type == Indicator.Type.PERCENTAGE else None,
                    max_digits=14,
                    decimal_places=2,
                    required=False,
                )
            field.label = indicator.name
            self.fields[f"value_{indicator.pk}"] = field
            # Or left empty on purpose, with the reason: reported, skipped by the roll-ups.
            self.fields[f"empty_{indicator.pk}"] = forms.ChoiceField(
                label=_("Left empty because"),
                choices=[("", "—"), *IndicatorValue.EmptyReason.choices],
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"note_{indicator.pk}"] = forms.CharField(
                label=_("Note"),
                max_length=300,
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
            if saved is not None:
                if saved.value is not None:
                    self.initial[f"value_{indicator.pk}"] = (
                        str(int(saved.value)) if indicator.type == Indicator.Type.YES_NO else saved.value
                    )
                self.initial[f"empty_{indicator.pk}"] = saved.empty_reason
                self.initial[f"note_{indicator.pk}"] = saved.empty_note
            for part in breakdown_parts(indicator):
                name = f"{part}_{indicator.pk}"
                self.fields[name] = LocalizedDecimalField(
                    label=BREAKDOWN_LABELS[part], min_value=0, max_digits=14, decimal_places=2, required=False
                )
                if saved is not None:
                    self.initial[name] = getattr(saved, part)

    def rows(self):
        """For the template: each indicator with its bound fields."""
        for indicator in self.indicators:
            yield (
                indicator,
                self[f"value_{indicator.pk}"],
                [self[f"{part}_{indicator.pk}"] for part in breakdown_parts(indicator)],
                self[f"empty_{indicator.pk}"],
                self[f"note_{indicator.pk}"],
            )

    def values(self) -> list[tuple[Indicator, dict]]:
        out = []
        for indicator in self.indicators:
            data = {"value": self.cleaned_data.get(f"value_{indicator.pk}")}
            for part in breakdown_parts(indicator):
                data[part] = self.cleaned_data.get(f"{part}_{indicator.pk}")
            data["empty_reason"] = self.cleaned_data.get(f"empty_{indicator.pk}") or ""
            data["empty_note"] = self.cleaned_data.get(f"note_{indicator.pk}") or ""
            out.append((indicator, data))
        return out

    def attach(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            self.add_error(f"value_{key}" if f"value_{key}" in self.fields else None, messages)


class SpendingForm(forms.Form):
    def __init__(self, *args, lines, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"line_{line.pk}"] = LocalizedDecimalField(
                label=str(line),
                min_value=0,
                max_digits=14,
                decimal_places=2,
                required=False,
                widget=DecimalInput(attrs={"class": "form-control form-control-sm"}),
            )
            if line.pk in current:
                self.initial[f"line_{line.pk}"] = current[line.pk]

    def rows(self):
        for line in self.lines:
            yield line, self[f"line_{line.pk}"]

    def amounts(self) -> dict:
        return {line: self.cleaned_data.get(f"line_{line.pk}") for line in self.lines}


class UnpublishForm(forms.Form):
    """Taking a publication down: the reason is kept with it (reporting.publication)."""

    reason = forms.CharField(
        label=_("Why is it taken down?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
