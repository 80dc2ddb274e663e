"""Django's makemessages, without msgmerge's fuzzy matching.

A new English string that looks like an old one would otherwise arrive in the catalogues with the
old translation, marked fuzzy, and be easy to miss. Here it arrives empty, so the catalogue test
(jmu_planner/tests/test_catalogues.py) names it until someone translates it.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
