from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Operational plans")

    def ready(self) -> None:
        # Its lifecycle table registers the moves' permissions and the editable/frozen statuses its
        # querysets read: imported once the models are (Django's place for it).
        from plans import lifecycle  # noqa: F401
