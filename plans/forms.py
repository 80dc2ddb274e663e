from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from jmu_planner.forms import NUMBER_INVALID, BoundedDateField, formfield
from jmu_planner.numbers import parse_decimal
from plans.models import BudgetLine, CommunicationItem, Indicator, Measure, OperationalPlan
from plans.spreadsheets import MAX_IMPORT_BYTES
from stakeholders.models import JMU, Institution

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m")
        return value


class MonthField(BoundedDateField):
    """A month, stored as its first day; the browser shows a month picker."""

    widget = MonthInput
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        text = str(value).strip()
        match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", text) or re.fullmatch(
            r"(\d{1,2})[./](\d{4})", text
        )
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        a, b = match.groups()
        year, month = (int(a), int(b)) if len(a) == 4 else (int(b), int(a))
        if not (1 <= month <= 12 and year >= 1):  # year 0000 is no date at all
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return datetime.date(year, month, 1)


class PlanForm(forms.ModelForm):
    class Meta:
        model = OperationalPlan
        fields = [
            "title", "period_start", "period_end", "lap_name", "lap_period", "lap_adoption",
            "context", "eur_rate",
        ]  # fmt: skip
        formfield_callback = formfield
        widgets = {
            "period_start": DATE_INPUT,
            "period_end": DATE_INPUT,
            "context": forms.Textarea(attrs={"rows": 6}),
        }


class PlanCreateForm(PlanForm):
    jmu = forms.ModelChoiceField(label=_("JMU"), queryset=JMU.objects.none())

    class Meta(PlanForm.Meta):
        fields = ["jmu", *PlanForm.Meta.fields]

    def __init__(self, *args, jmus=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jmu"].queryset = jmus if jmus is not None else JMU.objects.none()
        choices = list(self.fields["jmu"].queryset)
        if len(choices) == 1 and not self.initial.get("jmu"):
            self.initial["jmu"] = choices[0].pk  # one JMU to write for: chosen already

    def clean(self):
        cleaned = super().clean()
        # Model validation (overlapping periods) needs the JMU on the instance.
        if cleaned.get("jmu"):
            self.instance.jmu = cleaned["jmu"]
        return cleaned


class PlanCopyForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    period_start = BoundedDateField(label=_("period from"), widget=DATE_INPUT)
    period_end = BoundedDateField(label=_("period until"), widget=DATE_INPUT)


class MeasureForm(forms.ModelForm):
    start_month = MonthField(label=_("Start month"), required=False)
    end_month = MonthField(label=_("End month"), required=False)
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Measure
        fields = [
            "area", "title", "objective", "objective_reference", "activities", "responsible",
            "partners", "start_month", "end_month", "target_group", "financing", "notes",
        ]  # fmt: skip
        formfield_callback = formfield
        widgets = {
            "activities": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.instance.plan
        self.fields["responsible"].queryset = Institution.objects.filter(lsg_id=plan.jmu.lsg_id)
        self.fields["lock_version"].initial = self.instance.lock_version
        help_text = _("Inside the plan period, %(start)s – %(end)s.") % {
            "start": plan.period_start.strftime("%m/%Y"),
            "end": plan.period_end.strftime("%m/%Y"),
        }
        self.fields["start_month"].help_text = help_text


def _parse_indicator_value(text: str, kind: str) -> Decimal | None:
    text = (text or "").strip()
    if not text:
        return None
    if kind == Indicator.Type.YES_NO:
        lowered = text.lower()
        if lowered in {"yes", "da", "1", "true"}:
            return Decimal(1)
        if lowered in {"no", "ne", "0", "false"}:
            return Decimal(0)
        raise ValidationError(_("A yes/no indicator takes yes or no."))
    try:
        value = parse_decimal(text)
    except ValueError as exc:
        raise ValidationError(NUMBER_INVALID) from exc
    if value.as_tuple().exponent < -2:
        raise ValidationError(_("Use at most two decimal places."))
    return value


class CompactRowMixin:
    """Rows of a table: small Bootstrap inputs, labels given by the table header."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                widget.attrs.setdefault("class", "form-control form-control-sm")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


class IndicatorForm(CompactRowMixin, forms.ModelForm):
    baseline = forms.CharField(label=_("baseline"), required=False, max_length=20)
    target = forms.CharField(label=_("target"), required=False, max_length=20)

    class Meta:
        model = Indicator
        fields = [
            "name", "unit", "type", "baseline", "target", "means_of_verification", "breakdown",
            "aggregation",
        ]  # fmt: skip
        formfield_callback = formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("baseline", "target"):
                value = getattr(self.instance, name)
                if value is not None:
                    self.initial[name] = (
                        ("yes" if value == 1 else "no")
                        if self.instance.type == Indicator.Type.YES_NO
                        else f"{value.normalize():f}"
                    )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("type") or Indicator.Type.NUMBER
        for name in ("baseline", "target"):
            try:
                cleaned[name] = _parse_indicator_value(self.data.get(self.add_prefix(name), ""), kind)
            except ValidationError as error:
                self.add_error(name, error)
                cleaned.pop(name, None)
        return cleaned


class BudgetLineForm(CompactRowMixin, forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["source", "category", "description", "amount"]
        formfield_callback = formfield


IndicatorFormSet = inlineformset_factory(Measure, Indicator, form=IndicatorForm, extra=1, can_delete=True)


class BudgetLineInlineFormSet(BaseInlineFormSet):
    """Every row's funding-source dropdown shares one query's choices."""

    @cached_property
    def source_choices(self) -> list:
        return [choice for choice in self.form.base_fields["source"].choices]  # noqa: C416 - list() would COUNT first

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.fields["source"].choices = self.source_choices
        return form


BudgetLineFormSet = inlineformset_factory(
    Measure, BudgetLine, form=BudgetLineForm, formset=BudgetLineInlineFormSet, extra=1,
    can_delete=True,
)  # fmt: skip


class CommunicationForm(CompactRowMixin, forms.ModelForm):
    class Meta:
        model = CommunicationItem
        fields = ["audience", "message", "channel", "timing", "responsible"]
        formfield_callback = formfield


CommunicationFormSet = inlineformset_factory(
    OperationalPlan, CommunicationItem, form=CommunicationForm, extra=2, can_delete=True
)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Plan matrix (.xlsx)"),
        help_text=_("The layout of the XLSX export; at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Choose an Excel workbook (.xlsx)."))
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


# --- Review ----------------------------------------------------------------------------------------


class TransitionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    confirm_open_threads = forms.BooleanField(
        label=_("Approve although comment threads are still open"), required=False
    )


class AdoptionForm(forms.Form):
    adopting_body = forms.ChoiceField(
        label=_("Adopted by"), choices=[("", "---------"), *OperationalPlan.AdoptingBody.choices]
    )
    adoption_number = forms.CharField(label=_("Decision number"), max_length=60)
    adoption_date = BoundedDateField(label=_("Decision date"), widget=DATE_INPUT)
    adoption_file = forms.FileField(
        label=_("Scanned decision (PDF, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class ThreadForm(forms.Form):
    subject = forms.ChoiceField(label=_("About"), required=False)
    body = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = list(subjects)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
