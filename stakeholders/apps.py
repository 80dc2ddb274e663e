from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        # Its lifecycle tables register the moves' permissions and the editable/frozen statuses its
        # querysets read: imported once the models are (Django's place for it).
        from stakeholders import lifecycle  # noqa: F401
        from stakeholders.services import remember_language_on_login

        user_logged_in.connect(remember_language_on_login, dispatch_uid="jmu_language_on_login")

        # The engagement's and the final report's PDFs: their kinds join reporting's registry of
        # printable documents (reporting.document_kinds) once every app's models are loaded.
        from stakeholders.engagements import documents as engagement_documents  # noqa: F401
        from stakeholders.experts import documents as expert_documents  # noqa: F401
