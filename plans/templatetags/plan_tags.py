from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(value) -> str:
    """RSD with two decimals and thousands separators: 1,234,567.00."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter
def indicator_value(indicator, name: str) -> str:
    return indicator.display_value(getattr(indicator, name))
