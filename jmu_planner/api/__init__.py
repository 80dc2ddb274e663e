"""The read-only JSON API for national monitoring (Django REST Framework), under /api/v1/.

Scoped like the pages (every queryset starts from `visible_to`), authenticated by token (or the
browser's session), paginated and throttled; its OpenAPI description is at /api/schema/. Counts of
people and households from 1 to 4 read "<5", totals beside them as ranges (jmu_planner.figures).
"""
