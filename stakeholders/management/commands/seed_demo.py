from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from stakeholders.demo import demo_seed


class Command(BaseCommand):
    help = "Create demo LSG registries and one demo user per role (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates users with published passwords and runs only with DEBUG on "
                "(DJANGO_DEBUG=true)."
            )
        logins = demo_seed()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at http://127.0.0.1:8000/ as:"))
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.username:<{width}}  {login.password:<18}  {login.who}")
