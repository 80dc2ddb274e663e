"""Form fields and helpers every app's forms share: numbers in Serbian, dates inside sane years."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.forms import BaseForm
from django.forms.renderers import DjangoTemplates
from django.utils import formats
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jmu_planner.dates import MAX_YEAR, MIN_YEAR
from jmu_planner.models import NOTE_MAX_LENGTH
from jmu_planner.numbers import parse_decimal


class DecimalInput(forms.TextInput):
    """A text box, not `type=number`: browsers refuse "5.000.000,00" in a number box.

    Its value is written as the reader writes numbers (15.000,00 in Serbian, 15,000.00 in
    English); `group_thousands` is off for fields that read a dot as the decimal point (rates,
    coordinates: 117,3500), so what is shown is read back as the same number.
    """

    group_thousands = True

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return formats.number_format(value, use_l10n=True, force_grouping=self.group_thousands)
        return super().format_value(value)


NUMBER_INVALID = _("Enter a number, for example 1,234,567.89 or 12.5.")


class LocalizedDecimalField(forms.DecimalField):
    """A decimal typed the Serbian way or the plain way (see `jmu_planner.numbers.parse_decimal`).

    `dot_groups` (default: when the field has at most two decimal places) reads `1.200` as 1200;
    coordinates and exchange rates, with more places, read the dot as the decimal point.
    """

    widget = DecimalInput
    default_error_messages = {"invalid": NUMBER_INVALID}

    def __init__(self, *, dot_groups: bool | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.dot_groups = dot_groups if dot_groups is not None else (self.decimal_places or 0) <= 2
        if isinstance(self.widget, DecimalInput):
            self.widget.group_thousands = self.dot_groups

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int | Decimal):
            number = Decimal(value)
            if not number.is_finite():
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            return number
        try:
            return parse_decimal(str(value), dot_groups=self.dot_groups)
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


def _year_bounds_message() -> str:
    return gettext("Enter a date between the years %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}


# Lazy: fields are built at import time, the message is translated when it is shown.
YEAR_BOUNDS_MESSAGE = lazy(_year_bounds_message, str)()


class BoundedDateField(forms.DateField):
    """A date between MIN_YEAR and MAX_YEAR: year 1 or 9999 is a typing slip, and the month
    arithmetic after it (a year later, a month earlier) must stay inside what dates can hold."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.validators += [
            MinValueValidator(datetime.date(MIN_YEAR, 1, 1), YEAR_BOUNDS_MESSAGE),
            MaxValueValidator(datetime.date(MAX_YEAR, 12, 31), YEAR_BOUNDS_MESSAGE),
        ]


def formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """`Meta.formfield_callback` for model forms: decimals read Serbian input, dates stay in range."""
    if isinstance(db_field, models.DecimalField):
        kwargs.setdefault("form_class", LocalizedDecimalField)
    elif isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", BoundedDateField)
    return db_field.formfield(**kwargs)


class UserNameLengthMixin:
    """Refuses a user name longer than the user model's column at the field, before authenticating.

    django-axes writes the name of every failed attempt into a 255-character column, and a
    longer name was a server error. AuthenticationForm sets `max_length` after the field is
    built, so without this no validator checks it.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(
            MaxLengthValidator(
                field.max_length,
                _("A user name has at most %(limit_value)d characters (this one has %(show_value)d)."),
            )
        )
        # A password is free text too: no real one is longer, and a megabyte is not hashed.
        password = self.fields["password"]
        password.max_length = PASSWORD_MAX_LENGTH
        password.widget.attrs["maxlength"] = str(PASSWORD_MAX_LENGTH)
        password.validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))


PASSWORD_MAX_LENGTH = 4096


class LoginForm(UserNameLengthMixin, AuthenticationForm):
    pass


class AdminLoginForm(UserNameLengthMixin, AdminAuthenticationForm):
    pass


# --- Dates and months, and the note every lifecycle move can carry ------------------------------------

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


class NoteForm(forms.Form):
    """A lifecycle move's confirmation: the note goes on the timeline (and is required where the
    move's table says so)."""

    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )


# --- Select boxes written in Python ----------------------------------------------------------------

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
# The widgets whose template is `{% include "django/forms/widgets/input.html" %}` and nothing else.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "text",
        "number",
        "email",
        "hidden",
        "date",
        "checkbox",
        "password",
        "url",
        "tel",
        "search",
        "time",
        "datetime",
    )
)


def _html_attrs(attrs: dict[str, Any]) -> str:
    """Django's widgets/attrs.html: False is left out, True is a bare name, the rest `name="value"`."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )


def render_select(widget: dict[str, Any]) -> str:
    """The markup of Django's widgets/select.html and select_option.html, written in Python.

    Through the templates every <option> is an include: a list of every LSG (170 options) cost
    about 25 ms a field, the officers' report and plan lists paid it on every request."""
    parts = [format_html('<select name="{}"{}>', widget["name"], _html_attrs(widget["attrs"]))]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        parts.extend(
            format_html(
                '\n  <option value="{}"{}>{}</option>\n',
                option["value"],
                _html_attrs(option["attrs"]),
                option["label"],
            )
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every part above went through format_html


def render_input(widget: dict[str, Any]) -> str:
    """Django's widgets/input.html (through text.html, number.html, ...), written in Python."""
    value = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        value,
        _html_attrs(widget["attrs"]),
    )


def render_textarea(widget: dict[str, Any]) -> str:
    """Django's widgets/textarea.html, written in Python."""
    return format_html(
        '<textarea name="{}"{}>\n{}</textarea>',
        widget["name"],
        _html_attrs(widget["attrs"]),
        widget["value"] or "",
    )


# Django's empty choice is a row of dashes; the project's reads as words, in every select box:
# "— choose —" in forms, "All" in list filters (jmu_planner.filters.FilterSet sets that one).
DASHES = "---------"
EMPTY_CHOICE_LABEL = pgettext_lazy("empty choice of a form's select box", "— choose —")
ALL_CHOICE_LABEL = pgettext_lazy("empty choice of a list filter", "All")


def _worded_empty_choice(widget: dict[str, Any]) -> None:
    for _group, options, _index in widget.get("optgroups", ()):
        for option in options:
            if option["value"] in ("", None) and option["label"] == DASHES:
                option["label"] = EMPTY_CHOICE_LABEL


class FormRenderer(DjangoTemplates):
    """Django's form renderer (settings.FORM_RENDERER), with the stock templates of the commonest
    widgets written in Python: the same markup, without a template (and its includes) per input
    and per <option>. A measure's form holds over a hundred inputs; they were a third of its time."""

    def render(self, template_name: str, context: dict[str, Any], request=None) -> str:
        widget = context.get("widget")
        if widget is not None and "optgroups" in widget:
            _worded_empty_choice(widget)
        if widget is not None and template_name in INPUT_TEMPLATES:
            return render_input(widget)
        if widget is not None and template_name == TEXTAREA_TEMPLATE:
            return render_textarea(widget)
        if (
            template_name == SELECT_TEMPLATE
            and widget is not None
            and all(
                o["template_name"] == OPTION_TEMPLATE for _, group, _ in widget["optgroups"] for o in group
            )
        ):
            return render_select(widget)
        return super().render(template_name, context, request)


def attach_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names (others at the top)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields else None
        form.add_error(None if field == NON_FIELD_ERRORS else target, errors)


def form_data(form: BaseForm) -> dict[str, Any]:
    """The cleaned values of the form's own fields, as a service takes them."""
    return {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}
