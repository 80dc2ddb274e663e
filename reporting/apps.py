from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        # The plan's and the report's document kinds register where their data is built; the task
        # module is imported so that the render task is known by name here too (reporting.documents
        # enqueues it by name: the task module imports the service, not the other way round).
        from reporting import documents, tasks  # noqa: F401
