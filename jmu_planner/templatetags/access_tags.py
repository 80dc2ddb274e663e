"""The access policy in templates: `{% may "reporting.request_document" plan as can_pdf %}`, so a
page shows a button only to those the policy lets through (jmu_planner.access, one home)."""

from django import template

from jmu_planner import access

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, action: str, obj=None) -> bool:
    return access.may(context["request"].user, action, obj)
