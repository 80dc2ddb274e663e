from django.http import HttpRequest

from jmu_planner import access


def navigation(request: HttpRequest) -> dict:
    """What the navigation shows: the user's own LSGs and whether they see the whole programme."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav": access.navigation_for(user)}
