from django import forms
from django.utils.translation import gettext_lazy as _

from jmu_planner.forms import formfield
from stakeholders.models import JMU, LSG, Institution, JMUMembership, Settlement

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LSGForm(forms.ModelForm):
    class Meta:
        model = LSG
        formfield_callback = formfield
        fields = [
            "code",
            "name_lat",
            "name_cyr",
            "type",
            "district",
            "parent_city",
            "census_year",
            "population_male",
            "population_female",
            "roma_male",
            "roma_female",
            "development_level",
            # The profile of the national monitoring database (the LSG profile page).
            "coordinator_engagement",
            "coordinator_post",
            "coordinator_post_systematised",
            "lap_adopted",
            "lap_valid_from",
            "lap_valid_until",
            "dedicated_budget_year",
            "dedicated_budget",
            "coat_of_arms",
        ]
        widgets = {
            "lap_valid_from": DATE_INPUT,
            "lap_valid_until": DATE_INPUT,
            "coat_of_arms": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
        }


class CoatOfArmsForm(forms.ModelForm):
    """The LSG's coat of arms, which its coordinator uploads for the head of its documents."""

    class Meta:
        model = LSG
        fields = ["coat_of_arms"]
        widgets = {"coat_of_arms": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"})}


class JMUForm(forms.ModelForm):
    class Meta:
        model = JMU
        formfield_callback = formfield
        fields = ["name", "founding_body", "decision_number", "decision_date", "mou_date", "status"]
        widgets = {"decision_date": DATE_INPUT, "mou_date": DATE_INPUT}


class MembershipForm(forms.ModelForm):
    class Meta:
        model = JMUMembership
        formfield_callback = formfield
        fields = ["person_name", "role", "institution", "phone", "email", "since", "until"]
        widgets = {"since": DATE_INPUT, "until": DATE_INPUT}
        help_texts = {"until": _("Leave empty while the person is a member.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only institutions of the JMU's own LSG can be chosen.
        self.fields["institution"].queryset = Institution.objects.filter(
            lsg_id=self.instance.jmu.lsg_id
        ).select_related("type")


class SettlementForm(forms.ModelForm):
    class Meta:
        model = Settlement
        formfield_callback = formfield
        fields = [
            "name",
            "kind",
            "latitude",
            "longitude",
            "households",
            "people",
            "infrastructure_notes",
        ]
        widgets = {"infrastructure_notes": forms.Textarea(attrs={"rows": 4})}


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        formfield_callback = formfield
        fields = ["type", "name", "address", "phone", "email"]
