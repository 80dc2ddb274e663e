from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from stakeholders.demo import demo_seed

CONFIRM_FLAG = "--yes-demo-data"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", "testserver"}


def production_signs() -> list[str]:
    """Why these settings look like a deployment; demo users there would be published back doors.

    `manage.py` defaults DEBUG on, so DEBUG alone cannot tell a production shell from a laptop: a
    SECRET_KEY of its own or a real host name can.
    """
    signs = []
    if not settings.DEBUG:
        signs.append("DEBUG is off")
    if settings.SECRET_KEY != settings.DEVELOPMENT_SECRET_KEY:
        signs.append("a SECRET_KEY is set")
    public_hosts = sorted(set(settings.ALLOWED_HOSTS) - LOCAL_HOSTS)
    if public_hosts:
        signs.append(f"ALLOWED_HOSTS names {', '.join(public_hosts)}")
    return signs


class Command(BaseCommand):
    help = (
        "Create demo LSG registries and one demo user per role, with published passwords. "
        f"Development only: needs {CONFIRM_FLAG} and refuses wherever the settings look like production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            CONFIRM_FLAG,
            action="store_true",
            dest="confirmed",
            help="Confirm that this is a development database and demo users may be created.",
        )

    def handle(self, *args, **options):
        if not options["confirmed"]:
            raise CommandError(
                f"seed_demo creates users with published passwords (admin/demo-admin). "
                f"Run `manage.py seed_demo {CONFIRM_FLAG}` on a development database."
            )
        signs = production_signs()
        if signs:
            raise CommandError(
                "seed_demo refuses: these settings look like production ("
                + "; ".join(signs)
                + "). Demo data runs only with DJANGO_DEBUG=true, no SECRET_KEY and local hosts."
            )
        logins = demo_seed()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at http://127.0.0.1:8000/ as:"))
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.username:<{width}}  {login.password:<18}  {login.who}")
