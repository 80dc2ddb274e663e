#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jmu_planner.settings")
    # manage.py is the developer's tool: it defaults to development mode. Production sets
    # DJANGO_DEBUG=false (and SECRET_KEY) explicitly; gunicorn and Celery, which start from
    # wsgi.py and celery.py, have no such default and refuse to start without a SECRET_KEY.
    os.environ.setdefault("DJANGO_DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
