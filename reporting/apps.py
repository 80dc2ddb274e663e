from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        # Its lifecycle table registers the moves' permissions and the editable/frozen statuses its
        # querysets read: imported once the models are (Django's place for it).
        from reporting import lifecycle  # noqa: F401
