"""The form renderer writes <select> boxes in Python: the markup must be Django's own."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from jmu_planner.forms import FormRenderer

CHOICES = [
    ("", "(none)"),  # Django's dashes are worded by the project's renderer: see the test below
    ("a", 'Alpha & "quotes" <b>'),
    ("Groups", [("1", "Čačak"), ("2", mark_safe("<i>safe</i>"))]),
    (3, "Three"),
]


class Sample(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    disabled = forms.ChoiceField(choices=CHOICES, disabled=True, required=False)
    styled = forms.ChoiceField(
        choices=CHOICES, widget=forms.Select(attrs={"class": "form-select", "data-x": None, "hidden": True})
    )
    radio = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    text = forms.CharField(
        max_length=20, required=False, widget=forms.TextInput(attrs={"placeholder": 'a "b"'})
    )
    number = forms.IntegerField(required=False)
    email = forms.EmailField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    flag = forms.BooleanField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


NAMES = [
    "one",
    "many",
    "disabled",
    "styled",
    "radio",
    "text",
    "number",
    "email",
    "hidden",
    "day",
    "flag",
    "secret",
    "note",
]
FILLED = {
    "one": "a",
    "many": ["1", "3"],
    "styled": "2",
    "radio": "b",
    "text": '<x> & "y"',
    "number": "12",
    "email": "a@b.rs",
    "hidden": "7",
    "day": "2026-02-28",
    "flag": "on",
    "secret": "s&",
    "note": "first line\n<second> & Čačak",
}


@pytest.mark.parametrize("data", [{}, FILLED, {"text": "", "note": "", "number": "x"}])
def test_widgets_render_as_django_templates_render_them(data):
    ours = Sample(data=data or None, renderer=FormRenderer())
    django = Sample(data=data or None, renderer=DjangoTemplates())
    for name in NAMES:
        assert str(ours[name]) == str(django[name]), name
    assert "&amp; &quot;quotes&quot; &lt;b&gt;" in str(ours["one"])
    assert "<i>safe</i>" in str(ours["one"])


def test_values_are_escaped():
    form = Sample(data=FILLED, renderer=FormRenderer())
    assert 'value="&lt;x&gt; &amp; &quot;y&quot;"' in str(form["text"])
    assert "&lt;second&gt; &amp; Čačak</textarea>" in str(form["note"])


def test_settings_use_it():
    assert isinstance(Sample().renderer, FormRenderer)


@pytest.mark.django_db
def test_a_model_choice_select_is_unchanged(django_assert_max_num_queries):
    from stakeholders.models import LSG

    class Pick(forms.Form):
        lsg = forms.ModelChoiceField(queryset=LSG.objects.order_by("code")[:30])

    with django_assert_max_num_queries(1):
        ours = str(Pick(renderer=FormRenderer())["lsg"])
    # The same markup as Django's, but for the empty choice in words.
    assert ours == str(Pick(renderer=DjangoTemplates())["lsg"]).replace(">---------<", ">— choose —<")
    assert ours.count("<option") == 31


def test_an_empty_choice_reads_in_words_in_forms_and_filters(client, db):
    import django_filters
    from django.contrib.auth import get_user_model

    from jmu_planner.filters import FilterSet
    from stakeholders.models import LSG

    class Form(forms.Form):
        one = forms.ChoiceField(choices=[("", "---------"), ("a", "A")])
        lsg = forms.ModelChoiceField(queryset=LSG.objects.none())

    html = str(Form(renderer=FormRenderer()))
    assert "---------" not in html and html.count('<option value="" selected>— choose —</option>') == 2, html

    class Filter(FilterSet):
        kind = django_filters.ChoiceFilter(field_name="username", choices=[("a", "A")])
        lsg = django_filters.ModelChoiceFilter(field_name="pk", queryset=LSG.objects.none())

        class Meta:
            model = get_user_model()
            fields = ["kind", "lsg"]

    html = str(Filter({}, queryset=get_user_model().objects.none()).form)
    assert "---------" not in html and html.count('<option value="" selected>All</option>') == 2, html


def test_every_page_links_a_favicon_that_is_served(client, db):
    page = client.get("/accounts/login/").content.decode()
    href = page.split('<link rel="icon" href="', 1)[1].split('"', 1)[0]
    response = client.get(href)
    assert response.status_code == 200 and b"<svg" in b"".join(response.streaming_content)
