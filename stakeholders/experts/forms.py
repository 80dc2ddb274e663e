"""Forms of the experts' work: time sheets and the final report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jmu_planner.forms import formfield
from stakeholders.engagements.forms import TEXT
from stakeholders.models import (
    FinalReport,
    TimeSheetEntry,
)


class TimeSheetCreateForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d", "%m.%Y"],
    )


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
