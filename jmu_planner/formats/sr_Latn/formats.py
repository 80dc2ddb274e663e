"""Serbian in Latin script writes dates and numbers as in Cyrillic."""

from jmu_planner.formats.sr.formats import *  # noqa: F403
