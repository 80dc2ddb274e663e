"""Forms of engagements, recommendations and policy documents. Choices are scoped to what the user
may name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jmu_planner.forms import formfield
from plans.models import Measure
from stakeholders.models import (
    LSG,
    Engagement,
    FollowUp,
    LAPMeasure,
    Participant,
    PolicyDocument,
    Recommendation,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 4})


class EngagementForm(forms.ModelForm):
    lsgs = forms.ModelMultipleChoiceField(
        label=_("LSGs"), queryset=LSG.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Engagement
        formfield_callback = formfield
        fields = [
            "type",
            "title",
            "date",
            "held",
            "place",
            "agenda",
            "minutes",
            "questions_raised",
            "advice_given",
        ]
        widgets = {
            "date": DATE_INPUT,
            "agenda": TEXT,
            "minutes": TEXT,
            "questions_raised": TEXT,
            "advice_given": TEXT,
        }
        help_texts = {
            "questions_raised": _("For a mentoring session: the questions the participants raised."),
            "advice_given": _("For a mentoring session: the advice and guidance given."),
        }

    def __init__(self, *args, lsg_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lsgs"].queryset = lsg_choices if lsg_choices is not None else LSG.objects.none()
        if self.instance.pk:
            self.fields["lsgs"].initial = list(self.instance.lsgs.values_list("pk", flat=True))


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["membership", "name", "institution"]
        help_texts = {"name": _("Or, for someone outside the registry, the name and the institution.")}

    def __init__(self, *args, memberships=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = memberships
        self.fields["membership"].label_from_instance = lambda m: f"{m.person_name} ({m.jmu.lsg.name})"


class ForLSGMixin:
    """The optional "for LSG" choice of a shared engagement's row: its own LSGs; with one LSG there
    is nothing to choose and the field is left out."""

    def limit_lsgs(self, lsgs) -> None:
        lsgs = list(lsgs)
        if len(lsgs) < 2:
            del self.fields["lsg"]
            return
        self.fields["lsg"].queryset = LSG.objects.filter(pk__in=[lsg.pk for lsg in lsgs])
        self.fields["lsg"].choices = [
            ("", _("All the engagement's LSGs")),
            *((lsg.pk, str(lsg)) for lsg in lsgs),
        ]


class AttachmentForm(ForLSGMixin, forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, Word (DOCX), Excel (XLSX), PNG or JPEG; at most 10 MB.")
    )
    lsg = forms.ModelChoiceField(
        label=_("For LSG"),
        queryset=LSG.objects.none(),
        required=False,
        help_text=_("Leave empty when it concerns all the engagement's LSGs."),
    )

    def __init__(self, *args, lsgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_lsgs(lsgs)


class FollowUpForm(ForLSGMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        formfield_callback = formfield
        fields = ["task", "owner", "due_date", "lsg"]
        widgets = {"due_date": DATE_INPUT}

    def __init__(self, *args, lsgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_lsgs(lsgs)


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["lsg", "text", "addressee"]
        widgets = {"text": TEXT}

    def __init__(self, *args, lsgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lsg"].queryset = lsgs


class LinkMeasureForm(forms.Form):
    measure = forms.ModelChoiceField(label=_("Plan measure that carries it out"), queryset=None)

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = Measure.objects.filter(pk__in=[m.pk for m in measures])
        self.fields["measure"].label_from_instance = lambda m: f"{m.plan.title} · {m.code} {m.title}"


class PolicyDocumentForm(forms.ModelForm):
    class Meta:
        model = PolicyDocument
        formfield_callback = formfield
        fields = ["kind", "title", "period_start", "period_end", "adopted_by", "adoption_date"]
        widgets = {"period_start": DATE_INPUT, "period_end": DATE_INPUT, "adoption_date": DATE_INPUT}


class LAPMeasureForm(forms.ModelForm):
    class Meta:
        model = LAPMeasure
        fields = ["number", "title"]
