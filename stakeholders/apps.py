from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from stakeholders.services import remember_language_on_login

        user_logged_in.connect(remember_language_on_login, dispatch_uid="jmu_language_on_login")
