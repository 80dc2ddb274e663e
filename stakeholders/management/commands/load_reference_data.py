from django.core.management.base import BaseCommand

from plans.reference_data import plan_reference_load
from stakeholders.programmes import programme_cohorts_load
from stakeholders.services import reference_data_load


class Command(BaseCommand):
    help = "Load or refresh LSGs, districts and the reference tables (safe to run again)."

    def handle(self, *args, **options):
        result = reference_data_load()
        plan_tables = plan_reference_load()
        # After the LSGs: cohorts link to them.
        cohort_links = programme_cohorts_load()
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data: {result.lsgs} LSGs in {result.districts} districts, "
                f"{plan_tables.thematic_areas} thematic areas, {result.member_roles} member roles, "
                f"{result.institution_types} institution types, "
                f"{plan_tables.funding_sources} funding sources, "
                f"{cohort_links} LSGs in programme cohorts."
            )
        )
