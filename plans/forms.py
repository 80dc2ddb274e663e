from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from jmu_planner import i18n
from jmu_planner.forms import DATE_INPUT, NUMBER_INVALID, BoundedDateField, MonthField, NoteForm, formfield
from jmu_planner.numbers import parse_decimal
from plans.models import (
    INDICATOR_FIELDS,
    BudgetEnvelope,
    BudgetLine,
    CommunicationItem,
    Indicator,
    Measure,
    OperationalPlan,
    ThematicArea,
)
from plans.selectors import lap_measure_choices
from plans.spreadsheets import MAX_IMPORT_BYTES
from plans.spreadsheets.columns import split_qualifier
from stakeholders.models import JMU, Institution


class PlanForm(forms.ModelForm):
    class Meta:
        model = OperationalPlan
        fields = [
            "title",
            "period_start",
            "period_end",
            "lap_name",
            "lap_period",
            "lap_adoption",
            "context",
            "eur_rate",
        ]
        formfield_callback = formfield
        widgets = {
            "period_start": DATE_INPUT,
            "period_end": DATE_INPUT,
            "context": forms.Textarea(attrs={"rows": 6}),
        }


class PlanCreateForm(PlanForm):
    jmu = forms.ModelChoiceField(label=_("JMU"), queryset=JMU.objects.none())
    # One per form shown: a second submit of the same form returns the plan the first one made.
    request_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    # The JMU is not put on the unsaved plan here: the overlap with the JMU's other plans is
    # checked by plan_create under the JMU's lock, after the token lookup. Checked here, a second
    # click could be told its period overlaps the plan its first click committed a moment before.
    field_order = ["jmu"]

    def __init__(self, *args, jmus=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jmu"].queryset = jmus if jmus is not None else JMU.objects.none()
        choices = list(self.fields["jmu"].queryset)
        if len(choices) == 1 and not self.initial.get("jmu"):
            self.initial["jmu"] = choices[0].pk  # one JMU to write for: chosen already
        self.initial.setdefault("request_token", self.instance.request_token)


class PlanCopyForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    period_start = BoundedDateField(label=_("period from"), widget=DATE_INPUT)
    period_end = BoundedDateField(label=_("period until"), widget=DATE_INPUT)
    # One per form shown: a second submit of the same form returns the copy the first one made.
    request_token = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)


