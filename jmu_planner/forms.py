"""Form fields and helpers every app's forms share: numbers in Serbian, dates inside sane years."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jmu_planner.dates import MAX_YEAR, MIN_YEAR
from jmu_planner.numbers import parse_decimal


class DecimalInput(forms.TextInput):
    """A text box, not `type=number`: browsers refuse "5.000.000,00" in a number box."""

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})


NUMBER_INVALID = _("Enter a number, for example 1.234.567,89 or 12,5.")


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
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
