from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def report_kind_words(code: str) -> str:
    """A notification's stored report kind ("monthly") in the reader's words."""
    from reporting.models import Report  # models load after the app registry is ready

    return str(Report.Kind(code).label).lower() if code in Report.Kind.values else code


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        # Its lifecycle table registers the moves' permissions and the editable/frozen statuses its
        # querysets read; the plan's and the report's document kinds register where their data is
        # built; the task module is imported so that the render task is known by name here too
        # (reporting.documents enqueues it by name: the task module imports the service, not the
        # other way round). Imported once the models are (Django's place for it).
        from jmu_planner.notifications.events import register_param_words
        from reporting import documents, lifecycle, tasks  # noqa: F401

        register_param_words("kind", report_kind_words)