class MeasureForm(forms.ModelForm):
    start_month = MonthField(label=_("Start month"), required=False)
    end_month = MonthField(label=_("End month"), required=False)
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Measure
        fields = [
            "area",
            "secondary_areas",
            "title",
            "objective",
            "objective_reference",
            "lap_measure_number",
            "activities",
            "responsible_party",
            "responsible",
            "co_responsible",
            "partner_institutions",
            "partners",
            "start_month",
            "end_month",
            "period_text",
            "target_group",
            "financing",
            "notes",
            "lap_measure",
            "request_token",
        ]
        formfield_callback = formfield
        widgets = {
            "request_token": forms.HiddenInput,  # a double-clicked "new measure" makes one
            "activities": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "secondary_areas": forms.CheckboxSelectMultiple,
            "co_responsible": forms.SelectMultiple(attrs={"size": 6}),
            "partner_institutions": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.instance.plan
        # The LSG's own institutions, then the national bodies every LSG may name.
        institutions = (
            Institution.objects.filter(Q(lsg_id=plan.jmu.lsg_id) | Q(lsg__isnull=True))
            .select_related(None)
            .order_by("lsg_id", "name")
        )
        for name in ("responsible", "co_responsible", "partner_institutions"):
            self.fields[name].queryset = institutions
        # The three dropdowns offer the same institutions: one query, not three, and only when
        # the form is shown (a valid save reads none of the lists).
        offered = _Once(lambda: [(i.pk, i.name) for i in institutions])
        self.fields["responsible"].choices = lambda: [("", "---------"), *offered()]
        self.fields["co_responsible"].choices = offered
        self.fields["partner_institutions"].choices = offered
        # The primary and the secondary areas offer the same list: one query.
        areas = _Once(lambda: [(a.pk, str(a)) for a in ThematicArea.objects.all()])
        self.fields["area"].choices = lambda: [("", "---------"), *areas()]
        self.fields["secondary_areas"].choices = areas
        self.fields["period_text"].help_text = _(
            "As the plan writes it, e.g. school year 2025/26, Q4, 2024–2027; the months above stay "
            "for sorting and reminders."
        )
        # The measures of the LSG's own policy documents (harmonisation with the LAP).
        self.fields["lap_measure"].queryset = lap_measure_choices(plan.jmu.lsg_id)
        self.fields["lock_version"].initial = self.instance.lock_version
        help_text = _("Inside the plan period, %(start)s – %(end)s.") % {
            "start": plan.period_start.strftime("%m/%Y"),
            "end": plan.period_end.strftime("%m/%Y"),
        }
        self.fields["start_month"].help_text = help_text

    def _get_validation_exclusions(self):
        # A saved measure's unchanged links were checked when saved: no query each to check them
        # again (the service still validates what changed).
        excluded = super()._get_validation_exclusions()
        if self.instance.pk:
            excluded |= {
                name for name in ("area", "responsible", "lap_measure") if name not in self.changed_data
            }
        # A token already used is the second click of a double submit, not an error: the service
        # returns the measure the first click made.
        return excluded | {"request_token"}


class _Once:
    """A list of choices computed on first use, then kept (choices may be a callable)."""

    def __init__(self, compute):
        self.compute, self.value = compute, None

    def __call__(self) -> list:
        if self.value is None:
            self.value = self.compute()
        return self.value


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
    if kind == Indicator.Type.PERCENTAGE and text.endswith("%"):
        text = text[:-1].strip()  # "30 %"
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


class UntouchedRowMixin:
    """An existing row the user left as it was is not cleaned again: the database holds exactly
    these values, valid when they were saved. Cleaning it would look up its id, measure and
    funding source one query each, so saving a measure would cost more with every row
    (plans/tests/test_save_queries.py); the service skips it too (ChildRow.changed)."""

    def full_clean(self):
        if not (self.is_bound and self.instance.pk and not self.has_changed()):
            return super().full_clean()
        self._errors = forms.utils.ErrorDict()
        self.cleaned_data = {"id": self.instance, "DELETE": False}
        for name in self._meta.fields:
            field = self.fields.get(name)
            # The formset's link to the measure holds the measure itself: no query.
            parent = getattr(field, "parent_instance", None)
            self.cleaned_data[name] = parent if parent is not None else getattr(self.instance, name)
        return None


class IndicatorForm(UntouchedRowMixin, CompactRowMixin, forms.ModelForm):
    baseline = forms.CharField(label=_("baseline"), required=False, max_length=20)
    target = forms.CharField(label=_("target"), required=False, max_length=20)

    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS
        formfield_callback = formfield
        widgets = {"target_date": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Empty: the rule that fits the type (counts add up, a percentage or a yes/no does not).
        aggregation = self.fields["aggregation"]
        aggregation.required = False
        aggregation.choices = [("", _("by type")), *Indicator.Aggregation.choices]
        if not self.instance.pk:
            self.initial["aggregation"] = ""
        if self.instance.pk:
            for name in ("baseline", "target"):
                value = getattr(self.instance, name)
                if value is not None:
                    self.initial[name] = (
                        ("yes" if value == 1 else "no")
                        if self.instance.type == Indicator.Type.YES_NO
                        else i18n.figure(value)
                    )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("type") or Indicator.Type.NUMBER
        if kind != Indicator.Type.NUMBER and cleaned.get("aggregation") == Indicator.Aggregation.SUM:
            self.add_error(
                "aggregation", _("A percentage or a yes/no is not added up: choose the latest value.")
            )
        if not cleaned.get("aggregation"):
            cleaned["aggregation"] = Indicator.default_aggregation(kind)
            self.instance.aggregation = cleaned["aggregation"]
        for name in ("baseline", "target"):
            typed = self.data.get(self.add_prefix(name), "")
            # "> 749", "≥ 30", "najmanje 30" typed into the value: the qualifier goes to its field.
            qualifier, typed = split_qualifier(typed)
            if qualifier and not cleaned.get(f"{name}_qualifier"):
                cleaned[f"{name}_qualifier"] = qualifier
                setattr(self.instance, f"{name}_qualifier", qualifier)
            try:
                cleaned[name] = _parse_indicator_value(typed, kind)
            except ValidationError as error:
                self.add_error(name, error)
                cleaned.pop(name, None)
        return cleaned


class BudgetLineForm(UntouchedRowMixin, CompactRowMixin, forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = [
            "source",
            "category",
            "description",
            "currency",
            "exchange_rate",
            "unit_cost",
            "quantity",
            "periods",
            "amount_in_currency",
            "amount",
            "envelope",
            "bound",
        ]
        formfield_callback = formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Typed in its currency, or computed from unit cost × quantity (× months); RSD follows.
        self.fields["amount"].required = False
        self.fields["amount"].help_text = _("Computed for a line in EUR or USD, or with a unit cost.")
        self.fields["currency"].required = False  # RSD unless said otherwise

    def clean_currency(self):
        return self.cleaned_data.get("currency") or "RSD"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("currency") == "RSD" and cleaned.get("unit_cost") is None:
            # An RSD line: the two amounts are one; the one the user changed wins.
            typed = cleaned.get("amount")
            changed = "amount" in self.changed_data or cleaned.get("amount_in_currency") is None
            if typed is not None and changed:
                cleaned["amount_in_currency"] = typed
            cleaned["amount"] = cleaned.get("amount_in_currency")
        else:
            cleaned["amount"] = None  # derived from the amount in its currency by the model
        for name in ("amount", "amount_in_currency"):
            setattr(self.instance, name, cleaned.get(name))
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # An RSD line's two amounts are one: its error is shown once, at the amount typed.
        if "amount" in self._errors and "amount_in_currency" in self._errors:
            del self._errors["amount_in_currency"]


class BoundedInlineFormSet(BaseInlineFormSet):
    """At most `max_num` rows a submit (`validate_max`), and never more than `absolute_max` forms
    built whatever TOTAL_FORMS says: a forged count of 100,000 is a message above the table, not a
    worker busy for 20 seconds. Rows saved before (a spreadsheet import may make more) still fit."""

    default_error_messages = {
        "too_many_forms": ngettext_lazy(
            "At most %(num)d row can be saved here. Remove the extra rows and save again.",
            "At most %(num)d rows can be saved here. Remove the extra rows and save again.",
            "num",
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the saved rows, read once (the formset reads them anyway)
            saved = len(self.get_queryset())
            self.max_num = max(self.max_num, saved)
            self.absolute_max = max(self.absolute_max, saved + ROWS_ADDED_AT_ONCE)


# Rows a form may carry: far above a real measure's or plan's, far below a forged count.
ROWS_ADDED_AT_ONCE = 10
INDICATORS_PER_MEASURE = 30
BUDGET_LINES_PER_MEASURE = 60
ROWS_PER_PLAN_TABLE = 60


def bounded_formset(parent, model, *, max_num: int, formset=BoundedInlineFormSet, **kwargs):
    return inlineformset_factory(
        parent,
        model,
        formset=formset,
        can_delete=True,
        max_num=max_num,
        validate_max=True,
        absolute_max=max_num + ROWS_ADDED_AT_ONCE,
        **kwargs,
    )


IndicatorFormSet = bounded_formset(
    Measure, Indicator, form=IndicatorForm, extra=1, max_num=INDICATORS_PER_MEASURE
)


class BudgetLineInlineFormSet(BoundedInlineFormSet):
    """Every row's funding-source dropdown shares one query's choices."""

    def get_queryset(self):
        # An untouched row's cleaned data is read from its instance (UntouchedRowMixin).
        if not hasattr(self, "_queryset"):
            self._queryset = super().get_queryset().select_related("source", "envelope")
        return self._queryset

    @cached_property
    def source_choices(self) -> list:
        return [choice for choice in self.form.base_fields["source"].choices]  # noqa: C416 - list() would COUNT first

    @cached_property
    def envelope_choices(self) -> list:
        """The plan's shared envelopes: one query for all rows."""
        envelopes = BudgetEnvelope.objects.filter(plan_id=self.instance.plan_id)
        return [("", "---------"), *((e.pk, str(e)) for e in envelopes)]

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # Callables: read when a row is shown, not when a save validates untouched rows.
        form.fields["source"].choices = lambda: self.source_choices
        form.fields["envelope"].queryset = BudgetEnvelope.objects.filter(plan_id=self.instance.plan_id)
        form.fields["envelope"].choices = lambda: self.envelope_choices
        return form


BudgetLineFormSet = bounded_formset(
    Measure,
    BudgetLine,
    form=BudgetLineForm,
    formset=BudgetLineInlineFormSet,
    extra=1,
    max_num=BUDGET_LINES_PER_MEASURE,
)


class EnvelopeForm(CompactRowMixin, forms.ModelForm):
    class Meta:
        model = BudgetEnvelope
        fields = ["name", "year", "source", "amount", "bound", "responsible", "period_text"]
        formfield_callback = formfield

    def __init__(self, *args, plan: OperationalPlan, offered=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The plan's LSG's institutions and the national bodies, listed once for every row.
        institutions = Institution.objects.filter(Q(lsg_id=plan.jmu.lsg_id) | Q(lsg__isnull=True))
        self.fields["responsible"].queryset = institutions
        if offered is not None:
            self.fields["responsible"].choices = lambda: [("", "---------"), *offered()]


def envelope_form_kwargs(plan: OperationalPlan) -> dict:
    institutions = Institution.objects.filter(Q(lsg_id=plan.jmu.lsg_id) | Q(lsg__isnull=True))
    return {
        "plan": plan,
        "offered": _Once(lambda: [(i.pk, i.name) for i in institutions.order_by("lsg_id", "name")]),
    }


EnvelopeFormSet = bounded_formset(
    OperationalPlan, BudgetEnvelope, form=EnvelopeForm, extra=2, max_num=ROWS_PER_PLAN_TABLE
)


class CommunicationForm(CompactRowMixin, forms.ModelForm):
    class Meta:
        model = CommunicationItem
        fields = ["audience", "message", "channel", "timing", "responsible"]
        formfield_callback = formfield


CommunicationFormSet = bounded_formset(
    OperationalPlan, CommunicationItem, form=CommunicationForm, extra=2, max_num=ROWS_PER_PLAN_TABLE
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


class TransitionForm(NoteForm):
    confirm_open_threads = forms.BooleanField(
        label=_("Approve although comment threads are still open"), required=False
    )


class AdoptionForm(forms.Form):
    adopting_body = forms.ChoiceField(
        label=_("Adopted by"), choices=[("", "---------"), *OperationalPlan.AdoptingBody.choices]
    )
    adoption_number = forms.CharField(label=_("Decision number"), max_length=60)
    adoption_date = BoundedDateField(label=_("Decision date"), widget=DATE_INPUT)
    signatory_name = forms.CharField(
        label=_("Signatory"), max_length=120, help_text=_("Who signed the decision.")
    )
    signatory_function = forms.CharField(
        label=_("Signatory's function"),
        max_length=120,
        help_text=_("As the decision states it, e.g. President of the City Council."),
    )
    adoption_file = forms.FileField(
        label=_("Scanned decision (PDF, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    # The token of a file chosen on an earlier, refused try (jmu_planner.uploads.hold_upload).
    held_file = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, held_name: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if held_name:
            self._show_kept(held_name)

    def _show_kept(self, name: str) -> None:
        # Kept from the last try: not asked again, a new choice replaces it.
        field = self.fields["adoption_file"]
        field.required = False
        field.widget.attrs["data-kept-upload"] = name
        # Escaped here: crispy prints help texts as they are, and the name is the user's.
        field.help_text = _("Kept: %(name)s. Choose another file only to replace it.") % {
            "name": escape(name)
        }
        self._bound_fields_cache.pop("adoption_file", None)  # a bound field copies the help text

    def keep_upload(self, token: str | None, name: str | None) -> None:
        """After a refusal: carry the kept file's token to the next try and name it under the field."""
        self.data = self.data.copy()
        self.data["held_file"] = token or ""
        if token and name:
            self._show_kept(name)


class ThreadForm(forms.Form):
    subject = forms.ChoiceField(label=_("About"), required=False)
    body = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = list(subjects)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
