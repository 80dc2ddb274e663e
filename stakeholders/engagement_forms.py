"""Forms of the experts' work. Choices are scoped to what the user may name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jmu_planner.forms import formfield
from stakeholders.models import (
    LSG,
    Engagement,
    FinalReport,
    FollowUp,
    LAPMeasure,
    Participant,
    PolicyDocument,
    Recommendation,
    TimeSheetEntry,
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
            "type", "title", "date", "held", "place", "agenda", "minutes", "questions_raised",
            "advice_given",
        ]  # fmt: skip
        widgets = {
            "date": DATE_INPUT, "agenda": TEXT, "minutes": TEXT, "questions_raised": TEXT,
            "advice_given": TEXT,
        }  # fmt: skip
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


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, Word (DOCX), Excel (XLSX), PNG or JPEG; at most 10 MB.")
    )


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        formfield_callback = formfield
        fields = ["task", "owner", "due_date"]
        widgets = {"due_date": DATE_INPUT}


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
        from plans.models import Measure

        self.fields["measure"].queryset = Measure.objects.filter(pk__in=[m.pk for m in measures])
        self.fields["measure"].label_from_instance = lambda m: f"{m.plan.title} · {m.code} {m.title}"


class TransitionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


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


class TimeSheetCreateForm(forms.Form):
    month = forms.DateField(
        label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d", "%m.%Y"],
    )  # fmt: skip


class TimeSheetEntryForm(forms.ModelForm):
    class Meta:
        model = TimeSheetEntry
        formfield_callback = formfield
        fields = ["lsg", "activity", "engagement", "days"]
        help_texts = {"days": _("Half days allowed: 0.5, 1, 1.5...")}

    def __init__(self, *args, lsgs=None, engagements=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lsg"].queryset = lsgs
        self.fields["engagement"].queryset = engagements


class FinalReportForm(forms.ModelForm):
    class Meta:
        model = FinalReport
        fields = ["outputs", "conclusions"]
        widgets = {"outputs": TEXT, "conclusions": TEXT}
